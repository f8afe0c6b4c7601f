// InvestmentService: the use cases of 招商引资 — companies and their duplicates, leads through
// their stages, contracts, activities, conversion of a lead into a key project, signing
// statistics, unit targets, and the industry-chain maps. Checks permission and data scope,
// validates, runs each change in one transaction with its audit record. References to db,
// clock and projects must outlive it. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/model.h"
#include "base/clock.h"
#include "base/result.h"
#include "db/database.h"
#include "investment/model.h"
#include "investment/rules.h"
#include "investment/store.h"
#include "io/table.h"
#include "io/xlsx_writer.h"
#include "projects/service.h"

namespace tiaodu::investment {

struct CompanyDetail {
  Company company;
  std::vector<store::LeadRow> leads;
  std::vector<std::pair<Company, std::string>> duplicates;  // company, reason
};

struct LeadDetail {
  store::LeadRow row;
  std::vector<Contract> contracts;
  std::vector<store::ActivityRow> activities;
};

struct LeadInput {
  Lead lead;              // fields as typed
  std::string unit_code;  // owner unit
  std::string amount;     // text with an optional unit
  std::string date;       // on creation: when the lead was found (线索日期); "" = today
};

struct UnitStats {
  store::UnitRef unit;
  SigningStats stats;
};

struct TargetView {
  Target target;
  store::UnitRef unit;
  SigningStats actual;  // year to date
  TargetProgress progress;
  std::vector<std::pair<std::string, SigningStats>> monthly;  // cumulative by month
};

struct ChainView {
  Chain chain;
  std::vector<Company> firms;  // every company named in the chain
};

// Demo and benchmark data in bulk. References are positions in these vectors, not ids:
// Lead::company_id → companies; Lead::chain_id → chains; Lead::segment_id → the position of
// the segment within that chain; Contract::lead_id and Activity::lead_ids → leads; a chain's
// lead_firm_id and its segments' firms → companies. Units (unit_id) and officers are real ids.
struct BulkData {
  std::vector<Company> companies;
  std::vector<Chain> chains;
  std::vector<Lead> leads;
  std::vector<Contract> contracts;
  std::vector<Activity> activities;
  std::vector<Target> targets;
};

// What a lead import did (or, in a dry run, would do).
struct LeadImportResult {
  int rows = 0;
  int inserted = 0;
  int updated = 0;
  int unchanged = 0;
};

// Adds a company to the register (the companies table) inside the caller's transaction, the
// one way a company is created (CreateCompany here, the benefits register's import and load):
// fills normalized_name, refuses a 统一社会信用代码 already registered (409, naming that
// company). Validation (CheckCompany) and the audit record are the caller's. The new id.
Result<int64_t> RegisterCompany(db::Tx& tx, Company c, int64_t now);

class InvestmentService {
 public:
  InvestmentService(db::Database& db, const Clock& clock, projects::ProjectService& projects)
      : db_(db), clock_(clock), projects_(projects) {}

  // ---- Companies ----
  Result<auth::Page<Company>> ListCompanies(const auth::Actor& actor, const std::string& q,
                                            const std::string& tag, int page, int page_size);
  Result<CompanyDetail> GetCompany(const auth::Actor& actor, int64_t id);
  Result<CompanyDetail> CreateCompany(const auth::Actor& actor, Company c);
  Result<CompanyDetail> UpdateCompany(const auth::Actor& actor, int64_t id, const Company& patch);
  Result<CompanyDetail> MergeCompany(const auth::Actor& actor, int64_t id, int64_t into, int version);

  // ---- Leads ----
  Result<auth::Page<store::LeadRow>> ListLeads(const auth::Actor& actor, store::LeadQuery q,
                                               const std::string& unit_code);
  Result<std::vector<store::StageCount>> Pipeline(const auth::Actor& actor, const std::string& unit_code);
  Result<LeadDetail> GetLead(const auth::Actor& actor, int64_t id);
  Result<LeadDetail> CreateLead(const auth::Actor& actor, const LeadInput& in);
  Result<LeadDetail> UpdateLead(const auth::Actor& actor, int64_t id, const LeadInput& in, int version);
  Result<LeadDetail> ChangeStage(const auth::Actor& actor, int64_t id, const std::string& stage,
                                 const std::string& date, int version);
  Result<LeadDetail> Lose(const auth::Actor& actor, int64_t id, const std::string& reason,
                          const std::string& date, int version);
  Result<LeadDetail> Reopen(const auth::Actor& actor, int64_t id, int version);
  Result<Contract> AddContract(const auth::Actor& actor, int64_t lead_id, const std::string& date,
                               const std::string& amount, const std::string& kind);
  struct Conversion {
    int64_t project_id = 0;
    std::string code, name;
    bool created = false;
  };
  // `version`: the lead's, as read (a stale one is 409).
  Result<Conversion> Convert(const auth::Actor& actor, int64_t lead_id, int version);

  // ---- Leads in spreadsheets (the layout: investment/sheets.h) ----
  // Imports a sheet of leads keyed by 线索编号: a blank number creates a lead (as CreateLead;
  // a company and project name that already have a lead are refused as a double import), a
  // number updates that lead (as UpdateLead, without a version: the sheet wins) when a field
  // differs and is left alone when none does. The company must be in the register (matched by
  // 统一社会信用代码 when given, else by name; an import never creates companies). 阶段 may move
  // a lead one stage forward with that stage's date, checked as ChangeStage checks it
  // (CheckLeadStageChange, decision 0011: no jump, no move back, 签约 needs a contract, a lost
  // lead is not moved); reaching 开工 converts the lead as ChangeStage does. Dates of stages
  // already reached cannot be changed (blank = unchanged); later stages' dates must be blank.
  // Optional columns the sheet lacks keep their values. The unit, the officer and an existing
  // lead's own unit must be in scope. All or nothing: any bad cell → 400 with one Detail per
  // problem, field "第3行 B列（企业名称）", nothing written. One transaction; one audit record
  // per changed lead ("investment.lead.create", ".update", or ".stage" when it moved) plus one
  // "investment.lead.import". investment.write.
  Result<LeadImportResult> ImportLeads(const auth::Actor& actor, const io::Table& table, bool dry_run);
  // The whole filtered list (ListLeads' filters; at most 200,000 rows) in the import layout.
  // investment.read.
  Result<io::Sheet> ExportLeads(const auth::Actor& actor, store::LeadQuery q, const std::string& unit_code);
  // The import template: drop-downs for 招商方式, 阶段, 产业链 and 招商员 (those in scope), one
  // example row naming a registered company. Its 填写说明: LeadInstructions(). investment.write.
  Result<io::Sheet> LeadTemplate(const auth::Actor& actor);

  // Investment officers in the actor's scope (for the lead form).
  Result<std::vector<store::UserRef>> Officers(const auth::Actor& actor);

  // ---- Activities ----
  Result<auth::Page<store::ActivityRow>> ListActivities(const auth::Actor& actor, store::ActivityQuery q,
                                                        const std::string& unit_code);
  Result<store::ActivityRow> CreateActivity(const auth::Actor& actor, Activity a, const std::string& unit_code);

  // ---- Statistics and targets ----
  // The unit's figures and each child's, for [from, to].
  Result<std::pair<SigningStats, std::vector<UnitStats>>> Stats(const auth::Actor& actor,
                                                                const std::string& unit_code,
                                                                const std::string& from,
                                                                const std::string& to);
  Result<std::vector<TargetView>> ListTargets(const auth::Actor& actor, int year, const std::string& unit_code);
  Result<TargetView> PutTarget(const auth::Actor& actor, const std::string& unit_code, int year,
                               int projects_100m, const std::string& amount, std::optional<int> version);

  // ---- Chains ----
  Result<std::vector<ChainView>> ListChains(const auth::Actor& actor);
  Result<ChainView> GetChain(const auth::Actor& actor, int64_t id);
  Result<ChainView> CreateChain(const auth::Actor& actor, Chain c);
  Result<ChainView> UpdateChain(const auth::Actor& actor, int64_t id, const Chain& patch);

  CivilDate Today() const;

  // Loads BulkData in one transaction (system actor only). Nothing is checked against
  // existing records: use on an empty investment module.
  Status LoadBulk(const auth::Actor& system, const BulkData& data);

 private:
  Result<LeadDetail> LoadLead(db::Tx& tx, const auth::Actor& actor, int64_t id);
  Result<Conversion> ConvertTx(db::Tx& tx, const auth::Actor& actor, const store::LeadRow& row, int64_t now);
  TargetView MakeTargetView(db::Tx& tx, const Target& t, const store::UnitRef& unit);

  db::Database& db_;
  const Clock& clock_;
  projects::ProjectService& projects_;
};

}  // namespace tiaodu::investment
