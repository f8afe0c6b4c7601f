#include "io/xlsx.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>
#include <zip.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "io/table.h"
#include "io/xlsx_writer.h"

namespace tiaodu::io {
namespace {

namespace fs = std::filesystem;
using Cells = std::vector<std::string>;

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// ---- Writing zips in the test (a second, independent path to the bytes) ----

// Produces a part's bytes on demand, so a 1 GB part never exists in memory: `next` fills up
// to `n` bytes and returns how many (0 at the end).
using Producer = std::function<std::size_t(char* out, std::size_t n)>;

zip_int64_t ProduceCallback(void* state, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
  auto* producer = static_cast<Producer*>(state);
  switch (cmd) {
    case ZIP_SOURCE_OPEN:
    case ZIP_SOURCE_CLOSE:
    case ZIP_SOURCE_FREE:
      return 0;
    case ZIP_SOURCE_READ:
      return static_cast<zip_int64_t>((*producer)(static_cast<char*>(data), len));
    case ZIP_SOURCE_STAT: {
      auto* st = static_cast<zip_stat_t*>(data);
      zip_stat_init(st);
      st->mtime = 0;
      st->valid |= ZIP_STAT_MTIME;
      return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR:
      return 2 * sizeof(int);
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                            ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
      return -1;
  }
}

// A head, a long generated body and a tail, read in order.
Producer Concat(std::string head, Producer body, std::string tail) {
  struct State {
    std::string head, tail;
    Producer body;
    std::size_t head_at = 0, tail_at = 0;
    bool body_done = false;
  };
  auto s = std::make_shared<State>(State{std::move(head), std::move(tail), std::move(body)});
  return [s](char* out, std::size_t n) -> std::size_t {
    std::size_t done = 0;
    if (s->head_at < s->head.size()) {
      std::size_t k = std::min(n, s->head.size() - s->head_at);
      std::memcpy(out, s->head.data() + s->head_at, k);
      s->head_at += k;
      done += k;
    }
    while (done < n && !s->body_done) {
      std::size_t k = s->body(out + done, n - done);
      if (k == 0) s->body_done = true;
      done += k;
    }
    if (done < n && s->body_done && s->tail_at < s->tail.size()) {
      std::size_t k = std::min(n - done, s->tail.size() - s->tail_at);
      std::memcpy(out + done, s->tail.data() + s->tail_at, k);
      s->tail_at += k;
      done += k;
    }
    return done;
  };
}

Producer Repeat(char c, uint64_t count) {
  auto left = std::make_shared<uint64_t>(count);
  return [left, c](char* out, std::size_t n) -> std::size_t {
    std::size_t k = static_cast<std::size_t>(std::min<uint64_t>(n, *left));
    std::memset(out, c, k);
    *left -= k;
    return k;
  };
}

class ZipWriter {
 public:
  ZipWriter() {
    zip_error_t error;
    zip_error_init(&error);
    source_ = zip_source_buffer_create(nullptr, 0, 0, &error);
    zip_source_keep(source_);
    zip_ = zip_open_from_source(source_, ZIP_TRUNCATE, &error);
    zip_error_fini(&error);
  }
  ~ZipWriter() {
    if (zip_) zip_discard(zip_);
    zip_source_free(source_);
  }

  ZipWriter& Add(const std::string& name, std::string content, int level = 6) {
    texts_.push_back(std::move(content));
    zip_source_t* s = zip_source_buffer(zip_, texts_.back().data(), texts_.back().size(), 0);
    Place(name, s, level);
    return *this;
  }

  ZipWriter& AddGenerated(const std::string& name, Producer producer, int level = 6) {
    producers_.push_back(std::move(producer));
    zip_source_t* s = zip_source_function(zip_, ProduceCallback, &producers_.back());
    Place(name, s, level);
    return *this;
  }

  std::string Finish() {
    if (zip_close(zip_) != 0) {
      ADD_FAILURE() << "zip_close: " << zip_strerror(zip_);
      return "";
    }
    zip_ = nullptr;
    std::string out;
    zip_stat_t st;
    zip_source_stat(source_, &st);
    zip_source_open(source_);
    out.resize(st.size);
    zip_int64_t n = zip_source_read(source_, out.data(), out.size());
    zip_source_close(source_);
    out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
    return out;
  }

 private:
  void Place(const std::string& name, zip_source_t* s, int level) {
    zip_int64_t index = zip_file_add(zip_, name.c_str(), s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    ASSERT_GE(index, 0) << name;
    if (level == 0) {
      zip_set_file_compression(zip_, index, ZIP_CM_STORE, 0);
    } else {
      zip_set_file_compression(zip_, index, ZIP_CM_DEFLATE, level);
    }
  }

  zip_source_t* source_ = nullptr;
  zip_t* zip_ = nullptr;
  std::deque<std::string> texts_;
  std::deque<Producer> producers_;
};

constexpr char kMain[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr char kRel[] = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

std::string Worksheet(const std::string& rows, const std::string& after = "") {
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n") +
         "<worksheet xmlns=\"" + kMain + "\" xmlns:r=\"" + kRel +
         "\"><dimension ref=\"A1\"/><sheetData>" + rows + "</sheetData>" + after + "</worksheet>";
}

std::string SharedStrings(const std::vector<std::string>& items) {
  std::string x =
      std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sst xmlns=\"") + kMain + "\">";
  for (const std::string& s : items) x += "<si><t>" + s + "</t></si>";
  return x + "</sst>";
}

// The parts of a minimal workbook, by name; tests change or add parts before zipping.
struct Parts {
  std::map<std::string, std::string> files;

  explicit Parts(const std::string& sheet_xml) {
    files["[Content_Types].xml"] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        "<Default Extension=\"rels\" "
        "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        "<Override PartName=\"/xl/workbook.xml\" "
        "ContentType=\"application/"
        "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        "<Override PartName=\"/xl/worksheets/sheet1.xml\" "
        "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/"
        ">"
        "</Types>";
    files["_rels/.rels"] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" "
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        "officeDocument\" "
        "Target=\"xl/workbook.xml\"/></Relationships>";
    files["xl/workbook.xml"] = Workbook({"Sheet1"});
    files["xl/_rels/workbook.xml.rels"] = WorkbookRels({"worksheets/sheet1.xml"}, true, false);
    files["xl/worksheets/sheet1.xml"] = sheet_xml;
  }

  static std::string Workbook(const std::vector<std::string>& names, bool date1904 = false) {
    std::string x = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<workbook xmlns=\"") +
                    kMain + "\" xmlns:r=\"" + kRel + "\"><workbookPr date1904=\"" +
                    (date1904 ? "1" : "0") + "\"/><sheets>";
    for (std::size_t i = 0; i < names.size(); ++i) {
      x += "<sheet name=\"" + names[i] + "\" sheetId=\"" + std::to_string(i + 1) + "\" r:id=\"rId" +
           std::to_string(i + 1) + "\"/>";
    }
    return x + "</sheets></workbook>";
  }

  // Sheets as rId1.., then the shared strings (rId100) and styles (rId101) when asked.
  static std::string WorkbookRels(const std::vector<std::string>& sheet_targets, bool strings,
                                  bool styles) {
    std::string x =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
    for (std::size_t i = 0; i < sheet_targets.size(); ++i) {
      x += "<Relationship Id=\"rId" + std::to_string(i + 1) + "\" Type=\"" + kRel +
           "/worksheet\" Target=\"" + sheet_targets[i] + "\"/>";
    }
    if (strings) {
      x += std::string("<Relationship Id=\"rId100\" Type=\"") + kRel +
           "/sharedStrings\" Target=\"sharedStrings.xml\"/>";
    }
    if (styles) {
      x += std::string("<Relationship Id=\"rId101\" Type=\"") + kRel +
           "/styles\" Target=\"styles.xml\"/>";
    }
    return x + "</Relationships>";
  }

  Parts& With(const std::string& name, std::string content) {
    files[name] = std::move(content);
    return *this;
  }
  Parts& Without(const std::string& name) {
    files.erase(name);
    return *this;
  }
  Parts& Strings(const std::vector<std::string>& items) {
    return With("xl/sharedStrings.xml", SharedStrings(items));
  }

  std::string Zip(int level = 6) const {
    ZipWriter w;
    for (const auto& [name, content] : files) w.Add(name, content, level);
    return w.Finish();
  }
};

Table Read(const std::string& bytes, const XlsxOptions& options = XlsxOptions()) {
  Result<Table> t = ReadXlsx(bytes, options);
  EXPECT_TRUE(t.ok()) << t.status().message()
                      << (t.ok() || t.status().details().empty()
                              ? ""
                              : " / " + t.status().details()[0].reason);
  return t.ok() ? *t : Table();
}

Status Error(const std::string& bytes, const XlsxOptions& options = XlsxOptions()) {
  Result<Table> t = ReadXlsx(bytes, options);
  EXPECT_FALSE(t.ok()) << "accepted";
  return t.ok() ? Status() : t.status();
}

std::string ReadFileBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ---- Cell references, dates, numbers (table-driven) ----

TEST(XlsxCellRefTest, ColumnLettersAndRowNumbersWithinTheGrid) {
  struct Case {
    const char* ref;
    int column, row;
  };
  const Case cases[] = {
      {"A1", 0, 1},     {"B2", 1, 2},
      {"Z9", 25, 9},    {"AA10", 26, 10},
      {"AB12", 27, 12}, {"AZ1", 51, 1},
      {"BA1", 52, 1},   {"ZZ3", 701, 3},
      {"AAA1", 702, 1}, {"XFD1048576", 16383, 1048576},
      {"ab12", 27, 12},
  };
  for (const Case& c : cases) {
    std::optional<CellRef> ref = ParseCellRef(c.ref);
    ASSERT_TRUE(ref.has_value()) << c.ref;
    EXPECT_EQ(ref->column, c.column) << c.ref;
    EXPECT_EQ(ref->row, c.row) << c.ref;
    if (std::string(c.ref) != "ab12") {  // and back, as the error messages name cells
      EXPECT_EQ(ColumnLetter(ref->column) + std::to_string(ref->row), c.ref);
    }
  }
}

TEST(XlsxCellRefTest, MalformedOrOffTheGridRefsAreRefused) {
  for (const char* ref : {"", "A", "1", "A0", "A01", "XFE1", "AAAA1", "A1048577", "A1B", "$A$1",
                          "A-1", "A 1", "1A", "A12345678"}) {
    EXPECT_FALSE(ParseCellRef(ref).has_value()) << ref;
  }
}

TEST(XlsxDateTest, SerialsOfThe1900SystemIncludingItsFictitiousLeapDay) {
  struct Case {
    double serial;
    const char* iso;
  };
  const Case cases[] = {
      {1, "1900-01-01"},     {31, "1900-01-31"},    {59, "1900-02-28"},      {61, "1900-03-01"},
      {366, "1900-12-31"},   {367, "1901-01-01"},   {25569, "1970-01-01"},   {36526, "2000-01-01"},
      {45473, "2024-06-30"}, {45351, "2024-02-29"}, {2958465, "9999-12-31"},
  };
  for (const Case& c : cases) {
    Result<std::string> iso = SerialToIsoDate(c.serial, false);
    ASSERT_TRUE(iso.ok()) << c.serial << ": " << iso.status().message();
    EXPECT_EQ(*iso, c.iso) << c.serial;
  }
}

TEST(XlsxDateTest, Serial60IsTheFictitious29February1900AndRefused) {
  Result<std::string> iso = SerialToIsoDate(60, false);
  ASSERT_FALSE(iso.ok());
  EXPECT_TRUE(Contains(iso.status().message(), "1900-02-29"));
  EXPECT_EQ(*SerialToIsoDate(60, true), "1904-03-01");  // no such day in the 1904 system
}

TEST(XlsxDateTest, SerialsOfThe1904System) {
  struct Case {
    double serial;
    const char* iso;
  };
  const Case cases[] = {
      {1, "1904-01-02"},     {59, "1904-02-29"},      {366, "1905-01-01"},
      {44011, "2024-06-30"}, {2957003, "9999-12-31"},
  };
  for (const Case& c : cases) {
    Result<std::string> iso = SerialToIsoDate(c.serial, true);
    ASSERT_TRUE(iso.ok()) << c.serial;
    EXPECT_EQ(*iso, c.iso) << c.serial;
  }
}

TEST(XlsxDateTest, FractionsAreTimesOfDayRoundedToTheSecond) {
  struct Case {
    double serial;
    bool date1904;
    const char* iso;
  };
  const Case cases[] = {
      {45473.354166666664, false, "2024-06-30 08:30:00"},
      {45474.3541666667, false, "2024-07-01 08:30:00"},  // as LibreOffice writes it
      {45473.5, false, "2024-06-30 12:00:00"},
      {45473.999988425923, false, "2024-06-30 23:59:59"},
      {45473.9999999, false, "2024-07-01"},  // rounds to the next midnight
      {44011.25, true, "2024-06-30 06:00:00"},
      {0.5, false, "12:00:00"},  // a time of day alone
      {0.354166666666667, true, "08:30:00"},
  };
  for (const Case& c : cases) {
    Result<std::string> iso = SerialToIsoDate(c.serial, c.date1904);
    ASSERT_TRUE(iso.ok()) << c.serial;
    EXPECT_EQ(*iso, c.iso) << c.serial;
  }
}

TEST(XlsxDateTest, NegativeNonFiniteAndPast9999SerialsAreRefused) {
  for (double serial : {-1.0, -0.5, 2958466.0, 1e12, std::nan(""), double{INFINITY}}) {
    EXPECT_FALSE(SerialToIsoDate(serial, false).ok()) << serial;
  }
  EXPECT_FALSE(SerialToIsoDate(2957004, true).ok());
}

TEST(XlsxNumberTest, ShortestRoundTripTextWithoutExponentForOrdinaryMagnitudes) {
  struct Case {
    double value;
    const char* text;
  };
  const Case cases[] = {
      {258.4, "258.4"},
      {258.39999999999998, "258.4"},  // the same double, as Excel writes it
      {0.1 + 0.2, "0.30000000000000004"},
      {42, "42"},
      {42.0, "42"},
      {-3.5, "-3.5"},
      {0, "0"},
      {-0.0, "0"},
      {1e-7, "0.0000001"},
      {12345678901, "12345678901"},
      {123456789012345680000.0, "123456789012345680000"},
      {0.153, "0.153"},
      {1e-10, "0.0000000001"},
      {1e21, "1e+21"},
      {1e-20, "1e-20"},
      {-1.5e-11, "-1.5e-11"},
  };
  for (const Case& c : cases) EXPECT_EQ(FormatXlsxNumber(c.value), c.text) << c.value;
}

TEST(XlsxZipTest, LooksLikeZipTellsAWorkbookFromCsvText) {
  EXPECT_TRUE(LooksLikeZip(std::string("PK\x03\x04rest", 8)));
  EXPECT_FALSE(LooksLikeZip("单位编码,数值\nxd,1\n"));
  EXPECT_FALSE(LooksLikeZip("PK"));
  EXPECT_FALSE(LooksLikeZip(""));
}

// ---- Workbooks made in the test: what the reader understands ----

TEST(XlsxReadTest, SharedInlineAndRichTextStringsNumbersBooleansErrors) {
  std::string rows =
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
      "<c r=\"C1\" t=\"inlineStr\"><is><t>内联</t></is></c><c r=\"D1\" t=\"s\"><v>2</v></c></row>"
      "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><r><rPr><b/></rPr><t>富</t></r><r><t "
      "xml:space=\"preserve\">文本 </t></r></is></c><c r=\"B2\"><v>258.39999999999998</v></c>"
      "<c r=\"C2\" t=\"b\"><v>1</v></c><c r=\"D2\" t=\"e\"><v>#N/A</v></c></row>"
      "<row r=\"3\"><c r=\"A3\" t=\"str\"><f>A1&amp;\"x\"</f><v>名称x</v></c>"
      "<c r=\"B3\" t=\"n\"><f>B2*2</f><v>516.8</v></c><c r=\"C3\" t=\"b\"><v>0</v></c>"
      "<c r=\"D3\"><f>1+1</f></c></row>";
  Parts parts(Worksheet(rows));
  parts.Strings({"名称", "数值", "<r><t>甲</t></r><r><t>乙</t></r><rPh><t>ジャ</t></rPh>"});
  // Replace the plain <t> wrapper of the third item with its runs.
  std::string& sst = parts.files["xl/sharedStrings.xml"];
  sst.replace(sst.find("<t><r>"), 6, "<r>");
  sst.replace(sst.find("</rPh></t>"), 10, "</rPh>");
  Table t = Read(parts.Zip());
  EXPECT_EQ(t.header, (Cells{"名称", "数值", "内联", "甲乙"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].line, 2);
  EXPECT_EQ(t.rows[0].cells, (Cells{"富文本 ", "258.4", "TRUE", "#N/A"}));
  EXPECT_EQ(t.rows[1].cells, (Cells{"名称x", "516.8", "FALSE"}));  // D3: no cached value
}

TEST(XlsxReadTest, InlineStringsInAZipWrittenByHandWithoutSharedStrings) {
  Parts parts(Worksheet(
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>单位</t></is></c>"
      "<c r=\"B1\" t=\"inlineStr\"><is><t>数值</t></is></c></row>"
      "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>宛城区</t></is></c><c r=\"B2\"><v>7</v></c>"
      "</row>"));
  parts.files["xl/_rels/workbook.xml.rels"] =
      Parts::WorkbookRels({"worksheets/sheet1.xml"}, false, false);
  Table t = Read(parts.Zip());
  EXPECT_EQ(t.header, (Cells{"单位", "数值"}));
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].cells, (Cells{"宛城区", "7"}));
}

TEST(XlsxReadTest, CellsAndRowsWithoutReferencesFollowTheirPredecessors) {
  Parts parts(Worksheet(
      "<row><c t=\"inlineStr\"><is><t>a</t></is></c><c t=\"inlineStr\"><is><t>b</t></is></c>"
      "<c t=\"inlineStr\"><is><t>c</t></is></c></row>"
      "<row><c><v>1</v></c><c r=\"C2\"><v>3</v></c><c><v>4</v></c></row>"
      "<row r=\"5\"><c r=\"B5\"><v>2</v></c></row><row><c><v>9</v></c></row>"));
  Table t = Read(parts.Zip());
  EXPECT_EQ(t.header, (Cells{"a", "b", "c"}));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0].line, 2);
  EXPECT_EQ(t.rows[0].cells, (Cells{"1", "", "3", "4"}));
  EXPECT_EQ(t.rows[1].line, 5);
  EXPECT_EQ(t.rows[1].cells, (Cells{"", "2"}));
  EXPECT_EQ(t.rows[2].line, 6);
}

TEST(XlsxReadTest, EmptyAndBlankRowsAreSkippedAndTrailingEmptyCellsDropped) {
  Parts parts(Worksheet(
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is></c><c r=\"D1\" s=\"0\"/></row>"
      "<row r=\"2\" ht=\"20\" customHeight=\"1\"/>"
      "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t xml:space=\"preserve\">  \xE3\x80\x80"
      "</t></is></c></row>"
      "<row r=\"4\"><c r=\"A4\"><v>1</v></c><c r=\"B4\" t=\"inlineStr\"><is><t></t></is></c>"
      "<c r=\"XFD4\" s=\"1\"/></row>"));
  Table t = Read(parts.Zip());
  EXPECT_EQ(t.header, (Cells{"a"}));
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].line, 4);
  EXPECT_EQ(t.rows[0].cells, (Cells{"1"}));
}

TEST(XlsxReadTest, EscapedCharactersOfSpreadsheetStringsAreDecoded) {
  Parts parts(Worksheet(
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>"));
  parts.Strings(
      {"第一行_x000D_\n第二行", "a_x005F_x0041_b &amp; &lt;c&gt;", "无_x0000__x0001_控制符"});
  parts.files["xl/worksheets/sheet1.xml"] = Worksheet(
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
      "<c r=\"C1\" t=\"s\"><v>2</v></c></row>");
  Table t = Read(parts.Zip());
  EXPECT_EQ(t.header, (Cells{"第一行\r\n第二行", "a_x0041_b & <c>", "无控制符"}));
}

TEST(XlsxReadTest, FindsTheSheetThroughRelationshipsNotByItsFileName) {
  Parts parts(Worksheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>诱饵</t></is></c></row>"));
  parts.With("xl/worksheets/data.xml",
             Worksheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>真表</t></is></c></row>"));
  parts.files["xl/_rels/workbook.xml.rels"] =
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId7\" Type=\"" +
      std::string(kRel) +
      "/worksheet\" Target=\"/xl/worksheets/data.xml\"/>"
      "<Relationship Id=\"rId1\" Type=\"" +
      std::string(kRel) +
      "/worksheet\" Target=\"./worksheets/../worksheets/sheet1.xml\"/></Relationships>";
  parts.files["xl/workbook.xml"] =
      "<workbook xmlns=\"" + std::string(kMain) + "\" xmlns:r=\"" + kRel +
      "\"><sheets><sheet name=\"数据\" sheetId=\"3\" r:id=\"rId7\"/>"
      "<sheet name=\"旧\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
  std::string bytes = parts.Zip();
  EXPECT_EQ(Read(bytes).header, (Cells{"真表"}));
  XlsxOptions old;
  old.sheet = "旧";
  EXPECT_EQ(Read(bytes, old).header, (Cells{"诱饵"}));
  Result<std::vector<std::string>> names = XlsxSheetNames(bytes);
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (Cells{"数据", "旧"}));
}

TEST(XlsxReadTest, FindsTheWorkbookThroughThePackageRelationship) {
  Parts parts(Worksheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"));
  parts.files["book/main.xml"] = parts.files["xl/workbook.xml"];
  parts.files["book/_rels/main.xml.rels"] =
      Parts::WorkbookRels({"/xl/worksheets/sheet1.xml"}, false, false);
  parts.Without("xl/workbook.xml").Without("xl/_rels/workbook.xml.rels");
  std::string& root = parts.files["_rels/.rels"];
  root.replace(root.find("xl/workbook.xml"), 15, "book/main.xml");
  EXPECT_EQ(Read(parts.Zip()).header, (Cells{"1"}));
}

TEST(XlsxReadTest, PrefixedElementNamesAreUnderstood) {
  std::string sheet = std::string("<x:worksheet xmlns:x=\"") + kMain +
                      "\"><x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is>"
                      "<x:t>前缀</x:t></x:is></x:c><x:c r=\"B1\"><x:v>2</x:v></x:c></x:row>"
                      "</x:sheetData></x:worksheet>";
  EXPECT_EQ(Read(Parts(sheet).Zip()).header, (Cells{"前缀", "2"}));
}

TEST(XlsxReadTest, DateAndTimeFormatsAreToldFromNumberFormats) {
  // One row per format: the cell holds 45473.5 (2024-06-30 12:00) with that format.
  struct Case {
    int num_fmt_id;
    const char* code;  // nullptr: a built-in id
    const char* expected;
  };
  const Case cases[] = {
      {0, nullptr, "45473.5"},
      {14, nullptr, "2024-06-30"},
      {22, nullptr, "2024-06-30 12:00:00"},
      {20, nullptr, "2024-06-30 12:00:00"},  // h:mm of a value with a date
      {31, nullptr, "2024-06-30"},           // zh-CN yyyy"年"m"月"d"日"
      {10, nullptr, "45473.5"},              // 0.00%
      {164, "yyyy\"年\"m\"月\"d\"日\"", "2024-06-30"},
      {165, "yyyy\\-mm\\-dd", "2024-06-30"},
      {166, "YYYY/MM/DD", "2024-06-30"},
      {167, "yyyy-mm-dd hh:mm:ss", "2024-06-30 12:00:00"},
      {168, "[$-804]yyyy\"年\"m\"月\";@", "2024-06-30"},
      {169, "mmm-yy", "2024-06-30"},
      {170, "[h]:mm:ss", "2024-06-30 12:00:00"},
      {171, "0.00%", "45473.5"},
      {172, "\"d\"0.0", "45473.5"},
      {173, "[Red]0.00;[Blue]-0.00", "45473.5"},
      {174, "General", "45473.5"},
      {175, "@", "45473.5"},
      {176, "0.00E+00", "45473.5"},
      {177, "\"TRUE\";\"TRUE\";\"FALSE\"", "45473.5"},
      {178, "#,##0.00_);[Red](#,##0.00)", "45473.5"},
      {179, "0\\d", "45473.5"},
  };
  std::string fmts, xfs, rows;
  int n = 0;
  for (const Case& c : cases) {
    if (c.code) {
      std::string code = c.code;
      for (std::size_t at = 0; (at = code.find('"', at)) != std::string::npos; at += 6) {
        code.replace(at, 1, "&quot;");
      }
      fmts +=
          "<numFmt numFmtId=\"" + std::to_string(c.num_fmt_id) + "\" formatCode=\"" + code + "\"/>";
    }
    xfs += "<xf numFmtId=\"" + std::to_string(c.num_fmt_id) + "\" fontId=\"0\"/>";
    rows += "<row r=\"" + std::to_string(n + 2) + "\"><c r=\"A" + std::to_string(n + 2) +
            "\" s=\"" + std::to_string(n) + "\"><v>45473.5</v></c></row>";
    ++n;
  }
  // The cell style xfs and a conditional format's dxf hold format ids too: decoys.
  std::string styles = "<styleSheet xmlns=\"" + std::string(kMain) + "\"><numFmts>" + fmts +
                       "</numFmts><cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs><cellXfs>" +
                       xfs +
                       "</cellXfs><dxfs><dxf><numFmt numFmtId=\"171\" formatCode=\"yyyy\"/>"
                       "</dxf></dxfs></styleSheet>";
  Parts parts(
      Worksheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>v</t></is></c></row>" + rows));
  parts.With("xl/styles.xml", styles);
  parts.files["xl/_rels/workbook.xml.rels"] =
      Parts::WorkbookRels({"worksheets/sheet1.xml"}, false, true);
  Table t = Read(parts.Zip());
  ASSERT_EQ(t.rows.size(), std::size(cases));
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    EXPECT_EQ(t.rows[i].cells, (Cells{cases[i].expected}))
        << "numFmtId " << cases[i].num_fmt_id << " " << (cases[i].code ? cases[i].code : "");
  }
}

TEST(XlsxReadTest, DateCellsThatAreNoDatesStayNumbersForTheImportToReject) {
  std::string styles = "<styleSheet xmlns=\"" + std::string(kMain) +
                       "\"><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs>"
                       "</styleSheet>";
  Parts parts(Worksheet(
      "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>60</v></c><c r=\"B1\" s=\"1\"><v>-3</v></c>"
      "<c r=\"C1\" s=\"1\"><v>1</v></c><c r=\"D1\" s=\"1\" t=\"d\"><v>2024-06-30T08:30:00</v></c>"
      "<c r=\"E1\" s=\"9\"><v>45473</v></c></row>"));
  parts.With("xl/styles.xml", styles);
  parts.files["xl/_rels/workbook.xml.rels"] =
      Parts::WorkbookRels({"worksheets/sheet1.xml"}, false, true);
  EXPECT_EQ(Read(parts.Zip()).header,
            (Cells{"60", "-3", "1900-01-01", "2024-06-30 08:30:00", "45473"}));
}

TEST(XlsxReadTest, The1904DateSystemOfTheWorkbookIsUsed) {
  std::string styles = "<styleSheet xmlns=\"" + std::string(kMain) +
                       "\"><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs>"
                       "</styleSheet>";
  Parts parts(Worksheet("<row r=\"1\"><c r=\"A1\" s=\"1\"><v>44011</v></c></row>"));
  parts.With("xl/styles.xml", styles);
  parts.files["xl/_rels/workbook.xml.rels"] =
      Parts::WorkbookRels({"worksheets/sheet1.xml"}, false, true);
  parts.files["xl/workbook.xml"] = Parts::Workbook({"Sheet1"}, true);
  EXPECT_EQ(Read(parts.Zip()).header, (Cells{"2024-06-30"}));
}

TEST(XlsxReadTest, MergedTwoRowHeaderIsFilledAndJoined) {
  Parts parts(
      Worksheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
                "<c r=\"D1\" t=\"s\"><v>2</v></c></row>"
                "<row r=\"2\"><c r=\"B2\" t=\"s\"><v>3</v></c><c r=\"C2\" t=\"s\"><v>4</v></c>"
                "<c r=\"D2\" t=\"s\"><v>3</v></c><c r=\"E2\" t=\"s\"><v>4</v></c></row>"
                "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>5</v></c><c r=\"B3\"><v>258.4</v></c></row>"
                "<row r=\"4\"><c r=\"A4\" t=\"s\"><v>5</v></c></row>",
                "<mergeCells count=\"4\"><mergeCell ref=\"A1:A2\"/><mergeCell ref=\"B1:C1\"/>"
                "<mergeCell ref=\"D1:E1\"/><mergeCell ref=\"A3:A4\"/><mergeCell ref=\"F1:XFD1\"/>"
                "</mergeCells>"));
  parts.Strings({"指标", "本月", "累计", "绝对值", "增速", "地区生产总值"});
  XlsxOptions options;
  options.limits.header_rows = 2;
  std::string bytes = parts.Zip();
  Table t = Read(bytes, options);
  EXPECT_EQ(t.header, (Cells{"指标", "本月 绝对值", "本月 增速", "累计 绝对值", "累计 增速"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].cells, (Cells{"地区生产总值", "258.4"}));
  EXPECT_EQ(t.rows[1].cells, (Cells{"地区生产总值"}));  // data rows as stored

  // The streaming reader gives the cells as stored, the header rows first.
  std::vector<XlsxRow> rows;
  ASSERT_TRUE(ReadXlsxRows(bytes, options, [&](const XlsxRow& r) {
                rows.push_back(r);
                return Status::Ok();
              }).ok());
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].line, 1);
  EXPECT_EQ(rows[0].cells, (Cells{"指标", "本月", "", "累计"}));
}

TEST(XlsxReadTest, AnErrorFromTheRowCallbackStopsTheReading) {
  std::string rows;
  for (int r = 1; r <= 100; ++r) {
    rows += "<row r=\"" + std::to_string(r) + "\"><c><v>" + std::to_string(r) + "</v></c></row>";
  }
  int calls = 0;
  Status s = ReadXlsxRows(Parts(Worksheet(rows)).Zip(), XlsxOptions(), [&](const XlsxRow& row) {
    ++calls;
    return row.line == 10 ? InvalidArgument("第10行单位编码不存在") : Status::Ok();
  });
  EXPECT_EQ(calls, 10);
  EXPECT_EQ(s.message(), "第10行单位编码不存在");
}

TEST(XlsxReadTest, PicksTheNamedSheetAndSaysWhichSheetsExist) {
  Parts parts(Worksheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>一</t></is></c></row>"));
  parts.With("xl/worksheets/sheet2.xml",
             Worksheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>二</t></is></c></row>"));
  parts.files["xl/workbook.xml"] = Parts::Workbook({"说明", "数据"});
  parts.files["xl/_rels/workbook.xml.rels"] =
      Parts::WorkbookRels({"worksheets/sheet1.xml", "worksheets/sheet2.xml"}, false, false);
  std::string bytes = parts.Zip();
  XlsxOptions options;
  options.sheet = "数据";
  EXPECT_EQ(Read(bytes, options).header, (Cells{"二"}));
  options.sheet = "项目";
  Status s = Error(bytes, options);
  EXPECT_EQ(s.message(), "工作簿中没有名为“项目”的工作表（现有：说明、数据）");
}

TEST(XlsxReadTest, AnEmptySheetHasNoHeader) {
  Status s = Error(Parts(Worksheet("")).Zip());
  EXPECT_TRUE(Contains(s.message(), "工作表为空")) << s.message();
}

TEST(XlsxReadTest, WhatOurWriterWritesIsReadBackAsTheSameText) {
  Sheet sheet;
  sheet.name = "项目";
  sheet.columns = {{"项目编码"}, {"总投资（万元）", CellKind::kNumber}, {"个数", CellKind::kInteger},
                   {"增速（%）", CellKind::kPercent}, {"开工日期", CellKind::kDate}, {"备注"}};
  sheet.rows = {{"P0001", "258.4", "12345678901", "6.3", "2024-06-30", "=1+1"},
                {"P0002", "-0.5", "0", "-12", "2024-02-29", "@备注"},
                {"P0003", "", "", "", "", ""}};
  WorkbookOptions options;
  options.instructions = {"第一行为表头"};
  Result<std::string> bytes = WriteXlsx({sheet}, options);
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  Table t = Read(*bytes);
  EXPECT_EQ(t.header, (Cells{"项目编码", "总投资（万元）", "个数", "增速（%）", "开工日期", "备注"}));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0].cells, sheet.rows[0]);
  EXPECT_EQ(t.rows[1].cells, sheet.rows[1]);
  EXPECT_EQ(t.rows[2].cells, (Cells{"P0003"}));
  Result<std::vector<std::string>> names = XlsxSheetNames(*bytes);
  ASSERT_TRUE(names.ok());
  ASSERT_FALSE(names->empty());
  EXPECT_EQ(names->front(), "项目");
}

// ---- Malicious and broken files ----

// A worksheet whose one row is followed by `zeros` bytes of '0' (character data the reader
// skips), deflated at level 9 as it is generated: about 1000:1.
std::string ZipBomb(const std::string& part, uint64_t zeros) {
  Parts parts(Worksheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"));
  ZipWriter w;
  for (const auto& [name, content] : parts.files) {
    if (name != part) w.Add(name, content);
  }
  std::string whole = part == "xl/sharedStrings.xml"
                          ? SharedStrings({"x"})
                          : Worksheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>PAD");
  std::size_t pad = whole.find(part == "xl/sharedStrings.xml" ? "</sst>" : "PAD");
  std::string tail = whole.substr(pad + (part == "xl/sharedStrings.xml" ? 0 : 3));
  w.AddGenerated(part, Concat(whole.substr(0, pad), Repeat('0', zeros), tail), 9);
  if (part == "xl/sharedStrings.xml") {
    w.Add("xl/_rels/workbook.xml.rels",
          Parts::WorkbookRels({"worksheets/sheet1.xml"}, true, false));
  }
  return w.Finish();
}

const std::string& GigabyteBomb() {
  static const std::string bytes = [] {
    auto start = std::chrono::steady_clock::now();
    std::string b = ZipBomb("xl/worksheets/sheet1.xml", 1ull << 30);
    std::cout << "[ bomb    ] 1 GB sheet deflated to " << b.size() << " bytes in "
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
              << " s\n";
    return b;
  }();
  return bytes;
}

TEST(XlsxBombTest, AGigabyteSheetIsRefusedByItsCompressionRatioWhileInflating) {
  const std::string& bomb = GigabyteBomb();
  ASSERT_LT(bomb.size(), 4u << 20);
  auto start = std::chrono::steady_clock::now();
  Status s = Error(bomb);
  std::cout << "[ bomb    ] refused after "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
            << " s\n";
  EXPECT_EQ(
      s.message(),
      "xlsx 中的工作表 xl/worksheets/sheet1.xml 压缩比超过 200 倍上限，疑似压缩炸弹，拒绝读取");
}

TEST(XlsxBombTest, AGigabyteSheetIsRefusedAtTheInflatedSizeLimit) {
  XlsxOptions options;
  options.limits.max_ratio = 1'000'000;
  options.limits.max_uncompressed_bytes = 64ull << 20;
  Status s = Error(GigabyteBomb(), options);
  EXPECT_EQ(
      s.message(),
      "xlsx 中的工作表 xl/worksheets/sheet1.xml 解压后超过 64 MB 上限，疑似压缩炸弹，拒绝读取");
  // The total over all parts is a limit of its own.
  options.limits.max_uncompressed_bytes = 512ull << 20;
  options.limits.max_total_uncompressed = 32ull << 20;
  EXPECT_TRUE(Contains(Error(GigabyteBomb(), options).message(), "合计超过 32 MB 上限"));
}

TEST(XlsxBombTest, ABombInTheSharedStringsIsRefusedBeforeTheSheetIsRead) {
  std::string bomb = ZipBomb("xl/sharedStrings.xml", 256ull << 20);
  Status s = Error(bomb);
  EXPECT_EQ(
      s.message(),
      "xlsx 中的共享字符串 xl/sharedStrings.xml 压缩比超过 200 倍上限，疑似压缩炸弹，拒绝读取");
}

std::string Laughs(const std::string& root_open, const std::string& use,
                   const std::string& root_close) {
  std::string dtd = "<!DOCTYPE lolz [<!ENTITY lol \"lol\">";
  dtd += "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">";
  for (int i = 2; i <= 9; ++i) {
    dtd += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) dtd += "&lol" + std::to_string(i - 1) + ";";
    dtd += "\">";
  }
  dtd += "]>";
  return "<?xml version=\"1.0\"?>\n" + dtd + root_open + use + root_close;
}

TEST(XlsxEntityTest, BillionLaughsInTheSharedStringsAreRefused) {
  Parts parts(Worksheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"));
  parts.With("xl/sharedStrings.xml", Laughs("<sst xmlns=\"" + std::string(kMain) + "\">",
                                            "<si><t>&lol9;</t></si>", "</sst>"));
  Status s = Error(parts.Zip());
  EXPECT_EQ(s.message(),
            "共享字符串 xl/sharedStrings.xml 含有 DTD 声明（<!DOCTYPE>），出于安全原因拒绝读取");
}

TEST(XlsxEntityTest, BillionLaughsInTheSheetAreRefused) {
  std::string sheet = Laughs("<worksheet xmlns=\"" + std::string(kMain) + "\"><sheetData>",
                             "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol9;</t></is></c>"
                             "</row>",
                             "</sheetData></worksheet>");
  Status s = Error(Parts(sheet).Zip());
  EXPECT_EQ(s.message(),
            "工作表 xl/worksheets/sheet1.xml 含有 DTD 声明（<!DOCTYPE>），出于安全原因拒绝读取");
}

TEST(XlsxEntityTest, AnExternalEntityIsRefusedAndNothingIsFetched) {
  std::string sheet =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE w [<!ENTITY x SYSTEM "
      "\"file:///etc/passwd\">]><worksheet xmlns=\"" +
      std::string(kMain) +
      "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&x;</t>"
      "</is></c></row></sheetData></worksheet>";
  Status s = Error(Parts(sheet).Zip());
  EXPECT_TRUE(Contains(s.message(), "含有 DTD 声明")) << s.message();
  EXPECT_FALSE(Contains(s.message(), "root:"));
}

TEST(XlsxEntityTest, AnUndeclaredEntityIsMalformedXmlNamingThePartAndLine) {
  std::string sheet = Worksheet(
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&x;</t></is></c>"
      "</row>");
  Status s = Error(Parts(sheet).Zip());
  EXPECT_EQ(s.message(), "工作表 xl/worksheets/sheet1.xml 第2行 XML 格式错误（文件已损坏）");
  ASSERT_FALSE(s.details().empty());
  EXPECT_TRUE(Contains(s.details()[0].reason, "undefined entity")) << s.details()[0].reason;
}

TEST(XlsxLimitTest, AMillionRowSheetIsRefusedAtMaxRowsWithoutReadingItAll) {
  // About 40 MB of XML, generated as it is deflated.
  auto row = std::make_shared<int>(0);
  auto pending = std::make_shared<std::string>();
  Producer rows = [row, pending](char* out, std::size_t n) -> std::size_t {
    std::size_t done = 0;
    while (done < n) {
      if (pending->empty()) {
        if (*row >= 1'000'000) break;
        ++*row;
        std::string r = std::to_string(*row);
        *pending = "<row r=\"" + r + "\"><c r=\"A" + r + "\"><v>" + r + "</v></c></row>";
      }
      std::size_t k = std::min(n - done, pending->size());
      std::memcpy(out + done, pending->data(), k);
      pending->erase(0, k);
      done += k;
    }
    return done;
  };
  ZipWriter w;
  Parts parts(Worksheet(""));
  for (const auto& [name, content] : parts.files) {
    if (name != "xl/worksheets/sheet1.xml") w.Add(name, content);
  }
  std::string sheet = Worksheet("PAD");
  std::size_t pad = sheet.find("PAD");
  w.AddGenerated("xl/worksheets/sheet1.xml",
                 Concat(sheet.substr(0, pad), rows, sheet.substr(pad + 3)), 1);
  std::string bytes = w.Finish();
  ASSERT_EQ(*row, 1'000'000);

  int calls = 0;
  Status s = ReadXlsxRows(bytes, XlsxOptions(), [&](const XlsxRow&) {
    ++calls;
    return Status::Ok();
  });
  EXPECT_EQ(s.message(), "工作表行数过多：最多 200000 行数据，请分批导入");
  EXPECT_EQ(calls, 200'001);  // the header and the allowed data rows, then it stopped
  XlsxOptions small;
  small.limits.max_rows = 1000;
  EXPECT_EQ(Error(bytes, small).message(), "工作表行数过多：最多 1000 行数据，请分批导入");
}

TEST(XlsxLimitTest, TooManyColumnsCellsOrCharactersAreRefused) {
  Parts parts(Worksheet(
      "<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"B1\"><v>2</v></c><c r=\"C1\"><v>3</v></c>"
      "<c r=\"D1\"><v>4</v></c></row><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>"
      "一二三四五六七八九十</t></is></c></row>"));
  std::string bytes = parts.Zip();
  XlsxOptions options;
  options.limits.max_columns = 3;
  Status s = Error(bytes, options);
  EXPECT_EQ(s.message(), "第1行列数过多：最多 3 列");
  ASSERT_FALSE(s.details().empty());
  EXPECT_EQ(s.details()[0].field, "第1行 D列");

  options = XlsxOptions();
  options.limits.max_cells = 4;
  EXPECT_EQ(Error(bytes, options).message(), "工作表单元格过多：最多 4 个，请分批导入");

  options = XlsxOptions();
  options.limits.max_cell_bytes = 20;
  EXPECT_EQ(Error(bytes, options).message(), "第2行 A列内容过长：单元格最多 20 字节");
}

TEST(XlsxLimitTest, TooManyOrTooLongSharedStringsAreRefused) {
  Parts parts(Worksheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"));
  parts.Strings({"甲", "乙", "丙", "一二三四五六七八九十"});
  std::string bytes = parts.Zip();
  XlsxOptions options;
  options.limits.max_shared_strings = 3;
  EXPECT_EQ(Error(bytes, options).message(), "共享字符串 xl/sharedStrings.xml 过多：最多 3 个");
  options = XlsxOptions();
  options.limits.max_cell_bytes = 20;
  EXPECT_EQ(Error(bytes, options).message(),
            "共享字符串 xl/sharedStrings.xml 第4个字符串过长：单元格最多 20 字节");
  options = XlsxOptions();
  options.limits.max_shared_string_bytes = 0;
  EXPECT_TRUE(Contains(Error(bytes, options).message(), "的文字过多"));
}

TEST(XlsxLimitTest, ASharedStringIndexOutOfRangeIsRefused) {
  Parts parts(
      Worksheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
                "<c r=\"B1\" t=\"s\"><v>5</v></c></row>"));
  parts.Strings({"甲"});
  EXPECT_EQ(Error(parts.Zip()).message(),
            "第1行 B列引用的共享字符串序号“5”超出范围（共 1 个）：文件已损坏");
  // Without a shared strings part there is none to refer to.
  parts.Without("xl/sharedStrings.xml");
  EXPECT_TRUE(Contains(Error(parts.Zip()).message(), "（共 0 个）"));
}

TEST(XlsxLimitTest, AnOverlongXmlTokenIsRefusedBeforeExpatBuffersIt) {
  std::string sheet = Worksheet("<row r=\"1\" x=\"" + std::string(3 << 20, 'a') + "\"/>");
  EXPECT_EQ(Error(Parts(sheet).Zip(0)).message(),
            "工作表 xl/worksheets/sheet1.xml 第2行 XML 中有超过 1 MB 的单个标记，拒绝读取");
}

TEST(XlsxLimitTest, AnArchiveOverMaxArchiveBytesIsRefusedUnread) {
  XlsxOptions options;
  options.limits.max_archive_bytes = 100;
  EXPECT_EQ(Error(Parts(Worksheet("")).Zip(), options).message(),
            "文件过大：xlsx 文件最多 100 字节");
}

TEST(XlsxBrokenTest, ATruncatedArchiveIsRefused) {
  std::string rows;
  for (int r = 1; r <= 200; ++r) {
    rows +=
        "<row r=\"" + std::to_string(r) + "\"><c><v>" + std::to_string(r * 7) + "</v></c></row>";
  }
  std::string good = Parts(Worksheet(rows)).Zip();
  ASSERT_TRUE(ReadXlsx(good).ok());
  for (std::size_t keep : {good.size() / 2, good.size() - 1, good.size() - 22, std::size_t{30}}) {
    Status s = Error(good.substr(0, keep));
    EXPECT_EQ(s.message(),
              "xlsx 文件已损坏或不完整（压缩包无法打开）：请在 Excel 中重新保存后再上传")
        << keep;
  }
}

TEST(XlsxBrokenTest, ACorruptedPartFailsItsChecksum) {
  std::string good =
      Parts(Worksheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>MARKER</t></is></c></row>"))
          .Zip(0);
  std::size_t at = good.find("MARKER");
  ASSERT_NE(at, std::string::npos);
  good[at] = 'N';
  Status s = Error(good);
  EXPECT_EQ(s.message(), "xlsx 文件已损坏：工作表 xl/worksheets/sheet1.xml 无法解压");
}

TEST(XlsxBrokenTest, FilesThatAreNoWorkbookRenamedXlsxAreRefused) {
  std::mt19937 rng(7);
  std::string random(4096, '\0');
  for (char& c : random) c = static_cast<char>(rng());
  const std::string not_zip = "文件不是有效的 xlsx 工作簿：请上传 Excel 保存的 .xlsx 文件";
  EXPECT_EQ(Error("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n").message(), not_zip);
  EXPECT_EQ(Error("单位编码,指标编码,期别,数值\nxd,gdp,2024Q2,258.4\n").message(), not_zip);
  EXPECT_EQ(Error(random).message(), not_zip);
  EXPECT_EQ(Error("").message(), not_zip);
  EXPECT_TRUE(Contains(Error("PK\x03\x04" + random).message(), "已损坏或不完整"));
  EXPECT_TRUE(Contains(Error(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + random).message(),
                       "旧版 Excel（.xls）"));
  EXPECT_FALSE(XlsxSheetNames(random).ok());
}

TEST(XlsxBrokenTest, AZipWithoutWorkbookIsRefused) {
  ZipWriter w;
  w.Add("readme.txt", "这不是工作簿");
  EXPECT_EQ(Error(w.Finish()).message(),
            "文件不是有效的 xlsx 工作簿：压缩包中没有 Excel 工作簿（xl/workbook.xml）");
  // A Word document is a zip with a main part too, of another kind.
  Parts docx(Worksheet(""));
  std::string& types = docx.files["[Content_Types].xml"];
  types.replace(types.find("spreadsheetml.sheet.main+xml"), 28,
                "wordprocessingml.document.main+xml");
  EXPECT_TRUE(Contains(Error(docx.Zip()).message(), "文件不是 Excel 工作簿")) << types;
}

TEST(XlsxBrokenTest, AMissingSheetPartOrRelationshipIsNamed) {
  Parts parts(Worksheet(""));
  parts.Without("xl/worksheets/sheet1.xml");
  EXPECT_EQ(Error(parts.Zip()).message(), "xlsx 文件已损坏：缺少工作表 xl/worksheets/sheet1.xml");
  Parts no_rels(Worksheet(""));
  no_rels.Without("xl/_rels/workbook.xml.rels");
  EXPECT_EQ(Error(no_rels.Zip()).message(),
            "xlsx 文件已损坏：缺少工作簿的关系文件 xl/_rels/workbook.xml.rels");
}

TEST(XlsxBrokenTest, MalformedXmlNamesThePartAndItsLine) {
  Status s = Error(Parts("<?xml version=\"1.0\"?>\n<worksheet>\n<sheetData><row><c></row>").Zip());
  EXPECT_EQ(s.message(), "工作表 xl/worksheets/sheet1.xml 第3行 XML 格式错误（文件已损坏）");
  ASSERT_FALSE(s.details().empty());
  EXPECT_EQ(s.details()[0].field, "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(Contains(s.details()[0].reason, "mismatched tag")) << s.details()[0].reason;
  Parts bad_book(Worksheet(""));
  bad_book.With("xl/workbook.xml", "<workbook><sheets>");
  EXPECT_EQ(Error(bad_book.Zip()).message(),
            "工作簿 xl/workbook.xml 第1行 XML 格式错误（文件已损坏）");
}

// ---- The hand-written scanner of the sheet and shared strings against expat ----

// The same bytes read by the fast scanner (with its fallback) and by expat alone: the same
// table, or the same refusal.
void ExpectSameAsExpat(const std::string& bytes) {
  XlsxOptions slow;
  slow.expat_only = true;
  Result<Table> fast = ReadXlsx(bytes), reference = ReadXlsx(bytes, slow);
  ASSERT_EQ(fast.ok(), reference.ok())
      << (fast.ok() ? reference.status() : fast.status()).message();
  if (!fast.ok()) {
    EXPECT_EQ(fast.status().message(), reference.status().message());
    return;
  }
  EXPECT_EQ(fast->header, reference->header);
  ASSERT_EQ(fast->rows.size(), reference->rows.size());
  for (std::size_t i = 0; i < fast->rows.size(); ++i) {
    EXPECT_EQ(fast->rows[i].line, reference->rows[i].line);
    EXPECT_EQ(fast->rows[i].cells, reference->rows[i].cells);
  }
}

TEST(XlsxFastScanTest, ReferencesLineEndsPrefixesAndQuotesReadAsExpatReadsThem) {
  const std::string sheet =
      std::string("\xEF\xBB\xBF<?xml version='1.0' encoding='utf-8'?>\r\n<x:worksheet xmlns:x=\"") +
      kMain +
      "\">\r\n <x:sheetData>\r\n  <x:row r = '1' ><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>&#20013;"
      "&#x6587;&lt;&amp;&gt;&quot;&apos; a\r\nb\rc]]</x:t></x:is></x:c>"
      "<x:c r='B1' t='s'><x:v> 0 </x:v></x:c><x:c r=\"C1\" t=\"inlineStr\"><x:is><x:r><x:t>富</x:t>"
      "</x:r><x:rPh><x:t>fu</x:t></x:rPh><x:r><x:t>文本</x:t></x:r></x:is></x:c></x:row>\r\n"
      "  <x:row r=\"2\"><x:c r=\"A2\" s=\"0\"><x:v>-12</x:v></x:c><x:c r=\"B2\"><x:v>0.10</x:v>"
      "</x:c><x:c r=\"C2\" t=\"b\"><x:v>1</x:v></x:c><x:c/></x:row>\r\n </x:sheetData>\r\n</x:worksheet>";
  Parts parts(sheet);
  parts.Strings({"本月&#10;&#x9;x_x000D_"});
  const Table t = Read(parts.Zip());
  EXPECT_EQ(t.header, (Cells{"中文<&>\"' a\nb\nc]]", "本月\n\tx\r", "富文本"}));
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].cells, (Cells{"-12", "0.1", "TRUE"}));
  ExpectSameAsExpat(parts.Zip());
}

TEST(XlsxFastScanTest, XmlTheScannerDoesNotReadGoesToExpatWithoutRepeatingRows) {
  // A comment after two rows: the scanner hands rows 1–2 over, then expat reads the part from
  // the start and hands over only what follows.
  const std::string bytes = Parts(Worksheet(
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>名称</t></is></c></row>"
      "<row r=\"2\"><c r=\"A2\"><v>1</v></c></row><!-- 备注 -->"
      "<row r=\"3\"><c r=\"A3\"><v>2</v></c></row><row r=\"4\"><c r=\"A4\"><![CDATA[<x>]]></c>"
      "<c r=\"B4\" t=\"inlineStr\"><is><t><![CDATA[a<b]]></t></is></c></row>")).Zip();
  std::vector<int> lines;
  ASSERT_TRUE(ReadXlsxRows(bytes, XlsxOptions(), [&](const XlsxRow& row) {
                lines.push_back(row.line);
                return Status::Ok();
              }).ok());
  EXPECT_EQ(lines, (std::vector<int>{1, 2, 3, 4}));
  const Table t = Read(bytes);
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[2].cells, (Cells{"", "a<b"}));
  ExpectSameAsExpat(bytes);
}

TEST(XlsxFastScanTest, MalformedXmlIsRefusedAsExpatRefusesIt) {
  const std::string good_row = "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>";
  for (const std::string& sheet : std::vector<std::string>{
           Worksheet(good_row + "<row r=\"2\"><c r=\"A2\"><v>1</v></row>"),  // mismatched tag
           Worksheet(good_row + "<row r=\"2\"><c r=\"A2\" r=\"B2\"><v>1</v></c></row>"),
           Worksheet(good_row + "<row r=\"2\"><c r=\"A2\"><v>&nbsp;</v></c></row>"),
           Worksheet(good_row + "<row r=\"2\"><c r=\"A2\"><v>&#0;</v></c></row>"),
           Worksheet(good_row + "<row r=\"2\"><c r=\"A2\"><v>&#xD800;</v></c></row>"),
           Worksheet(good_row + "<row r=\"2\"><c r=\"A2\"><v>a]]>b</v></c></row>"),
           Worksheet(good_row + "<row r=\"2\"><c r=\"A2\"><v>\x01</v></c></row>"),
           Worksheet(good_row + "<row r=\"2\"><c r=\"A2\"><v>\xC3\x28</v></c></row>"),  // bad UTF-8
           Worksheet(good_row + "<row r=\"2\"><c r=\"A<2\"><v>1</v></c></row>"),
           Worksheet(good_row + "<row r=\"2\"><c r=\"A2\"t=\"n\"><v>1</v></c></row>"),
           Worksheet(good_row) + "<worksheet/>",                      // a second root
           Worksheet(good_row).substr(0, 200),                        // cut off
           "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><worksheet><sheetData><row><c "
           "t=\"inlineStr\"><is><t>\xE9</t></is></c></row></sheetData></worksheet>",  // Latin-1
           "<?xml version=\"1.0\"?><!DOCTYPE worksheet><worksheet/>",
       }) {
    SCOPED_TRACE(sheet);
    ExpectSameAsExpat(Parts(sheet).Zip());
  }
}

TEST(XlsxBrokenTest, RowNumbersOutOfOrderOrOffTheGridAreRefused) {
  EXPECT_TRUE(Contains(
      Error(Parts(Worksheet("<row r=\"5\"><c><v>1</v></c></row><row r=\"3\"/>")).Zip()).message(),
      "行号不递增"));
  EXPECT_TRUE(Contains(Error(Parts(Worksheet("<row r=\"1048577\"/>")).Zip()).message(),
                       "行号“1048577”无效"));
  EXPECT_TRUE(Contains(
      Error(Parts(Worksheet("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>")).Zip()).message(),
      "单元格位置“XFE1”无效"));
}

// ---- Files written by other programs, generated inside the test ----

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "tiaodu_xlsx_XXXXXX").string();
    char* made = mkdtemp(pattern.data());
    if (made) path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

int Shell(const std::string& command) {
  int rc = std::system(command.c_str());
  return rc;
}

// A python3 that has openpyxl ("" when none has): the one on PATH, then Debian's.
std::string PythonWithOpenpyxl() {
  for (const char* py : {"python3", "/usr/bin/python3"}) {
    if (Shell(std::string(py) + " -c 'import openpyxl' >/dev/null 2>&1") == 0) return py;
  }
  return "";
}

bool HaveSoffice() { return Shell("command -v soffice >/dev/null 2>&1") == 0; }

class OpenpyxlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    std::string py = PythonWithOpenpyxl();
    if (py.empty()) return;
    std::string cmd = py + " " + TIAODU_SOURCE_DIR "/tests/io/make_xlsx_fixtures.py " +
                      dir_->path().string() + " >" + (dir_->path() / "python.log").string() +
                      " 2>&1";
    made_ = Shell(cmd) == 0;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!made_) {
      GTEST_SKIP() << "python3 with openpyxl (Debian python3-openpyxl) is not installed";
    }
  }
  static std::string Fixture(const std::string& name) { return ReadFileBytes(dir_->path() / name); }
  static inline TempDir* dir_ = nullptr;
  static inline bool made_ = false;
};

TEST_F(OpenpyxlTest, StringsNumbersDatesTimesAndBooleans) {
  Table t = Read(Fixture("basic.xlsx"));
  EXPECT_EQ(t.header, (Cells{"名称", "数值", "日期", "日期时间", "布尔", "公式", "时间", "中文日期",
                             "百分比"}));
  ASSERT_EQ(t.rows.size(), 5u);
  // F2 is a formula openpyxl cannot compute: no cached value, an empty cell.
  EXPECT_EQ(t.rows[0].cells, (Cells{"甲", "258.4", "2024-06-30", "2024-06-30 08:30:00", "TRUE", "",
                                    "08:30:00", "2024-06-30", "0.153"}));
  EXPECT_EQ(t.rows[1].cells,
            (Cells{"乙", "0.0000001", "1900-03-01", "2024-07-01 23:59:59", "FALSE"}));
  EXPECT_EQ(t.rows[2].cells, (Cells{"丙", "12345678901"}));
  EXPECT_EQ(t.rows[3].cells, (Cells{"丁", "-3.5"}));
  EXPECT_EQ(t.rows[4].cells, (Cells{"第一行\n第二行", "42"}));
  EXPECT_EQ(t.rows[4].line, 6);
}

TEST_F(OpenpyxlTest, TheNamedSheetOfTwoAndTheSheetNamesInOrder) {
  std::string bytes = Fixture("two_sheets.xlsx");
  Result<std::vector<std::string>> names = XlsxSheetNames(bytes);
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (Cells{"说明", "数据"}));
  EXPECT_EQ(Read(bytes).header, (Cells{"本表为填报说明"}));
  XlsxOptions options;
  options.sheet = "数据";
  Table t = Read(bytes, options);
  EXPECT_EQ(t.header, (Cells{"单位编码", "数值"}));
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].cells, (Cells{"xd", "101"}));
}

TEST_F(OpenpyxlTest, The1904DateSystem) {
  Table t = Read(Fixture("date1904.xlsx"));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].cells, (Cells{"2024-06-30", "2024-06-30 08:30:00"}));
  EXPECT_EQ(t.rows[1].cells, (Cells{"1904-01-02"}));
}

TEST_F(OpenpyxlTest, MergedTwoRowHeader) {
  XlsxOptions options;
  options.limits.header_rows = 2;
  Table t = Read(Fixture("merged_header.xlsx"), options);
  EXPECT_EQ(t.header, (Cells{"指标", "本月 绝对值", "本月 增速", "累计 绝对值", "累计 增速"}));
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].line, 3);
  EXPECT_EQ(t.rows[0].cells, (Cells{"地区生产总值", "258.4", "5.2", "1030.5", "6.1"}));
}

// LibreOffice, headless, with a private profile so that parallel tests do not share one.
class LibreOfficeTest : public OpenpyxlTest {
 protected:
  void SetUp() override {
    if (!HaveSoffice()) {
      GTEST_SKIP() << "soffice (Debian libreoffice-calc-nogui) is not installed";
    }
  }
  // Converts `input` (in the fixture dir) to xlsx; returns the bytes ("" on failure).
  std::string Convert(const fs::path& input, const std::string& infilter = "") {
    fs::path out = dir_->path() / ("lo_" + std::to_string(getpid()));
    std::string cmd = "soffice -env:UserInstallation=file://" +
                      (dir_->path() / "lo_profile").string() + " --headless --norestore " +
                      (infilter.empty() ? "" : "--infilter=\"" + infilter + "\" ") +
                      "--convert-to xlsx --outdir " + out.string() + " " + input.string() + " >" +
                      (dir_->path() / "soffice.log").string() + " 2>&1";
    EXPECT_EQ(Shell(cmd), 0) << ReadFileBytes(dir_->path() / "soffice.log");
    return ReadFileBytes(out / (input.stem().string() + ".xlsx"));
  }
};

TEST_F(LibreOfficeTest, ACsvSavedAsXlsxByLibreOffice) {
  fs::path csv = dir_->path() / "lo_input.csv";
  std::ofstream(csv) << "名称,数值,日期,日期时间,布尔,公式\n"
                        "甲,258.4,2024-06-30,2024-07-01 08:30:00,TRUE,=B2*2\n"
                        "乙,1E-07,2024-02-29,2024-07-01 23:59:59,FALSE,=B3+1\n"
                        "丙,12345678901,,,,=A2&A3\n"
                        "丁,-3.5\n";
  // Comma, double quote, UTF-8 (76), from line 1, standard columns, en-US, detect dates.
  std::string bytes = Convert(csv, "CSV:44,34,76,1,,1033,false,true");
  ASSERT_FALSE(bytes.empty());
  Table t = Read(bytes);
  EXPECT_EQ(t.header, (Cells{"名称", "数值", "日期", "日期时间", "布尔", "公式"}));
  ASSERT_EQ(t.rows.size(), 4u);
  EXPECT_EQ(t.rows[0].cells,
            (Cells{"甲", "258.4", "2024-06-30", "2024-07-01 08:30:00", "TRUE", "516.8"}));
  EXPECT_EQ(t.rows[1].cells,
            (Cells{"乙", "0.0000001", "2024-02-29", "2024-07-01 23:59:59", "FALSE", "1.0000001"}));
  EXPECT_EQ(t.rows[2].cells, (Cells{"丙", "12345678901", "", "", "", "甲乙"}));
  EXPECT_EQ(t.rows[3].cells, (Cells{"丁", "-3.5"}));
}

TEST_F(LibreOfficeTest, FormulasGetTheValuesLibreOfficeComputedAndCached) {
  if (!made_) GTEST_SKIP() << "python3 with openpyxl (Debian python3-openpyxl) is not installed";
  // openpyxl writes the formulas without values; LibreOffice computes and stores them.
  Table before = Read(Fixture("formulas.xlsx"));
  ASSERT_EQ(before.rows.size(), 1u);
  EXPECT_EQ(before.rows[0].cells, (Cells{"258.4"}));
  Table t = Read(Convert(dir_->path() / "formulas.xlsx"));
  EXPECT_EQ(t.header, (Cells{"数值", "两倍", "文字", "判断", "错误"}));
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].cells, (Cells{"258.4", "516.8", "第258.4", "TRUE", "#DIV/0!"}));
}

TEST_F(LibreOfficeTest, AMergedHeaderResavedByLibreOffice) {
  if (!made_) GTEST_SKIP() << "python3 with openpyxl (Debian python3-openpyxl) is not installed";
  XlsxOptions options;
  options.limits.header_rows = 2;
  Table t = Read(Convert(dir_->path() / "merged_header.xlsx"), options);
  EXPECT_EQ(t.header, (Cells{"指标", "本月 绝对值", "本月 增速", "累计 绝对值", "累计 增速"}));
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].cells, (Cells{"地区生产总值", "258.4", "5.2", "1030.5", "6.1"}));
}

TEST_F(LibreOfficeTest, DatesOfA1904WorkbookResavedByLibreOffice) {
  if (!made_) GTEST_SKIP() << "python3 with openpyxl (Debian python3-openpyxl) is not installed";
  Table t = Read(Convert(dir_->path() / "date1904.xlsx"));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].cells, (Cells{"2024-06-30", "2024-06-30 08:30:00"}));
  EXPECT_EQ(t.rows[1].cells, (Cells{"1904-01-02"}));
}

}  // namespace
}  // namespace tiaodu::io
