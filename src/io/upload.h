// Uploaded spreadsheets, whatever their format, and the annotated copy of a rejected one.
// An import reads a Table from the uploaded bytes (.xlsx by its zip signature, otherwise CSV
// text), and when it refuses rows it names each bad cell "第3行 B列（单位编码）" in its error
// details; AnnotatedCopy turns those details back into marks on a copy of the upload, so the
// user gets their own sheet back with every bad cell filled red and explained. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/status.h"
#include "io/table.h"
#include "io/xlsx.h"

namespace tiaodu::io {

// .xlsx (zip signature) through ReadXlsx, anything else through ParseCsv.
Result<Table> ReadUploadedTable(std::string_view bytes, const XlsxOptions& options = XlsxOptions());

// "第3行 B列（单位编码）" or "第3行" → {row 3, column 1 or -1}; nullopt when the field names no row.
struct ErrorCell {
  int row = 0;
  int col = -1;
};
std::optional<ErrorCell> ParseErrorField(std::string_view field);

// The upload as an .xlsx (header, then every data row at its original row number), with the
// cells named by `errors` (Detail.field as above) filled red and their reasons as comments;
// errors that name only a row mark its first cell; others go to a "错误说明" sheet.
Result<std::string> AnnotatedCopy(const Table& table, const std::vector<Detail>& errors,
                                  const std::string& sheet_name = "导入数据");

}  // namespace tiaodu::io
