#include "io/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "io/table.h"

namespace tiaodu::io {
namespace {

using Cells = std::vector<std::string>;

Table Parse(std::string_view text, const CsvLimits& limits = CsvLimits()) {
  Result<Table> t = ParseCsv(text, limits);
  EXPECT_TRUE(t.ok()) << t.status().message();
  return t.ok() ? *t : Table();
}

Status Error(std::string_view text, const CsvLimits& limits = CsvLimits()) {
  Result<Table> t = ParseCsv(text, limits);
  EXPECT_FALSE(t.ok()) << "accepted: " << text;
  return t.ok() ? Status() : t.status();
}

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// ---- Parsing ----

TEST(CsvTest, ReadsHeaderAndRowsWithSpreadsheetRowNumbers) {
  Table t =
      Parse("单位编码,指标编码,期别,数值\nxd,gdp,2024Q2,258.4\nxd,retail_sales,2024-06,101\n");
  EXPECT_EQ(t.header, (Cells{"单位编码", "指标编码", "期别", "数值"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].line, 2);
  EXPECT_EQ(t.rows[0].cells, (Cells{"xd", "gdp", "2024Q2", "258.4"}));
  EXPECT_EQ(t.rows[1].line, 3);
}

TEST(CsvTest, LastRowWithoutLineBreakIsRead) {
  Table t = Parse("a,b\n1,2");
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].cells, (Cells{"1", "2"}));
}

TEST(CsvTest, QuotedFieldsMayHoldCommasQuotesAndLineBreaks) {
  Table t = Parse("a,b,c\n\"1,000\",\"他说\"\"好\"\"\",\"第一行\n第二行\"\n");
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].cells, (Cells{"1,000", "他说\"好\"", "第一行\n第二行"}));
}

TEST(CsvTest, LineBreakInsideQuotesDoesNotAdvanceTheRowNumber) {
  // A spreadsheet shows a cell with a line break as one row.
  Table t = Parse("a,b\n\"x\ny\",1\nz,2\n");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].line, 2);
  EXPECT_EQ(t.rows[1].line, 3);
}

TEST(CsvTest, EmptyFieldsAreKept) {
  Table t = Parse("a,b,c\n,,x\n\"\",y,\n");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].cells, (Cells{"", "", "x"}));
  EXPECT_EQ(t.rows[1].cells, (Cells{"", "y", ""}));
}

TEST(CsvTest, AcceptsCrlfAndLoneCr) {
  Table t = Parse("a,b\r\n1,2\r\n3,\"4\r\n5\"\r\n");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.header, (Cells{"a", "b"}));
  EXPECT_EQ(t.rows[0].cells, (Cells{"1", "2"}));
  EXPECT_EQ(t.rows[1].cells, (Cells{"3", "4\r\n5"}));
  EXPECT_EQ(t.rows[1].line, 3);
  Table mac = Parse("a,b\r1,2\r");
  ASSERT_EQ(mac.rows.size(), 1u);
  EXPECT_EQ(mac.rows[0].cells, (Cells{"1", "2"}));
}

TEST(CsvTest, SkipsTheUtf8ByteOrderMark) {
  Table t = Parse("\xEF\xBB\xBF单位编码,数值\r\nxd,1\r\n");
  EXPECT_EQ(t.header, (Cells{"单位编码", "数值"}));
  EXPECT_EQ(t.Column({"单位编码"}), 0);
}

TEST(CsvTest, SkipsEmptyRowsAndKeepsTheRowNumbersTheUserSees) {
  Table t = Parse("a,b\n\n1,2\n,\n \u3000, \n3,4\n\n");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].line, 3);
  EXPECT_EQ(t.rows[0].cells, (Cells{"1", "2"}));
  EXPECT_EQ(t.rows[1].line, 6);
  EXPECT_EQ(t.rows[1].cells, (Cells{"3", "4"}));
}

TEST(CsvTest, HeaderOnlyFileHasNoRows) {
  Table t = Parse("a,b\n");
  EXPECT_EQ(t.header, (Cells{"a", "b"}));
  EXPECT_TRUE(t.rows.empty());
}

// ---- Errors ----

TEST(CsvTest, RefusesEmptyInputAndInputWithoutHeader) {
  EXPECT_EQ(Error("").code(), Code::kInvalidArgument);
  EXPECT_EQ(Error("\xEF\xBB\xBF").code(), Code::kInvalidArgument);
  Status s = Error("\n\n,,\n");
  EXPECT_TRUE(Contains(s.message(), "表头")) << s.message();
}

TEST(CsvTest, UnterminatedQuoteNamesTheRowWhereItStarted) {
  Status s = Error("a,b\n1,2\n3,\"abc\n4,5\n");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_TRUE(Contains(s.message(), "第3行")) << s.message();
  EXPECT_TRUE(Contains(s.message(), "B列")) << s.message();
  EXPECT_TRUE(Contains(s.message(), "引号")) << s.message();
}

TEST(CsvTest, RefusesQuotesInsideUnquotedFieldsAndTextAfterAClosingQuote) {
  Status s = Error("a,b\n1,ab\"c\n");
  EXPECT_TRUE(Contains(s.message(), "第2行")) << s.message();
  s = Error("a,b\n\"x\"y,1\n");
  EXPECT_TRUE(Contains(s.message(), "第2行")) << s.message();
}

TEST(CsvTest, RefusesGbkBytesAskingForCsvUtf8) {
  // "指标" as Excel's plain "CSV" writes it on a Chinese Windows: GBK D6 B8 B1 EA.
  Status s = Error("a,b\n\xD6\xB8\xB1\xEA,1\n");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "文件不是 UTF-8 编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入");
  ASSERT_FALSE(s.details().empty());
  EXPECT_TRUE(Contains(s.details()[0].reason, "第2行")) << s.details()[0].reason;
}

TEST(CsvTest, RefusesMalformedUtf8) {
  const char* bad[] = {
      "a\n\xC0\xAF\n",          // overlong "/"
      "a\n\xED\xA0\x80\n",      // UTF-16 surrogate
      "a\n\xF4\x90\x80\x80\n",  // above U+10FFFF
      "a\n\xE4\xB8\n",          // truncated sequence
      "a\n\x80\n",              // stray continuation byte
      "a\n\xFF\n",
  };
  for (const char* text : bad) EXPECT_FALSE(ParseCsv(text).ok()) << text;
  EXPECT_TRUE(ParseCsv("a\n\xF0\x9F\x98\x80\n").ok());  // 4-byte emoji is fine
}

TEST(CsvTest, EnforcesTheRowLimit) {
  CsvLimits limits;
  limits.max_rows = 2;
  EXPECT_EQ(Parse("a\n1\n2\n", limits).rows.size(), 2u);
  Status s = Error("a\n1\n2\n3\n", limits);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_TRUE(Contains(s.message(), "2")) << s.message();
}

TEST(CsvTest, EnforcesTheColumnLimit) {
  CsvLimits limits;
  limits.max_columns = 3;
  EXPECT_EQ(Parse("a,b,c\n1,2,3\n", limits).header.size(), 3u);
  Status s = Error("a,b,c\n1,2,3,4\n", limits);
  EXPECT_TRUE(Contains(s.message(), "第2行")) << s.message();
}

TEST(CsvTest, EnforcesTheCellSizeLimitQuotedOrNot) {
  CsvLimits limits;
  limits.max_cell_bytes = 4;
  EXPECT_EQ(Parse("a\nabcd\n", limits).rows.size(), 1u);
  Status s = Error("a\nabcde\n", limits);
  EXPECT_TRUE(Contains(s.message(), "第2行 A列")) << s.message();
  EXPECT_FALSE(ParseCsv("a\n\"abcde\"\n", limits).ok());
}

// ---- Table ----

TEST(TableTest, ColumnFindsTheFirstMatchingNameAfterTrimming) {
  Table t = Parse("单位编码, 指标名称 ,\u3000指标编码\u3000,数值\n");
  EXPECT_EQ(t.Column({"单位编码"}), 0);
  EXPECT_EQ(t.Column({"指标编码", "指标名称"}), 1);
  EXPECT_EQ(t.Column({"指标编码"}), 2);
  EXPECT_EQ(t.Column({"备注"}), -1);
}

TEST(TableTest, CellIsTrimmedOfAsciiAndIdeographicSpaces) {
  Row row{2, {"  258.4 ", "\u3000新都区\u3000", "中 间", ""}};
  EXPECT_EQ(Table::Cell(row, 0), "258.4");
  EXPECT_EQ(Table::Cell(row, 1), "新都区");
  EXPECT_EQ(Table::Cell(row, 2), "中 间");
  EXPECT_EQ(Table::Cell(row, 3), "");
  EXPECT_EQ(Table::Cell(row, 4), "");   // absent
  EXPECT_EQ(Table::Cell(row, -1), "");  // no such column
}

TEST(TableTest, ColumnLetterCountsLikeASpreadsheet) {
  EXPECT_EQ(ColumnLetter(0), "A");
  EXPECT_EQ(ColumnLetter(3), "D");
  EXPECT_EQ(ColumnLetter(25), "Z");
  EXPECT_EQ(ColumnLetter(26), "AA");
  EXPECT_EQ(ColumnLetter(51), "AZ");
  EXPECT_EQ(ColumnLetter(52), "BA");
  EXPECT_EQ(ColumnLetter(701), "ZZ");
  EXPECT_EQ(ColumnLetter(702), "AAA");
}

}  // namespace
}  // namespace tiaodu::io
