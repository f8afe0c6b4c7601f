#include "io/docx_writer.h"

#include <zip.h>

#include <cmath>
#include <cstring>
#include <ctime>

namespace tiaodu::io::docx {
namespace {

// Appends the code point at s[i] when it is valid UTF-8 and XML may carry it; returns the
// bytes consumed (a bad byte: 1, written as U+FFFD).
size_t CopyChar(std::string_view s, size_t i, std::string& out) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) {
    if (c >= 0x20 || c == '\t' || c == '\n') out += static_cast<char>(c);
    return 1;
  }
  size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  bool ok = len != 0 && i + len <= s.size();
  for (size_t k = 1; ok && k < len; ++k) ok = b(i + k) >= 0x80 && b(i + k) <= 0xBF;
  // Overlong forms, surrogates and code points past U+10FFFF.
  if (ok && c == 0xE0) ok = b(i + 1) >= 0xA0;
  if (ok && c == 0xED) ok = b(i + 1) <= 0x9F;
  if (ok && c == 0xF0) ok = b(i + 1) >= 0x90;
  if (ok && c == 0xF4) ok = b(i + 1) <= 0x8F;
  // U+FFFE and U+FFFF are not XML characters.
  if (ok && c == 0xEF && b(i + 1) == 0xBF && (b(i + 2) == 0xBE || b(i + 2) == 0xBF)) return 3;
  if (!ok) {
    out += "\xEF\xBF\xBD";
    return 1;
  }
  out.append(s.substr(i, len));
  return len;
}

const char* AlignName(Align a) {
  switch (a) {
    case Align::kLeft:
      return "left";
    case Align::kCenter:
      return "center";
    case Align::kRight:
      return "right";
    case Align::kBoth:
      return "both";
  }
  return "both";
}

std::string Attr(std::string_view text) { return "\"" + EscapeXml(text) + "\""; }

std::string FontsXml(const Font& f) {
  std::string x = "<w:rPr><w:rFonts w:ascii=" + Attr(f.latin) + " w:hAnsi=" + Attr(f.latin) +
                  " w:eastAsia=" + Attr(f.east_asia) + " w:cs=" + Attr(f.latin) + " w:hint=\"eastAsia\"/>";
  if (f.bold) x += "<w:b/><w:bCs/>";
  if (!f.color.empty()) x += "<w:color w:val=" + Attr(f.color) + "/>";
  const std::string sz = std::to_string(f.half_points);
  x += "<w:sz w:val=\"" + sz + "\"/><w:szCs w:val=\"" + sz + "\"/></w:rPr>";
  return x;
}

void AppendRun(std::string& x, const Run& r) {
  const std::string rpr = FontsXml(r.font);
  // A newline in the text is a line break inside the paragraph.
  std::string_view text = r.text;
  bool first = true;
  while (true) {
    const size_t nl = text.find('\n');
    x += "<w:r>" + rpr;
    if (!first) x += "<w:br/>";
    x += "<w:t xml:space=\"preserve\">" + EscapeXml(text.substr(0, nl)) + "</w:t></w:r>";
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
    first = false;
  }
}

void AppendParagraph(std::string& x, const Paragraph& p) {
  x += "<w:p><w:pPr>";
  if (p.keep_next) x += "<w:keepNext/>";
  if (p.page_break_before) x += "<w:pageBreakBefore/>";
  if (p.rule_eighths > 0)
    x += "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"" + std::to_string(p.rule_eighths) + "\" w:space=\"1\" w:color=" +
         Attr(p.rule_color.empty() ? "auto" : p.rule_color) + "/></w:pBdr>";
  x += "<w:spacing w:before=\"" + std::to_string(p.before_twips) + "\" w:after=\"" + std::to_string(p.after_twips) + "\"";
  if (p.line_twips > 0) x += " w:line=\"" + std::to_string(p.line_twips) + "\" w:lineRule=\"exact\"";
  x += "/>";
  if (p.first_line_chars > 0) {
    // Both forms: Word reads the characters, LibreOffice the twips (of the first run's size).
    const int size = p.runs.empty() ? 32 : p.runs.front().font.half_points;
    x += "<w:ind w:firstLineChars=\"" + std::to_string(p.first_line_chars) + "\" w:firstLine=\"" +
         std::to_string(p.first_line_chars * size / 10) + "\"/>";
  }
  x += "<w:jc w:val=\"" + std::string(AlignName(p.align)) + "\"/>";
  // The paragraph mark takes the first run's font, so an empty line keeps its height.
  if (!p.runs.empty()) x += FontsXml(p.runs.front().font);
  x += "</w:pPr>";
  for (const Run& r : p.runs) AppendRun(x, r);
  x += "</w:p>";
}

void AppendTable(std::string& x, const Table& t) {
  int total = 0;
  for (int w : t.widths) total += w;
  x += "<w:tbl><w:tblPr><w:tblW w:w=\"" + std::to_string(total) +
       "\" w:type=\"dxa\"/><w:jc w:val=\"center\"/><w:tblBorders>";
  for (const char* side : {"top", "left", "bottom", "right", "insideH", "insideV"})
    x += std::string("<w:") + side + " w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>";
  x += "</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/>"
       "<w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>";
  for (int w : t.widths) x += "<w:gridCol w:w=\"" + std::to_string(w) + "\"/>";
  x += "</w:tblGrid>";
  for (size_t r = 0; r < t.rows.size(); ++r) {
    x += "<w:tr><w:trPr><w:cantSplit/>";
    if (static_cast<int>(r) < t.header_rows) x += "<w:tblHeader/>";
    x += "</w:trPr>";
    for (size_t c = 0; c < t.rows[r].size(); ++c) {
      const Cell& cell = t.rows[r][c];
      const int w = c < t.widths.size() ? t.widths[c] : 0;
      x += "<w:tc><w:tcPr><w:tcW w:w=\"" + std::to_string(w) + "\" w:type=\"dxa\"/>";
      if (!cell.shade.empty()) x += "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=" + Attr(cell.shade) + "/>";
      x += "<w:vAlign w:val=\"center\"/></w:tcPr>";
      if (cell.paragraphs.empty()) x += "<w:p/>";
      for (const Paragraph& p : cell.paragraphs) AppendParagraph(x, p);
      x += "</w:tc>";
    }
    x += "</w:tr>";
  }
  x += "</w:tbl>";
}

constexpr const char* kWordNs =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

std::string SectionXml(const PageSetup& p) {
  std::string x = "<w:sectPr>";
  if (p.page_numbers) x += "<w:footerReference w:type=\"default\" r:id=\"rIdFooter1\"/>";
  x += "<w:pgSz w:w=\"" + std::to_string(p.width) + "\" w:h=\"" + std::to_string(p.height) + "\"/>";
  x += "<w:pgMar w:top=\"" + std::to_string(p.top) + "\" w:right=\"" + std::to_string(p.right) + "\" w:bottom=\"" +
       std::to_string(p.bottom) + "\" w:left=\"" + std::to_string(p.left) + "\" w:header=\"" + std::to_string(p.header) +
       "\" w:footer=\"" + std::to_string(p.footer) + "\" w:gutter=\"0\"/>";
  if (p.line_pitch > 0) x += "<w:docGrid w:type=\"lines\" w:linePitch=\"" + std::to_string(p.line_pitch) + "\"/>";
  x += "</w:sectPr>";
  return x;
}

std::string FooterXml(const PageSetup& p) {
  const std::string rpr = FontsXml(p.footer_font);
  auto text = [&](const char* t) { return "<w:r>" + rpr + "<w:t xml:space=\"preserve\">" + std::string(t) + "</w:t></w:r>"; };
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr ") + kWordNs +
         "><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>" + text("— ") + "<w:r>" + rpr +
         "<w:fldChar w:fldCharType=\"begin\"/></w:r><w:r>" + rpr +
         "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r><w:r>" + rpr +
         "<w:fldChar w:fldCharType=\"separate\"/></w:r>" + text("1") + "<w:r>" + rpr +
         "<w:fldChar w:fldCharType=\"end\"/></w:r>" + text(" —") + "</w:p></w:ftr>";
}

std::string StylesXml(const Document& d) {
  std::string x = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles ") + kWordNs +
                  "><w:docDefaults><w:rPrDefault>" + FontsXml(d.default_font) +
                  "</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:before=\"0\" w:after=\"0\"";
  if (d.default_line_twips > 0) x += " w:line=\"" + std::to_string(d.default_line_twips) + "\" w:lineRule=\"exact\"";
  x += "/></w:pPr></w:pPrDefault></w:docDefaults>"
       "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>"
       "</w:style><w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal "
       "Table\"/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left "
       "w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" "
       "w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style></w:styles>";
  return x;
}

std::string ContentTypesXml(bool footer) {
  std::string x =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
      "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
      "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
      "<Override PartName=\"/word/document.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
      "<Override PartName=\"/word/styles.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
      "<Override PartName=\"/word/settings.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>";
  if (footer)
    x += "<Override PartName=\"/word/footer1.xml\" "
         "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>";
  x += "<Override PartName=\"/docProps/core.xml\" "
       "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
       "<Override PartName=\"/docProps/app.xml\" "
       "ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/></Types>";
  return x;
}

constexpr const char* kRootRels =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"word/document.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" "
    "Target=\"docProps/core.xml\"/>"
    "<Relationship Id=\"rId3\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" "
    "Target=\"docProps/app.xml\"/></Relationships>";

std::string DocumentRels(bool footer) {
  std::string x =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
      "Target=\"styles.xml\"/>"
      "<Relationship Id=\"rIdSettings\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>";
  if (footer)
    x += "<Relationship Id=\"rIdFooter1\" "
         "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>";
  return x + "</Relationships>";
}

std::string SettingsXml() {
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:settings ") + kWordNs +
         "><w:defaultTabStop w:val=\"420\"/><w:characterSpacingControl w:val=\"compressPunctuation\"/>"
         "<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" "
         "w:val=\"15\"/></w:compat></w:settings>";
}

std::string CoreXml(const Document& d) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
         "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
         "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>" +
         EscapeXml(d.title) + "</dc:title><dc:creator>调度 Tiaodu</dc:creator></cp:coreProperties>";
}

constexpr const char* kAppXml =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
    "<Application>Tiaodu</Application></Properties>";

// A zip archive in memory whose entries all carry the same fixed date.
class ZipBuilder {
 public:
  ZipBuilder() {
    zip_error_init(&error_);
    source_ = zip_source_buffer_create(nullptr, 0, 0, &error_);
    if (source_) {
      archive_ = zip_open_from_source(source_, ZIP_TRUNCATE, &error_);
      if (archive_) zip_source_keep(source_);
      else zip_source_free(source_), source_ = nullptr;
    }
    // 1980-01-01 00:00 in local time: libzip turns the time back into local DOS fields, so
    // every time zone writes the same bytes.
    std::tm tm{};
    tm.tm_year = 80;
    tm.tm_mday = 1;
    tm.tm_isdst = -1;
    when_ = std::mktime(&tm);
  }
  ~ZipBuilder() {
    if (archive_) zip_discard(archive_);
    if (source_) zip_source_free(source_);
    zip_error_fini(&error_);
  }
  ZipBuilder(const ZipBuilder&) = delete;
  ZipBuilder& operator=(const ZipBuilder&) = delete;

  bool Add(const std::string& name, std::string content) {
    if (!archive_) return false;
    parts_.push_back(std::move(content));
    const std::string& data = parts_.back();
    zip_source_t* s = zip_source_buffer(archive_, data.data(), data.size(), 0);
    if (!s) return false;
    const zip_int64_t index = zip_file_add(archive_, name.c_str(), s, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(s);
      return false;
    }
    return zip_file_set_mtime(archive_, static_cast<zip_uint64_t>(index), when_, 0) == 0 &&
           zip_set_file_compression(archive_, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE, 9) == 0;
  }

  Result<std::string> Finish() {
    if (!archive_) return Internal("生成Word文件失败：无法创建压缩包");
    if (zip_close(archive_) != 0) {
      zip_discard(archive_);
      archive_ = nullptr;
      return Internal("生成Word文件失败：压缩出错");
    }
    archive_ = nullptr;
    std::string out;
    if (zip_source_open(source_) != 0) return Internal("生成Word文件失败：无法读取压缩包");
    char buf[65536];
    zip_int64_t n;
    while ((n = zip_source_read(source_, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    zip_source_close(source_);
    if (n < 0) return Internal("生成Word文件失败：无法读取压缩包");
    return out;
  }

 private:
  zip_error_t error_;
  zip_source_t* source_ = nullptr;
  zip_t* archive_ = nullptr;
  std::time_t when_ = 0;
  std::vector<std::string> parts_;  // alive until zip_close reads them
};

}  // namespace

int MmToTwips(double mm) { return static_cast<int>(std::lround(mm * 1440.0 / 25.4)); }

Paragraph Para(std::string text, Font font, Align align, int first_line_chars) {
  Paragraph p;
  p.runs.push_back(Run{std::move(text), std::move(font)});
  p.align = align;
  p.first_line_chars = first_line_chars;
  return p;
}

std::string EscapeXml(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (size_t i = 0; i < text.size();) i += CopyChar(text, i, clean);
  std::string out;
  out.reserve(clean.size());
  for (char c : clean) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string DocumentXml(const Document& doc) {
  std::string x = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document ") + kWordNs +
                  "><w:body>";
  for (const Block& b : doc.body) {
    if (const auto* p = std::get_if<Paragraph>(&b)) AppendParagraph(x, *p);
    else AppendTable(x, std::get<Table>(b));
  }
  x += SectionXml(doc.page) + "</w:body></w:document>";
  return x;
}

Result<std::string> WriteDocx(const Document& doc) {
  ZipBuilder zip;
  const bool footer = doc.page.page_numbers;
  bool ok = zip.Add("[Content_Types].xml", ContentTypesXml(footer)) && zip.Add("_rels/.rels", kRootRels) &&
            zip.Add("docProps/core.xml", CoreXml(doc)) && zip.Add("docProps/app.xml", kAppXml) &&
            zip.Add("word/_rels/document.xml.rels", DocumentRels(footer)) &&
            zip.Add("word/document.xml", DocumentXml(doc)) && zip.Add("word/styles.xml", StylesXml(doc)) &&
            zip.Add("word/settings.xml", SettingsXml());
  if (ok && footer) ok = zip.Add("word/footer1.xml", FooterXml(doc.page));
  if (!ok) return Internal("生成Word文件失败：无法写入压缩包");
  return zip.Finish();
}

Font OfficialFont(const char* east_asia, int half_points, bool bold, std::string color) {
  Font f;
  f.east_asia = east_asia;
  f.latin = "Times New Roman";
  f.half_points = half_points;
  f.bold = bold;
  f.color = std::move(color);
  return f;
}

int OfficialTextWidth() { return MmToTwips(156); }

Document OfficialDocument(std::string title) {
  Document doc;
  doc.title = std::move(title);
  doc.page.top = MmToTwips(37);
  doc.page.left = MmToTwips(28);
  doc.page.right = MmToTwips(210 - 28 - 156);
  doc.page.bottom = MmToTwips(297 - 37 - 225);
  doc.page.line_pitch = kOfficialLinePitch;
  doc.page.page_numbers = true;
  doc.page.footer_font = OfficialFont(kFangSong, kSize4);
  doc.default_font = OfficialFont(kFangSong, kSize3);
  doc.default_line_twips = kOfficialLinePitch;
  return doc;
}

}  // namespace tiaodu::io::docx
