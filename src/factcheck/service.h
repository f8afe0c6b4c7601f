// FactcheckService: the use case of 数据核查 — check a report text: read its facts with the
// catalog of the database, run the arithmetic checks, and compare its headline figures with the
// ledger's approved figures of the document's region and period when the actor may read them
// (indicator.read and the region within the actor's scope). Reads only; writes nothing.
// Thread-safe (holds a reference to the database only).
#pragma once

#include <string_view>

#include "auth/model.h"
#include "base/result.h"
#include "db/database.h"
#include "factcheck/extractor.h"
#include "factcheck/model.h"

namespace tiaodu::factcheck {

// The largest text accepted (UTF-8 bytes).
inline constexpr size_t kMaxTextBytes = 2 * 1024 * 1024;

// Checks that a text can be read: at most max_bytes (the API's 2 MB unless the CLI reads a
// larger file), valid UTF-8, not blank, with at least one Chinese character.
Status ValidateText(std::string_view text, size_t max_bytes = kMaxTextBytes);

// The ledger's month key of a document period: "2023" → "2023-12", "2024-06" as is; "" if
// the period is not one of these forms.
std::string LedgerPeriod(std::string_view period);

class FactcheckService {
 public:
  explicit FactcheckService(db::Database& db) : db_(db) {}

  // Needs factcheck.use. `overrides` replace the region and period the text states.
  Result<Document> Check(const auth::Actor& actor, std::string_view text,
                         const ExtractOptions& overrides);

 private:
  db::Database& db_;
};

}  // namespace tiaodu::factcheck
