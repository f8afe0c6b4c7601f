// SQL of the investment domain, and nothing else. Runs inside a caller's Tx.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.h"
#include "investment/model.h"

namespace tiaodu::investment::store {

struct UnitRef {
  int64_t id = 0;
  std::string code, name, path;
  int64_t parent_id = 0;
};
std::optional<UnitRef> FindUnit(db::Tx& tx, int64_t id);
std::optional<UnitRef> FindUnitByCode(db::Tx& tx, const std::string& code);
// A user's display name and role, for officers.
struct UserRef {
  int64_t id = 0;
  std::string name, role, unit_path;
  bool disabled = false;
  int64_t unit_id = 0;  // filled by Officers()
  std::string unit_code{}, unit_name{};
};
std::optional<UserRef> FindUser(db::Tx& tx, int64_t id);
// Active investment officers whose unit is under scope_path.
std::vector<UserRef> Officers(db::Tx& tx, const std::string& scope_path);
// Active children of a unit that are governments or zones (not departments or task forces).
std::vector<UnitRef> ChildUnits(db::Tx& tx, int64_t parent_id);

// ---- Companies ----
std::optional<Company> FindCompany(db::Tx& tx, int64_t id);
std::vector<Company> CompaniesByUscc(db::Tx& tx, const std::string& uscc);
std::vector<Company> CompaniesByNormalizedName(db::Tx& tx, const std::string& normalized);
std::vector<Company> CompaniesByIds(db::Tx& tx, const std::vector<int64_t>& ids);
int64_t InsertCompany(db::Tx& tx, const Company& c, int64_t now);
bool UpdateCompany(db::Tx& tx, const Company& c, int64_t now);
std::vector<Company> ListCompanies(db::Tx& tx, const std::string& q, const std::string& tag, int page,
                                   int page_size, int64_t* total);

// ---- Leads ----
struct LeadRow {
  Lead lead;
  std::string company_name, company_uscc, unit_code, unit_name, officer_name, chain_name, segment_name,
      segment_position, project_code, project_name;
  Decimal contract_amount;
};
std::optional<LeadRow> FindLead(db::Tx& tx, int64_t id);
int64_t InsertLead(db::Tx& tx, const Lead& l, int64_t now);
// Writes every field where id and version match; bumps the version.
bool UpdateLead(db::Tx& tx, const Lead& l, int64_t now);
struct LeadQuery {
  std::string scope_path;
  std::string unit_path;
  std::string stage;
  std::optional<bool> lost;
  std::optional<int64_t> chain_id, company_id;
  std::string q;
  int page = 1;
  int page_size = 50;
};
std::vector<LeadRow> ListLeads(db::Tx& tx, const LeadQuery& q, int64_t* total);
// Counts and intended amounts per stage (open leads) for the pipeline board.
struct StageCount {
  std::string stage;
  int64_t count = 0;
  Decimal amount;
};
std::vector<StageCount> Pipeline(db::Tx& tx, const LeadQuery& q);
// Moves the leads of one company to another (merge).
void MoveLeads(db::Tx& tx, int64_t from_company, int64_t to_company);
// Leads under unit_path (every state), for statistics.
std::vector<Lead> LeadsUnder(db::Tx& tx, const std::string& unit_path);
// Leads under unit_path that reached 签约 within [from, to] (ISO dates).
std::vector<Lead> LeadsSignedBetween(db::Tx& tx, const std::string& unit_path, const std::string& from,
                                     const std::string& to);

// ---- Contracts ----
std::vector<Contract> ContractsOf(db::Tx& tx, int64_t lead_id);
// Contracts of leads under unit_path dated within [from, to] (ISO dates), with lead ids.
std::vector<Contract> ContractsUnder(db::Tx& tx, const std::string& unit_path, const std::string& from,
                                     const std::string& to);
int64_t InsertContract(db::Tx& tx, const Contract& c, int64_t now);
void SetContractAmount(db::Tx& tx, int64_t lead_id);  // refreshes leads.contract_amount

// ---- Activities ----
int64_t InsertActivity(db::Tx& tx, const Activity& a, int64_t now);
struct ActivityQuery {
  std::string scope_path, unit_path, kind, from, to;
  std::optional<int64_t> lead_id;
  bool leader_level_only = false;
  int page = 1;
  int page_size = 50;
};
struct ActivityRow {
  Activity activity;
  std::string unit_code, unit_name;
};
std::vector<ActivityRow> ListActivities(db::Tx& tx, const ActivityQuery& q, int64_t* total);

// ---- Chains ----
std::vector<Chain> ListChains(db::Tx& tx);
std::optional<Chain> FindChain(db::Tx& tx, int64_t id);
std::optional<Chain> FindChainByName(db::Tx& tx, const std::string& name);
int64_t InsertChain(db::Tx& tx, const Chain& c, int64_t now);
// Writes the chain's fields and replaces its segments (keeping ids of segments that have one).
bool UpdateChain(db::Tx& tx, const Chain& c, int64_t now);

// ---- Targets ----
std::optional<Target> FindTarget(db::Tx& tx, int64_t unit_id, int year);
std::vector<Target> ListTargets(db::Tx& tx, const std::string& scope_path, int year,
                                const std::string& unit_path);
int64_t InsertTarget(db::Tx& tx, const Target& t, int64_t now);
bool UpdateTarget(db::Tx& tx, const Target& t, int64_t now);

// ---- Projects link ----
void LinkProject(db::Tx& tx, int64_t lead_id, int64_t project_id);

}  // namespace tiaodu::investment::store
