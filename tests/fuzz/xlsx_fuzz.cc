// libFuzzer target for the xlsx reader (src/io/xlsx.cc), built with clang and ASan/UBSan by
// scripts/fuzz (tests/fuzz/CMakeLists.txt). An input is read two ways:
//
//  - as it is, when it starts like a zip ("PK"): the archive layer, libzip and the package
//    parts as a user could upload them;
//  - otherwise as the XML parts of a workbook, separated by 0xFF bytes (a byte UTF-8 never
//    has): sheet, shared strings, styles, workbook, workbook relationships. The harness zips
//    them (stored, so every byte reaches expat unchanged; random bytes inside a deflated
//    stream would mostly fail its checksum) with defaults for the parts not given.
//
// Besides crashes, leaks and undefined behaviour, it checks what the reader promises: a Table
// it answers stays within the limits, FormatXlsxNumber reads back to the same double, and the
// hand-written XML scanner of the worksheet and shared strings answers exactly what expat
// alone answers (XlsxOptions::expat_only): the same Table, or the same refusal — also through
// ReadXlsxRows, whose rows must not be handed twice when the scanner falls back mid-part.
#include <zip.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "io/xlsx.h"

namespace {

using tiaodu::io::XlsxOptions;

constexpr char kMain[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr char kRel[] = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

XlsxOptions SmallLimits(uint8_t knobs) {
  XlsxOptions o;
  o.limits.max_archive_bytes = 1 << 20;
  o.limits.max_uncompressed_bytes = 4 << 20;
  o.limits.max_total_uncompressed = 8 << 20;
  o.limits.max_ratio = 100;
  o.limits.max_rows = 500;
  o.limits.max_columns = 40;
  o.limits.max_cells = 5000;
  o.limits.max_shared_strings = 2000;
  o.limits.max_shared_string_bytes = 256 << 10;
  o.limits.max_cell_bytes = 1024;
  o.limits.header_rows = 1 + (knobs & 1);
  if (knobs & 2) o.sheet = "数据";
  return o;
}

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "broken promise: %s\n", what);
    std::abort();
  }
}

bool SameTable(const tiaodu::io::Table& a, const tiaodu::io::Table& b) {
  if (a.header != b.header || a.rows.size() != b.rows.size()) return false;
  for (std::size_t i = 0; i < a.rows.size(); ++i) {
    if (a.rows[i].line != b.rows[i].line || a.rows[i].cells != b.rows[i].cells) return false;
  }
  return true;
}

// The rows ReadXlsxRows hands over, as "line:cell|cell…" lines, then its status's message.
std::string RowsText(std::string_view bytes, const XlsxOptions& options) {
  std::string out;
  tiaodu::Status s = tiaodu::io::ReadXlsxRows(bytes, options, [&](const tiaodu::io::XlsxRow& row) {
    out += std::to_string(row.line) + ":";
    for (const std::string& c : row.cells) out += c + "|";
    out += "\n";
    return tiaodu::Status::Ok();
  });
  return out + (s.ok() ? "ok" : s.message());
}

void ReadAll(std::string_view bytes, uint8_t knobs) {
  const XlsxOptions options = SmallLimits(knobs);
  tiaodu::Result<tiaodu::io::Table> table = tiaodu::io::ReadXlsx(bytes, options);
  XlsxOptions slow = options;
  slow.expat_only = true;
  tiaodu::Result<tiaodu::io::Table> reference = tiaodu::io::ReadXlsx(bytes, slow);
  Check(table.ok() == reference.ok(), "the fast scanner reads what expat reads");
  if (table.ok()) {
    Check(SameTable(*table, *reference), "the fast scanner gives expat's table");
  } else {
    Check(table.status().message() == reference.status().message(),
          "the fast scanner refuses as expat does");
  }
  Check(RowsText(bytes, options) == RowsText(bytes, slow), "ReadXlsxRows gives expat's rows");
  if (table.ok()) {
    Check(table->rows.size() <= options.limits.max_rows, "rows within max_rows");
    Check(table->header.size() <= options.limits.max_columns, "header within max_columns");
    for (const tiaodu::io::Row& row : table->rows) {
      Check(row.cells.size() <= options.limits.max_columns, "cells within max_columns");
      Check(row.line >= 1 && row.line <= 1048576, "row numbers within the grid");
      for (const std::string& cell : row.cells) {
        Check(cell.size() <= options.limits.max_cell_bytes, "cell within max_cell_bytes");
      }
    }
  } else {
    Check(!table.status().message().empty(), "an error has a message");
  }
  (void)tiaodu::io::XlsxSheetNames(bytes, options.limits);
}

std::string ZipParts(const std::vector<std::string>& parts) {
  auto part = [&](std::size_t i, const std::string& fallback) {
    return i < parts.size() ? parts[i] : fallback;
  };
  const std::string files[][2] = {
      {"[Content_Types].xml",
       "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
       "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/"
       "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>"},
      {"_rels/.rels",
       "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
       "<Relationship Id=\"rId1\" Type=\"" +
           std::string(kRel) + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
      {"xl/worksheets/sheet1.xml", part(0, "")},
      {"xl/sharedStrings.xml", part(1, "<sst xmlns=\"" + std::string(kMain) + "\"/>")},
      {"xl/styles.xml", part(2, "<styleSheet xmlns=\"" + std::string(kMain) + "\"/>")},
      {"xl/workbook.xml",
       part(3, "<workbook xmlns=\"" + std::string(kMain) + "\" xmlns:r=\"" + kRel +
                   "\"><sheets><sheet name=\"数据\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
                   "</workbook>")},
      {"xl/_rels/workbook.xml.rels",
       part(4,
            "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
            "relationships\"><Relationship Id=\"rId1\" Type=\"" +
                std::string(kRel) +
                "/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" "
                "Type=\"" +
                kRel +
                "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
                "<Relationship Id=\"rId3\" Type=\"" +
                kRel + "/styles\" Target=\"styles.xml\"/></Relationships>")},
  };
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_source_keep(out);
  zip_t* zip = zip_open_from_source(out, ZIP_TRUNCATE, &error);
  zip_error_fini(&error);
  std::string bytes;
  if (!zip) {
    zip_source_free(out);
    return bytes;
  }
  for (const auto& file : files) {
    zip_source_t* s = zip_source_buffer(zip, file[1].data(), file[1].size(), 0);
    zip_int64_t i = zip_file_add(zip, file[0].c_str(), s, ZIP_FL_ENC_UTF_8);
    if (i < 0) {
      zip_source_free(s);
      continue;
    }
    zip_set_file_compression(zip, i, ZIP_CM_STORE, 0);
  }
  if (zip_close(zip) == 0) {
    zip_stat_t st;
    if (zip_source_stat(out, &st) == 0 && zip_source_open(out) == 0) {
      bytes.resize(st.size);
      zip_int64_t n = zip_source_read(out, bytes.data(), bytes.size());
      bytes.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
      zip_source_close(out);
    }
  } else {
    zip_discard(zip);
  }
  zip_source_free(out);
  return bytes;
}

void CheckNumber(const uint8_t* data, std::size_t size) {
  if (size < 8) return;
  double x;
  std::memcpy(&x, data, sizeof x);
  if (!std::isfinite(x)) return;
  std::string text = tiaodu::io::FormatXlsxNumber(x);
  Check(std::strtod(text.c_str(), nullptr) == x, "FormatXlsxNumber reads back");
  Check(text.find('e') == std::string::npos || std::fabs(x) < 1e-10 || std::fabs(x) >= 1e21,
        "no exponent for ordinary magnitudes");
  (void)tiaodu::io::SerialToIsoDate(x, data[0] & 1);
  (void)tiaodu::io::ParseCellRef(std::string_view(reinterpret_cast<const char*>(data), size));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckNumber(data, size);
  const uint8_t knobs = size > 0 ? data[size - 1] : 0;
  if (input.starts_with("PK")) {
    ReadAll(input, knobs);
    return 0;
  }
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (parts.size() < 5) {
    std::size_t end = input.find('\xFF', start);
    parts.emplace_back(input.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  std::string zip = ZipParts(parts);
  if (!zip.empty()) ReadAll(zip, knobs);
  return 0;
}
