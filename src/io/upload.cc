#include "io/upload.h"

#include <map>

#include "io/csv.h"
#include "io/xlsx_writer.h"

namespace tiaodu::io {

Result<Table> ReadUploadedTable(std::string_view bytes, const XlsxOptions& options) {
  if (bytes.empty()) return InvalidArgument("上传的文件是空的", {{"file", "没有内容"}});
  if (LooksLikeZip(bytes)) return ReadXlsx(bytes, options);
  return ParseCsv(bytes);
}

std::optional<ErrorCell> ParseErrorField(std::string_view field) {
  // "第" row digits "行", then optionally " " letters "列".
  constexpr std::string_view kDi = "第", kHang = "行", kLie = "列";
  if (field.substr(0, kDi.size()) != kDi) return std::nullopt;
  size_t i = kDi.size();
  int row = 0;
  size_t digits = 0;
  while (i < field.size() && field[i] >= '0' && field[i] <= '9' && digits < 9) {
    row = row * 10 + (field[i++] - '0');
    ++digits;
  }
  if (digits == 0 || field.substr(i, kHang.size()) != kHang) return std::nullopt;
  i += kHang.size();
  ErrorCell ref{row, -1};
  while (i < field.size() && field[i] == ' ') ++i;
  int col = 0;
  size_t letters = 0;
  while (i < field.size() && field[i] >= 'A' && field[i] <= 'Z' && letters < 3) {
    col = col * 26 + (field[i++] - 'A' + 1);
    ++letters;
  }
  if (letters > 0 && field.substr(i, kLie.size()) == kLie) ref.col = col - 1;
  return ref;
}

Result<std::string> AnnotatedCopy(const Table& table, const std::vector<Detail>& errors,
                                  const std::string& sheet_name) {
  Sheet sheet;
  sheet.name = sheet_name;
  for (const std::string& h : table.header) sheet.columns.push_back(SheetColumn{h, CellKind::kText, 16});
  // Rows at their original numbers: blank rows in between stay blank.
  int last = 1;
  for (const Row& r : table.rows) {
    while (last + 1 < r.line) {
      sheet.rows.emplace_back();
      ++last;
    }
    sheet.rows.push_back(r.cells);
    last = r.line;
  }
  Sheet unplaced;
  unplaced.name = "错误说明";
  unplaced.columns = {SheetColumn{"位置", CellKind::kText, 24}, SheetColumn{"问题", CellKind::kText, 60}};
  for (const Detail& d : errors) {
    auto ref = ParseErrorField(d.field);
    if (ref && ref->row >= 1) {
      sheet.marks.push_back(CellMark{ref->row, ref->col < 0 ? 0 : ref->col, d.field + "：" + d.reason});
    }
    unplaced.rows.push_back({d.field, d.reason});
  }
  std::vector<Sheet> sheets{std::move(sheet)};
  if (!unplaced.rows.empty()) sheets.push_back(std::move(unplaced));
  WorkbookOptions options;
  options.title = "导入错误标注";
  return WriteXlsx(sheets, options);
}

}  // namespace tiaodu::io
