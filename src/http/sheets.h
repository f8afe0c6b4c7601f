// Responses that carry spreadsheets — exports of lists, import templates, and the annotated
// copy of a rejected upload — so every domain's routes answer them the same way.
#pragma once

#include <string>

#include "base/result.h"
#include "http/message.h"
#include "io/table.h"

namespace tiaodu::http {

inline constexpr const char* kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// `Content-Disposition: attachment` for a file name in UTF-8 (RFC 6266 / 5987: an ASCII
// fallback and the percent-encoded name).
std::string AttachmentDisposition(const std::string& name);

// The workbook as a download named `filename` (".xlsx" added when missing), or the error.
Response XlsxResponse(const Result<std::string>& bytes, const std::string& filename);

// An import's failure: the usual JSON error, or with `annotate` (and details naming cells
// "第N行 X列（…）") the uploaded table back as .xlsx with the bad cells marked and explained
// (status 422, so a client can tell it from a success).
Response ImportErrorResponse(const Status& status, const io::Table& table, bool annotate,
                             const std::string& filename);

}  // namespace tiaodu::http
