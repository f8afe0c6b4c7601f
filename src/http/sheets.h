// Responses that carry spreadsheets — exports of lists, import templates, and the annotated
// copy of a rejected upload — so every domain's routes answer them the same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

#include "base/result.h"
#include "http/message.h"
#include "io/table.h"
#include "io/upload.h"
#include "io/xlsx_writer.h"

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

// ---- Imports (`POST …/import/file`, docs/API.md "Excel") ----

// What every import answers: `{"dry_run", "rows", "inserted", "updated", "unchanged"}`.
struct ImportCounts {
  int rows = 0, inserted = 0, updated = 0, unchanged = 0;
};

// Whether the request asks for a dry run: `?dry_run=1` or `?dry_run=true`.
bool WantsDryRun(const Request& req);

// The counts as the import route's JSON answer.
Response ImportCountsResponse(const ImportCounts& counts, bool dry_run);

// The whole of an import route: reads the raw body (.xlsx or CSV) as a table, calls
// `run(table, dry_run)` — a Result<ImportCounts> — and answers the counts, or the failure as
// ImportErrorResponse (with `?annotate=1`, the sheet back named `error_filename`).
template <typename Run>
Response ImportFile(const Request& req, const std::string& error_filename, Run&& run) {
  auto table = io::ReadUploadedTable(req.body);
  if (!table.ok()) return ErrorResponse(table.status());
  const bool dry = WantsDryRun(req);
  Result<ImportCounts> counts = run(*table, dry);
  if (!counts.ok()) return ImportErrorResponse(counts.status(), *table, req.Query("annotate") == "1", error_filename);
  return ImportCountsResponse(*counts, dry);
}

// ---- Exports of lists (`?format=xlsx`, docs/API.md "Excel") ----

// An export holds at most this many rows; lists are read in pages of kExportPageSize.
inline constexpr size_t kMaxExportRows = 200000;
inline constexpr int kExportPageSize = 500;

// Whether the request asks for the list as a workbook: `?format=xlsx`.
bool WantsXlsx(const Request& req);

// A timestamp (milliseconds since the epoch) as Beijing time, "2026-11-24 09:30" (with
// `seconds`, "2026-11-24 09:30:05"); "" for 0.
std::string SheetTime(int64_t millis, bool seconds = false);

// A column of an export, and an export's sheet: its name and columns, no rows yet.
struct ColumnSpec {
  std::string header;  // Chinese, with the unit where there is one: "意向投资额(亿元)"
  io::CellKind kind;
  double width;  // characters
};
io::SheetColumn Column(const ColumnSpec& spec);
io::Sheet ListSheet(const std::string& name, std::initializer_list<ColumnSpec> columns);

// The sheet as a download named `filename` (".xlsx" added), or the writer's error.
Response SheetResponse(io::Sheet sheet, const std::string& filename);

// Reads a whole filtered list: calls `fetch(page, page_size)` — a Result of a page with
// `items` and `total`, the same call the JSON list makes — for pages of kExportPageSize from
// the first, and `each(item)` for every item until `total` items are read, a page comes back
// empty, kMaxExportRows items are read, or `each` answers false. Returns fetch's first error.
template <typename Fetch, typename Each>
Status ReadPages(Fetch&& fetch, Each&& each) {
  int64_t read = 0;
  for (int page = 1;; ++page) {
    auto result = fetch(page, kExportPageSize);
    if (!result.ok()) return result.status();
    for (const auto& item : result->items) {
      if (read >= static_cast<int64_t>(kMaxExportRows) || !each(item)) return Status::Ok();
      ++read;
    }
    if (result->items.empty() || read >= result->total) return Status::Ok();
  }
}

// A whole filtered list as one sheet (ReadPages): `add(sheet.rows, item)` appends each item's
// rows, at most kMaxExportRows in all. Answers the workbook named `filename`, or the first
// error as the JSON list would.
template <typename Fetch, typename Add>
Response ExportPages(io::Sheet sheet, const std::string& filename, Fetch&& fetch, Add&& add) {
  Status s = ReadPages(fetch, [&](const auto& item) {
    add(sheet.rows, item);
    return sheet.rows.size() < kMaxExportRows;
  });
  if (!s.ok()) return ErrorResponse(s);
  if (sheet.rows.size() > kMaxExportRows) sheet.rows.resize(kMaxExportRows);
  return SheetResponse(std::move(sheet), filename);
}

}  // namespace tiaodu::http
