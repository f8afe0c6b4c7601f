// The compact stored forms of a matching run (decision 0021): the register as a batch read it
// (a snapshot, one per scope and batch) and the results of one run (one block per run), each
// encoded as bytes (varints and string tables) that the store keeps as base64 TEXT. The texts a
// result shows (conditions met and failed, the inputs) are not stored: they are rebuilt from
// the run's rules and the snapshot when read. Pure functions of values; no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/decimal.h"
#include "base/result.h"
#include "benefits/model.h"
#include "benefits/rules.h"

namespace tiaodu::benefits {

// The values of the register a snapshot keeps of each enterprise: id, industry, scale,
// certifications, unit code, founding date and every year of figures (the name and the unit's
// ancestors are not kept: a result's texts do not show them).
std::string EncodeSnapshot(const std::vector<const Enterprise*>& enterprises);

// A decoded snapshot that keeps the bytes and decodes one enterprise when asked (a reader
// shows a page of results; a register of 100,000 decoded at once would take tens of MB).
// Immutable once made; may be shared between threads.
class RegisterSnapshot {
 public:
  // Checks the whole encoding; InternalError when it is malformed.
  static Result<RegisterSnapshot> Parse(std::string bytes);
  size_t size() const { return offsets_.size(); }
  int64_t id(size_t i) const { return ids_[i]; }
  Enterprise At(size_t i) const;  // i < size()

 private:
  std::string bytes_;
  std::vector<std::string> strings_;
  std::vector<uint32_t> offsets_;  // of each enterprise's record in bytes_
  std::vector<int64_t> ids_;
};

// One stored result (not_matched is never stored).
struct StoredResult {
  int32_t enterprise = 0;  // index into the run's snapshot
  Outcome outcome = Outcome::kMatched;
  uint64_t met = 0, failed = 0;  // condition masks of the run's compiled rules
  std::vector<int32_t> missing;  // indices into ResultsBlock::names, in order
  int32_t error = -1;            // index into ResultsBlock::errors; -1 = none
  std::optional<Decimal> requested, granted;
};

// The results of one run, in the order the API lists them (see InApiOrder).
struct ResultsBlock {
  std::vector<std::string> names;   // the missing-attribute names the results refer to
  std::vector<std::string> errors;  // the data-error texts the results refer to
  std::vector<StoredResult> results;
};

std::string EncodeResults(const ResultsBlock& block);
Result<ResultsBlock> DecodeResults(std::string_view bytes);

// Sorts results as the run's list shows them: matched, near_miss, data_missing, data_error;
// within each the largest requested amount first (none as 0), then the smaller company id.
void InApiOrder(std::vector<StoredResult>& results, const std::vector<int64_t>& company_ids);

}  // namespace tiaodu::benefits
