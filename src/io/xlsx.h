// Reading .xlsx workbooks (Office Open XML, ECMA-376 / ISO 29500) as users upload them, on
// libzip and expat, streaming: the worksheet's XML is parsed as it is inflated, so memory
// stays bounded by the limits below whatever the file claims. Pure apart from the bytes it is
// given; thread-safe (no shared state).
//
// What is read: the first worksheet (or the one named), in workbook order; cells with shared
// strings (by index), inline strings and rich text, numbers (as written: the shortest text
// that reads back to the same double, no exponent for ordinary values), booleans
// (TRUE/FALSE), errors (#N/A as text), formulas' cached values (never evaluated), dates —
// cells whose number format is a date or time format (built-in ids 14–22, 45–47, the East
// Asian built-ins 27–36 and 50–58 that Chinese Excel writes, or a custom format with y/m/d/h/s
// outside quotes and brackets) — in either date system (1900 with its leap-year bug, or 1904),
// as ISO "2024-06-30" for a date format, "2024-06-30 08:30:00" for a date-and-time format,
// "08:30:00" for a time of day alone; a serial that is no date (negative, the fictitious
// 1900-02-29, past 9999) stays a number, for the import's own check to reject.
// The sheet is found through the package's relationships (_rels/.rels → workbook →
// xl/_rels/workbook.xml.rels), never by assuming xl/worksheets/sheet1.xml; its dimension
// element is not trusted.
// Merged cells in the header rows (a two-row header "指标 | 本月 | 累计" over merged groups)
// are filled from their top-left cell before the header is built (ReadXlsx; mergeCells come
// after the rows in the file, so ReadXlsxRows, which does not look ahead, gives the cells as
// stored: a merged range's value in its top-left cell only).
//
// What is refused, each with a clear Chinese message (InvalidArgument), in bounded memory and
// time: not a zip archive ("文件不是有效的 xlsx 工作簿"), a truncated or corrupt archive, no
// workbook or worksheet, an entry inflating beyond max_uncompressed_bytes or with a ratio over
// max_ratio (zip bombs, counted while inflating, not trusted from the header), a DTD or any
// entity declaration (billion laughs, external entities), more rows, columns, cells, shared
// strings or characters than the limits, malformed XML (naming the part and line).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "io/table.h"

namespace tiaodu::io {

struct XlsxLimits {
  uint64_t max_archive_bytes = 64ull << 20;        // the .xlsx file itself
  uint64_t max_uncompressed_bytes = 512ull << 20;  // one part, inflated
  uint64_t max_total_uncompressed = 1024ull << 20; // all parts read
  uint32_t max_ratio = 200;                        // inflated / compressed, per part (after 1 MB)
  uint32_t max_rows = 200'000;                     // data rows of the sheet
  uint32_t max_columns = 200;
  uint64_t max_cells = 5'000'000;
  uint32_t max_shared_strings = 2'000'000;
  uint64_t max_shared_string_bytes = 256ull << 20;
  uint32_t max_cell_bytes = 32 * 1024;
  int header_rows = 1;  // rows above the data (a merged two-row header: 2)
};

// One row as read: its 1-based number in the sheet and its cells by column (empty strings
// where no cell is; trailing empty cells dropped).
struct XlsxRow {
  int line = 0;
  std::vector<std::string> cells;
};

struct XlsxOptions {
  XlsxLimits limits;
  std::string sheet;  // a sheet name; "" = the first sheet
  // The worksheet and shared strings through expat alone, not the hand-written scanner that
  // reads them first (and gives what it cannot read to expat): for tests comparing the two.
  bool expat_only = false;
};

// Calls on_row for every non-empty row in order (the header rows too); a non-OK Status from
// on_row stops the reading and is returned. The workbook is `bytes` (the whole file).
Status ReadXlsxRows(std::string_view bytes, const XlsxOptions& options,
                    const std::function<Status(const XlsxRow&)>& on_row);

// The sheet as a Table: the header from the first `header_rows` rows (merged cells filled,
// several header rows joined as "上 下" when they differ), then the data rows.
Result<Table> ReadXlsx(std::string_view bytes, const XlsxOptions& options = XlsxOptions());

// The names of the workbook's sheets, in order.
Result<std::vector<std::string>> XlsxSheetNames(std::string_view bytes, const XlsxLimits& limits = XlsxLimits());

// True when the bytes start like a zip archive (an .xlsx, .docx ...), for telling an uploaded
// workbook from CSV text.
bool LooksLikeZip(std::string_view bytes);

// Serial day number → ISO date, for tests and the reader: the 1900 system (serial 60 is the
// fictitious 1900-02-29, refused) or the 1904 system. A whole serial gives "2024-06-30", one
// with a fraction "2024-06-30 08:30:00" (rounded to the second), one below 1 a time of day
// alone, "08:30:00". Negative serials and dates after 9999-12-31 are refused.
Result<std::string> SerialToIsoDate(double serial, bool date1904);

// A cell reference such as "AB12" → 0-based column and 1-based row, within Excel's grid
// (A1:XFD1048576); nullopt when malformed.
struct CellRef {
  int column = 0;
  int row = 0;
};
std::optional<CellRef> ParseCellRef(std::string_view ref);

// A cell's number as text: the shortest text that reads back to the same double ("258.4",
// not "258.39999999999998"), integers without ".0", no exponent for magnitudes from 1e-10 to
// 1e21 ("0.0000001", "12345678901"), an exponent outside them ("1e-20").
std::string FormatXlsxNumber(double value);

}  // namespace tiaodu::io
