#include "io/docx_writer.h"

#include <expat.h>
#include <gtest/gtest.h>
#include <zip.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace tiaodu::io::docx {
namespace {

bool WellFormed(const std::string& xml) {
  XML_Parser p = XML_ParserCreate("UTF-8");
  const bool ok = XML_Parse(p, xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_OK;
  XML_ParserFree(p);
  return ok;
}

// Names and DOS modification times of the entries of a zip held in memory.
struct Entry {
  std::string name;
  time_t mtime;
  std::string content;
};
std::vector<Entry> Entries(const std::string& bytes) {
  std::vector<Entry> out;
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  zip_t* za = zip_open_from_source(src, ZIP_RDONLY, &err);
  if (!za) {
    zip_source_free(src);
    return out;
  }
  for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0); ++i) {
    zip_stat_t st;
    zip_stat_index(za, static_cast<zip_uint64_t>(i), 0, &st);
    Entry e{st.name, st.mtime, ""};
    if (zip_file_t* f = zip_fopen_index(za, static_cast<zip_uint64_t>(i), 0)) {
      char buf[4096];
      zip_int64_t n;
      while ((n = zip_fread(f, buf, sizeof buf)) > 0) e.content.append(buf, static_cast<size_t>(n));
      zip_fclose(f);
    }
    out.push_back(std::move(e));
  }
  zip_close(za);
  return out;
}

Document Sample(const std::string& text) {
  Document d;
  d.title = "测试文档";
  d.page.top = MmToTwips(37);
  d.page.left = MmToTwips(28);
  d.page.right = MmToTwips(26);
  d.page.bottom = MmToTwips(35);
  d.page.page_numbers = true;
  d.body.push_back(Para(text, Font{}));
  Table t;
  t.widths = {2000, 3000};
  t.rows = {{Cell{{Para("单位", Font{})}, "D9D9D9"}, Cell{{Para("数值", Font{})}, ""}},
            {Cell{{Para(text, Font{})}, ""}, Cell{{}, ""}}};
  d.body.push_back(t);
  return d;
}

TEST(DocxWriterTest, MillimetresBecomeTwips) {
  EXPECT_EQ(MmToTwips(37), 2098);
  EXPECT_EQ(MmToTwips(28), 1587);
  EXPECT_EQ(MmToTwips(156), 8844);
  EXPECT_EQ(MmToTwips(210), 11906);
}

TEST(DocxWriterTest, EscapesMarkupAndCleansBadText) {
  EXPECT_EQ(EscapeXml("a<b>&\"c\"'"), "a&lt;b&gt;&amp;&quot;c&quot;&apos;");
  EXPECT_EQ(EscapeXml("x\x01y\x7Fz"), "xy\x7Fz");
  EXPECT_EQ(EscapeXml("\xFF"), "\xEF\xBF\xBD");        // not UTF-8
  EXPECT_EQ(EscapeXml("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(EscapeXml("\xEF\xBF\xBE"), "");            // U+FFFE is no XML character
  EXPECT_EQ(EscapeXml("仿宋_GB2312"), "仿宋_GB2312");
}

TEST(DocxWriterTest, HostileTextStaysWellFormed) {
  const std::string hostile = "</w:t></w:r><w:r><w:t>注入 & \x01 \xC3\x28 ]]> <!DOCTYPE x>\n第二行";
  const std::string xml = DocumentXml(Sample(hostile));
  EXPECT_TRUE(WellFormed(xml));
  EXPECT_EQ(xml.find("<!DOCTYPE"), std::string::npos);
  EXPECT_NE(xml.find("<w:br/>"), std::string::npos);  // the newline is a line break
}

TEST(DocxWriterTest, PageSetupFontsAndTablesAreWritten) {
  const std::string xml = DocumentXml(Sample("正文"));
  EXPECT_NE(xml.find("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"), std::string::npos);
  EXPECT_NE(xml.find("w:top=\"2098\""), std::string::npos);
  EXPECT_NE(xml.find("w:left=\"1587\""), std::string::npos);
  EXPECT_NE(xml.find("w:eastAsia=\"仿宋_GB2312\""), std::string::npos);
  EXPECT_NE(xml.find("<w:gridCol w:w=\"2000\"/><w:gridCol w:w=\"3000\"/>"), std::string::npos);
  EXPECT_NE(xml.find("w:fill=\"D9D9D9\""), std::string::npos);
  EXPECT_NE(xml.find("<w:tblHeader/>"), std::string::npos);
  EXPECT_NE(xml.find("<w:footerReference w:type=\"default\" r:id=\"rIdFooter1\"/>"), std::string::npos);
}

TEST(DocxWriterTest, PackageHasEveryPartWellFormedAndDatedOnTheFixedDay) {
  auto bytes = WriteDocx(Sample("正文"));
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  auto entries = Entries(*bytes);
  std::vector<std::string> names;
  for (const Entry& e : entries) {
    names.push_back(e.name);
    EXPECT_TRUE(WellFormed(e.content)) << e.name;
    std::tm tm{};
    localtime_r(&e.mtime, &tm);
    EXPECT_EQ(tm.tm_year + 1900, 1980) << e.name;
    EXPECT_EQ(tm.tm_mon, 0) << e.name;
    EXPECT_EQ(tm.tm_mday, 1) << e.name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"[Content_Types].xml", "_rels/.rels", "docProps/core.xml",
                                             "docProps/app.xml", "word/_rels/document.xml.rels",
                                             "word/document.xml", "word/styles.xml", "word/settings.xml",
                                             "word/footer1.xml"}));
}

TEST(DocxWriterTest, SameDocumentGivesSameBytesInAnyTimeZone) {
  auto a = WriteDocx(Sample("正文"));
  ::setenv("TZ", "America/New_York", 1);
  ::tzset();
  auto b = WriteDocx(Sample("正文"));
  ::setenv("TZ", "Asia/Shanghai", 1);
  ::tzset();
  auto c = WriteDocx(Sample("正文"));
  ::unsetenv("TZ");
  ::tzset();
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_TRUE(*a == *b);
  EXPECT_TRUE(*a == *c);
  auto other = WriteDocx(Sample("别的正文"));
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(*a == *other);
}

}  // namespace
}  // namespace tiaodu::io::docx
