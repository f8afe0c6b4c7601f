#include "io/table.h"

#include <string_view>

namespace tiaodu::io {

namespace {

// Strips ASCII spaces and tabs, U+3000 (ideographic space) and U+00A0 (no-break space) from
// both ends.
std::string_view Trim(std::string_view s) {
  for (;;) {
    if (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
      s.remove_prefix(1);
    } else if (s.starts_with("\u3000")) {
      s.remove_prefix(3);
    } else if (s.starts_with("\u00a0")) {
      s.remove_prefix(2);
    } else {
      break;
    }
  }
  for (;;) {
    if (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
      s.remove_suffix(1);
    } else if (s.ends_with("\u3000")) {
      s.remove_suffix(3);
    } else if (s.ends_with("\u00a0")) {
      s.remove_suffix(2);
    } else {
      break;
    }
  }
  return s;
}

}  // namespace

int Table::Column(std::initializer_list<const char*> names) const {
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string_view cell = Trim(header[i]);
    // A template marks required columns "*单位编码" (or "单位编码*"); the mark is not the name.
    if (cell.starts_with("*")) cell = Trim(cell.substr(1));
    if (cell.ends_with("*")) cell = Trim(cell.substr(0, cell.size() - 1));
    for (const char* name : names) {
      if (cell == name) return static_cast<int>(i);
    }
  }
  return -1;
}

std::string Table::Cell(const Row& row, int col) {
  if (col < 0 || static_cast<std::size_t>(col) >= row.cells.size()) return "";
  return std::string(Trim(row.cells[col]));
}

std::string ColumnLetter(int index) {
  if (index < 0) return "";
  std::string letters;
  for (long n = static_cast<long>(index) + 1; n > 0; n = (n - 1) / 26) {
    letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return letters;
}

}  // namespace tiaodu::io
