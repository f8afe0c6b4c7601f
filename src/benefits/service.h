// BenefitService: the use cases of 免申即享 (issue 10, DESIGN 4.7, decision 0019) — the
// enterprise register (the investment module's companies with the attributes and yearly figures
// policies read; list, edit, xlsx import/export/template), policies whose rules are checked at
// save time, the editor's live match count, and matching runs (draft → reviewed → approved by
// another user → published; results stored when computed, so a published run never changes).
// Checks permission (benefit.read / benefit.manage / benefit.approve) and data scope (an
// enterprise by its registered unit, a policy and its runs by the owner unit), runs each change
// in one transaction with its audit record. References to db and clock must outlive it.
// Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "auth/model.h"
#include "base/clock.h"
#include "base/result.h"
#include "benefits/blocks.h"
#include "benefits/notice.h"
#include "benefits/rules.h"
#include "benefits/store.h"
#include "db/database.h"
#include "io/table.h"
#include "io/xlsx_writer.h"

namespace tiaodu::benefits {

// An edit of an enterprise's attributes and (optionally) some years of figures. Creates the
// register entry when the company has none (version 0).
struct EnterpriseEdit {
  std::string unit_code;  // registered unit, required
  std::string industry;
  std::string scale;  // code or 规上/限上/小微; "" = unknown
  std::vector<std::string> certifications;
  std::optional<CivilDate> founded;
  std::vector<std::pair<int, YearFigures>> years;  // replaced; other years kept
  int version = 0;
};

// A policy as typed (create and update).
struct PolicyInput {
  std::string title, issuer, doc_number;
  std::optional<CivilDate> valid_from, valid_to;
  std::string budget;       // "" = no cap; 元, 万 and 亿 accepted ("50万")
  std::string budget_mode;  // "order" (default) or "pro_rata"
  PolicyRules rules;
  std::string unit_code;  // owner office; "" = the actor's own unit
  int version = 0;        // update only
};

// What the editor's check answers: the errors of each field, and when there are none the
// outcomes over the register in the actor's scope.
struct CheckAnswer {
  std::vector<RuleError> errors;
  int enterprises = 0, matched = 0, near_miss = 0, data_missing = 0, data_error = 0,
      not_matched = 0;
  Decimal requested;  // sum of matched amounts before any budget cap
};

struct RunDetail {
  store::RunRecord run;
  auth::Page<store::ResultRecord> results;
};

// What recomputing a stored run gives (BenefitService::Reproduce).
struct Reproduction {
  int64_t run_id = 0;
  bool ok = false;  // no difference
  int enterprises = 0;  // in the run's snapshot, each evaluated again
  int compared = 0;     // stored results compared
  struct Difference {
    int64_t company_id = 0;  // 0 for the run's totals (field matched, granted, ...)
    std::string company_name, field, stored, recomputed;
  };
  std::vector<Difference> differences;  // the first kMaxDifferences
  int64_t total_differences = 0;
  // The snapshot predates the unit tree in snapshots (format 1): the units above each
  // enterprise's unit were taken from the tree as it is now.
  bool current_unit_tree = false;
  static constexpr size_t kMaxDifferences = 50;
};

struct ImportResult {
  int rows = 0, inserted = 0, updated = 0, unchanged = 0;
};

class BenefitService {
 public:
  BenefitService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // ---- The register ----
  Result<auth::Page<store::EnterpriseRow>> ListEnterprises(const auth::Actor& actor,
                                                           store::EnterpriseQuery q,
                                                           const std::string& unit_code);
  Result<store::EnterpriseRow> GetEnterprise(const auth::Actor& actor, int64_t company_id);
  // benefit.manage; the old and the new unit in scope; a stale version is 409.
  Result<store::EnterpriseRow> EditEnterprise(const auth::Actor& actor, int64_t company_id,
                                              const EnterpriseEdit& e);
  // Every published result of the enterprise (matched: received; near_miss: nearly received;
  // data missing / data error: to complete).
  Result<std::vector<store::BenefitOfEnterprise>> BenefitsOf(const auth::Actor& actor,
                                                             int64_t company_id);

  // ---- The register in spreadsheets (one row per enterprise and year; see ImportColumns) ----
  // All or nothing; companies are matched by 统一社会信用代码, else by name, and created when
  // absent; attributes must agree between the rows of one enterprise; a blank figure cell is
  // "not reported". One audit record per changed enterprise and one for the import.
  Result<ImportResult> ImportEnterprises(const auth::Actor& actor, const io::Table& table,
                                         bool dry_run);
  Result<io::Sheet> ExportEnterprises(const auth::Actor& actor, store::EnterpriseQuery q,
                                      const std::string& unit_code);
  Result<io::Sheet> EnterpriseTemplate(const auth::Actor& actor);
  static const std::vector<std::string>& EnterpriseInstructions();

  // Demo and benchmark data: registers `rows` in one transaction (system actor only; one audit
  // record for the load). A row whose enterprise id is 0 is a new company (name, uscc); any
  // other id names an existing company without register entry. unit_id must be set.
  Status LoadRegister(const auth::Actor& system, const std::vector<store::EnterpriseRow>& rows);

  // ---- Policies ----
  Result<auth::Page<store::PolicyRecord>> ListPolicies(const auth::Actor& actor,
                                                       store::PolicyQuery q);
  Result<store::PolicyRecord> GetPolicy(const auth::Actor& actor, int64_t id);
  Result<store::PolicyRecord> CreatePolicy(const auth::Actor& actor, const PolicyInput& in);
  Result<store::PolicyRecord> UpdatePolicy(const auth::Actor& actor, int64_t id,
                                           const PolicyInput& in);
  Result<store::PolicyRecord> ArchivePolicy(const auth::Actor& actor, int64_t id, int version);
  // The editor's as-you-type check (benefit.manage): compiles once, evaluates in memory.
  Result<CheckAnswer> Check(const auth::Actor& actor, const PolicyRules& rules);

  // ---- Runs ----
  // Computes a run of the policy for `year` (0 = the policy's base year; bare figures mean that
  // year) over the register under the policy's unit, and stores it as a draft. benefit.manage.
  Result<RunDetail> StartRun(const auth::Actor& actor, int64_t policy_id, int year);
  // Runs of several policies at once (empty = every non-archived policy in the actor's scope),
  // each stored as StartRun stores one: the register of each scope is read once for all its
  // policies; one transaction, all or nothing (an archived, unknown or faulty policy refuses
  // the batch and is named). The runs, without results, in the order asked (by id when all).
  Result<std::vector<store::RunRecord>> StartRuns(const auth::Actor& actor, int year,
                                                  const std::vector<int64_t>& policy_ids);
  Result<std::vector<store::RunRecord>> RunsOf(const auth::Actor& actor, int64_t policy_id);
  Result<RunDetail> GetRun(const auth::Actor& actor, int64_t run_id, store::ResultQuery q);
  // Every result of the run (of `outcome`, "" = all) decoded in one pass, in the run's order:
  // what the run's workbook lists (GetRun page by page would decode the block once a page).
  Result<RunDetail> AllResults(const auth::Actor& actor, int64_t run_id,
                               const std::string& outcome);
  // What the run's public notice (公示) says: the policy, who reviewed and approved, the totals
  // and the matched enterprises in the run's order. benefit.read, scope as GetRun.
  Result<NoticeData> Notice(const auth::Actor& actor, int64_t run_id);
  // Recomputes a stored run (benefit.read, scope as GetRun) from what it stored — its rules,
  // year, budget and mode, and the register snapshot it read (decoded back into the enterprises
  // as the run saw them, the unit tree included) — and compares every result with its block:
  // outcome, conditions met and failed, missing data, error, requested and granted, the order
  // and the run's totals. A run stored before migration 10 (no snapshot) is 422.
  Result<Reproduction> Reproduce(const auth::Actor& actor, int64_t run_id);
  // draft → reviewed (benefit.manage); reviewed → approved (benefit.approve, not the user who
  // ran it); approved → published (benefit.manage). A stale version is 409.
  Result<RunDetail> Review(const auth::Actor& actor, int64_t run_id, int version);
  Result<RunDetail> Approve(const auth::Actor& actor, int64_t run_id, int version);
  Result<RunDetail> Publish(const auth::Actor& actor, int64_t run_id, int version);

 private:
  Result<RunDetail> Move(const auth::Actor& actor, int64_t run_id, int version,
                         const char* permission, const std::string& from, const std::string& to);
  // GetRun and AllResults: the run in the actor's scope and the results `q` asks for.
  Result<RunDetail> ReadRun(const auth::Actor& actor, int64_t run_id, const store::ResultQuery& q);
  static std::string ScopeOf(const auth::Actor& actor) {
    return actor.system ? "/" : actor.unit_path;
  }

  // The register under `scope_path` for the editor's check: kept in memory and read again only
  // when the register's change counter moved (a read of 100,000 enterprises takes about a
  // second; the counter one small query).
  Result<std::shared_ptr<const std::vector<Enterprise>>> RegisterFor(const std::string& scope_path);

  // ---- A run's stored results (decision 0021) ----
  // A page of a run's results as the API lists them: a run stored since migration 10 from its
  // block (filtered and paged in memory, the texts rebuilt), an older run from its rows.
  Result<std::vector<store::ResultRecord>> ResultsOf(db::Tx& tx, const store::RunRecord& run,
                                                     const store::ResultQuery& q, int64_t* total);
  // Every result of a block-stored run as rows hold them (what publishing stores).
  Result<std::vector<store::NewResult>> StoredRows(db::Tx& tx, const store::RunRecord& run);
  // A run with the first page of its results: what starting a run and each step answer.
  Result<RunDetail> WithResults(db::Tx& tx, store::RunRecord run);
  // A register snapshot, decoded once and kept (snapshots never change).
  Result<std::shared_ptr<const RegisterSnapshot>> SnapshotOf(db::Tx& tx, int64_t id);

  db::Database& db_;
  const Clock& clock_;
  struct CachedRegister {
    int64_t changes = -1;
    std::shared_ptr<const std::vector<Enterprise>> enterprises;
  };
  std::mutex cache_mu_;
  std::map<std::string, CachedRegister> register_cache_;  // by scope path
  std::map<int64_t, std::shared_ptr<const RegisterSnapshot>> snapshot_cache_;  // by id
};

}  // namespace tiaodu::benefits
