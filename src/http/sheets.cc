#include "http/sheets.h"

#include <cctype>
#include <cstdio>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "http/json.h"
#include "io/upload.h"

namespace tiaodu::http {

std::string AttachmentDisposition(const std::string& name) {
  std::string ascii, encoded;
  static const char* kHex = "0123456789ABCDEF";
  for (unsigned char ch : name) {
    ascii.push_back(ch >= 0x20 && ch < 0x7F && ch != '"' && ch != '\\' ? static_cast<char>(ch) : '_');
    if (std::isalnum(ch) || ch == '.' || ch == '-' || ch == '_') {
      encoded.push_back(static_cast<char>(ch));
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[ch >> 4]);
      encoded.push_back(kHex[ch & 15]);
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

Response XlsxResponse(const Result<std::string>& bytes, const std::string& filename) {
  if (!bytes.ok()) return ErrorResponse(bytes.status());
  Response r;
  r.status = 200;
  r.content_type = kXlsxType;
  r.body = *bytes;
  const bool has_ext = filename.size() > 5 && filename.compare(filename.size() - 5, 5, ".xlsx") == 0;
  r.SetHeader("Content-Disposition", AttachmentDisposition(has_ext ? filename : filename + ".xlsx"));
  return r;
}

bool WantsXlsx(const Request& req) { return req.Query("format") == "xlsx"; }

std::string SheetTime(int64_t millis, bool seconds) {
  if (millis == 0) return "";
  constexpr int64_t kDay = 86400000, kBeijing = 8 * 3600000;
  const CivilDate d = ToCivil(millis, 480);
  int64_t ms = (millis + kBeijing) % kDay;
  if (ms < 0) ms += kDay;
  const int s = static_cast<int>(ms / 1000);
  char buf[40];
  if (seconds)
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", d.year, d.month, d.day,
                  s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", d.year, d.month, d.day, s / 3600,
                  s / 60 % 60);
  return buf;
}

io::SheetColumn Column(const ColumnSpec& spec) {
  io::SheetColumn c;
  c.header = spec.header;
  c.kind = spec.kind;
  c.width = spec.width;
  return c;
}

io::Sheet ListSheet(const std::string& name, std::initializer_list<ColumnSpec> columns) {
  io::Sheet s;
  s.name = name;
  for (const ColumnSpec& c : columns) s.columns.push_back(Column(c));
  return s;
}

Response SheetResponse(io::Sheet sheet, const std::string& filename) {
  std::vector<io::Sheet> sheets;
  sheets.push_back(std::move(sheet));
  return XlsxResponse(io::WriteXlsx(sheets), filename);
}

Response ImportErrorResponse(const Status& status, const io::Table& table, bool annotate,
                             const std::string& filename) {
  if (!annotate || status.details().empty() || status.code() != Code::kInvalidArgument) {
    return ErrorResponse(status);
  }
  auto copy = io::AnnotatedCopy(table, status.details());
  if (!copy.ok()) return ErrorResponse(status);
  Response r = XlsxResponse(copy, filename);
  r.status = 422;
  return r;
}

bool WantsDryRun(const Request& req) {
  const std::string d = req.Query("dry_run");
  return d == "1" || d == "true";
}

Response ImportCountsResponse(const ImportCounts& counts, bool dry_run) {
  JsonWriter w;
  w.BeginObject()
      .Field("dry_run", dry_run)
      .Field("rows", counts.rows)
      .Field("inserted", counts.inserted)
      .Field("updated", counts.updated)
      .Field("unchanged", counts.unchanged)
      .EndObject();
  return JsonResponse(200, w.Take());
}

}  // namespace tiaodu::http
