#include "io/csv.h"

#include <string>
#include <utility>
#include <vector>

namespace tiaodu::io {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// The 1-based line (counting LF, CRLF and lone CR) of the byte at `pos`.
int LineOf(std::string_view text, std::size_t pos) {
  int line = 1;
  for (std::size_t i = 0; i < pos && i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++line;
    }
  }
  return line;
}

// Position of the first byte that breaks UTF-8 (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF), or npos when the text is valid.
std::size_t FirstInvalidUtf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > n) return i;
    unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
    if (c1 < lo || c1 > hi) return i;
    for (int k = 2; k < len; ++k) {
      unsigned char ck = static_cast<unsigned char>(s[i + k]);
      if (ck < 0x80 || ck > 0xBF) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

bool IsBlank(const std::string& cell) {
  std::string_view s = cell;
  while (!s.empty()) {
    if (s.front() == ' ' || s.front() == '\t') {
      s.remove_prefix(1);
    } else if (s.starts_with("\u3000")) {
      s.remove_prefix(3);
    } else if (s.starts_with("\u00a0")) {
      s.remove_prefix(2);
    } else {
      return false;
    }
  }
  return true;
}

std::string Where(int row, std::size_t col) {
  return "第" + std::to_string(row) + "行 " + ColumnLetter(static_cast<int>(col)) + "列";
}

class CsvParser {
 public:
  CsvParser(std::string_view text, const CsvLimits& limits) : s_(text), limits_(limits) {}

  Result<Table> Parse() {
    Table table;
    bool have_header = false;
    int row_number = 0;
    while (pos_ < s_.size()) {
      ++row_number;
      std::vector<std::string> cells;
      TIAODU_RETURN_IF_ERROR(ReadRecord(row_number, cells));
      bool empty = true;
      for (const std::string& c : cells) empty = empty && IsBlank(c);
      if (empty) continue;
      if (!have_header) {
        table.header = std::move(cells);
        have_header = true;
        continue;
      }
      if (table.rows.size() >= limits_.max_rows) {
        return InvalidArgument(
            "文件行数过多：最多" + std::to_string(limits_.max_rows) + "行数据，请分批导入",
            {{Where(row_number, 0), "超过行数上限"}});
      }
      table.rows.push_back(Row{row_number, std::move(cells)});
    }
    if (!have_header) {
      return InvalidArgument("文件中没有表头：第一行应为列名", {{"file", "缺少表头"}});
    }
    return table;
  }

 private:
  // Reads one record (spreadsheet row) starting at pos_, through its line break.
  Status ReadRecord(int row, std::vector<std::string>& cells) {
    for (;;) {
      if (cells.size() >= limits_.max_columns) {
        return InvalidArgument("第" + std::to_string(row) + "行列数过多：最多" +
                                   std::to_string(limits_.max_columns) + "列",
                               {{Where(row, cells.size()), "超过列数上限"}});
      }
      std::string cell;
      const std::size_t col = cells.size();
      if (pos_ < s_.size() && s_[pos_] == '"') {
        ++pos_;
        for (;;) {
          if (pos_ >= s_.size()) {
            return InvalidArgument("第" + std::to_string(row) + "行 " +
                                       ColumnLetter(static_cast<int>(col)) +
                                       "列的引号没有闭合：请检查该单元格的双引号是否成对",
                                   {{Where(row, col), "引号没有闭合"}});
          }
          char c = s_[pos_++];
          if (c == '"') {
            if (pos_ < s_.size() && s_[pos_] == '"') {
              cell += '"';
              ++pos_;
            } else {
              break;
            }
          } else {
            cell += c;
          }
          if (cell.size() > limits_.max_cell_bytes) return CellTooLarge(row, col);
        }
        if (pos_ < s_.size() && s_[pos_] != ',' && s_[pos_] != '\n' && s_[pos_] != '\r') {
          return InvalidArgument("第" + std::to_string(row) + "行 " +
                                     ColumnLetter(static_cast<int>(col)) +
                                     "列：右引号之后只能是逗号或换行",
                                 {{Where(row, col), "引号之后有多余字符"}});
        }
      } else {
        while (pos_ < s_.size() && s_[pos_] != ',' && s_[pos_] != '\n' && s_[pos_] != '\r') {
          if (s_[pos_] == '"') {
            return InvalidArgument("第" + std::to_string(row) + "行 " +
                                       ColumnLetter(static_cast<int>(col)) +
                                       "列：未加引号的单元格中出现双引号（含双引号的内容须整体用"
                                       "双引号括起，内部的双引号写两次）",
                                   {{Where(row, col), "未加引号的单元格中出现双引号"}});
          }
          cell += s_[pos_++];
          if (cell.size() > limits_.max_cell_bytes) return CellTooLarge(row, col);
        }
      }
      cells.push_back(std::move(cell));
      if (pos_ >= s_.size()) return Status::Ok();
      char c = s_[pos_++];
      if (c == ',') continue;
      if (c == '\r' && pos_ < s_.size() && s_[pos_] == '\n') ++pos_;
      return Status::Ok();  // end of the record
    }
  }

  Status CellTooLarge(int row, std::size_t col) const {
    return InvalidArgument("第" + std::to_string(row) + "行 " +
                               ColumnLetter(static_cast<int>(col)) + "列内容过长：单元格最多" +
                               std::to_string(limits_.max_cell_bytes) + "字节",
                           {{Where(row, col), "单元格内容过长"}});
  }

  std::string_view s_;
  const CsvLimits& limits_;
  std::size_t pos_ = 0;
};

}  // namespace

Result<Table> ParseCsv(std::string_view text, const CsvLimits& limits) {
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
  if (text.empty()) return InvalidArgument("文件为空", {{"file", "文件为空"}});
  if (std::size_t bad = FirstInvalidUtf8(text); bad != std::string_view::npos) {
    return InvalidArgument(
        "文件不是 UTF-8 编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入",
        {{"file", "第" + std::to_string(LineOf(text, bad)) + "行含有不是 UTF-8 的字节"}});
  }
  // U+FFFD: the file was decoded with the wrong encoding before it reached us (a GBK file read
  // as UTF-8 by the browser); its text is already lost, so say why rather than "bad header".
  if (std::size_t lost = text.find("\xEF\xBF\xBD"); lost != std::string_view::npos) {
    return InvalidArgument(
        "文件编码有误（出现无法识别的字符“\xEF\xBF\xBD”）：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入",
        {{"file", "第" + std::to_string(LineOf(text, lost)) + "行含有无法识别的字符"}});
  }
  return CsvParser(text, limits).Parse();
}

}  // namespace tiaodu::io
