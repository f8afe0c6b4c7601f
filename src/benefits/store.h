// SQL of the benefits domain (免申即享), and nothing else: the enterprise register's attributes
// and yearly figures (keyed by the investment module's companies: one register), policies,
// matching runs and their frozen results. Runs inside a caller's Tx. Money as raw Decimals in
// 元; NULL figures are "not reported" and stay nullopt.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "benefits/model.h"
#include "benefits/rules.h"
#include "db/database.h"

namespace tiaodu::benefits::store {

struct UnitRef {
  int64_t id = 0;
  std::string code, name, path, kind;
  std::string scope_path;  // what the unit acts for: a department its parent's path
};
std::optional<UnitRef> FindUnit(db::Tx& tx, int64_t id);
std::optional<UnitRef> FindUnitByCode(db::Tx& tx, const std::string& code);
std::vector<UnitRef> AllUnits(db::Tx& tx);
// The codes of the units above each unit (as Enterprise::unit_ancestors holds them), by the
// unit's code, from the tree as it is now.
std::map<std::string, std::vector<std::string>> UnitAncestorsByCode(db::Tx& tx);

// ---- The register ----

// One registered enterprise: the company (name, 统一社会信用代码) with its attributes and every
// year of figures (Enterprise::unit_code is the registered unit's code; unit_ancestors, the
// codes of the units above it, are filled by EnterprisesByIds and EnterprisesUnder).
struct EnterpriseRow {
  Enterprise enterprise;
  std::string uscc;
  int64_t unit_id = 0;
  std::string unit_name, unit_path;
  int version = 1;  // of the attributes row
};

struct EnterpriseQuery {
  std::string scope_path = "/";  // the actor's scope
  std::string unit_path;         // "" = the whole scope
  std::string q;                 // name or 统一社会信用代码 contains
  std::string industry;          // a division ("C39") or a section letter ("C")
  std::string scale;             // a code
  std::string certification;     // holds this one
  int page = 1;
  int page_size = 50;
};
std::vector<EnterpriseRow> ListEnterprises(db::Tx& tx, const EnterpriseQuery& q, int64_t* total);
std::optional<EnterpriseRow> FindEnterprise(db::Tx& tx, int64_t company_id);
// Every registered enterprise whose unit is under `scope_path`, with its figures (for runs and
// the editor's live count).
std::vector<EnterpriseRow> EnterprisesUnder(db::Tx& tx, const std::string& scope_path);
// A counter that triggers bump on every write to the register (attributes, figures) and to
// units: equal counters mean an unchanged register.
int64_t RegisterChanges(db::Tx& tx);
// The register's rows of these companies (those that have attributes), by company id.
std::vector<EnterpriseRow> EnterprisesByIds(db::Tx& tx, const std::vector<int64_t>& ids);

// A company of the investment module's register, by 统一社会信用代码 or by normalized name
// (merged records excluded).
struct CompanyRef {
  int64_t id = 0;
  std::string name, uscc;
};
std::vector<CompanyRef> CompaniesByUscc(db::Tx& tx, const std::string& uscc);
std::vector<CompanyRef> CompaniesByNormalizedName(db::Tx& tx, const std::string& normalized);
std::optional<CompanyRef> FindCompany(db::Tx& tx, int64_t id);
// (New companies are added by investment::RegisterCompany, which owns the companies table.)

void InsertAttributes(db::Tx& tx, const EnterpriseRow& row, int64_t now);
// Writes the attributes where the version matches; bumps it. False when stale.
bool UpdateAttributes(db::Tx& tx, const EnterpriseRow& row, int64_t now);
// Replaces one year's figures (a year with every figure missing is deleted).
void PutFigures(db::Tx& tx, int64_t company_id, int year, const YearFigures& f);

// ---- Policies ----

struct PolicyRecord {
  int64_t id = 0;
  std::string title;
  std::string issuer;      // 发文单位
  std::string doc_number;  // 文号
  std::optional<CivilDate> valid_from, valid_to;
  std::optional<Decimal> budget;  // 元; nullopt = no cap
  BudgetMode budget_mode = BudgetMode::kOrder;
  PolicyRules rules;
  int64_t unit_id = 0;  // the owner office
  bool archived = false;
  int version = 1;
  int64_t created_at = 0, updated_at = 0;
  // Read only.
  std::string unit_code, unit_name, unit_path, scope_path;
};
struct PolicyQuery {
  std::string scope_path = "/";
  std::string q;
  bool include_archived = false;
  int page = 1;
  int page_size = 50;
};
std::vector<PolicyRecord> ListPolicies(db::Tx& tx, const PolicyQuery& q, int64_t* total);
std::optional<PolicyRecord> FindPolicy(db::Tx& tx, int64_t id);
int64_t InsertPolicy(db::Tx& tx, const PolicyRecord& p, int64_t now);
bool UpdatePolicy(db::Tx& tx, const PolicyRecord& p, int64_t now);

// ---- Runs and results ----

inline constexpr const char* kRunStates[] = {"draft", "reviewed", "approved", "published"};

struct RunRecord {
  int64_t id = 0;
  int64_t policy_id = 0;
  int policy_version = 0;
  int year = 0;
  std::string state = "draft";
  std::string eligibility, amount;  // the rules as run (the year is the base year)
  std::optional<Decimal> budget;
  BudgetMode budget_mode = BudgetMode::kOrder;
  int enterprises = 0, matched = 0, near_miss = 0, data_missing = 0, data_error = 0;
  Decimal requested, granted;
  std::string run_by;
  int64_t run_at = 0;
  std::string reviewed_by, approved_by, published_by;
  std::optional<int64_t> reviewed_at, approved_at, published_at;
  int version = 1;
  // The register snapshot the results block refers to (decision 0021); 0 for a run stored
  // before migration 10, whose results are rows of benefit_results.
  int64_t snapshot_id = 0;
  // Read only.
  std::string policy_title;
  int64_t unit_id = 0;
  std::string unit_code, unit_name, unit_path;
};
std::optional<RunRecord> FindRun(db::Tx& tx, int64_t id);
std::vector<RunRecord> RunsOfPolicy(db::Tx& tx, int64_t policy_id);
// Stores a run; `results` is its results block (base64, see blocks.h), "" for none.
int64_t InsertRun(db::Tx& tx, const RunRecord& r, const std::string& results = "");
// The results block of a run (base64); nullopt for a run stored before migration 10.
std::optional<std::string> RunResults(db::Tx& tx, int64_t run_id);
// Stores a snapshot of the register (base64 of EncodeSnapshot); its id.
int64_t InsertSnapshot(db::Tx& tx, int enterprises, const std::string& data, int64_t now);
// A snapshot's data (base64); "" when there is none of that id.
std::string SnapshotData(db::Tx& tx, int64_t id);
// Moves a run to `state` with who and when, where the version matches. False when stale.
bool SetRunState(db::Tx& tx, int64_t id, int version, const std::string& state,
                 const std::string& by, int64_t at);

struct ResultRecord {
  int64_t run_id = 0;
  int64_t company_id = 0;
  std::string outcome;  // OutcomeName
  std::vector<std::string> met, failed, missing;
  std::string error;
  std::string inputs;  // the values the rules read, "revenue[2024]=…; industry=C39; …"
  std::optional<Decimal> requested, granted;
  // Read only.
  std::string company_name, uscc, unit_code, unit_name;
};
// A result as stored: the lists already joined by '\n' (see ResultRecord).
struct NewResult {
  int64_t company_id = 0;
  std::string outcome, met, failed, missing, error, inputs;
  std::optional<Decimal> requested, granted;
};
// Inserts the results of one run: multi-row INSERTs of one prepared statement, reused (a run of
// 100,000 enterprises stores tens of thousands of rows). Empties `rows`' strings.
void InsertResults(db::Tx& tx, int64_t run_id, std::vector<NewResult>& rows);
// A stored result as ListResults reads it back: the lists split at '\n' (empty parts dropped).
ResultRecord AsRead(int64_t run_id, const NewResult& x);
// What a result shows of its company today (ListResults joins the same): name, 统一社会信用代码
// and the registered unit's code and name ("" when not registered). By company id.
struct CompanyLabel {
  std::string name, uscc, unit_code, unit_name;
};
std::map<int64_t, CompanyLabel> CompanyLabels(db::Tx& tx, const std::vector<int64_t>& ids);
struct ResultQuery {
  int64_t run_id = 0;
  std::string outcome;  // "" = every stored outcome
  int page = 1;
  int page_size = 50;
};
std::vector<ResultRecord> ListResults(db::Tx& tx, const ResultQuery& q, int64_t* total);

// An enterprise's results in published runs, newest run first, with the run.
struct BenefitOfEnterprise {
  ResultRecord result;
  RunRecord run;
};
std::vector<BenefitOfEnterprise> BenefitsOf(db::Tx& tx, int64_t company_id);

}  // namespace tiaodu::benefits::store
