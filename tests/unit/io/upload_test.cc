#include "io/upload.h"

#include <gtest/gtest.h>

#include <string>

#include "io/xlsx_writer.h"

namespace tiaodu::io {
namespace {

// Specification of uploads: the same Table from an .xlsx and from CSV, error fields parsed
// back into cells, and the annotated copy a user downloads after a rejected import (read
// back with our own reader).

TEST(ErrorField, NamesARowAndAColumnOrOnlyARow) {
  auto cell = ParseErrorField("第3行 B列（单位编码）");
  ASSERT_TRUE(cell.has_value());
  EXPECT_EQ(cell->row, 3);
  EXPECT_EQ(cell->col, 1);
  auto wide = ParseErrorField("第120行 AB列（备注）");
  ASSERT_TRUE(wide.has_value());
  EXPECT_EQ(wide->row, 120);
  EXPECT_EQ(wide->col, 27);
  auto row_only = ParseErrorField("第7行");
  ASSERT_TRUE(row_only.has_value());
  EXPECT_EQ(row_only->row, 7);
  EXPECT_EQ(row_only->col, -1);
  EXPECT_FALSE(ParseErrorField("unit_code").has_value());
  EXPECT_FALSE(ParseErrorField("第行").has_value());
  EXPECT_FALSE(ParseErrorField("").has_value());
}

TEST(UploadedTable, AnXlsxAndTheSameCsvGiveTheSameTable) {
  Sheet s;
  s.name = "数据";
  s.columns = {{"单位编码"}, {"期别"}, {"数值", CellKind::kNumber}};
  s.rows = {{"411303", "2024-06", "258.4"}, {"411302", "2024-06", "212.6"}};
  auto xlsx = WriteXlsx({s});
  ASSERT_TRUE(xlsx.ok()) << xlsx.status().message();
  auto from_xlsx = ReadUploadedTable(*xlsx);
  ASSERT_TRUE(from_xlsx.ok()) << from_xlsx.status().message();
  auto from_csv = ReadUploadedTable("单位编码,期别,数值\r\n411303,2024-06,258.4\r\n411302,2024-06,212.6\r\n");
  ASSERT_TRUE(from_csv.ok());
  EXPECT_EQ(from_xlsx->header, from_csv->header);
  ASSERT_EQ(from_xlsx->rows.size(), from_csv->rows.size());
  for (size_t i = 0; i < from_csv->rows.size(); ++i) {
    EXPECT_EQ(from_xlsx->rows[i].line, from_csv->rows[i].line);
    EXPECT_EQ(from_xlsx->rows[i].cells, from_csv->rows[i].cells);
  }
  EXPECT_EQ(ReadUploadedTable("").status().code(), Code::kInvalidArgument);
}

TEST(AnnotatedCopy, KeepsEveryRowAtItsNumberAndListsEveryError) {
  auto table = ReadUploadedTable("单位编码,期别,数值\n411303,2024-06,258.4\n\n999999,2024-13,abc\n");
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_EQ(table->rows[1].line, 4);
  std::vector<Detail> errors = {{"第4行 A列（单位编码）", "未知单位“999999”"},
                                {"第4行 B列（期别）", "期别格式错误"},
                                {"文件", "另有一处问题"}};
  auto copy = AnnotatedCopy(*table, errors);
  ASSERT_TRUE(copy.ok()) << copy.status().message();
  XlsxOptions first;
  auto back = ReadXlsx(*copy, first);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->header, table->header);
  ASSERT_EQ(back->rows.size(), 2u);
  EXPECT_EQ(back->rows[1].line, 4);  // the blank row 3 stays blank
  EXPECT_EQ(back->rows[1].cells[0], "999999");
  XlsxOptions errors_sheet;
  errors_sheet.sheet = "错误说明";
  auto listed = ReadXlsx(*copy, errors_sheet);
  ASSERT_TRUE(listed.ok()) << listed.status().message();
  ASSERT_EQ(listed->rows.size(), 3u);
  EXPECT_EQ(listed->rows[0].cells[1], "未知单位“999999”");
  EXPECT_EQ(listed->rows[2].cells[0], "文件");
}

}  // namespace
}  // namespace tiaodu::io
