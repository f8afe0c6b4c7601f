// Writing .docx (WordprocessingML) documents: a small writer of the document XML for what an
// official document needs — paragraphs of runs (East Asian and Latin fonts, size, bold,
// colour), alignment, first-line indent, exact line spacing, a coloured rule under a
// paragraph (the red separator line of a 公文), page breaks, tables with borders and a header
// row, and the page set-up (size, margins, line grid, page numbers in the footer). Zipped with
// libzip; no external docx library.
//
// Deterministic: the same Document gives the same bytes (every zip entry is dated 1980-01-01
// 00:00, the entries are written in a fixed order, and no property carries the time). Text is
// escaped for XML; invalid UTF-8 becomes U+FFFD and control characters other than tab and
// newline are dropped (a newline in a run becomes a line break). Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"

namespace tiaodu::io::docx {

// Lengths in twips (1/20 pt; 1 mm = 56.69 twips). Font sizes in half-points (3号 = 16 pt = 32).
int MmToTwips(double mm);

struct Font {
  std::string east_asia = "仿宋_GB2312";  // Chinese text
  std::string latin = "Times New Roman";   // Latin letters and digits
  int half_points = 32;                    // 3号
  bool bold = false;
  std::string color;  // "FF0000"; "" = automatic
};

struct Run {
  std::string text;
  Font font;
};

enum class Align { kLeft, kCenter, kRight, kBoth };

struct Paragraph {
  std::vector<Run> runs;
  Align align = Align::kBoth;
  int first_line_chars = 0;  // first-line indent in characters of the paragraph's size ×100 (200 = 2 chars)
  int line_twips = 0;        // exact line spacing; 0 = the document's default
  int before_twips = 0, after_twips = 0;
  bool page_break_before = false;
  bool keep_next = false;
  // A rule under the paragraph (the red line of a 公文's 版头): colour and width in eighths of
  // a point (0 = none).
  std::string rule_color;
  int rule_eighths = 0;
};

// A paragraph of one run.
Paragraph Para(std::string text, Font font, Align align = Align::kBoth, int first_line_chars = 0);

struct Cell {
  std::vector<Paragraph> paragraphs;  // at least one is written
  std::string shade;                  // background, e.g. "D9D9D9"; "" = none
};

struct Table {
  std::vector<int> widths;  // column widths in twips (their sum is the table's width)
  std::vector<std::vector<Cell>> rows;
  int header_rows = 1;  // repeated on every page
};

using Block = std::variant<Paragraph, Table>;

struct PageSetup {
  int width = 11906, height = 16838;  // A4
  int top = 0, bottom = 0, left = 0, right = 0;  // margins
  int header = 851, footer = 992;              // distance of header / footer from the edge
  int line_pitch = 0;  // document grid: exact line pitch (0 = no grid)
  bool page_numbers = false;  // "— 1 —" centred in the footer
  Font footer_font;
};

struct Document {
  PageSetup page;
  Font default_font;  // the document's default run font (docDefaults)
  int default_line_twips = 0;  // exact line spacing of the default paragraph (0 = single)
  std::vector<Block> body;
  std::string title;  // docProps/core.xml dc:title
};

// Text escaped for XML character data and attribute values (& < > " '), cleaned as above.
std::string EscapeXml(std::string_view text);

// The document.xml part alone (for tests and for the renderers that want to inspect it).
std::string DocumentXml(const Document& doc);

// The .docx bytes. Internal with a Chinese message when libzip fails.
Result<std::string> WriteDocx(const Document& doc);

// ---- GB/T 9704 (党政机关公文格式): what every official document of Tiaodu shares ----
// Fonts and sizes of a 公文 (sizes in half-points: 2号 22 pt, 3号 16 pt, 4号 14 pt, 小四 12 pt,
// 五号 10.5 pt), and the line pitch that puts 22 lines in the 225 mm text block
// (225 mm / 22 = 28.99 pt → 580 twips).
inline constexpr const char* kXiaoBiaoSong = "方正小标宋简体";
inline constexpr const char* kFangSong = "仿宋_GB2312";
inline constexpr const char* kHeiTi = "黑体";
inline constexpr const char* kKaiTi = "楷体_GB2312";
inline constexpr int kSize2 = 44, kSize3 = 32, kSize4 = 28, kSizeSmall4 = 24, kSize5 = 21;
inline constexpr int kOfficialLinePitch = 580;

// A font of a 公文: the Chinese face and size, Times New Roman for Latin letters and digits.
Font OfficialFont(const char* east_asia, int half_points, bool bold = false, std::string color = "");

// An empty document laid out as a 公文: A4 with the 156 × 225 mm text block (top 37 mm, left
// 28 mm), the 22-line grid, page numbers in 4号 仿宋 and 3号 仿宋 body text.
Document OfficialDocument(std::string title);

// The width of the 公文 text block (156 mm) in twips: the width of a full-width table.
int OfficialTextWidth();

}  // namespace tiaodu::io::docx
