#include "io/xlsx_writer.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Workbooks are written with WriteXlsx and read back by a second reader, openpyxl, through
// tests/io/read_xlsx.py, which prints them as JSON. Without python3 and openpyxl the tests
// skip.

#ifndef TIAODU_SOURCE_DIR
#error "TIAODU_SOURCE_DIR must name the source tree (set in tests/unit/io/CMakeLists.txt)"
#endif

// libxlsxwriter 1.1.4 never frees the copy it makes of a drop-down's range formula (about 20
// bytes per long list). Not ours to fix; keep LeakSanitizer (TIAODU_SANITIZE) quiet about it.
extern "C" const char* __lsan_default_suppressions() { return "leak:libxlsxwriter.so\n"; }

namespace tiaodu::io {
namespace {

namespace fs = std::filesystem;

// A Python interpreter that has openpyxl ("" when there is none). Debian's python3 first:
// a python3 earlier on PATH (pyenv) may lack python3-openpyxl.
const std::string& Python() {
  static const std::string python = [] {
    std::vector<std::string> candidates;
    if (const char* p = std::getenv("TIAODU_PYTHON")) candidates.emplace_back(p);
    candidates.emplace_back("/usr/bin/python3");
    candidates.emplace_back("python3");
    for (const std::string& p : candidates) {
      std::string cmd = "'" + p + "' -c 'import openpyxl' >/dev/null 2>&1";
      if (std::system(cmd.c_str()) == 0) return p;
    }
    return std::string();
  }();
  return python;
}

#define SKIP_WITHOUT_OPENPYXL()                                                            \
  if (Python().empty()) GTEST_SKIP() << "python3 with openpyxl (python3-openpyxl) is not " \
                                        "installed"

// A file removed when it goes out of scope.
struct ScratchFile {
  explicit ScratchFile(const std::string& bytes) {
    static int n = 0;
    path = (fs::temp_directory_path() / ("xlsx_writer_test_" + std::to_string(::getpid()) + "_" +
                                         std::to_string(n++) + ".xlsx"))
               .string();
    std::ofstream(path, std::ios::binary) << bytes;
  }
  ~ScratchFile() { std::remove(path.c_str()); }
  std::string path;
};

// Runs read_xlsx.py with `flag` ("" for the full form) on the workbook and parses its JSON.
rapidjson::Document RunReader(const std::string& bytes, const std::string& flag) {
  rapidjson::Document doc;
  ScratchFile file(bytes);
  std::string cmd = "'" + Python() + "' '" TIAODU_SOURCE_DIR "/tests/io/read_xlsx.py' " + flag +
                    " '" + file.path + "'";
  std::string out;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << cmd;
    return doc;
  }
  char buf[65536];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  int status = pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << cmd << " failed";
  doc.Parse(out.c_str(), out.size());
  EXPECT_FALSE(doc.HasParseError()) << "not JSON: " << out.substr(0, 500);
  return doc;
}

std::string Bytes(const std::vector<Sheet>& sheets, const WorkbookOptions& options = {}) {
  Result<std::string> bytes = WriteXlsx(sheets, options);
  EXPECT_TRUE(bytes.ok()) << bytes.status().message();
  return bytes.ok() ? *bytes : std::string();
}

rapidjson::Document Read(const std::vector<Sheet>& sheets, const WorkbookOptions& options = {}) {
  return RunReader(Bytes(sheets, options), "");
}

const rapidjson::Value& SheetAt(const rapidjson::Document& doc, std::size_t i) {
  static const rapidjson::Value kNull;
  if (!doc.IsObject() || !doc.HasMember("sheets") || doc["sheets"].Size() <= i) {
    ADD_FAILURE() << "no sheet " << i;
    return kNull;
  }
  return doc["sheets"][static_cast<rapidjson::SizeType>(i)];
}

// The cell at a 1-based row and 0-based column, or null when it is empty.
const rapidjson::Value& CellAt(const rapidjson::Value& sheet, int row, int col) {
  static const rapidjson::Value kNull;
  if (!sheet.IsObject() || !sheet.HasMember("rows")) return kNull;
  const auto& rows = sheet["rows"];
  if (row < 1 || static_cast<rapidjson::SizeType>(row) > rows.Size()) return kNull;
  const auto& cells = rows[static_cast<rapidjson::SizeType>(row - 1)];
  if (col < 0 || static_cast<rapidjson::SizeType>(col) >= cells.Size()) return kNull;
  return cells[static_cast<rapidjson::SizeType>(col)];
}

std::string Str(const rapidjson::Value& cell, const char* key) {
  if (!cell.IsObject() || !cell.HasMember(key) || !cell[key].IsString()) return "";
  return cell[key].GetString();
}

std::string Type(const rapidjson::Value& cell) { return cell.IsNull() ? "empty" : Str(cell, "t"); }

double Num(const rapidjson::Value& cell) {
  EXPECT_EQ(Type(cell), "number");
  return cell.IsObject() && cell.HasMember("v") && cell["v"].IsNumber() ? cell["v"].GetDouble()
                                                                        : -1e300;
}

bool Flag(const rapidjson::Value& cell, const char* key) {
  return cell.IsObject() && cell.HasMember(key) && cell[key].IsBool() && cell[key].GetBool();
}

// A column built in one expression: Col("金额", CellKind::kNumber).Decimals(2).
struct Col : SheetColumn {
  explicit Col(std::string h, CellKind k = CellKind::kText) {
    header = std::move(h);
    kind = k;
  }
  Col& Width(double w) {
    width = w;
    return *this;
  }
  Col& Note(std::string n) {
    note = std::move(n);
    return *this;
  }
  Col& Choices(std::vector<std::string> c) {
    choices = std::move(c);
    return *this;
  }
  Col& Decimals(int d) {
    decimals = d;
    return *this;
  }
  Col& Required() {
    required = true;
    return *this;
  }
};

Sheet OneColumn(CellKind kind, std::vector<std::string> values, int decimals = -1) {
  Sheet s;
  s.name = "数据";
  SheetColumn c;
  c.header = "值";
  c.kind = kind;
  c.decimals = decimals;
  s.columns.push_back(c);
  for (std::string& v : values) s.rows.push_back({std::move(v)});
  return s;
}

TEST(XlsxWriterTest, WritesAZipArchive) {
  Result<std::string> bytes = WriteXlsx({OneColumn(CellKind::kText, {"a"})});
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  ASSERT_GT(bytes->size(), 4u);
  EXPECT_EQ(bytes->substr(0, 2), "PK");
}

TEST(XlsxWriterTest, FormulaLikeTextStaysText) {
  SKIP_WITHOUT_OPENPYXL();
  const std::vector<std::string> dangerous = {
      "=1+1", "+86", "-5 items", "@x", "=HYPERLINK(\"http://x\",\"y\")", "-", "=", "\t=1+1"};
  for (CellKind kind : {CellKind::kText, CellKind::kNumber, CellKind::kInteger, CellKind::kPercent,
                        CellKind::kDate}) {
    auto doc = Read({OneColumn(kind, dangerous)});
    const auto& sheet = SheetAt(doc, 0);
    for (std::size_t i = 0; i < dangerous.size(); ++i) {
      const auto& cell = CellAt(sheet, static_cast<int>(i) + 2, 0);
      EXPECT_EQ(Type(cell), "string") << dangerous[i] << " kind " << static_cast<int>(kind);
      EXPECT_EQ(Str(cell, "v"), dangerous[i]) << "kind " << static_cast<int>(kind);
    }
  }
}

TEST(XlsxWriterTest, TextColumnsKeepNumbersAsTextWithTheTextFormat) {
  SKIP_WITHOUT_OPENPYXL();
  auto doc = Read({OneColumn(CellKind::kText, {"007", "258.4", "91110000600037341L"})});
  const auto& sheet = SheetAt(doc, 0);
  EXPECT_EQ(Str(CellAt(sheet, 2, 0), "v"), "007");
  EXPECT_EQ(Str(CellAt(sheet, 2, 0), "fmt"), "@");
  EXPECT_EQ(Type(CellAt(sheet, 3, 0)), "string");
  EXPECT_EQ(Str(CellAt(sheet, 4, 0), "v"), "91110000600037341L");
}

TEST(XlsxWriterTest, PlainDecimalsAreNumbersAsWritten) {
  SKIP_WITHOUT_OPENPYXL();
  auto doc = Read({OneColumn(CellKind::kNumber, {"258.4", "-3", "0.0465", "0", "-0.5"})});
  const auto& sheet = SheetAt(doc, 0);
  EXPECT_DOUBLE_EQ(Num(CellAt(sheet, 2, 0)), 258.4);
  EXPECT_DOUBLE_EQ(Num(CellAt(sheet, 3, 0)), -3);
  EXPECT_DOUBLE_EQ(Num(CellAt(sheet, 4, 0)), 0.0465);
  EXPECT_DOUBLE_EQ(Num(CellAt(sheet, 5, 0)), 0);
  EXPECT_DOUBLE_EQ(Num(CellAt(sheet, 6, 0)), -0.5);
  EXPECT_EQ(Str(CellAt(sheet, 2, 0), "fmt"), "");  // General: shown as written
}

TEST(XlsxWriterTest, NumbersWithFixedDecimalsUseAZeroPointFormat) {
  SKIP_WITHOUT_OPENPYXL();
  auto doc = Read(
      {OneColumn(CellKind::kNumber, {"258.40", "3"}, 2), OneColumn(CellKind::kNumber, {"7"}, 0)});
  EXPECT_DOUBLE_EQ(Num(CellAt(SheetAt(doc, 0), 2, 0)), 258.4);
  EXPECT_EQ(Str(CellAt(SheetAt(doc, 0), 2, 0), "fmt"), "0.00");
  EXPECT_EQ(Str(CellAt(SheetAt(doc, 0), 3, 0), "fmt"), "0.00");
  EXPECT_EQ(Str(CellAt(SheetAt(doc, 1), 2, 0), "fmt"), "0");
}

TEST(XlsxWriterTest, IntegersUseThousandsSeparators) {
  SKIP_WITHOUT_OPENPYXL();
  auto doc = Read({OneColumn(CellKind::kInteger, {"12000", "-45", "2.5"})});
  const auto& sheet = SheetAt(doc, 0);
  EXPECT_DOUBLE_EQ(Num(CellAt(sheet, 2, 0)), 12000);
  EXPECT_EQ(Str(CellAt(sheet, 2, 0), "fmt"), "#,##0");
  EXPECT_DOUBLE_EQ(Num(CellAt(sheet, 3, 0)), -45);
  // Not whole: still the number, shown as written rather than rounded.
  EXPECT_DOUBLE_EQ(Num(CellAt(sheet, 4, 0)), 2.5);
  EXPECT_EQ(Str(CellAt(sheet, 4, 0), "fmt"), "");
}

TEST(XlsxWriterTest, PercentagesAreNumbersWithOneDecimal) {
  SKIP_WITHOUT_OPENPYXL();
  auto doc = Read({OneColumn(CellKind::kPercent, {"6.3", "-1.25"})});
  const auto& sheet = SheetAt(doc, 0);
  EXPECT_DOUBLE_EQ(Num(CellAt(sheet, 2, 0)), 6.3);
  EXPECT_EQ(Str(CellAt(sheet, 2, 0), "fmt"), "0.0");
  EXPECT_DOUBLE_EQ(Num(CellAt(sheet, 3, 0)), -1.25);
}

TEST(XlsxWriterTest, WhatIsNotAPlainDecimalStaysText) {
  SKIP_WITHOUT_OPENPYXL();
  const std::vector<std::string> values = {"1e5", "12,000", " 3",    "3 ",   ".5",
                                           "5.",  "N/A",    "约3亿", "0x10", "1234567890123456789",
                                           "--1"};
  auto doc = Read({OneColumn(CellKind::kNumber, values)});
  const auto& sheet = SheetAt(doc, 0);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto& cell = CellAt(sheet, static_cast<int>(i) + 2, 0);
    EXPECT_EQ(Type(cell), "string") << values[i];
    EXPECT_EQ(Str(cell, "v"), values[i]);
  }
}

TEST(XlsxWriterTest, FifteenSignificantDigitsAreANumberAndMoreAreText) {
  SKIP_WITHOUT_OPENPYXL();
  auto doc = Read({OneColumn(CellKind::kNumber, {"123456789012.345", "1234567890123.456",
                                                 "0.000000000000001", "100000000000000000"})});
  const auto& sheet = SheetAt(doc, 0);
  EXPECT_DOUBLE_EQ(Num(CellAt(sheet, 2, 0)), 123456789012.345);
  EXPECT_EQ(Str(CellAt(sheet, 3, 0), "v"), "1234567890123.456");  // 16 digits: kept exact
  EXPECT_DOUBLE_EQ(Num(CellAt(sheet, 4, 0)), 1e-15);
  EXPECT_DOUBLE_EQ(Num(CellAt(sheet, 5, 0)), 1e17);  // one significant digit
}

TEST(XlsxWriterTest, EmptyCellsStayEmpty) {
  SKIP_WITHOUT_OPENPYXL();
  Sheet s = OneColumn(CellKind::kNumber, {"", "1"});
  s.rows.push_back({});
  s.rows.push_back({"2"});
  auto doc = Read({s});
  const auto& sheet = SheetAt(doc, 0);
  EXPECT_EQ(Type(CellAt(sheet, 2, 0)), "empty");
  EXPECT_DOUBLE_EQ(Num(CellAt(sheet, 3, 0)), 1);
  EXPECT_EQ(Type(CellAt(sheet, 4, 0)), "empty");
  EXPECT_DOUBLE_EQ(Num(CellAt(sheet, 5, 0)), 2);
}

TEST(XlsxWriterTest, IsoDatesAreDatesShownYearMonthDay) {
  SKIP_WITHOUT_OPENPYXL();
  auto doc = Read({OneColumn(CellKind::kDate, {"2024-06-30", "2024-02-29", "1900-03-01"})});
  const auto& sheet = SheetAt(doc, 0);
  EXPECT_EQ(Type(CellAt(sheet, 2, 0)), "date");
  EXPECT_EQ(Str(CellAt(sheet, 2, 0), "v"), "2024-06-30");
  EXPECT_EQ(Str(CellAt(sheet, 2, 0), "fmt"), "yyyy-mm-dd");
  EXPECT_EQ(Str(CellAt(sheet, 3, 0), "v"), "2024-02-29");
  EXPECT_EQ(Str(CellAt(sheet, 4, 0), "v"), "1900-03-01");
}

TEST(XlsxWriterTest, WhatIsNotAnIsoDateStaysText) {
  SKIP_WITHOUT_OPENPYXL();
  const std::vector<std::string> values = {"2023-02-29",         "2024-13-01", "2024/06/30",
                                           "2024年6月",          "2024-6-30",  "1899-12-31",
                                           "2024-06-30T10:00:00"};
  auto doc = Read({OneColumn(CellKind::kDate, values)});
  const auto& sheet = SheetAt(doc, 0);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto& cell = CellAt(sheet, static_cast<int>(i) + 2, 0);
    EXPECT_EQ(Type(cell), "string") << values[i];
    EXPECT_EQ(Str(cell, "v"), values[i]);
  }
}

TEST(XlsxWriterTest, ChineseTextIsIntact) {
  SKIP_WITHOUT_OPENPYXL();
  Sheet s;
  s.name = "重点项目清单";
  s.columns = {Col("项目名称"), Col("建设单位")};
  s.rows = {{"某某市高新区智能制造产业园（一期）", "𠀀𪚥 扩展B区汉字"},
            {"含“引号”、<尖括号>与&符号", "多行\n文本"}};
  auto doc = Read({s});
  const auto& sheet = SheetAt(doc, 0);
  EXPECT_EQ(Str(sheet, "name"), "重点项目清单");
  EXPECT_EQ(Str(CellAt(sheet, 1, 0), "v"), "项目名称");
  EXPECT_EQ(Str(CellAt(sheet, 2, 0), "v"), "某某市高新区智能制造产业园（一期）");
  EXPECT_EQ(Str(CellAt(sheet, 2, 1), "v"), "𠀀𪚥 扩展B区汉字");
  EXPECT_EQ(Str(CellAt(sheet, 3, 0), "v"), "含“引号”、<尖括号>与&符号");
  EXPECT_EQ(Str(CellAt(sheet, 3, 1), "v"), "多行\n文本");
}

TEST(XlsxWriterTest, BrokenUtf8AndControlCharactersDoNotBreakTheFile) {
  SKIP_WITHOUT_OPENPYXL();
  Sheet s = OneColumn(CellKind::kText, {std::string("a\xff"
                                                    "b"),
                                        "c\x01"
                                        "d"});
  s.columns[0].note = "说明\x02";
  s.marks = {{.row = 3, .col = 0, .message = "错误\x03"}};
  auto doc = Read({s});
  const auto& sheet = SheetAt(doc, 0);
  EXPECT_EQ(Str(CellAt(sheet, 2, 0), "v"),
            "a\uFFFD"
            "b");
  EXPECT_EQ(Str(CellAt(sheet, 3, 0), "v"), "cd");
  EXPECT_EQ(Str(CellAt(sheet, 1, 0), "comment"), "说明");
  EXPECT_EQ(Str(CellAt(sheet, 3, 0), "comment"), "错误");
}

TEST(XlsxWriterTest, TextLongerThanExcelAllowsIsCut) {
  SKIP_WITHOUT_OPENPYXL();
  std::string text;
  for (int i = 0; i < 40000; ++i) text += "字";
  auto doc = Read({OneColumn(CellKind::kText, {text})});
  std::string v = Str(CellAt(SheetAt(doc, 0), 2, 0), "v");
  EXPECT_EQ(v.size(), 32767u * 3);
}

TEST(XlsxWriterTest, HeaderIsBoldFilledAndFrozen) {
  SKIP_WITHOUT_OPENPYXL();
  Sheet s;
  s.name = "单位";
  s.columns = {Col("单位编码").Width(20), Col("单位名称").Width(36)};
  s.rows = {{"001", "发改委"}};
  auto doc = Read({s});
  const auto& sheet = SheetAt(doc, 0);
  EXPECT_EQ(Str(sheet, "freeze"), "A2");
  for (int c = 0; c < 2; ++c) {
    const auto& h = CellAt(sheet, 1, c);
    EXPECT_TRUE(Flag(h, "bold"));
    EXPECT_EQ(Str(h, "fill"), "FFD9E1F2");
  }
  EXPECT_FALSE(Flag(CellAt(sheet, 2, 0), "bold"));
  EXPECT_EQ(Str(CellAt(sheet, 2, 0), "fill"), "");
  ASSERT_TRUE(sheet["widths"].HasMember("A") && sheet["widths"].HasMember("B"));
  // openpyxl reports Excel's stored width, a little more than the characters asked for.
  EXPECT_NEAR(sheet["widths"]["A"].GetDouble(), 20, 1);
  EXPECT_NEAR(sheet["widths"]["B"].GetDouble(), 36, 1);
}

TEST(XlsxWriterTest, HeaderIsNotFrozenWhenNotAsked) {
  SKIP_WITHOUT_OPENPYXL();
  Sheet s = OneColumn(CellKind::kText, {"a"});
  s.freeze_header = false;
  auto doc = Read({s});
  EXPECT_TRUE(SheetAt(doc, 0)["freeze"].IsNull());
}

TEST(XlsxWriterTest, TitleIsMergedAcrossTheColumnsAboveTheFrozenHeader) {
  SKIP_WITHOUT_OPENPYXL();
  Sheet s;
  s.name = "重点项目";
  s.title = "重点项目清单（2024年6月）";
  s.columns = {Col("项目名称"), Col("总投资", CellKind::kNumber), Col("开工日期", CellKind::kDate)};
  s.rows = {{"产业园", "12.5", "2024-03-01"}};
  auto doc = Read({s});
  const auto& sheet = SheetAt(doc, 0);
  ASSERT_EQ(sheet["merged"].Size(), 1u);
  EXPECT_STREQ(sheet["merged"][0].GetString(), "A1:C1");
  const auto& title = CellAt(sheet, 1, 0);
  EXPECT_EQ(Str(title, "v"), "重点项目清单（2024年6月）");
  EXPECT_TRUE(Flag(title, "bold"));
  EXPECT_GT(title["size"].GetDouble(), 11);
  EXPECT_EQ(Str(CellAt(sheet, 2, 0), "v"), "项目名称");
  EXPECT_TRUE(Flag(CellAt(sheet, 2, 0), "bold"));
  EXPECT_DOUBLE_EQ(Num(CellAt(sheet, 3, 1)), 12.5);
  EXPECT_EQ(Type(CellAt(sheet, 3, 2)), "date");
  EXPECT_EQ(Str(sheet, "freeze"), "A3");
}

TEST(XlsxWriterTest, RequiredHeadersAreRedWithAStar) {
  SKIP_WITHOUT_OPENPYXL();
  Sheet s;
  s.name = "项目";
  s.columns = {Col("项目名称").Required(), Col("*项目编码").Required(), Col("备注")};
  auto doc = Read({s});
  const auto& sheet = SheetAt(doc, 0);
  EXPECT_EQ(Str(CellAt(sheet, 1, 0), "v"), "*项目名称");
  EXPECT_EQ(Str(CellAt(sheet, 1, 0), "color"), "FFC00000");
  EXPECT_TRUE(Flag(CellAt(sheet, 1, 0), "bold"));
  EXPECT_EQ(Str(CellAt(sheet, 1, 1), "v"), "*项目编码");  // not starred twice
  EXPECT_EQ(Str(CellAt(sheet, 1, 2), "v"), "备注");
  EXPECT_EQ(Str(CellAt(sheet, 1, 2), "color"), "");
}

TEST(XlsxWriterTest, HeaderNotesAreComments) {
  SKIP_WITHOUT_OPENPYXL();
  Sheet s;
  s.name = "指标值";
  s.columns = {Col("指标编码").Note("填写指标目录中的编码，如 GDP_TOTAL"),
               Col("数值", CellKind::kNumber),
               Col("期间").Note("如 2024-06（月度）或 2024Q2（季度）")};
  s.rows = {{"GDP_TOTAL", "258.4", "2024Q2"}};
  WorkbookOptions options;
  options.author = "调度测试";
  auto doc = Read({s}, options);
  const auto& sheet = SheetAt(doc, 0);
  EXPECT_EQ(Str(CellAt(sheet, 1, 0), "comment"), "填写指标目录中的编码，如 GDP_TOTAL");
  EXPECT_EQ(Str(CellAt(sheet, 1, 1), "comment"), "");
  EXPECT_EQ(Str(CellAt(sheet, 1, 2), "comment"), "如 2024-06（月度）或 2024Q2（季度）");
  EXPECT_EQ(Str(CellAt(sheet, 2, 0), "comment"), "");
}

TEST(XlsxWriterTest, MarkedCellsAreFilledRedWithTheirMessage) {
  SKIP_WITHOUT_OPENPYXL();
  Sheet s;
  s.name = "导入错误";
  s.columns = {Col("项目编码"), Col("总投资", CellKind::kNumber), Col("开工日期", CellKind::kDate)};
  s.rows = {{"P001", "12.5", "2024-03-01"}, {"P002", "abc", "2024-02-30"}, {"", "3", ""}};
  s.marks = {{.row = 3, .col = 1, .message = "总投资应为数字"},
             {.row = 3, .col = 2, .message = "日期无效"},
             {.row = 4, .col = 0, .message = "项目编码必填"},
             {.row = 3, .col = 2, .message = "不得早于立项日期"},
             {.row = 2, .col = 5, .message = "多余的列"},
             {.row = 6, .col = 0, .message = "缺少的行"}};
  auto doc = Read({s});
  const auto& sheet = SheetAt(doc, 0);
  const auto& bad_number = CellAt(sheet, 3, 1);
  EXPECT_EQ(Str(bad_number, "v"), "abc");
  EXPECT_EQ(Str(bad_number, "fill"), "FFFFC7CE");
  EXPECT_EQ(Str(bad_number, "comment"), "总投资应为数字");
  EXPECT_EQ(Str(CellAt(sheet, 3, 2), "comment"), "日期无效\n不得早于立项日期");
  const auto& empty = CellAt(sheet, 4, 0);  // an empty cell is marked all the same
  EXPECT_EQ(Str(empty, "fill"), "FFFFC7CE");
  EXPECT_EQ(Str(empty, "comment"), "项目编码必填");
  EXPECT_EQ(Str(CellAt(sheet, 2, 5), "comment"), "多余的列");
  EXPECT_EQ(Str(CellAt(sheet, 6, 0), "comment"), "缺少的行");
  // Unmarked cells are plain; a good value in a marked row keeps its type.
  EXPECT_EQ(Str(CellAt(sheet, 2, 1), "fill"), "");
  EXPECT_EQ(Str(CellAt(sheet, 2, 1), "comment"), "");
  EXPECT_DOUBLE_EQ(Num(CellAt(sheet, 2, 1)), 12.5);
  EXPECT_EQ(Str(CellAt(sheet, 3, 0), "fill"), "");
}

TEST(XlsxWriterTest, MarkedNumbersAndDatesKeepTheirTypeAndFormat) {
  SKIP_WITHOUT_OPENPYXL();
  Sheet s;
  s.name = "S";
  s.columns = {Col("数", CellKind::kInteger), Col("日", CellKind::kDate)};
  s.rows = {{"12000", "2024-06-30"}};
  s.marks = {{.row = 2, .col = 0, .message = "超出目标"},
             {.row = 2, .col = 1, .message = "晚于期末"}};
  auto doc = Read({s});
  const auto& sheet = SheetAt(doc, 0);
  EXPECT_DOUBLE_EQ(Num(CellAt(sheet, 2, 0)), 12000);
  EXPECT_EQ(Str(CellAt(sheet, 2, 0), "fmt"), "#,##0");
  EXPECT_EQ(Str(CellAt(sheet, 2, 0), "fill"), "FFFFC7CE");
  EXPECT_EQ(Type(CellAt(sheet, 2, 1)), "date");
  EXPECT_EQ(Str(CellAt(sheet, 2, 1), "fmt"), "yyyy-mm-dd");
  EXPECT_EQ(Str(CellAt(sheet, 2, 1), "fill"), "FFFFC7CE");
}

TEST(XlsxWriterTest, AMarkedHeaderKeepsItsNoteAndAddsTheMessage) {
  SKIP_WITHOUT_OPENPYXL();
  Sheet s;
  s.name = "S";
  s.columns = {Col("单位编码").Note("6位编码")};
  s.marks = {{.row = 1, .col = 0, .message = "缺少此列"}};
  auto doc = Read({s});
  const auto& header = CellAt(SheetAt(doc, 0), 1, 0);
  EXPECT_EQ(Str(header, "comment"), "6位编码\n缺少此列");
  EXPECT_EQ(Str(header, "fill"), "FFFFC7CE");
  EXPECT_TRUE(Flag(header, "bold"));
}

TEST(XlsxWriterTest, ChoicesBecomeADropDownOverTheDataRows) {
  SKIP_WITHOUT_OPENPYXL();
  Sheet s;
  s.name = "项目";
  s.columns = {Col("项目名称"), Col("是否新开工").Choices({"是", "否"}),
               Col("阶段").Choices({"前期", "在建", "竣工"})};
  auto doc = Read({s});
  const auto& sheet = SheetAt(doc, 0);
  ASSERT_EQ(sheet["validations"].Size(), 2u);
  const auto& yes_no = sheet["validations"][0];
  EXPECT_STREQ(yes_no["type"].GetString(), "list");
  EXPECT_STREQ(yes_no["sqref"].GetString(), "B2:B10001");
  EXPECT_STREQ(yes_no["formula1"].GetString(), "\"是,否\"");
  EXPECT_STREQ(sheet["validations"][1]["sqref"].GetString(), "C2:C10001");
  EXPECT_STREQ(sheet["validations"][1]["formula1"].GetString(), "\"前期,在建,竣工\"");
}

TEST(XlsxWriterTest, DropDownsStartBelowTheTitleAndCoverEveryRow) {
  SKIP_WITHOUT_OPENPYXL();
  Sheet s;
  s.name = "S";
  s.title = "标题";
  s.columns = {Col("是否").Choices({"是", "否"})};
  for (int i = 0; i < 12000; ++i) s.rows.push_back({"是"});
  auto doc = Read({s});
  EXPECT_STREQ(SheetAt(doc, 0)["validations"][0]["sqref"].GetString(), "A3:A12002");
}

TEST(XlsxWriterTest, LongChoiceListsLiveOnAHiddenSheet) {
  SKIP_WITHOUT_OPENPYXL();
  Sheet s;
  s.name = "任务";
  SheetColumn units = Col("责任单位");
  for (int i = 1; i <= 100; ++i) units.choices.push_back("第" + std::to_string(i) + "责任单位");
  SheetColumn comma = Col("类别").Choices({"工业,制造业", "服务业"});
  SheetColumn small = Col("紧急").Choices({"是", "否"});
  s.columns = {units, comma, small};
  auto doc = Read({s});
  ASSERT_EQ(doc["sheets"].Size(), 2u);
  const auto& sheet = SheetAt(doc, 0);
  const auto& options = SheetAt(doc, 1);
  EXPECT_EQ(Str(options, "name"), "选项");
  EXPECT_EQ(Str(options, "state"), "hidden");
  ASSERT_EQ(sheet["validations"].Size(), 3u);
  EXPECT_STREQ(sheet["validations"][0]["formula1"].GetString(), "'选项'!$A$2:$A$101");
  EXPECT_STREQ(sheet["validations"][1]["formula1"].GetString(), "'选项'!$B$2:$B$3");
  EXPECT_STREQ(sheet["validations"][2]["formula1"].GetString(), "\"是,否\"");
  EXPECT_EQ(Str(CellAt(options, 1, 0), "v"), "责任单位");
  EXPECT_EQ(Str(CellAt(options, 2, 0), "v"), "第1责任单位");
  EXPECT_EQ(Str(CellAt(options, 101, 0), "v"), "第100责任单位");
  EXPECT_EQ(Str(CellAt(options, 2, 1), "v"), "工业,制造业");
  EXPECT_EQ(Type(CellAt(options, 4, 1)), "empty");
}

TEST(XlsxWriterTest, ALongListOfChineseNamesDoesNotOverflowTheLibrary) {
  SKIP_WITHOUT_OPENPYXL();
  // 30 names of 3 characters: 119 characters, under Excel's 255, but 299 bytes, over the
  // 256-byte buffer libxlsxwriter 1.1.4 copies an inline list into.
  Sheet s;
  s.name = "S";
  SheetColumn c = Col("单位");
  for (int i = 0; i < 30; ++i) c.choices.push_back("发改委");
  s.columns = {c};
  auto doc = Read({s});
  EXPECT_STREQ(SheetAt(doc, 0)["validations"][0]["formula1"].GetString(), "'选项'!$A$2:$A$31");
}

TEST(XlsxWriterTest, InstructionsGoToTheirOwnSheetAfterTheData) {
  SKIP_WITHOUT_OPENPYXL();
  Sheet s = OneColumn(CellKind::kText, {});
  WorkbookOptions options;
  options.instructions = {"1. 带*的列为必填项。", "2. 日期格式为 2024-06-30。", "=不是公式"};
  auto doc = Read({s}, options);
  ASSERT_EQ(doc["sheets"].Size(), 2u);
  const auto& sheet = SheetAt(doc, 1);
  EXPECT_EQ(Str(sheet, "name"), "填写说明");
  EXPECT_EQ(Str(sheet, "state"), "visible");
  EXPECT_EQ(Str(CellAt(sheet, 1, 0), "v"), "1. 带*的列为必填项。");
  EXPECT_EQ(Str(CellAt(sheet, 2, 0), "v"), "2. 日期格式为 2024-06-30。");
  EXPECT_EQ(Type(CellAt(sheet, 3, 0)), "string");
}

TEST(XlsxWriterTest, DocumentPropertiesCarryTitleAndAuthor) {
  SKIP_WITHOUT_OPENPYXL();
  WorkbookOptions options;
  options.title = "项目导入模板";
  auto doc = Read({OneColumn(CellKind::kText, {"a"})}, options);
  EXPECT_STREQ(doc["properties"]["title"].GetString(), "项目导入模板");
  EXPECT_STREQ(doc["properties"]["creator"].GetString(), "调度 Tiaodu");
}

TEST(XlsxWriterTest, SheetNamesAreCleaned) {
  SKIP_WITHOUT_OPENPYXL();
  std::vector<Sheet> sheets(7, OneColumn(CellKind::kText, {"x"}));
  sheets[0].name = "a[b]:c*d?e/f\\g";
  sheets[1].name = "二〇二四年六月全市重点项目建设进展情况统计表（按县区及行业分列）";
  sheets[2].name = "数据";
  sheets[3].name = "数据";
  sheets[4].name = "";
  sheets[5].name = "'引号'";
  sheets[6].name = "填写说明";
  WorkbookOptions options;
  options.instructions = {"说明"};
  auto doc = Read(sheets, options);
  ASSERT_EQ(doc["sheets"].Size(), 8u);
  EXPECT_EQ(Str(SheetAt(doc, 0), "name"), "a_b__c_d_e_f_g");
  EXPECT_EQ(Str(SheetAt(doc, 1), "name"),
            "二〇二四年六月全市重点项目建设进展情况统计表（按县区及行业分列");  // 31
  EXPECT_EQ(Str(SheetAt(doc, 2), "name"), "数据");
  EXPECT_EQ(Str(SheetAt(doc, 3), "name"), "数据(2)");
  EXPECT_EQ(Str(SheetAt(doc, 4), "name"), "表5");
  EXPECT_EQ(Str(SheetAt(doc, 5), "name"), "引号");
  EXPECT_EQ(Str(SheetAt(doc, 6), "name"), "填写说明");
  EXPECT_EQ(Str(SheetAt(doc, 7), "name"), "填写说明(2)");
  EXPECT_EQ(Str(CellAt(SheetAt(doc, 7), 1, 0), "v"), "说明");
}

TEST(XlsxWriterTest, DuplicateLongNamesStayWithinThirtyOneCharacters) {
  SKIP_WITHOUT_OPENPYXL();
  std::vector<Sheet> sheets(2, OneColumn(CellKind::kText, {"x"}));
  sheets[0].name = sheets[1].name = std::string(40, 'x');
  auto doc = Read(sheets);
  EXPECT_EQ(Str(SheetAt(doc, 0), "name"), std::string(31, 'x'));
  EXPECT_EQ(Str(SheetAt(doc, 1), "name"), std::string(28, 'x') + "(2)");
}

TEST(XlsxWriterTest, AHundredThousandRowsAreWrittenInConstantMemoryMode) {
  SKIP_WITHOUT_OPENPYXL();
  constexpr int kRows = 100000;
  Sheet s;
  s.name = "导出";
  s.title = "全部项目";
  s.columns = {Col("编码"), Col("金额", CellKind::kNumber).Decimals(2),
               Col("日期", CellKind::kDate)};
  s.rows.reserve(kRows);
  for (int i = 0; i < kRows; ++i) {
    s.rows.push_back({"P" + std::to_string(i), std::to_string(i) + ".25", "2024-06-30"});
  }
  auto start = std::chrono::steady_clock::now();
  std::string bytes = Bytes({s});
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 10) << "writing took " << seconds << " s";
  ASSERT_FALSE(bytes.empty());

  auto counted = RunReader(bytes, "--count");
  EXPECT_EQ(counted["sheets"][0]["rows"].GetInt(), kRows + 2);  // title and header

  // Constant-memory mode writes strings inline: there is no shared-strings table.
  auto parts = RunReader(bytes, "--parts");
  bool shared_strings = false;
  for (const auto& p : parts["parts"].GetArray()) {
    shared_strings = shared_strings || std::string_view(p.GetString()) == "xl/sharedStrings.xml";
  }
  EXPECT_FALSE(shared_strings);
}

// Points TMPDIR somewhere else for the life of the object.
class TmpDir {
 public:
  explicit TmpDir(const std::string& dir) {
    if (const char* old = std::getenv("TMPDIR")) old_ = old;
    setenv("TMPDIR", dir.c_str(), 1);
  }
  ~TmpDir() {
    if (old_) {
      setenv("TMPDIR", old_->c_str(), 1);
    } else {
      unsetenv("TMPDIR");
    }
  }

 private:
  std::optional<std::string> old_;
};

TEST(XlsxWriterTest, LeavesNoFilesInTheTempDirectory) {
  fs::path dir = fs::temp_directory_path() / ("xlsx_writer_tmp_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    TmpDir tmp(dir.string());
    Sheet s = OneColumn(CellKind::kText, {"a", "b"});
    s.columns[0].note = "注释";
    Result<std::string> bytes = WriteXlsx({s, s});
    ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  }
  EXPECT_TRUE(fs::is_empty(dir));
  fs::remove_all(dir);
}

TEST(XlsxWriterTest, AnUnusableTempDirectoryIsAnInternalErrorInChinese) {
  TmpDir tmp("/nonexistent/tiaodu-no-such-dir");
  Result<std::string> bytes = WriteXlsx({OneColumn(CellKind::kText, {"a"})});
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().code(), Code::kInternal);
  EXPECT_NE(bytes.status().message().find("生成Excel文件失败"), std::string::npos)
      << bytes.status().message();
}

TEST(XlsxWriterTest, MoreRowsThanExcelHoldsAreRefused) {
  Sheet s = OneColumn(CellKind::kText, {});
  s.rows.resize(1048576);  // with the header, one too many
  Result<std::string> bytes = WriteXlsx({s});
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().code(), Code::kInvalidArgument);
  EXPECT_NE(bytes.status().message().find("行数上限"), std::string::npos);
}

TEST(XlsxWriterTest, AWorkbookWithoutSheetsIsStillAWorkbook) {
  SKIP_WITHOUT_OPENPYXL();
  auto doc = Read({});
  EXPECT_GE(doc["sheets"].Size(), 1u);
}

}  // namespace
}  // namespace tiaodu::io
