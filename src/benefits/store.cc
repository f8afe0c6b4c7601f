#include "benefits/store.h"

#include <soci/soci.h>

#include <algorithm>
#include <map>
#include <memory>
#include <unordered_map>

#include "base/period.h"
#include "db/values.h"

namespace tiaodu::benefits::store {
namespace {

using db::GetInt;
using db::GetOptDecimal;
using db::GetOptInt;
using db::GetText;

// What a unit acts for: a department its parent's path (as a user's data scope).
constexpr const char* kUnitCols =
    "u.id, u.code, u.name, u.path, u.kind, CASE WHEN u.kind = 'department' AND pu.path IS NOT NULL "
    "THEN pu.path "
    "ELSE u.path END";
constexpr const char* kUnitFrom = " FROM units u LEFT JOIN units pu ON pu.id = u.parent_id";

UnitRef UnitFromRow(const soci::row& r, size_t i = 0) {
  return UnitRef{GetInt(r, i),      GetText(r, i + 1), GetText(r, i + 2),
                 GetText(r, i + 3), GetText(r, i + 4), GetText(r, i + 5)};
}

std::string Join(const std::vector<std::string>& items, char sep) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out.push_back(sep);
    out += s;
  }
  return out;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t end = s.find(sep, pos);
    if (end == std::string::npos) end = s.size();
    if (end > pos) out.push_back(s.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

std::optional<Scale> ScaleFromCode(const std::string& code) {
  for (int k = 0; k < kScaleCount; ++k)
    if (code == kScaleCodes[k]) return static_cast<Scale>(k);
  return std::nullopt;
}

std::string ScaleCode(const std::optional<Scale>& s) {
  return s ? kScaleCodes[static_cast<int>(*s)] : "";
}

constexpr const char* kEnterpriseCols =
    "c.id, c.name, c.uscc, a.industry, a.scale, a.certifications, a.founded, a.version, u.id, "
    "u.code, u.name, u.path";
constexpr const char* kEnterpriseFrom =
    " FROM enterprise_attributes a JOIN companies c ON c.id = a.company_id JOIN units u ON u.id = "
    "a.unit_id";

EnterpriseRow EnterpriseFromRow(const soci::row& r) {
  EnterpriseRow row;
  Enterprise& e = row.enterprise;
  e.id = GetInt(r, 0);
  e.name = GetText(r, 1);
  row.uscc = GetText(r, 2);
  e.industry = GetText(r, 3);
  e.scale = ScaleFromCode(GetText(r, 4));
  for (auto& c : Split(GetText(r, 5), '|')) e.certifications.insert(c);
  e.founded = db::GetOptDate(r, 6);
  row.version = static_cast<int>(GetInt(r, 7));
  row.unit_id = GetInt(r, 8);
  e.unit_code = GetText(r, 9);
  row.unit_name = GetText(r, 10);
  row.unit_path = GetText(r, 11);
  return row;
}

// Fills the figures of `rows` from a query over enterprise_figures f whose WHERE is `where`
// (binding `bind_text` as :b, when not empty).
void LoadFigures(db::Tx& tx, std::vector<EnterpriseRow>& rows, const std::string& where,
                 const std::string& bind_text) {
  if (rows.empty()) return;
  std::unordered_map<int64_t, EnterpriseRow*> by_id;
  for (auto& r : rows) by_id[r.enterprise.id] = &r;
  soci::row r;
  std::string b = bind_text;
  const std::string sql =
      "SELECT f.company_id, f.year, f.revenue, f.tax_paid, f.rd_spending, f.employees "
      "FROM enterprise_figures f " +
      where;
  auto read = [&](soci::statement& st) {
    st.execute();
    while (st.fetch()) {
      auto it = by_id.find(GetInt(r, 0));
      if (it == by_id.end()) continue;
      YearFigures& y = it->second->enterprise.years[static_cast<int>(GetInt(r, 1))];
      y.revenue = GetOptDecimal(r, 2);
      y.tax_paid = GetOptDecimal(r, 3);
      y.rd_spending = GetOptDecimal(r, 4);
      y.employees = GetOptDecimal(r, 5);
    }
  };
  if (b.empty()) {
    soci::statement st = (tx.sql().prepare << sql, soci::into(r));
    read(st);
  } else {
    soci::statement st = (tx.sql().prepare << sql, soci::use(b, "b"), soci::into(r));
    read(st);
  }
}

// Fills each enterprise's unit_ancestors: the codes of the units on its unit's path ("/1/5/12/")
// above the unit itself, read in one query.
void FillUnitAncestors(db::Tx& tx, std::vector<EnterpriseRow>& rows) {
  std::map<int64_t, std::string> codes;
  for (const EnterpriseRow& row : rows)
    for (const std::string& id : Split(row.unit_path, '/')) codes.emplace(std::stoll(id), "");
  if (codes.empty()) return;
  std::vector<int64_t> ids;
  for (const auto& [id, code] : codes) ids.push_back(id);
  soci::row r;
  soci::statement st = (tx.sql().prepare << "SELECT id, code FROM units WHERE id IN (" +
                                                db::IdList(ids) + ")",
                        soci::into(r));
  st.execute();
  while (st.fetch()) codes[GetInt(r, 0)] = GetText(r, 1);
  for (EnterpriseRow& row : rows) {
    Enterprise& e = row.enterprise;
    e.unit_ancestors.clear();
    for (const std::string& id : Split(row.unit_path, '/')) {
      const std::string& code = codes[std::stoll(id)];
      if (std::stoll(id) != row.unit_id && !code.empty()) e.unit_ancestors.push_back(code);
    }
  }
}

std::vector<int64_t> IdsOf(const std::vector<EnterpriseRow>& rows) {
  std::vector<int64_t> ids;
  for (const auto& r : rows) ids.push_back(r.enterprise.id);
  return ids;
}

constexpr const char* kPolicyCols =
    "p.id, p.title, p.issuer, p.doc_number, p.valid_from, p.valid_to, p.budget, p.budget_mode, "
    "p.base_year, "
    "p.eligibility, p.amount, p.unit_id, p.archived, p.version, p.created_at, p.updated_at, "
    "u.code, u.name, u.path, "
    "CASE WHEN u.kind = 'department' AND pu.path IS NOT NULL THEN pu.path ELSE u.path END";
constexpr const char* kPolicyFrom =
    " FROM benefit_policies p JOIN units u ON u.id = p.unit_id LEFT JOIN units pu ON pu.id = "
    "u.parent_id";

PolicyRecord PolicyFromRow(const soci::row& r) {
  PolicyRecord p;
  p.id = GetInt(r, 0);
  p.title = GetText(r, 1);
  p.issuer = GetText(r, 2);
  p.doc_number = GetText(r, 3);
  p.valid_from = db::GetOptDate(r, 4);
  p.valid_to = db::GetOptDate(r, 5);
  p.budget = GetOptDecimal(r, 6);
  p.budget_mode = GetText(r, 7) == "pro_rata" ? BudgetMode::kProRata : BudgetMode::kOrder;
  p.rules.base_year = static_cast<int>(GetInt(r, 8));
  p.rules.eligibility = GetText(r, 9);
  p.rules.amount = GetText(r, 10);
  p.unit_id = GetInt(r, 11);
  p.archived = GetInt(r, 12) != 0;
  p.version = static_cast<int>(GetInt(r, 13));
  p.created_at = GetInt(r, 14);
  p.updated_at = GetInt(r, 15);
  p.unit_code = GetText(r, 16);
  p.unit_name = GetText(r, 17);
  p.unit_path = GetText(r, 18);
  p.scope_path = GetText(r, 19);
  return p;
}

const char* ModeText(BudgetMode m) { return m == BudgetMode::kProRata ? "pro_rata" : "order"; }

constexpr const char* kRunCols =
    "r.id, r.policy_id, r.policy_version, r.year, r.state, r.eligibility, r.amount, r.budget, "
    "r.budget_mode, "
    "r.enterprises, r.matched, r.near_miss, r.data_missing, r.data_error, r.requested, r.granted, "
    "r.run_by, r.run_at, "
    "r.reviewed_by, r.reviewed_at, r.approved_by, r.approved_at, r.published_by, r.published_at, "
    "r.version, "
    "p.title, ru.id, ru.code, ru.name, ru.path, r.snapshot_id";
constexpr const char* kRunFrom =
    " FROM benefit_runs r JOIN benefit_policies p ON p.id = r.policy_id JOIN units ru ON ru.id = "
    "p.unit_id";

RunRecord RunFromRow(const soci::row& r, size_t i = 0) {
  RunRecord x;
  x.id = GetInt(r, i + 0);
  x.policy_id = GetInt(r, i + 1);
  x.policy_version = static_cast<int>(GetInt(r, i + 2));
  x.year = static_cast<int>(GetInt(r, i + 3));
  x.state = GetText(r, i + 4);
  x.eligibility = GetText(r, i + 5);
  x.amount = GetText(r, i + 6);
  x.budget = GetOptDecimal(r, i + 7);
  x.budget_mode = GetText(r, i + 8) == "pro_rata" ? BudgetMode::kProRata : BudgetMode::kOrder;
  x.enterprises = static_cast<int>(GetInt(r, i + 9));
  x.matched = static_cast<int>(GetInt(r, i + 10));
  x.near_miss = static_cast<int>(GetInt(r, i + 11));
  x.data_missing = static_cast<int>(GetInt(r, i + 12));
  x.data_error = static_cast<int>(GetInt(r, i + 13));
  x.requested = Decimal::FromRaw(GetInt(r, i + 14));
  x.granted = Decimal::FromRaw(GetInt(r, i + 15));
  x.run_by = GetText(r, i + 16);
  x.run_at = GetInt(r, i + 17);
  x.reviewed_by = GetText(r, i + 18);
  x.reviewed_at = GetOptInt(r, i + 19);
  x.approved_by = GetText(r, i + 20);
  x.approved_at = GetOptInt(r, i + 21);
  x.published_by = GetText(r, i + 22);
  x.published_at = GetOptInt(r, i + 23);
  x.version = static_cast<int>(GetInt(r, i + 24));
  x.policy_title = GetText(r, i + 25);
  x.unit_id = GetInt(r, i + 26);
  x.unit_code = GetText(r, i + 27);
  x.unit_name = GetText(r, i + 28);
  x.unit_path = GetText(r, i + 29);
  x.snapshot_id = GetOptInt(r, i + 30).value_or(0);
  return x;
}

constexpr const char* kResultCols =
    "s.run_id, s.company_id, s.outcome, s.met, s.failed, s.missing, s.error, s.inputs, "
    "s.requested, s.granted, "
    "c.name, c.uscc, COALESCE(u.code, ''), COALESCE(u.name, '')";
constexpr const char* kResultFrom =
    " FROM benefit_results s JOIN companies c ON c.id = s.company_id LEFT JOIN "
    "enterprise_attributes a ON "
    "a.company_id = s.company_id LEFT JOIN units u ON u.id = a.unit_id";

ResultRecord ResultFromRow(const soci::row& r) {
  ResultRecord x;
  x.run_id = GetInt(r, 0);
  x.company_id = GetInt(r, 1);
  x.outcome = GetText(r, 2);
  x.met = Split(GetText(r, 3), '\n');
  x.failed = Split(GetText(r, 4), '\n');
  x.missing = Split(GetText(r, 5), '\n');
  x.error = GetText(r, 6);
  x.inputs = GetText(r, 7);
  x.requested = GetOptDecimal(r, 8);
  x.granted = GetOptDecimal(r, 9);
  x.company_name = GetText(r, 10);
  x.uscc = GetText(r, 11);
  x.unit_code = GetText(r, 12);
  x.unit_name = GetText(r, 13);
  return x;
}

}  // namespace

std::optional<UnitRef> FindUnit(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kUnitCols + kUnitFrom + " WHERE u.id = :id", soci::use(id),
      soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return UnitFromRow(r);
}

std::optional<UnitRef> FindUnitByCode(db::Tx& tx, const std::string& code) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kUnitCols + kUnitFrom + " WHERE u.code = :c",
      soci::use(code), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return UnitFromRow(r);
}

std::vector<UnitRef> AllUnits(db::Tx& tx) {
  std::vector<UnitRef> out;
  soci::row r;
  soci::statement st =
      (tx.sql().prepare << std::string("SELECT ") + kUnitCols + kUnitFrom + " ORDER BY u.path",
       soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(UnitFromRow(r));
  return out;
}

std::map<std::string, std::vector<std::string>> UnitAncestorsByCode(db::Tx& tx) {
  const std::vector<UnitRef> units = AllUnits(tx);
  std::map<int64_t, std::string> code_of;
  for (const auto& u : units) code_of[u.id] = u.code;
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& u : units) {
    auto& above = out[u.code];
    for (const std::string& id : Split(u.path, '/'))
      if (std::stoll(id) != u.id && !code_of[std::stoll(id)].empty())
        above.push_back(code_of[std::stoll(id)]);
  }
  return out;
}

// ---- The register ----

std::vector<EnterpriseRow> ListEnterprises(db::Tx& tx, const EnterpriseQuery& q, int64_t* total) {
  std::string where = " WHERE u.path LIKE :scope";
  const std::string scope = q.scope_path + "%", unit = q.unit_path + "%",
                    like = db::ContainsPattern(q.q),
                    industry = q.industry.size() == 1 ? q.industry + "%" : q.industry,
                    scale = q.scale, cert = "%|" + q.certification + "|%";
  if (!q.unit_path.empty()) where += " AND u.path LIKE :unit";
  if (!q.q.empty())
    where += " AND (LOWER(c.name) LIKE :q ESCAPE '\\' OR LOWER(c.uscc) LIKE :q2 ESCAPE '\\')";
  if (!q.industry.empty()) where += " AND a.industry LIKE :ind";
  if (!q.scale.empty()) where += " AND a.scale = :scale";
  if (!q.certification.empty()) where += " AND ('|' || a.certifications || '|') LIKE :cert";
  auto bind = [&](soci::details::prepare_temp_type& st) {
    st, soci::use(scope, "scope");
    if (!q.unit_path.empty()) st, soci::use(unit, "unit");
    if (!q.q.empty()) st, soci::use(like, "q"), soci::use(like, "q2");
    if (!q.industry.empty()) st, soci::use(industry, "ind");
    if (!q.scale.empty()) st, soci::use(scale, "scale");
    if (!q.certification.empty()) st, soci::use(cert, "cert");
  };
  if (total) *total = db::Count(tx, std::string("SELECT COUNT(*)") + kEnterpriseFrom + where, bind);
  long long limit = q.page_size, offset = static_cast<long long>(q.page - 1) * q.page_size;
  std::vector<EnterpriseRow> out;
  soci::row r;
  auto st =
      (tx.sql().prepare << std::string("SELECT ") + kEnterpriseCols + kEnterpriseFrom + where +
                               " ORDER BY u.path, c.name, c.id LIMIT :lim OFFSET :off",
       soci::into(r));
  bind(st);
  st, soci::use(limit, "lim"), soci::use(offset, "off");
  soci::statement stmt(st);
  stmt.execute();
  while (stmt.fetch()) out.push_back(EnterpriseFromRow(r));
  LoadFigures(tx, out, "WHERE f.company_id IN (" + db::IdList(IdsOf(out)) + ")", "");
  return out;
}

std::optional<EnterpriseRow> FindEnterprise(db::Tx& tx, int64_t company_id) {
  auto rows = EnterprisesByIds(tx, {company_id});
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<EnterpriseRow> EnterprisesByIds(db::Tx& tx, const std::vector<int64_t>& ids) {
  std::vector<EnterpriseRow> out;
  soci::row r;
  soci::statement st =
      (tx.sql().prepare << std::string("SELECT ") + kEnterpriseCols + kEnterpriseFrom +
                               " WHERE a.company_id IN (" + db::IdList(ids) + ") ORDER BY c.id",
       soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(EnterpriseFromRow(r));
  LoadFigures(tx, out, "WHERE f.company_id IN (" + db::IdList(IdsOf(out)) + ")", "");
  FillUnitAncestors(tx, out);
  return out;
}

std::vector<EnterpriseRow> EnterprisesUnder(db::Tx& tx, const std::string& scope_path) {
  std::vector<EnterpriseRow> out;
  soci::row r;
  const std::string like = scope_path + "%";
  soci::statement st =
      (tx.sql().prepare << std::string("SELECT ") + kEnterpriseCols + kEnterpriseFrom +
                               " WHERE u.path LIKE :b ORDER BY c.id",
       soci::use(like, "b"), soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(EnterpriseFromRow(r));
  LoadFigures(tx, out,
              "JOIN enterprise_attributes a ON a.company_id = f.company_id JOIN units u ON u.id = "
              "a.unit_id "
              "WHERE u.path LIKE :b",
              like);
  FillUnitAncestors(tx, out);
  return out;
}

int64_t RegisterChanges(db::Tx& tx) {
  long long n = 0;
  tx.sql() << "SELECT counter FROM benefit_register_changes WHERE id = 1", soci::into(n);
  return n;
}

namespace {
std::vector<CompanyRef> QueryCompanies(db::Tx& tx, const std::string& where,
                                       const std::string& bind) {
  std::vector<CompanyRef> out;
  soci::row r;
  std::string b = bind;
  soci::statement st = (tx.sql().prepare << "SELECT c.id, c.name, c.uscc FROM companies c " +
                                                where + " AND c.merged_into IS NULL ORDER BY c.id",
                        soci::use(b), soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(CompanyRef{GetInt(r, 0), GetText(r, 1), GetText(r, 2)});
  return out;
}
}  // namespace

std::vector<CompanyRef> CompaniesByUscc(db::Tx& tx, const std::string& uscc) {
  return QueryCompanies(tx, "WHERE c.uscc = :b", uscc);
}
std::vector<CompanyRef> CompaniesByNormalizedName(db::Tx& tx, const std::string& normalized) {
  return QueryCompanies(tx, "WHERE c.normalized_name = :b", normalized);
}
std::optional<CompanyRef> FindCompany(db::Tx& tx, int64_t id) {
  auto list = QueryCompanies(tx, "WHERE c.id = CAST(:b AS BIGINT)", std::to_string(id));
  if (list.empty()) return std::nullopt;
  return list.front();
}

void InsertAttributes(db::Tx& tx, const EnterpriseRow& row, int64_t now) {
  const Enterprise& e = row.enterprise;
  std::vector<std::string> certs(e.certifications.begin(), e.certifications.end());
  std::string certifications = Join(certs, '|'), scale = ScaleCode(e.scale);
  db::OptDateBind founded(e.founded);
  long long id = e.id, unit = row.unit_id;
  tx.sql() << "INSERT INTO enterprise_attributes (company_id, unit_id, industry, scale, "
              "certifications, founded, "
              "version, created_at, updated_at) VALUES (:id, :u, :i, :s, :c, :f, 1, :ca, :ua)",
      soci::use(id), soci::use(unit), soci::use(e.industry), soci::use(scale),
      soci::use(certifications), soci::use(founded.text, founded.ind), soci::use(now),
      soci::use(now);
}

bool UpdateAttributes(db::Tx& tx, const EnterpriseRow& row, int64_t now) {
  const Enterprise& e = row.enterprise;
  std::vector<std::string> certs(e.certifications.begin(), e.certifications.end());
  std::string certifications = Join(certs, '|'), scale = ScaleCode(e.scale);
  db::OptDateBind founded(e.founded);
  long long id = e.id, unit = row.unit_id;
  soci::statement st =
      (tx.sql().prepare
           << "UPDATE enterprise_attributes SET unit_id = :u, industry = :i, scale = :s, "
              "certifications = :c, founded = :f, updated_at = :ua, version = version + 1 "
              "WHERE company_id = :id AND version = :v",
       soci::use(unit), soci::use(e.industry), soci::use(scale), soci::use(certifications),
       soci::use(founded.text, founded.ind), soci::use(now), soci::use(id), soci::use(row.version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void PutFigures(db::Tx& tx, int64_t company_id, int year, const YearFigures& f) {
  long long id = company_id;
  tx.sql() << "DELETE FROM enterprise_figures WHERE company_id = :id AND year = :y", soci::use(id),
      soci::use(year);
  if (!f.revenue && !f.tax_paid && !f.rd_spending && !f.employees) return;
  db::OptDecimalBind rev(f.revenue), tax(f.tax_paid), rd(f.rd_spending), emp(f.employees);
  tx.sql() << "INSERT INTO enterprise_figures (company_id, year, revenue, tax_paid, rd_spending, "
              "employees) "
              "VALUES (:id, :y, :r, :t, :d, :e)",
      soci::use(id), soci::use(year), soci::use(rev.raw, rev.ind), soci::use(tax.raw, tax.ind),
      soci::use(rd.raw, rd.ind), soci::use(emp.raw, emp.ind);
}

// ---- Policies ----

std::vector<PolicyRecord> ListPolicies(db::Tx& tx, const PolicyQuery& q, int64_t* total) {
  std::string where = " WHERE u.path LIKE :scope";
  const std::string scope = q.scope_path + "%", like = db::ContainsPattern(q.q);
  if (!q.include_archived) where += " AND p.archived = 0";
  if (!q.q.empty())
    where +=
        " AND (LOWER(p.title) LIKE :q ESCAPE '\\' OR LOWER(p.doc_number) LIKE :q2 ESCAPE '\\')";
  auto bind = [&](soci::details::prepare_temp_type& st) {
    st, soci::use(scope, "scope");
    if (!q.q.empty()) st, soci::use(like, "q"), soci::use(like, "q2");
  };
  if (total) *total = db::Count(tx, std::string("SELECT COUNT(*)") + kPolicyFrom + where, bind);
  long long limit = q.page_size, offset = static_cast<long long>(q.page - 1) * q.page_size;
  std::vector<PolicyRecord> out;
  soci::row r;
  auto st = (tx.sql().prepare << std::string("SELECT ") + kPolicyCols + kPolicyFrom + where +
                                     " ORDER BY p.id DESC LIMIT :lim OFFSET :off",
             soci::into(r));
  bind(st);
  st, soci::use(limit, "lim"), soci::use(offset, "off");
  soci::statement stmt(st);
  stmt.execute();
  while (stmt.fetch()) out.push_back(PolicyFromRow(r));
  return out;
}

std::optional<PolicyRecord> FindPolicy(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kPolicyCols + kPolicyFrom + " WHERE p.id = :id",
      soci::use(id), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return PolicyFromRow(r);
}

int64_t InsertPolicy(db::Tx& tx, const PolicyRecord& p, int64_t now) {
  long long id = 0, unit = p.unit_id;
  db::OptDateBind from(p.valid_from), to(p.valid_to);
  db::OptDecimalBind budget(p.budget);
  std::string mode = ModeText(p.budget_mode);
  int archived = p.archived ? 1 : 0;
  tx.sql() << "INSERT INTO benefit_policies (title, issuer, doc_number, valid_from, valid_to, "
              "budget, budget_mode, "
              "base_year, eligibility, amount, unit_id, archived, version, created_at, updated_at) "
              "VALUES (:t, :i, "
              ":d, :f, :to, :b, :m, :y, :e, :a, :u, :ar, 1, :c, :up) RETURNING id",
      soci::use(p.title), soci::use(p.issuer), soci::use(p.doc_number),
      soci::use(from.text, from.ind), soci::use(to.text, to.ind), soci::use(budget.raw, budget.ind),
      soci::use(mode), soci::use(p.rules.base_year), soci::use(p.rules.eligibility),
      soci::use(p.rules.amount), soci::use(unit), soci::use(archived), soci::use(now),
      soci::use(now), soci::into(id);
  return id;
}

bool UpdatePolicy(db::Tx& tx, const PolicyRecord& p, int64_t now) {
  long long id = p.id, unit = p.unit_id;
  db::OptDateBind from(p.valid_from), to(p.valid_to);
  db::OptDecimalBind budget(p.budget);
  std::string mode = ModeText(p.budget_mode);
  int archived = p.archived ? 1 : 0;
  soci::statement st =
      (tx.sql().prepare
           << "UPDATE benefit_policies SET title = :t, issuer = :i, doc_number = :d, valid_from = "
              ":f, "
              "valid_to = :to, budget = :b, budget_mode = :m, base_year = :y, eligibility = :e, "
              "amount = :a, unit_id = :u, archived = :ar, updated_at = :up, version = version + 1 "
              "WHERE id = :id AND version = :v",
       soci::use(p.title), soci::use(p.issuer), soci::use(p.doc_number),
       soci::use(from.text, from.ind), soci::use(to.text, to.ind),
       soci::use(budget.raw, budget.ind), soci::use(mode), soci::use(p.rules.base_year),
       soci::use(p.rules.eligibility), soci::use(p.rules.amount), soci::use(unit),
       soci::use(archived), soci::use(now), soci::use(id), soci::use(p.version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

// ---- Runs and results ----

std::optional<RunRecord> FindRun(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kRunCols + kRunFrom + " WHERE r.id = :id", soci::use(id),
      soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return RunFromRow(r);
}

std::vector<RunRecord> RunsOfPolicy(db::Tx& tx, int64_t policy_id) {
  std::vector<RunRecord> out;
  soci::row r;
  long long id = policy_id;
  soci::statement st = (tx.sql().prepare << std::string("SELECT ") + kRunCols + kRunFrom +
                                                " WHERE r.policy_id = :p ORDER BY r.id DESC",
                        soci::use(id), soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(RunFromRow(r));
  return out;
}

int64_t InsertRun(db::Tx& tx, const RunRecord& x, const std::string& results) {
  long long id = 0, policy = x.policy_id, requested = x.requested.raw(), granted = x.granted.raw(),
            at = x.run_at, snapshot = x.snapshot_id;
  db::OptDecimalBind budget(x.budget);
  std::string mode = ModeText(x.budget_mode);
  soci::indicator snapshot_ind = x.snapshot_id ? soci::i_ok : soci::i_null,
                  results_ind = results.empty() ? soci::i_null : soci::i_ok;
  tx.sql() << "INSERT INTO benefit_runs (policy_id, policy_version, year, state, eligibility, "
              "amount, budget, "
              "budget_mode, enterprises, matched, near_miss, data_missing, data_error, requested, "
              "granted, run_by, "
              "run_at, version, snapshot_id, results) VALUES (:p, :pv, :y, :s, :e, :a, :b, :m, :n, "
              ":mt, :nm, :dm, :de, :rq, :gr, :by, :at, 1, :sn, :rs) RETURNING id",
      soci::use(policy), soci::use(x.policy_version), soci::use(x.year), soci::use(x.state),
      soci::use(x.eligibility), soci::use(x.amount), soci::use(budget.raw, budget.ind),
      soci::use(mode), soci::use(x.enterprises), soci::use(x.matched), soci::use(x.near_miss),
      soci::use(x.data_missing), soci::use(x.data_error), soci::use(requested), soci::use(granted),
      soci::use(x.run_by), soci::use(at), soci::use(snapshot, snapshot_ind),
      soci::use(results, results_ind), soci::into(id);
  return id;
}

std::optional<std::string> RunResults(db::Tx& tx, int64_t run_id) {
  long long id = run_id;
  std::string data;
  soci::indicator ind = soci::i_null;
  tx.sql() << "SELECT results FROM benefit_runs WHERE id = :id", soci::use(id),
      soci::into(data, ind);
  if (!tx.sql().got_data() || ind != soci::i_ok) return std::nullopt;
  return data;
}

int64_t InsertSnapshot(db::Tx& tx, int enterprises, const std::string& data, int64_t now) {
  long long id = 0, at = now;
  tx.sql() << "INSERT INTO benefit_snapshots (created_at, enterprises, data) VALUES (:at, :n, :d) "
              "RETURNING id",
      soci::use(at), soci::use(enterprises), soci::use(data), soci::into(id);
  return id;
}

std::string SnapshotData(db::Tx& tx, int64_t id) {
  long long sid = id;
  std::string data;
  soci::indicator ind = soci::i_null;
  tx.sql() << "SELECT data FROM benefit_snapshots WHERE id = :id", soci::use(sid),
      soci::into(data, ind);
  if (!tx.sql().got_data() || ind != soci::i_ok) return "";
  return data;
}

bool SetRunState(db::Tx& tx, int64_t id, int version, const std::string& state,
                 const std::string& by, int64_t at) {
  std::string column = state == "reviewed"   ? "reviewed"
                       : state == "approved" ? "approved"
                                             : "published";
  long long rid = id, when = at;
  soci::statement st =
      (tx.sql().prepare << "UPDATE benefit_runs SET state = :s, " + column + "_by = :by, " +
                               column +
                               "_at = :at, version = version + 1 WHERE id = :id AND version = :v",
       soci::use(state), soci::use(by), soci::use(when), soci::use(rid), soci::use(version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void InsertResults(db::Tx& tx, int64_t run_id, std::vector<NewResult>& rows) {
  // The values of one row, bound by reference to a statement of `n` rows that is executed
  // again for every chunk.
  struct Bound {
    long long run = 0, company = 0, requested = 0, granted = 0;
    soci::indicator requested_ind = soci::i_null, granted_ind = soci::i_null;
    std::string outcome, met, failed, missing, error, inputs;
  };
  constexpr size_t kChunk = 100;  // 1,000 parameters a statement
  std::vector<Bound> bound(std::min(kChunk, rows.size()));
  auto prepare = [&](size_t n) {
    std::string sql =
        "INSERT INTO benefit_results (run_id, company_id, outcome, met, failed, missing, error, "
        "inputs, requested, granted) VALUES ";
    for (size_t k = 0; k < n; ++k) {
      const std::string i = std::to_string(k);
      sql += (k ? ",(" : "(") + (":r" + i) + ",:c" + i + ",:o" + i + ",:m" + i + ",:f" + i +
             ",:mi" + i + ",:e" + i + ",:i" + i + ",:rq" + i + ",:g" + i + ")";
    }
    auto st = (tx.sql().prepare << sql);
    for (size_t k = 0; k < n; ++k) {
      Bound& b = bound[k];
      st, soci::use(b.run), soci::use(b.company), soci::use(b.outcome), soci::use(b.met),
          soci::use(b.failed), soci::use(b.missing), soci::use(b.error), soci::use(b.inputs),
          soci::use(b.requested, b.requested_ind), soci::use(b.granted, b.granted_ind);
    }
    return std::make_unique<soci::statement>(st);
  };
  std::unique_ptr<soci::statement> full, rest;
  for (size_t start = 0; start < rows.size(); start += kChunk) {
    const size_t n = std::min(kChunk, rows.size() - start);
    for (size_t k = 0; k < n; ++k) {
      NewResult& x = rows[start + k];
      Bound& b = bound[k];
      b.run = run_id;
      b.company = x.company_id;
      b.outcome.swap(x.outcome);
      b.met.swap(x.met);
      b.failed.swap(x.failed);
      b.missing.swap(x.missing);
      b.error.swap(x.error);
      b.inputs.swap(x.inputs);
      b.requested_ind = x.requested ? soci::i_ok : soci::i_null;
      b.requested = x.requested ? x.requested->raw() : 0;
      b.granted_ind = x.granted ? soci::i_ok : soci::i_null;
      b.granted = x.granted ? x.granted->raw() : 0;
    }
    std::unique_ptr<soci::statement>& st = n == kChunk ? full : rest;
    if (!st) st = prepare(n);
    st->execute(true);
  }
}

ResultRecord AsRead(int64_t run_id, const NewResult& x) {
  ResultRecord out;
  out.run_id = run_id;
  out.company_id = x.company_id;
  out.outcome = x.outcome;
  out.met = Split(x.met, '\n');
  out.failed = Split(x.failed, '\n');
  out.missing = Split(x.missing, '\n');
  out.error = x.error;
  out.inputs = x.inputs;
  out.requested = x.requested;
  out.granted = x.granted;
  return out;
}

std::map<int64_t, CompanyLabel> CompanyLabels(db::Tx& tx, const std::vector<int64_t>& ids) {
  std::map<int64_t, CompanyLabel> out;
  if (ids.empty()) return out;
  soci::row r;
  soci::statement st =
      (tx.sql().prepare << "SELECT c.id, c.name, c.uscc, COALESCE(u.code, ''), COALESCE(u.name, '') "
                           "FROM companies c LEFT JOIN enterprise_attributes a ON a.company_id = "
                           "c.id LEFT JOIN units u ON u.id = a.unit_id WHERE c.id IN (" +
                               db::IdList(ids) + ")",
       soci::into(r));
  st.execute();
  while (st.fetch())
    out[GetInt(r, 0)] = {GetText(r, 1), GetText(r, 2), GetText(r, 3), GetText(r, 4)};
  return out;
}

std::vector<ResultRecord> ListResults(db::Tx& tx, const ResultQuery& q, int64_t* total) {
  std::string where = " WHERE s.run_id = :run";
  long long run = q.run_id;
  if (!q.outcome.empty()) where += " AND s.outcome = :o";
  auto bind = [&](soci::details::prepare_temp_type& st) {
    st, soci::use(run, "run");
    if (!q.outcome.empty()) st, soci::use(q.outcome, "o");
  };
  if (total) *total = db::Count(tx, std::string("SELECT COUNT(*)") + kResultFrom + where, bind);
  long long limit = q.page_size, offset = static_cast<long long>(q.page - 1) * q.page_size;
  std::vector<ResultRecord> out;
  soci::row r;
  // Matched first (largest grant first), then near-misses, data missing, data errors.
  auto st =
      (tx.sql().prepare
           << std::string("SELECT ") + kResultCols + kResultFrom + where +
                  " ORDER BY CASE s.outcome WHEN 'matched' THEN 0 WHEN 'near_miss' THEN 1 WHEN "
                  "'data_missing' THEN 2 ELSE 3 END, COALESCE(s.requested, 0) DESC, s.company_id "
                  "LIMIT :lim OFFSET :off",
       soci::into(r));
  bind(st);
  st, soci::use(limit, "lim"), soci::use(offset, "off");
  soci::statement stmt(st);
  stmt.execute();
  while (stmt.fetch()) out.push_back(ResultFromRow(r));
  return out;
}

std::vector<BenefitOfEnterprise> BenefitsOf(db::Tx& tx, int64_t company_id) {
  std::vector<BenefitOfEnterprise> out;
  soci::row r;
  long long id = company_id;
  soci::statement st =
      (tx.sql().prepare << std::string("SELECT ") + kResultCols + ", " + kRunCols + kResultFrom +
                               " JOIN benefit_runs r ON r.id = s.run_id JOIN benefit_policies p ON "
                               "p.id = r.policy_id "
                               "JOIN units ru ON ru.id = p.unit_id WHERE s.company_id = :c AND "
                               "r.state = 'published' "
                               "ORDER BY r.year DESC, r.id DESC",
       soci::use(id), soci::into(r));
  st.execute();
  while (st.fetch()) {
    BenefitOfEnterprise b;
    b.result = ResultFromRow(r);
    b.run = RunFromRow(r, 14);
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace tiaodu::benefits::store
