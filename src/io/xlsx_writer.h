// Writing .xlsx workbooks for users: exports of lists, import templates, and the annotated
// copy of a rejected upload. On libxlsxwriter in constant-memory mode (rows are flushed as
// they are written, so a 100,000-row export does not grow with its size; comments, merged
// title and drop-downs work in that mode because cells are written strictly row by row). Text
// that starts with = + - @ is written as text, never as a formula (CSV/formula injection).
// Text is cleaned for XML: invalid UTF-8 becomes U+FFFD, control characters other than tab
// and newlines are dropped, and a cell keeps at most Excel's 32,767 characters. Not
// thread-safe per instance; instances are independent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"

namespace tiaodu::io {

// How a column's cells are written and shown.
enum class CellKind {
  kText,     // always a string; the column's format is text ("@"), so codes typed into a
             // template keep their leading zeros
  kNumber,   // a plain decimal ("258.4", "-3", "0.0465") is written as a number, anything else
             // ("1e5", "12,000", "+86") as text; so is a decimal of more than 15 significant
             // digits, which a double would round
  kInteger,  // whole numbers, "#,##0" (a fraction is still a number, shown as written)
  kPercent,  // a value already in percent ("6.3" → shown 6.3, format "0.0")
  kDate,     // ISO "2024-06-30" → an Excel date shown "yyyy-mm-dd"; anything else as text
};

struct SheetColumn {
  std::string header;  // Chinese header, e.g. "单位编码"
  CellKind kind = CellKind::kText;
  double width = 14;  // in characters
  std::string note{};  // a comment on the header cell (templates: what to type)
  // A drop-down list (templates: coded fields) over the data rows, at least 10,000 of them.
  // A list over 255 bytes, or with a comma or quote in a choice, is kept on a hidden sheet
  // "选项" and the drop-down refers to its range.
  std::vector<std::string> choices{};
  int decimals = -1;      // kNumber: fixed decimal places (-1 = as written, format "General");
                          // kPercent: overrides its one decimal place
  bool required = false;  // templates: the header is shown red with "*" (not doubled)
};

// A column of an import sheet or template: header, kind, width, the note saying what to type,
// and whether it is required (the header then shows "*").
inline SheetColumn Col(std::string header, CellKind kind, double width, std::string note = {},
                       bool required = false) {
  SheetColumn c;
  c.header = std::move(header);
  c.kind = kind;
  c.width = width;
  c.note = std::move(note);
  c.required = required;
  return c;
}

// A cell to mark in the annotated copy of a rejected upload.
// Filled light red, with the message as the cell's comment; several marks on one cell join
// their messages. A mark may fall on an empty cell or outside the rows and columns given.
struct CellMark {
  int row = 0;  // 1-based row as Excel shows it in the written sheet: the header is 1, or 2
                // below a title (marks on the title row are ignored)
  int col = 0;  // 0-based column
  std::string message;
};

struct Sheet {
  // At most 31 characters, no []:*?/\ (cleaned when written: those become "_", a longer name
  // is cut, a repeated one gets "(2)", an empty one is "表N").
  std::string name;
  std::string title;  // optional first row above the header (merged, bold), e.g.
                      // "重点项目清单（2024年6月）"
  std::vector<SheetColumn> columns;
  std::vector<std::vector<std::string>> rows;  // cells as text; "" = empty
  std::vector<CellMark> marks;                 // filled red with a comment each
  bool freeze_header = true;
};

struct WorkbookOptions {
  std::string title, author = "调度 Tiaodu";
  // docProps' created/modified time in Unix seconds; 0 = now. A document that must come out
  // byte-identical from the same data (the monthly bulletin) sets a time derived from its data.
  int64_t created_seconds = 0;
  // A second sheet "填写说明" with one paragraph per line (templates).
  std::vector<std::string> instructions;
};

// The workbook's bytes: the sheets in order, then "填写说明" and the hidden "选项" when there
// are any. Temporary files go to $TMPDIR (else /tmp) and are removed before returning.
// Errors: InvalidArgument when a sheet has more rows or columns than Excel holds; Internal
// when libxlsxwriter fails (the temp dir missing or full), with a Chinese message.
Result<std::string> WriteXlsx(const std::vector<Sheet>& sheets,
                              const WorkbookOptions& options = WorkbookOptions());

}  // namespace tiaodu::io
