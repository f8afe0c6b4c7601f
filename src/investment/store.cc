#include "investment/store.h"

#include <soci/soci.h>

#include <map>

#include "base/period.h"
#include "db/values.h"

namespace tiaodu::investment::store {
namespace {

using db::GetInt;
using db::GetOptInt;
using db::GetText;
using OptId = db::OptIdBind;
using OptText = db::OptDateBind;
constexpr auto OptDate = db::GetOptDate;
constexpr auto InIds = db::IdList;
constexpr auto DatesText = db::DatesToText;
constexpr auto ParseDates = db::DatesFromText;





std::string JoinTags(const std::set<std::string>& tags) {
  std::string out;
  for (const auto& t : tags) out += (out.empty() ? "" : "|") + t;
  return out;
}

std::set<std::string> SplitTags(const std::string& s) {
  std::set<std::string> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t end = s.find('|', pos);
    if (end == std::string::npos) end = s.size();
    if (end > pos) out.insert(s.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}



constexpr const char* kCompanyCols = "c.id, c.name, c.normalized_name, c.uscc, c.origin, c.tags, c.merged_into, c.version";

Company CompanyFromRow(const soci::row& r) {
  Company c;
  c.id = GetInt(r, 0);
  c.name = GetText(r, 1);
  c.normalized_name = GetText(r, 2);
  c.uscc = GetText(r, 3);
  c.origin = GetText(r, 4);
  c.tags = SplitTags(GetText(r, 5));
  c.merged_into = GetOptInt(r, 6);
  c.version = static_cast<int>(GetInt(r, 7));
  return c;
}

std::vector<Company> QueryCompanies(db::Tx& tx, const std::string& where, const std::string& bind_text) {
  std::vector<Company> out;
  soci::row r;
  std::string b = bind_text;
  soci::statement st = (tx.sql().prepare << std::string("SELECT ") + kCompanyCols + " FROM companies c " + where,
                        soci::use(b), soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(CompanyFromRow(r));
  return out;
}

constexpr const char* kLeadCols =
    "l.id, l.company_id, l.project_name, l.amount, l.chain_id, l.segment_id, l.source, l.unit_id, l.officer_id, "
    "l.stage, l.stage_dates, l.lost, l.lost_reason, l.lost_date, l.project_id, l.version, l.created_at, "
    "l.contract_amount, c.name, c.uscc, u.code, u.name, COALESCE(us.display_name, ''), COALESCE(ch.name, ''), "
    "COALESCE(sg.name, ''), COALESCE(sg.position, ''), COALESCE(p.code, ''), COALESCE(p.name, '')";
constexpr const char* kLeadFrom =
    " FROM leads l JOIN companies c ON c.id = l.company_id JOIN units u ON u.id = l.unit_id "
    "LEFT JOIN users us ON us.id = l.officer_id LEFT JOIN chains ch ON ch.id = l.chain_id "
    "LEFT JOIN chain_segments sg ON sg.id = l.segment_id LEFT JOIN projects p ON p.id = l.project_id";

LeadRow LeadFromRow(const soci::row& r) {
  LeadRow row;
  Lead& l = row.lead;
  l.id = GetInt(r, 0);
  l.company_id = GetInt(r, 1);
  l.project_name = GetText(r, 2);
  l.amount = Decimal::FromRaw(GetInt(r, 3));
  l.chain_id = GetOptInt(r, 4);
  l.segment_id = GetOptInt(r, 5);
  l.source = GetText(r, 6);
  l.unit_id = GetInt(r, 7);
  l.officer_id = GetOptInt(r, 8);
  l.stage = GetText(r, 9);
  l.stage_dates = ParseDates(GetText(r, 10));
  l.lost = GetInt(r, 11) != 0;
  l.lost_reason = GetText(r, 12);
  l.lost_date = OptDate(r, 13);
  l.project_id = GetOptInt(r, 14);
  l.version = static_cast<int>(GetInt(r, 15));
  l.created_at = GetInt(r, 16);
  row.contract_amount = Decimal::FromRaw(GetInt(r, 17));
  row.company_name = GetText(r, 18);
  row.company_uscc = GetText(r, 19);
  row.unit_code = GetText(r, 20);
  row.unit_name = GetText(r, 21);
  row.officer_name = GetText(r, 22);
  row.chain_name = GetText(r, 23);
  row.segment_name = GetText(r, 24);
  row.segment_position = GetText(r, 25);
  row.project_code = GetText(r, 26);
  row.project_name = GetText(r, 27);
  return row;
}

}  // namespace

std::optional<UnitRef> FindUnit(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << "SELECT id, code, name, path, parent_id FROM units WHERE id = :id", soci::use(id), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return UnitRef{GetInt(r, 0), GetText(r, 1), GetText(r, 2), GetText(r, 3), GetInt(r, 4, 0)};
}

std::optional<UnitRef> FindUnitByCode(db::Tx& tx, const std::string& code) {
  soci::row r;
  tx.sql() << "SELECT id, code, name, path, parent_id FROM units WHERE code = :c", soci::use(code), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return UnitRef{GetInt(r, 0), GetText(r, 1), GetText(r, 2), GetText(r, 3), GetInt(r, 4, 0)};
}

std::optional<UserRef> FindUser(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << "SELECT us.id, us.display_name, us.role, un.path, us.disabled FROM users us JOIN units un ON un.id = "
              "us.unit_id WHERE us.id = :id",
      soci::use(id), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return UserRef{GetInt(r, 0), GetText(r, 1), GetText(r, 2), GetText(r, 3), GetInt(r, 4) != 0};
}

std::vector<UserRef> Officers(db::Tx& tx, const std::string& scope_path) {
  std::vector<UserRef> out;
  soci::row r;
  std::string like = scope_path + "%";
  soci::statement st = (tx.sql().prepare << "SELECT us.id, us.display_name, us.role, un.path, us.disabled, un.id, un.code, "
                                            "un.name FROM users us "
                                            "JOIN units un ON un.id = us.unit_id WHERE us.role = 'investment_officer' "
                                            "AND us.disabled = 0 AND un.path LIKE :p ORDER BY un.path, us.id",
                        soci::use(like), soci::into(r));
  st.execute();
  while (st.fetch())
    out.push_back(UserRef{GetInt(r, 0), GetText(r, 1), GetText(r, 2), GetText(r, 3), GetInt(r, 4) != 0, GetInt(r, 5),
                          GetText(r, 6), GetText(r, 7)});
  return out;
}

std::vector<UnitRef> ChildUnits(db::Tx& tx, int64_t parent_id) {
  std::vector<UnitRef> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << "SELECT id, code, name, path, parent_id FROM units WHERE parent_id = :p AND "
                                            "archived = 0 AND kind NOT IN ('department', 'task_force') ORDER BY "
                                            "sort_order, code",
                        soci::use(parent_id), soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(UnitRef{GetInt(r, 0), GetText(r, 1), GetText(r, 2), GetText(r, 3), GetInt(r, 4, 0)});
  return out;
}

// ---- Companies ----

std::optional<Company> FindCompany(db::Tx& tx, int64_t id) {
  auto list = QueryCompanies(tx, "WHERE c.id = CAST(:id AS BIGINT)", std::to_string(id));
  if (list.empty()) return std::nullopt;
  return list.front();
}

std::vector<Company> CompaniesByUscc(db::Tx& tx, const std::string& uscc) {
  return QueryCompanies(tx, "WHERE c.uscc = :u AND c.merged_into IS NULL ORDER BY c.id", uscc);
}

std::vector<Company> CompaniesByNormalizedName(db::Tx& tx, const std::string& normalized) {
  return QueryCompanies(tx, "WHERE c.normalized_name = :n AND c.merged_into IS NULL ORDER BY c.id", normalized);
}

std::vector<Company> CompaniesByIds(db::Tx& tx, const std::vector<int64_t>& ids) {
  std::vector<Company> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << std::string("SELECT ") + kCompanyCols +
                                                " FROM companies c WHERE c.id IN (" + InIds(ids) + ") ORDER BY c.id",
                        soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(CompanyFromRow(r));
  return out;
}

int64_t InsertCompany(db::Tx& tx, const Company& c, int64_t now) {
  long long id = 0;
  std::string tags = JoinTags(c.tags);
  tx.sql() << "INSERT INTO companies (name, normalized_name, uscc, origin, tags, version, created_at, updated_at) "
              "VALUES (:n, :nn, :u, :o, :t, 1, :c, :up) RETURNING id",
      soci::use(c.name), soci::use(c.normalized_name), soci::use(c.uscc), soci::use(c.origin), soci::use(tags),
      soci::use(now), soci::use(now), soci::into(id);
  return id;
}

bool UpdateCompany(db::Tx& tx, const Company& c, int64_t now) {
  std::string tags = JoinTags(c.tags);
  OptId merged(c.merged_into);
  soci::statement st =
      (tx.sql().prepare << "UPDATE companies SET name = :n, normalized_name = :nn, uscc = :u, origin = :o, tags = :t, "
                           "merged_into = :m, updated_at = :up, version = version + 1 WHERE id = :id AND version = :v",
       soci::use(c.name), soci::use(c.normalized_name), soci::use(c.uscc), soci::use(c.origin), soci::use(tags),
       soci::use(merged.v, merged.ind), soci::use(now), soci::use(c.id), soci::use(c.version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::vector<Company> ListCompanies(db::Tx& tx, const std::string& q, const std::string& tag, int page, int page_size,
                                   int64_t* total) {
  std::string where = " WHERE c.merged_into IS NULL";
  std::string like = db::ContainsPattern(q), tag_like = db::ContainsPattern(tag);
  if (!q.empty()) where += " AND (LOWER(c.name) LIKE :q ESCAPE '\\' OR LOWER(c.uscc) LIKE :q2 ESCAPE '\\')";
  if (!tag.empty()) where += " AND LOWER(c.tags) LIKE :tag ESCAPE '\\'";
  auto bind = [&](soci::details::prepare_temp_type& st) {
    if (!q.empty()) st, soci::use(like, "q"), soci::use(like, "q2");
    if (!tag.empty()) st, soci::use(tag_like, "tag");
  };
  if (total) *total = db::Count(tx, "SELECT COUNT(*) FROM companies c" + where, bind);
  long long limit = page_size, offset = static_cast<long long>(page - 1) * page_size;
  std::vector<Company> out;
  soci::row r;
  auto st = (tx.sql().prepare << std::string("SELECT ") + kCompanyCols + " FROM companies c" + where +
                                     " ORDER BY c.name, c.id LIMIT :lim OFFSET :off",
             soci::into(r));
  bind(st);
  st, soci::use(limit, "lim"), soci::use(offset, "off");
  soci::statement stmt(st);
  stmt.execute();
  while (stmt.fetch()) out.push_back(CompanyFromRow(r));
  return out;
}

// ---- Leads ----

std::optional<LeadRow> FindLead(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kLeadCols + kLeadFrom + " WHERE l.id = :id", soci::use(id), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return LeadFromRow(r);
}

int64_t InsertLead(db::Tx& tx, const Lead& l, int64_t now) {
  long long id = 0, amount = l.amount.raw();
  OptId chain(l.chain_id), segment(l.segment_id), officer(l.officer_id), project(l.project_id);
  OptText lost_date(l.lost_date);
  std::string dates = DatesText(l.stage_dates);
  int lost = l.lost;
  OptText signed_on(l.stage_dates.count("signed") ? std::optional<CivilDate>(l.stage_dates.at("signed")) : std::nullopt);
  tx.sql() << "INSERT INTO leads (company_id, project_name, amount, chain_id, segment_id, source, unit_id, officer_id, "
              "stage, stage_dates, lost, lost_reason, lost_date, project_id, contract_amount, signed_date, version, "
              "created_at, updated_at) VALUES (:c, :pn, :a, :ch, :sg, :so, :u, :o, :st, :sd, :lo, :lr, :ld, :p, 0, :sdt, "
              "1, :cr, :up) RETURNING id",
      soci::use(l.company_id), soci::use(l.project_name), soci::use(amount), soci::use(chain.v, chain.ind),
      soci::use(segment.v, segment.ind), soci::use(l.source), soci::use(l.unit_id), soci::use(officer.v, officer.ind),
      soci::use(l.stage), soci::use(dates), soci::use(lost), soci::use(l.lost_reason),
      soci::use(lost_date.text, lost_date.ind), soci::use(project.v, project.ind), soci::use(signed_on.text, signed_on.ind),
      soci::use(now), soci::use(now), soci::into(id);
  return id;
}

bool UpdateLead(db::Tx& tx, const Lead& l, int64_t now) {
  long long amount = l.amount.raw();
  OptId chain(l.chain_id), segment(l.segment_id), officer(l.officer_id), project(l.project_id);
  OptText lost_date(l.lost_date);
  std::string dates = DatesText(l.stage_dates);
  int lost = l.lost;
  OptText signed_on(l.stage_dates.count("signed") ? std::optional<CivilDate>(l.stage_dates.at("signed")) : std::nullopt);
  soci::statement st =
      (tx.sql().prepare << "UPDATE leads SET signed_date = :sdt, company_id = :c, project_name = :pn, amount = :a, chain_id = :ch, "
                           "segment_id = :sg, source = :so, unit_id = :u, officer_id = :o, stage = :st, "
                           "stage_dates = :sd, lost = :lo, lost_reason = :lr, lost_date = :ld, project_id = :p, "
                           "updated_at = :up, version = version + 1 WHERE id = :id AND version = :v",
       soci::use(signed_on.text, signed_on.ind), soci::use(l.company_id), soci::use(l.project_name), soci::use(amount), soci::use(chain.v, chain.ind),
       soci::use(segment.v, segment.ind), soci::use(l.source), soci::use(l.unit_id), soci::use(officer.v, officer.ind),
       soci::use(l.stage), soci::use(dates), soci::use(lost), soci::use(l.lost_reason),
       soci::use(lost_date.text, lost_date.ind), soci::use(project.v, project.ind), soci::use(now), soci::use(l.id),
       soci::use(l.version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

namespace {
std::string LeadWhere(const LeadQuery& q) {
  // The unit filter as a set of unit ids, so the leads are found through their unit index.
  std::string where = " WHERE l.unit_id IN (SELECT id FROM units WHERE path LIKE :scope";
  if (!q.unit_path.empty()) where += " AND path LIKE :unit";
  where += ")";
  if (!q.stage.empty()) where += " AND l.stage = :stage";
  if (q.lost) where += *q.lost ? " AND l.lost = 1" : " AND l.lost = 0";
  if (q.chain_id) where += " AND l.chain_id = :chain";
  if (q.company_id) where += " AND l.company_id = :company";
  if (!q.q.empty()) where += " AND (LOWER(l.project_name) LIKE :q ESCAPE '\\' OR LOWER(c.name) LIKE :q2 ESCAPE '\\')";
  return where;
}
struct LeadBinds {
  std::string scope, unit, like;
  long long chain = 0, company = 0;
  explicit LeadBinds(const LeadQuery& q)
      : scope(q.scope_path + "%"), unit(q.unit_path + "%"), like(db::ContainsPattern(q.q)),
        chain(q.chain_id.value_or(0)), company(q.company_id.value_or(0)) {}
  void Bind(soci::details::prepare_temp_type& st, const LeadQuery& q) {
    st, soci::use(scope, "scope");
    if (!q.unit_path.empty()) st, soci::use(unit, "unit");
    if (!q.stage.empty()) st, soci::use(q.stage, "stage");
    if (q.chain_id) st, soci::use(chain, "chain");
    if (q.company_id) st, soci::use(company, "company");
    if (!q.q.empty()) st, soci::use(like, "q"), soci::use(like, "q2");
  }
};
}  // namespace

std::vector<LeadRow> ListLeads(db::Tx& tx, const LeadQuery& q, int64_t* total) {
  const std::string where = LeadWhere(q);
  LeadBinds b(q);
  if (total) {
    const std::string from = q.q.empty() ? "SELECT COUNT(*) FROM leads l"
                                          : "SELECT COUNT(*) FROM leads l JOIN companies c ON c.id = l.company_id";
    *total = db::Count(tx, from + where, [&](soci::details::prepare_temp_type& st) { b.Bind(st, q); });
  }
  long long limit = q.page_size, offset = static_cast<long long>(q.page - 1) * q.page_size;
  std::vector<LeadRow> out;
  soci::row r;
  auto st = (tx.sql().prepare << std::string("SELECT ") + kLeadCols + kLeadFrom + where +
                                     " ORDER BY l.updated_at DESC, l.id DESC LIMIT :lim OFFSET :off",
             soci::into(r));
  b.Bind(st, q);
  st, soci::use(limit, "lim"), soci::use(offset, "off");
  soci::statement stmt(st);
  stmt.execute();
  while (stmt.fetch()) out.push_back(LeadFromRow(r));
  return out;
}

std::vector<StageCount> Pipeline(db::Tx& tx, const LeadQuery& q) {
  LeadQuery open = q;
  open.lost = false;
  open.stage.clear();
  const std::string where = LeadWhere(open);
  LeadBinds b(open);
  std::vector<StageCount> out;
  soci::row r;
  const std::string from = open.q.empty() ? "SELECT l.stage, COUNT(*), SUM(l.amount) FROM leads l"
                                           : "SELECT l.stage, COUNT(*), SUM(l.amount) FROM leads l JOIN companies c ON "
                                             "c.id = l.company_id";
  auto st = (tx.sql().prepare << from + where + " GROUP BY l.stage",
             soci::into(r));
  b.Bind(st, open);
  soci::statement stmt(st);
  stmt.execute();
  while (stmt.fetch()) out.push_back({GetText(r, 0), GetInt(r, 1), Decimal::FromRaw(GetInt(r, 2))});
  return out;
}

void MoveLeads(db::Tx& tx, int64_t from_company, int64_t to_company) {
  tx.sql() << "UPDATE leads SET company_id = :t, version = version + 1 WHERE company_id = :f", soci::use(to_company),
      soci::use(from_company);
}

std::vector<Lead> LeadsSignedBetween(db::Tx& tx, const std::string& unit_path, const std::string& from,
                                     const std::string& to) {
  std::vector<Lead> out;
  soci::row r;
  std::string like = unit_path + "%";
  soci::statement st = (tx.sql().prepare << std::string("SELECT ") + kLeadCols + kLeadFrom +
                                                " WHERE l.signed_date >= :f AND l.signed_date <= :t AND l.unit_id IN "
                                                "(SELECT id FROM units WHERE path LIKE :p)",
                        soci::use(from), soci::use(to), soci::use(like), soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(LeadFromRow(r).lead);
  return out;
}

std::vector<Lead> LeadsUnder(db::Tx& tx, const std::string& unit_path) {
  LeadQuery q;
  q.scope_path = unit_path;
  q.page_size = 1000000;
  std::vector<Lead> out;
  for (LeadRow& r : ListLeads(tx, q, nullptr)) out.push_back(std::move(r.lead));
  return out;
}

// ---- Contracts ----

namespace {
Contract ContractFromRow(const soci::row& r) {
  Contract c;
  c.id = GetInt(r, 0);
  c.lead_id = GetInt(r, 1);
  c.date = OptDate(r, 2).value_or(CivilDate{});
  c.amount = Decimal::FromRaw(GetInt(r, 3));
  c.kind = GetText(r, 4);
  c.version = static_cast<int>(GetInt(r, 5));
  return c;
}
}  // namespace

std::vector<Contract> ContractsOf(db::Tx& tx, int64_t lead_id) {
  std::vector<Contract> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << "SELECT id, lead_id, date, amount, kind, version FROM contracts WHERE "
                                            "lead_id = :l ORDER BY date, id",
                        soci::use(lead_id), soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(ContractFromRow(r));
  return out;
}

std::vector<Contract> ContractsUnder(db::Tx& tx, const std::string& unit_path, const std::string& from,
                                     const std::string& to) {
  std::vector<Contract> out;
  soci::row r;
  std::string like = unit_path + "%";
  soci::statement st =
      (tx.sql().prepare << "SELECT k.id, k.lead_id, k.date, k.amount, k.kind, k.version FROM contracts k JOIN leads l "
                           "ON l.id = k.lead_id JOIN units u ON u.id = l.unit_id WHERE u.path LIKE :p AND k.date >= "
                           ":f AND k.date <= :t ORDER BY k.date, k.id",
       soci::use(like), soci::use(from), soci::use(to), soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(ContractFromRow(r));
  return out;
}

int64_t InsertContract(db::Tx& tx, const Contract& c, int64_t now) {
  long long id = 0, amount = c.amount.raw();
  std::string date = FormatIsoDate(c.date);
  tx.sql() << "INSERT INTO contracts (lead_id, date, amount, kind, version, created_at) VALUES (:l, :d, :a, :k, 1, "
              ":c) RETURNING id",
      soci::use(c.lead_id), soci::use(date), soci::use(amount), soci::use(c.kind), soci::use(now), soci::into(id);
  return id;
}

void SetContractAmount(db::Tx& tx, int64_t lead_id) {
  tx.sql() << "UPDATE leads SET contract_amount = (SELECT COALESCE(SUM(amount), 0) FROM contracts WHERE lead_id = "
              ":l) WHERE id = :l2",
      soci::use(lead_id), soci::use(lead_id);
}

// ---- Activities ----

int64_t InsertActivity(db::Tx& tx, const Activity& a, int64_t now) {
  long long id = 0;
  std::string date = FormatIsoDate(a.date);
  int leader_level = a.leader_level;
  tx.sql() << "INSERT INTO activities (kind, date, title, location, leader_level, leader, unit_id, notes, version, "
              "created_at) VALUES (:k, :d, :t, :l, :ll, :le, :u, :n, 1, :c) RETURNING id",
      soci::use(a.kind), soci::use(date), soci::use(a.title), soci::use(a.location), soci::use(leader_level),
      soci::use(a.leader), soci::use(a.unit_id), soci::use(a.notes), soci::use(now), soci::into(id);
  for (int64_t lead : a.lead_ids) {
    long long aid = id;
    tx.sql() << "INSERT INTO activity_leads (activity_id, lead_id) VALUES (:a, :l)", soci::use(aid), soci::use(lead);
  }
  return id;
}

std::vector<ActivityRow> ListActivities(db::Tx& tx, const ActivityQuery& q, int64_t* total) {
  std::string where = " WHERE u.path LIKE :scope";
  std::string scope = q.scope_path + "%", unit = q.unit_path + "%";
  long long lead = q.lead_id.value_or(0);
  if (!q.unit_path.empty()) where += " AND u.path LIKE :unit";
  if (!q.kind.empty()) where += " AND a.kind = :kind";
  if (!q.from.empty()) where += " AND a.date >= :from";
  if (!q.to.empty()) where += " AND a.date <= :to";
  if (q.leader_level_only) where += " AND a.leader_level = 1";
  if (q.lead_id) where += " AND a.id IN (SELECT activity_id FROM activity_leads WHERE lead_id = :lead)";
  auto bind = [&](soci::details::prepare_temp_type& st) {
    st, soci::use(scope, "scope");
    if (!q.unit_path.empty()) st, soci::use(unit, "unit");
    if (!q.kind.empty()) st, soci::use(q.kind, "kind");
    if (!q.from.empty()) st, soci::use(q.from, "from");
    if (!q.to.empty()) st, soci::use(q.to, "to");
    if (q.lead_id) st, soci::use(lead, "lead");
  };
  const std::string from = " FROM activities a JOIN units u ON u.id = a.unit_id";
  if (total) *total = db::Count(tx, "SELECT COUNT(*)" + from + where, bind);
  long long limit = q.page_size, offset = static_cast<long long>(q.page - 1) * q.page_size;
  std::vector<ActivityRow> out;
  soci::row r;
  auto st = (tx.sql().prepare << "SELECT a.id, a.kind, a.date, a.title, a.location, a.leader_level, a.leader, "
                                 "a.unit_id, a.notes, a.version, u.code, u.name" +
                                     from + where + " ORDER BY a.date DESC, a.id DESC LIMIT :lim OFFSET :off",
             soci::into(r));
  bind(st);
  st, soci::use(limit, "lim"), soci::use(offset, "off");
  soci::statement stmt(st);
  stmt.execute();
  while (stmt.fetch()) {
    ActivityRow row;
    Activity& a = row.activity;
    a.id = GetInt(r, 0);
    a.kind = GetText(r, 1);
    a.date = OptDate(r, 2).value_or(CivilDate{});
    a.title = GetText(r, 3);
    a.location = GetText(r, 4);
    a.leader_level = GetInt(r, 5) != 0;
    a.leader = GetText(r, 6);
    a.unit_id = GetInt(r, 7);
    a.notes = GetText(r, 8);
    a.version = static_cast<int>(GetInt(r, 9));
    row.unit_code = GetText(r, 10);
    row.unit_name = GetText(r, 11);
    out.push_back(std::move(row));
  }
  for (ActivityRow& row : out) {
    long long lid = 0;
    soci::statement s2 = (tx.sql().prepare << "SELECT lead_id FROM activity_leads WHERE activity_id = :a ORDER BY lead_id",
                          soci::use(row.activity.id), soci::into(lid));
    s2.execute();
    while (s2.fetch()) row.activity.lead_ids.push_back(lid);
  }
  return out;
}

// ---- Chains ----

namespace {
void LoadSegments(db::Tx& tx, Chain& c) {
  soci::row r;
  soci::statement st = (tx.sql().prepare << "SELECT id, chain_id, position, name, seq FROM chain_segments WHERE "
                                            "chain_id = :c ORDER BY seq, id",
                        soci::use(c.id), soci::into(r));
  st.execute();
  while (st.fetch()) {
    Segment s;
    s.id = GetInt(r, 0);
    s.chain_id = GetInt(r, 1);
    s.position = GetText(r, 2);
    s.name = GetText(r, 3);
    s.seq = static_cast<int>(GetInt(r, 4));
    c.segments.push_back(s);
  }
  for (Segment& s : c.segments) {
    soci::row fr;
    soci::statement fs = (tx.sql().prepare << "SELECT company_id, role FROM segment_firms WHERE segment_id = :s ORDER BY "
                                              "company_id",
                          soci::use(s.id), soci::into(fr));
    fs.execute();
    while (fs.fetch()) (GetText(fr, 1) == "local" ? s.local_firms : s.target_firms).push_back(GetInt(fr, 0));
  }
}
Chain ChainFromRow(const soci::row& r) {
  Chain c;
  c.id = GetInt(r, 0);
  c.name = GetText(r, 1);
  c.chain_leader = GetText(r, 2);
  c.lead_firm_id = GetOptInt(r, 3);
  c.version = static_cast<int>(GetInt(r, 4));
  return c;
}
void WriteSegments(db::Tx& tx, const Chain& c) {
  // Segments keep their ids (leads point at them); removed ones are deleted if unused.
  std::vector<int64_t> keep;
  int seq = 0;
  for (const Segment& s : c.segments) {
    ++seq;
    long long id = s.id;
    if (id) {
      tx.sql() << "UPDATE chain_segments SET position = :p, name = :n, seq = :s WHERE id = :id AND chain_id = :c",
          soci::use(s.position), soci::use(s.name), soci::use(seq), soci::use(id), soci::use(c.id);
    } else {
      tx.sql() << "INSERT INTO chain_segments (chain_id, position, name, seq) VALUES (:c, :p, :n, :s) RETURNING id",
          soci::use(c.id), soci::use(s.position), soci::use(s.name), soci::use(seq), soci::into(id);
    }
    keep.push_back(id);
    tx.sql() << "DELETE FROM segment_firms WHERE segment_id = :s", soci::use(id);
    for (int64_t f : s.local_firms)
      tx.sql() << "INSERT INTO segment_firms (segment_id, company_id, role) VALUES (:s, :c, 'local')", soci::use(id),
          soci::use(f);
    for (int64_t f : s.target_firms)
      tx.sql() << "INSERT INTO segment_firms (segment_id, company_id, role) VALUES (:s, :c, 'target')", soci::use(id),
          soci::use(f);
  }
  const std::string gone = "SELECT id FROM chain_segments WHERE chain_id = " + std::to_string(c.id) +
                           " AND id NOT IN (" + InIds(keep) + ")";
  tx.sql() << "UPDATE leads SET segment_id = NULL WHERE segment_id IN (" + gone + ")";
  tx.sql() << "DELETE FROM segment_firms WHERE segment_id IN (" + gone + ")";
  tx.sql() << "DELETE FROM chain_segments WHERE chain_id = " + std::to_string(c.id) + " AND id NOT IN (" + InIds(keep) + ")";
}
}  // namespace

std::vector<Chain> ListChains(db::Tx& tx) {
  std::vector<Chain> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << "SELECT id, name, chain_leader, lead_firm_id, version FROM chains ORDER BY id",
                        soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(ChainFromRow(r));
  for (Chain& c : out) LoadSegments(tx, c);
  return out;
}

std::optional<Chain> FindChain(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << "SELECT id, name, chain_leader, lead_firm_id, version FROM chains WHERE id = :id", soci::use(id), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  Chain c = ChainFromRow(r);
  LoadSegments(tx, c);
  return c;
}

std::optional<Chain> FindChainByName(db::Tx& tx, const std::string& name) {
  soci::row r;
  tx.sql() << "SELECT id, name, chain_leader, lead_firm_id, version FROM chains WHERE name = :n", soci::use(name),
      soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  Chain c = ChainFromRow(r);
  LoadSegments(tx, c);
  return c;
}

int64_t InsertChain(db::Tx& tx, const Chain& c, int64_t now) {
  long long id = 0;
  OptId firm(c.lead_firm_id);
  tx.sql() << "INSERT INTO chains (name, chain_leader, lead_firm_id, version, created_at, updated_at) VALUES (:n, :l, "
              ":f, 1, :c, :u) RETURNING id",
      soci::use(c.name), soci::use(c.chain_leader), soci::use(firm.v, firm.ind), soci::use(now), soci::use(now),
      soci::into(id);
  Chain copy = c;
  copy.id = id;
  WriteSegments(tx, copy);
  return id;
}

bool UpdateChain(db::Tx& tx, const Chain& c, int64_t now) {
  OptId firm(c.lead_firm_id);
  soci::statement st =
      (tx.sql().prepare << "UPDATE chains SET name = :n, chain_leader = :l, lead_firm_id = :f, updated_at = :u, "
                           "version = version + 1 WHERE id = :id AND version = :v",
       soci::use(c.name), soci::use(c.chain_leader), soci::use(firm.v, firm.ind), soci::use(now), soci::use(c.id),
       soci::use(c.version));
  st.execute(true);
  if (st.get_affected_rows() != 1) return false;
  WriteSegments(tx, c);
  return true;
}

// ---- Targets ----

namespace {
Target TargetFromRow(const soci::row& r) {
  Target t;
  t.id = GetInt(r, 0);
  t.unit_id = GetInt(r, 1);
  t.year = static_cast<int>(GetInt(r, 2));
  t.projects_100m = static_cast<int>(GetInt(r, 3));
  t.contract_amount = Decimal::FromRaw(GetInt(r, 4));
  t.version = static_cast<int>(GetInt(r, 5));
  return t;
}
}  // namespace

std::optional<Target> FindTarget(db::Tx& tx, int64_t unit_id, int year) {
  soci::row r;
  tx.sql() << "SELECT id, unit_id, year, projects_100m, contract_amount, version FROM investment_targets WHERE unit_id = "
              ":u AND year = :y",
      soci::use(unit_id), soci::use(year), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return TargetFromRow(r);
}

std::vector<Target> ListTargets(db::Tx& tx, const std::string& scope_path, int year, const std::string& unit_path) {
  std::vector<Target> out;
  soci::row r;
  std::string scope = scope_path + "%", unit = unit_path + "%";
  soci::statement st =
      (tx.sql().prepare << "SELECT t.id, t.unit_id, t.year, t.projects_100m, t.contract_amount, t.version FROM "
                           "investment_targets t JOIN units u ON u.id = t.unit_id WHERE u.path LIKE :s AND u.path "
                           "LIKE :u AND t.year = :y ORDER BY u.path",
       soci::use(scope), soci::use(unit), soci::use(year), soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(TargetFromRow(r));
  return out;
}

int64_t InsertTarget(db::Tx& tx, const Target& t, int64_t now) {
  long long id = 0, amount = t.contract_amount.raw();
  tx.sql() << "INSERT INTO investment_targets (unit_id, year, projects_100m, contract_amount, version, updated_at) "
              "VALUES (:u, :y, :p, :a, 1, :t) RETURNING id",
      soci::use(t.unit_id), soci::use(t.year), soci::use(t.projects_100m), soci::use(amount), soci::use(now),
      soci::into(id);
  return id;
}

bool UpdateTarget(db::Tx& tx, const Target& t, int64_t now) {
  long long amount = t.contract_amount.raw();
  soci::statement st =
      (tx.sql().prepare << "UPDATE investment_targets SET projects_100m = :p, contract_amount = :a, updated_at = :t, "
                           "version = version + 1 WHERE id = :id AND version = :v",
       soci::use(t.projects_100m), soci::use(amount), soci::use(now), soci::use(t.id), soci::use(t.version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void LinkProject(db::Tx& tx, int64_t lead_id, int64_t project_id) {
  tx.sql() << "UPDATE leads SET project_id = :p WHERE id = :l", soci::use(project_id), soci::use(lead_id);
  tx.sql() << "UPDATE projects SET lead_id = :l WHERE id = :p", soci::use(lead_id), soci::use(project_id);
}

}  // namespace tiaodu::investment::store
