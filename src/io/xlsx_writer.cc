#include "io/xlsx_writer.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace tiaodu::io {

namespace {

constexpr std::size_t kMaxCellChars = 32767;      // Excel's limit for a cell's text
constexpr std::size_t kMaxSheetNameChars = 31;    // Excel's limit for a sheet name
constexpr std::size_t kMaxInlineListBytes = 255;  // see ValidationFits
constexpr lxw_row_t kMaxRows = 1048576;           // rows in a sheet
constexpr lxw_col_t kMaxCols = 16384;             // columns in a sheet
constexpr lxw_row_t kValidationRows = 10000;      // data rows a template's drop-downs cover
constexpr int kMaxSignificantDigits = 15;         // what a double keeps exactly
constexpr const char* kOptionsSheet = "选项";
constexpr const char* kInstructionsSheet = "填写说明";

constexpr lxw_color_t kNoColor = 0xFFFFFFFF;   // "not set" in a FormatSpec
constexpr lxw_color_t kHeaderFill = 0xD9E1F2;  // light blue
constexpr lxw_color_t kMarkFill = 0xFFC7CE;    // light red
constexpr lxw_color_t kRequiredColor = 0xC00000;

// ---------------------------------------------------------------- text

// Appends the code point `cp` to `out` as UTF-8.
void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes one code point at s[i]; returns its length, or 0 when the bytes are not UTF-8
// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t DecodeUtf8(std::string_view s, std::size_t i, char32_t* cp) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  std::size_t len;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    *cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    *cp = c & 0x0F;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    *cp = c & 0x07;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    *cp = (*cp << 6) | (byte(i + k) & 0x3F);
  }
  return len;
}

// Text as XML 1.0 can carry it: valid UTF-8 (a bad byte becomes U+FFFD), no control
// characters other than tab, LF and CR (libxlsxwriter does not escape them in comments, which
// would make the file unreadable), at most `max_chars` code points.
std::string CleanText(std::string_view s, std::size_t max_chars = kMaxCellChars) {
  std::string out;
  out.reserve(s.size());
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size() && chars < max_chars;) {
    char32_t cp;
    std::size_t len = DecodeUtf8(s, i, &cp);
    if (len == 0) {
      cp = 0xFFFD;
      len = 1;
    }
    i += len;
    if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF) {
      continue;
    }
    AppendUtf8(out, cp);
    ++chars;
  }
  return out;
}

std::size_t CountChars(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// ---------------------------------------------------------------- values

struct PlainDecimal {
  bool integer = false;
  int significant_digits = 0;
};

// "258.4", "-3", "0.0465", "12,000"? no: only an optional '-', digits, and optionally '.'
// followed by digits. Anything else ("+86", "1e5", "=1+1", " 3") is not a plain decimal.
std::optional<PlainDecimal> ParsePlainDecimal(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  const std::size_t int_begin = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  const std::size_t int_end = i;
  if (int_end == int_begin) return std::nullopt;
  std::size_t frac_begin = i, frac_end = i;
  if (i < s.size() && s[i] == '.') {
    frac_begin = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    frac_end = i;
    if (frac_end == frac_begin) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  std::string digits(s.substr(int_begin, int_end - int_begin));
  digits.append(s.substr(frac_begin, frac_end - frac_begin));
  std::size_t first = digits.find_first_not_of('0');
  std::size_t last = digits.find_last_not_of('0');
  PlainDecimal d;
  d.significant_digits = first == std::string::npos ? 0 : static_cast<int>(last - first + 1);
  d.integer =
      s.substr(frac_begin, frac_end - frac_begin).find_first_not_of('0') == std::string_view::npos;
  return d;
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// "2024-06-30" → the date; anything else (or a date before 1900) → nullopt.
std::optional<lxw_datetime> ParseIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  const auto num = [&](std::size_t pos, std::size_t len) {
    int v = 0;
    for (std::size_t k = pos; k < pos + len; ++k) v = v * 10 + (s[k] - '0');
    return v;
  };
  int year = num(0, 4), month = num(5, 2), day = num(8, 2);
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1900 || month < 1 || month > 12 || day < 1) return std::nullopt;
  int max_day = kDays[month - 1] + (month == 2 && IsLeapYear(year) ? 1 : 0);
  if (day > max_day) return std::nullopt;
  lxw_datetime dt{};
  dt.year = year;
  dt.month = month;
  dt.day = day;
  return dt;
}

// ---------------------------------------------------------------- sheet names

// A name Excel accepts, distinct (ignoring ASCII case) from every name in `used`, which it
// joins.
std::string UniqueSheetName(std::string_view wanted, std::string_view fallback,
                            std::vector<std::string>& used) {
  std::string name;
  for (char c : CleanText(wanted, 1000)) {
    if (std::strchr("[]:*?/\\\t\r\n", c) != nullptr) {
      name += '_';
    } else {
      name += c;
    }
  }
  // Excel refuses a name that starts or ends with an apostrophe.
  while (!name.empty() && name.front() == '\'') name.erase(0, 1);
  while (!name.empty() && name.back() == '\'') name.pop_back();
  if (name.empty()) name = fallback;
  const auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  const auto taken = [&](const std::string& candidate) {
    return std::any_of(used.begin(), used.end(),
                       [&](const std::string& u) { return lower(u) == lower(candidate); });
  };
  std::string candidate = CleanText(name, kMaxSheetNameChars);
  for (int n = 2; taken(candidate); ++n) {
    std::string suffix = "(" + std::to_string(n) + ")";
    candidate = CleanText(name, kMaxSheetNameChars - suffix.size()) + suffix;
  }
  used.push_back(candidate);
  return candidate;
}

// "'选项'!$A$2:$A$9"
std::string RangeFormula(const std::string& sheet, lxw_row_t first_row, lxw_row_t last_row,
                         lxw_col_t col) {
  char from[32], to[32];
  lxw_rowcol_to_cell_abs(from, first_row, col, 1, 1);
  lxw_rowcol_to_cell_abs(to, last_row, col, 1, 1);
  std::string quoted;
  for (char c : sheet) {
    quoted += c;
    if (c == '\'') quoted += '\'';
  }
  return "='" + quoted + "'!" + from + ":" + to;
}

// Whether a drop-down list can be written inline in the validation. Excel allows 255
// characters; libxlsxwriter 1.1.4 checks characters but copies into a 256-byte buffer (a
// longer list of Chinese names aborts the process), so the limit here is 255 bytes. A comma
// or a quote in a choice cannot be written inline either.
bool ValidationFits(const std::vector<std::string>& choices) {
  std::size_t bytes = 0;
  for (const std::string& c : choices) {
    if (c.empty() || c.find_first_of(",\"") != std::string::npos) return false;
    bytes += c.size() + 1;
  }
  return bytes - 1 <= kMaxInlineListBytes;
}

// ---------------------------------------------------------------- formats

struct FormatSpec {
  std::string num_format;  // "" = General
  bool bold = false;
  double font_size = 0;  // 0 = default
  lxw_color_t font_color = kNoColor;
  lxw_color_t fill = kNoColor;
  bool border = false;
  bool center = false;
  bool wrap = false;

  auto Key() const {
    return std::tie(num_format, bold, font_size, font_color, fill, border, center, wrap);
  }
  bool operator<(const FormatSpec& o) const { return Key() < o.Key(); }
};

// Removes a file when it goes out of scope.
class TempFile {
 public:
  TempFile() = default;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (!path_.empty()) std::remove(path_.c_str());
  }

  bool Create(const std::string& dir) {
    std::string pattern = dir + "/tiaodu-xlsx-XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    int fd = mkstemp(buf.data());
    if (fd < 0) return false;
    close(fd);
    path_ = buf.data();
    return true;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string TempDir() {
  const char* dir = std::getenv("TMPDIR");
  std::string d = (dir != nullptr && *dir != '\0') ? dir : "/tmp";
  while (d.size() > 1 && d.back() == '/') d.pop_back();
  return d;
}

// A list too long for an inline drop-down, kept on the hidden options sheet.
struct LongList {
  const SheetColumn* column;
  std::string label;  // the column's header, row 1 of the options sheet
  const std::vector<std::string>* choices;
};

// Writes one workbook; the first libxlsxwriter error is kept and reported at the end.
class Writer {
 public:
  Writer(lxw_workbook* workbook, const WorkbookOptions& options)
      : workbook_(workbook), options_(options), author_(CleanText(options.author)) {}

  lxw_error error() const { return error_; }

  void Check(lxw_error e) {
    if (e != LXW_NO_ERROR && error_ == LXW_NO_ERROR) error_ = e;
  }

  lxw_format* Format(const FormatSpec& spec) {
    auto it = formats_.find(spec);
    if (it != formats_.end()) return it->second;
    lxw_format* f = workbook_add_format(workbook_);
    if (f == nullptr) {
      Check(LXW_ERROR_MEMORY_MALLOC_FAILED);
      return nullptr;
    }
    if (!spec.num_format.empty()) format_set_num_format(f, spec.num_format.c_str());
    if (spec.bold) format_set_bold(f);
    if (spec.font_size > 0) format_set_font_size(f, spec.font_size);
    if (spec.font_color != kNoColor) format_set_font_color(f, spec.font_color);
    if (spec.fill != kNoColor) {
      format_set_pattern(f, LXW_PATTERN_SOLID);
      format_set_bg_color(f, spec.fill);
    }
    if (spec.border) format_set_border(f, LXW_BORDER_THIN);
    if (spec.center) {
      format_set_align(f, LXW_ALIGN_CENTER);
      format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    }
    if (spec.wrap) format_set_text_wrap(f);
    formats_.emplace(spec, f);
    return f;
  }

  void Comment(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, const std::string& text) {
    std::string clean = CleanText(text);
    // Roughly 18 Chinese characters per line in a 300-pixel box.
    std::size_t lines = 1 + CountChars(clean) / 18;
    for (char c : clean) lines += c == '\n';
    lxw_comment_options opt{};
    opt.width = 300;
    opt.height = static_cast<uint16_t>(std::min<std::size_t>(40 + 16 * lines, 600));
    opt.author = author_.data();
    Check(worksheet_write_comment_opt(ws, row, col, clean.c_str(), &opt));
  }

  void String(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, std::string_view text,
              lxw_format* f) {
    std::string clean = CleanText(text);
    if (clean.empty()) {
      if (f != nullptr) Check(worksheet_write_blank(ws, row, col, f));
      return;
    }
    Check(worksheet_write_string(ws, row, col, clean.c_str(), f));
  }

  // The cell of `column` (nullptr for a cell beyond the columns) holding `text`.
  void Cell(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, const SheetColumn* column,
            const std::string& text, bool marked) {
    FormatSpec spec;
    if (marked) spec.fill = kMarkFill;
    const CellKind kind = column != nullptr ? column->kind : CellKind::kText;
    if (text.empty()) {
      if (marked) Check(worksheet_write_blank(ws, row, col, Format(spec)));
      return;
    }
    if (kind == CellKind::kText) {
      spec.num_format = "@";
      String(ws, row, col, text, Format(spec));
      return;
    }
    if (kind == CellKind::kDate) {
      if (std::optional<lxw_datetime> date = ParseIsoDate(text)) {
        spec.num_format = "yyyy-mm-dd";
        Check(worksheet_write_datetime(ws, row, col, &*date, Format(spec)));
        return;
      }
      String(ws, row, col, text, marked ? Format(spec) : nullptr);
      return;
    }
    std::optional<PlainDecimal> d = ParsePlainDecimal(text);
    if (!d || d->significant_digits > kMaxSignificantDigits) {
      // Not a number, or one a double would round: kept exactly, as text.
      String(ws, row, col, text, marked ? Format(spec) : nullptr);
      return;
    }
    const int decimals = column->decimals;
    switch (kind) {
      case CellKind::kInteger:
        spec.num_format = d->integer ? "#,##0" : "";
        break;
      case CellKind::kPercent:
        spec.num_format = Decimals(decimals >= 0 ? decimals : 1);
        break;
      case CellKind::kNumber:
        spec.num_format = decimals >= 0 ? Decimals(decimals) : "";
        break;
      case CellKind::kText:
      case CellKind::kDate:
        break;
    }
    lxw_format* f = (marked || !spec.num_format.empty()) ? Format(spec) : nullptr;
    double value = 0;  // from_chars: independent of the C locale, unlike strtod
    std::from_chars(text.data(), text.data() + text.size(), value);
    Check(worksheet_write_number(ws, row, col, value, f));
  }

  static std::string Decimals(int n) {
    return n <= 0 ? "0" : "0." + std::string(static_cast<std::size_t>(std::min(n, 15)), '0');
  }

  void DataSheet(lxw_worksheet* ws, const Sheet& sheet,
                 const std::map<const SheetColumn*, std::string>& list_ranges) {
    worksheet_set_comments_author(ws, author_.c_str());
    const std::size_t ncols = sheet.columns.size();

    // Marks by 0-based row, then column; several on one cell are joined.
    std::map<lxw_row_t, std::map<lxw_col_t, std::string>> marks;
    for (const CellMark& m : sheet.marks) {
      if (m.row < 1 || static_cast<lxw_row_t>(m.row) > kMaxRows || m.col < 0 ||
          static_cast<lxw_col_t>(m.col) >= kMaxCols) {
        continue;
      }
      std::string& msg = marks[static_cast<lxw_row_t>(m.row - 1)][static_cast<lxw_col_t>(m.col)];
      if (!msg.empty()) msg += "\n";
      msg += m.message;
    }
    const auto marks_of = [&](lxw_row_t row) -> const std::map<lxw_col_t, std::string>* {
      auto it = marks.find(row);
      return it == marks.end() ? nullptr : &it->second;
    };

    // Column widths; text columns default to the text format, so that codes typed into a
    // template keep their leading zeros.
    for (std::size_t c = 0; c < ncols; ++c) {
      const SheetColumn& col = sheet.columns[c];
      FormatSpec text;
      text.num_format = "@";
      Check(worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                                 col.width > 0 ? col.width : 14,
                                 col.kind == CellKind::kText ? Format(text) : nullptr));
    }

    lxw_row_t row = 0;
    if (!sheet.title.empty()) {
      FormatSpec title;
      title.bold = true;
      title.font_size = 14;
      title.center = true;
      lxw_format* f = Format(title);
      std::string text = CleanText(sheet.title);
      Check(worksheet_set_row(ws, row, 24, nullptr));
      if (ncols > 1) {
        Check(worksheet_merge_range(ws, row, 0, row, static_cast<lxw_col_t>(ncols - 1),
                                    text.c_str(), f));
      } else {
        Check(worksheet_write_string(ws, row, 0, text.c_str(), f));
      }
      ++row;  // marks on the title row are ignored: it holds no data
    }

    const lxw_row_t header_row = row;
    const auto* header_marks = marks_of(header_row);
    for (std::size_t c = 0; c < ncols; ++c) {
      const SheetColumn& col = sheet.columns[c];
      const lxw_col_t cc = static_cast<lxw_col_t>(c);
      FormatSpec spec;
      spec.bold = true;
      spec.fill = kHeaderFill;
      spec.border = true;
      spec.center = true;
      std::string text = col.header;
      if (col.required) {
        spec.font_color = kRequiredColor;
        if (text.rfind('*', 0) != 0) text = "*" + text;
      }
      std::string comment = col.note;
      if (header_marks != nullptr) {
        if (auto it = header_marks->find(cc); it != header_marks->end()) {
          spec.fill = kMarkFill;
          comment += (comment.empty() ? "" : "\n") + it->second;
        }
      }
      String(ws, header_row, cc, text, Format(spec));
      if (!comment.empty()) Comment(ws, header_row, cc, comment);
    }
    if (header_marks != nullptr) ExtraMarks(ws, header_row, *header_marks, ncols);
    ++row;

    for (const std::vector<std::string>& cells : sheet.rows) {
      const auto* row_marks = marks_of(row);
      for (std::size_t c = 0; c < cells.size(); ++c) {
        const lxw_col_t cc = static_cast<lxw_col_t>(c);
        bool marked = row_marks != nullptr && row_marks->count(cc) > 0;
        Cell(ws, row, cc, c < ncols ? &sheet.columns[c] : nullptr, cells[c], marked);
        if (marked) Comment(ws, row, cc, row_marks->at(cc));
      }
      if (row_marks != nullptr) ExtraMarks(ws, row, *row_marks, cells.size());
      ++row;
    }
    // Marks below the last row (a row the upload left out, say), in row order.
    for (auto it = marks.lower_bound(row); it != marks.end(); ++it) {
      ExtraMarks(ws, it->first, it->second, 0);
    }

    if (sheet.freeze_header) worksheet_freeze_panes(ws, header_row + 1, 0);

    const lxw_row_t first_data = header_row + 1;
    const lxw_row_t last_data = static_cast<lxw_row_t>(std::min<std::size_t>(
        first_data + std::max<std::size_t>(sheet.rows.size(), kValidationRows) - 1, kMaxRows - 1));
    for (std::size_t c = 0; c < ncols; ++c) {
      const SheetColumn& col = sheet.columns[c];
      if (col.choices.empty()) continue;
      lxw_data_validation dv{};
      std::vector<std::string> clean;
      std::vector<char*> list;
      std::string formula;
      if (auto it = list_ranges.find(&col); it != list_ranges.end()) {
        formula = it->second;
        dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
        dv.value_formula = formula.data();
      } else {
        for (const std::string& choice : col.choices) clean.push_back(CleanText(choice));
        for (std::string& choice : clean) list.push_back(choice.data());
        list.push_back(nullptr);
        dv.validate = LXW_VALIDATION_TYPE_LIST;
        dv.value_list = list.data();
      }
      dv.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
      dv.error_title = const_cast<char*>("输入有误");
      dv.error_message = const_cast<char*>("请从下拉列表中选择。");
      const lxw_col_t cc = static_cast<lxw_col_t>(c);
      Check(worksheet_data_validation_range(ws, first_data, cc, last_data, cc, &dv));
    }
  }

  // Marked cells of `row` at or beyond column `from`, which hold no value: filled, with the
  // comment.
  void ExtraMarks(lxw_worksheet* ws, lxw_row_t row, const std::map<lxw_col_t, std::string>& m,
                  std::size_t from) {
    FormatSpec spec;
    spec.fill = kMarkFill;
    for (auto it = m.lower_bound(static_cast<lxw_col_t>(std::min<std::size_t>(from, kMaxCols)));
         it != m.end(); ++it) {
      Check(worksheet_write_blank(ws, row, it->first, Format(spec)));
      Comment(ws, row, it->first, it->second);
    }
  }

  void OptionsSheet(lxw_worksheet* ws, const std::vector<LongList>& lists) {
    FormatSpec head;
    head.bold = true;
    FormatSpec text;
    text.num_format = "@";
    std::size_t longest = 0;
    for (std::size_t k = 0; k < lists.size(); ++k) {
      longest = std::max(longest, lists[k].choices->size());
      Check(worksheet_set_column(ws, static_cast<lxw_col_t>(k), static_cast<lxw_col_t>(k), 20,
                                 nullptr));
      String(ws, 0, static_cast<lxw_col_t>(k), lists[k].label, Format(head));
    }
    for (std::size_t r = 0; r < longest; ++r) {  // row by row: constant-memory order
      for (std::size_t k = 0; k < lists.size(); ++k) {
        if (r < lists[k].choices->size()) {
          String(ws, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(k),
                 (*lists[k].choices)[r], Format(text));
        }
      }
    }
    worksheet_hide(ws);
  }

  void InstructionsSheet(lxw_worksheet* ws) {
    FormatSpec para;
    para.wrap = true;
    Check(worksheet_set_column(ws, 0, 0, 100, nullptr));
    lxw_row_t row = 0;
    for (const std::string& line : options_.instructions) {
      String(ws, row++, 0, line, Format(para));
    }
  }

 private:
  lxw_workbook* workbook_;
  const WorkbookOptions& options_;
  std::string author_;
  std::map<FormatSpec, lxw_format*> formats_;
  lxw_error error_ = LXW_NO_ERROR;
};

Status Failed(lxw_error e) {
  return Internal(std::string("生成Excel文件失败（") + lxw_strerror(e) + "）");
}

}  // namespace

Result<std::string> WriteXlsx(const std::vector<Sheet>& sheets, const WorkbookOptions& options) {
  for (const Sheet& s : sheets) {
    const std::size_t reserved = s.title.empty() ? 1 : 2;
    if (s.rows.size() > kMaxRows - reserved) {
      return InvalidArgument("超过Excel的行数上限（1,048,576行），请缩小范围后再导出");
    }
    std::size_t cols = s.columns.size();
    for (const auto& r : s.rows) cols = std::max(cols, r.size());
    if (cols > kMaxCols) return InvalidArgument("超过Excel的列数上限（16,384列）");
  }

  const std::string dir = TempDir();
  TempFile out;
  if (!out.Create(dir)) return Internal("生成Excel文件失败：无法在临时目录创建文件（" + dir + "）");

  lxw_workbook_options wopt{};
  wopt.constant_memory = LXW_TRUE;
  std::vector<char> tmpdir(dir.begin(), dir.end());
  tmpdir.push_back('\0');
  wopt.tmpdir = tmpdir.data();
  lxw_workbook* workbook = workbook_new_opt(out.path().c_str(), &wopt);
  if (workbook == nullptr) return Internal("生成Excel文件失败：无法创建工作簿");

  Writer w(workbook, options);
  std::string title = CleanText(options.title), author = CleanText(options.author);
  lxw_doc_properties props{};
  props.title = title.data();
  props.author = author.data();
  props.created = static_cast<time_t>(options.created_seconds);
  w.Check(workbook_set_properties(workbook, &props));

  // Names and sheets first (tab order: the data, the instructions, the hidden options).
  std::vector<std::string> used;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    names.push_back(UniqueSheetName(sheets[i].name, "表" + std::to_string(i + 1), used));
  }
  std::vector<LongList> long_lists;
  for (const Sheet& s : sheets) {
    for (const SheetColumn& c : s.columns) {
      if (!c.choices.empty() && !ValidationFits(c.choices)) {
        long_lists.push_back({&c, CleanText(c.header), &c.choices});
      }
    }
  }
  const std::string instructions_name =
      options.instructions.empty() ? "" : UniqueSheetName(kInstructionsSheet, "说明", used);
  const std::string options_name =
      long_lists.empty() ? "" : UniqueSheetName(kOptionsSheet, "选项", used);

  std::vector<lxw_worksheet*> worksheets;
  bool added = true;
  for (const std::string& name : names) {
    worksheets.push_back(workbook_add_worksheet(workbook, name.c_str()));
    added = added && worksheets.back() != nullptr;
  }
  lxw_worksheet* instructions_ws = nullptr;
  if (!instructions_name.empty()) {
    instructions_ws = workbook_add_worksheet(workbook, instructions_name.c_str());
    added = added && instructions_ws != nullptr;
  }
  lxw_worksheet* options_ws = nullptr;
  if (!options_name.empty()) {
    options_ws = workbook_add_worksheet(workbook, options_name.c_str());
    added = added && options_ws != nullptr;
  }
  if (!added) {
    workbook_close(workbook);
    return Internal("生成Excel文件失败：无法创建工作表（临时目录不可写或空间不足）");
  }

  // Each long list is column k of the options sheet, its choices from row 2.
  std::map<const SheetColumn*, std::string> list_ranges;
  for (std::size_t k = 0; k < long_lists.size(); ++k) {
    list_ranges[long_lists[k].column] =
        RangeFormula(options_name, 1, static_cast<lxw_row_t>(long_lists[k].choices->size()),
                     static_cast<lxw_col_t>(k));
  }

  for (std::size_t i = 0; i < sheets.size(); ++i)
    w.DataSheet(worksheets[i], sheets[i], list_ranges);
  if (instructions_ws != nullptr) w.InstructionsSheet(instructions_ws);
  if (options_ws != nullptr) w.OptionsSheet(options_ws, long_lists);

  lxw_error closed = workbook_close(workbook);  // frees the workbook in every case
  if (w.error() != LXW_NO_ERROR) return Failed(w.error());
  if (closed != LXW_NO_ERROR) return Failed(closed);

  std::ifstream in(out.path(), std::ios::binary);
  if (!in) return Internal("生成Excel文件失败：无法读取临时文件");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Internal("生成Excel文件失败：无法读取临时文件");
  return bytes;
}

}  // namespace tiaodu::io
