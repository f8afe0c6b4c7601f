// ParseCsv: reads CSV text (RFC 4180: commas, double-quoted fields with "" escapes and line
// breaks inside quotes, CRLF or LF) into a Table. A UTF-8 byte-order mark is skipped. Text
// that is not valid UTF-8 (Excel's "CSV" in GBK) is refused with a Chinese message asking for
// "CSV UTF-8". Limits bound the work on hostile input. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

#include "base/result.h"
#include "io/table.h"

namespace tiaodu::io {

struct CsvLimits {
  std::size_t max_rows = 200'000;
  std::size_t max_columns = 200;
  std::size_t max_cell_bytes = 32 * 1024;
};

// Errors (InvalidArgument): empty input, no header, invalid UTF-8, an unterminated quote
// (naming its row), a quote inside an unquoted field, more rows/columns/bytes than the limits.
Result<Table> ParseCsv(std::string_view text, const CsvLimits& limits = CsvLimits());

}  // namespace tiaodu::io
