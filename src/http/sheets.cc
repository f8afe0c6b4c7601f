#include "http/sheets.h"

#include <cctype>

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

}  // namespace tiaodu::http
