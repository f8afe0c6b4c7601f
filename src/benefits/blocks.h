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

// The values of the register a snapshot keeps of each enterprise: everything Layout::Flatten
// reads — id, industry, scale, certifications, unit code and the codes of the units above it
// (the tree as it was: format 2; format 1 kept no ancestors), founding date and every year of
// figures. The name is not kept: neither the rules nor a result's texts read it.
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
  // 2 since the ancestors are kept; 1 for a snapshot without them (its unit_ancestors empty).
  int format() const { return format_; }

 private:
  std::string bytes_;
  uint8_t format_ = 0;
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

// What a run counts of its results (the run record's figures).
struct RunTotals {
  int matched = 0, near_miss = 0, data_missing = 0, data_error = 0;
  Decimal requested, granted;  // before and after the budget, over the matched
};

// The results of `policy` over the enterprises `facts` (flattened by the policy's layout; `ids`
// their company ids, ascending, in the snapshot's order) as a run stores them: every outcome but
// not_matched, the budget applied in `mode`, in the API order; `totals` counts them. Starting a
// run and reproducing it (BenefitService::Reproduce) both build their results here.
ResultsBlock ComputeResults(const Policy& policy, const std::vector<Facts>& facts,
                            const std::vector<int64_t>& ids, std::optional<Decimal> budget,
                            BudgetMode mode, RunTotals& totals);

// One way a stored result differs from its recomputation. `field` is outcome, met, failed,
// missing, error, requested, granted or order; the values as a reader sees them (an outcome's
// name, the conditions' texts joined by "；", an amount, "" for none; a result not stored is
// "not_matched").
struct ResultDifference {
  int32_t enterprise = 0;  // index into the run's snapshot
  std::string field, stored, recomputed;
};
// The differences of a `stored` block from a `recomputed` one of the same `policy` (whose
// conditions name the masks), enterprise by enterprise in the stored order, then the first
// place where the order differs.
std::vector<ResultDifference> CompareResults(const ResultsBlock& stored,
                                             const ResultsBlock& recomputed, const Policy& policy);

}  // namespace tiaodu::benefits
