// Table: the rows of an uploaded sheet, whatever the file format (CSV now, xlsx later).
// Imports read a Table, so every reader plugs into every import. Cells are UTF-8 text as
// the user typed it (numbers as written, dates as ISO "2024-06-30"); row numbers are the
// ones the user sees in their spreadsheet (the header is row 1).
#pragma once

#include <string>
#include <vector>

namespace tiaodu::io {

struct Row {
  int line = 0;  // 1-based row number in the file (header = 1)
  std::vector<std::string> cells;
};

struct Table {
  std::vector<std::string> header;
  std::vector<Row> rows;  // data rows; entirely empty rows are skipped

  // Index of the first header cell equal to one of `names` (after trimming), or -1.
  int Column(std::initializer_list<const char*> names) const;  // a leading or trailing "*" (required) is ignored
  // The cell at `col` of `row`, trimmed of spaces (ASCII and U+3000); "" when absent.
  static std::string Cell(const Row& row, int col);
};

// Spreadsheet-style column letter for a 0-based index: 0 → "A", 26 → "AA".
std::string ColumnLetter(int index);

}  // namespace tiaodu::io
