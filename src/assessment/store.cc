#include "assessment/store.h"

#include <algorithm>

#include "assessment/rules.h"
#include "base/period.h"
#include "db/row.h"
#include "db/settings.h"

namespace tiaodu::assessment::store {

using db::GetInt;
using db::GetOptInt;
using db::GetText;

namespace {

std::optional<UnitRef> QueryUnit(db::Tx& tx, const char* where, const std::string& arg) {
  soci::row r;
  tx.sql() << std::string("SELECT id, code, name, path, kind, parent_id FROM units WHERE ") + where, soci::use(arg),
      soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return UnitRef{GetInt(r, 0), GetText(r, 1), GetText(r, 2), GetText(r, 3), GetText(r, 4), GetInt(r, 5, 0)};
}

Scheme SchemeFromRow(const soci::row& r) {
  Scheme s;
  s.id = GetInt(r, 0);
  s.name = GetText(r, 1);
  s.parent_id = GetInt(r, 2);
  s.archived = GetInt(r, 3) != 0;
  s.version = static_cast<int>(GetInt(r, 4));
  s.parent_code = GetText(r, 5);
  s.parent_name = GetText(r, 6);
  return s;
}

constexpr const char* kSchemeSelect =
    "SELECT s.id, s.name, s.parent_id, s.archived, s.version, u.code, u.name "
    "FROM assessment_schemes s JOIN units u ON u.id = s.parent_id ";

}  // namespace

std::optional<UnitRef> FindUnit(db::Tx& tx, int64_t id) {
  return QueryUnit(tx, "id = CAST(:a AS BIGINT)", std::to_string(id));
}

std::optional<UnitRef> FindUnitByCode(db::Tx& tx, const std::string& code) { return QueryUnit(tx, "code = :a", code); }

std::optional<UnitRef> FindUnitByPath(db::Tx& tx, const std::string& path) { return QueryUnit(tx, "path = :a", path); }

std::vector<UnitRef> RankedUnits(db::Tx& tx, int64_t parent_id) {
  std::vector<UnitRef> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << "SELECT id, code, name, path, kind, parent_id FROM units WHERE parent_id = :p "
                                            "AND archived = 0 AND kind NOT IN ('department', 'task_force') "
                                            "ORDER BY sort_order, code",
                        soci::use(parent_id), soci::into(r));
  st.execute();
  while (st.fetch())
    out.push_back(UnitRef{GetInt(r, 0), GetText(r, 1), GetText(r, 2), GetText(r, 3), GetText(r, 4), GetInt(r, 5, 0)});
  return out;
}

// ---- Schemes ----

std::optional<Scheme> LoadScheme(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << std::string(kSchemeSelect) + "WHERE s.id = :id", soci::use(id), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  Scheme s = SchemeFromRow(r);
  {
    soci::row v;
    soci::statement st = (tx.sql().prepare << "SELECT number, effective_from, note, created_by, created_at, red_flags, black_flags FROM "
                                              "assessment_scheme_versions WHERE scheme_id = :id ORDER BY number",
                          soci::use(id), soci::into(v));
    st.execute();
    while (st.fetch()) {
      SchemeVersion sv;
      sv.number = static_cast<int>(GetInt(v, 0));
      sv.effective_from = GetText(v, 1);
      sv.note = GetText(v, 2);
      sv.created_by = GetText(v, 3);
      sv.created_at = GetInt(v, 4);
      sv.red_flags = static_cast<int>(GetInt(v, 5));
      sv.black_flags = static_cast<int>(GetInt(v, 6));
      s.versions.push_back(std::move(sv));
    }
  }
  soci::row it;
  soci::statement st = (tx.sql().prepare << "SELECT number, kind, name, indicator, rate, weight, points FROM "
                                            "assessment_items WHERE scheme_id = :id ORDER BY number, seq",
                        soci::use(id), soci::into(it));
  st.execute();
  while (st.fetch()) {
    const int number = static_cast<int>(GetInt(it, 0));
    for (SchemeVersion& sv : s.versions) {
      if (sv.number != number) continue;
      SchemeItem item;
      item.kind = GetText(it, 1);
      item.name = GetText(it, 2);
      item.indicator = GetText(it, 3);
      item.rate = GetText(it, 4);
      item.weight = Decimal::FromRaw(GetInt(it, 5));
      item.points = ParsePointsText(GetText(it, 6)).value_or(std::vector<int>{});
      sv.items.push_back(std::move(item));
    }
  }
  return s;
}

std::vector<Scheme> ListSchemes(db::Tx& tx, const std::string& scope_path, bool include_archived) {
  std::vector<Scheme> out;
  std::string sql = std::string(kSchemeSelect) + "WHERE 1 = 1";
  if (!include_archived) sql += " AND s.archived = 0";
  if (!scope_path.empty())
    sql += " AND SUBSTR(u.path, 1, LENGTH(:a)) = :b";
  sql += " ORDER BY s.id";
  soci::row r;
  soci::statement st = scope_path.empty()
                           ? (tx.sql().prepare << sql, soci::into(r))
                           : (tx.sql().prepare << sql, soci::use(scope_path, "a"), soci::use(scope_path, "b"),
                              soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(SchemeFromRow(r));
  return out;
}

int64_t InsertScheme(db::Tx& tx, const Scheme& s, int64_t now) {
  int64_t id = 0;
  int archived = s.archived ? 1 : 0;
  tx.sql() << "INSERT INTO assessment_schemes (name, parent_id, archived, version, created_at, updated_at) "
              "VALUES (:n, :p, :a, 1, :c, :u) RETURNING id",
      soci::use(s.name), soci::use(s.parent_id), soci::use(archived),
      soci::use(now), soci::use(now), soci::into(id);
  return id;
}

bool UpdateScheme(db::Tx& tx, const Scheme& s, int64_t now) {
  int archived = s.archived ? 1 : 0;
  soci::statement st = (tx.sql().prepare << "UPDATE assessment_schemes SET name = :n, archived = :a, version = version + 1, "
                                            "updated_at = :u WHERE id = :id AND version = :v",
                        soci::use(s.name), soci::use(archived),
                        soci::use(now), soci::use(s.id), soci::use(s.version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void InsertVersion(db::Tx& tx, int64_t scheme_id, const SchemeVersion& v) {
  tx.sql() << "INSERT INTO assessment_scheme_versions (scheme_id, number, effective_from, red_flags, black_flags, "
              "note, created_by, created_at) VALUES (:s, :n, :e, :r, :b, :note, :by, :at)",
      soci::use(scheme_id), soci::use(v.number), soci::use(v.effective_from), soci::use(v.red_flags),
      soci::use(v.black_flags), soci::use(v.note), soci::use(v.created_by), soci::use(v.created_at);
  for (size_t i = 0; i < v.items.size(); ++i) {
    const SchemeItem& it = v.items[i];
    int seq = static_cast<int>(i);
    int64_t weight = it.weight.raw();
    std::string points = PointsText(it.points);
    tx.sql() << "INSERT INTO assessment_items (scheme_id, number, seq, kind, name, indicator, rate, weight, points) "
                "VALUES (:s, :n, :q, :k, :name, :i, :r, :w, :p)",
        soci::use(scheme_id), soci::use(v.number), soci::use(seq), soci::use(it.kind), soci::use(it.name),
        soci::use(it.indicator), soci::use(it.rate), soci::use(weight), soci::use(points);
  }
}

std::string LastPublished(db::Tx& tx, int64_t scheme_id) {
  std::string period;
  soci::indicator ind;
  tx.sql() << "SELECT MAX(period) FROM assessment_published WHERE scheme_id = :s", soci::use(scheme_id),
      soci::into(period, ind);
  return ind == soci::i_ok ? period : "";
}

// ---- Published tables ----

std::optional<PublishedInfo> FindPublished(db::Tx& tx, int64_t scheme_id, const std::string& period) {
  soci::row r;
  tx.sql() << "SELECT scheme_version, published_at, published_by FROM assessment_published WHERE scheme_id = :s AND "
              "period = :p",
      soci::use(scheme_id), soci::use(period), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return PublishedInfo{static_cast<int>(GetInt(r, 0)), GetInt(r, 1), GetText(r, 2)};
}

std::vector<LeagueRow> LoadPublishedRows(db::Tx& tx, int64_t scheme_id, const std::string& period, size_t items) {
  std::vector<LeagueRow> rows;
  std::map<int64_t, size_t> index;
  {
    soci::row r;
    soci::statement st =
        (tx.sql().prepare << "SELECT r.unit_id, u.code, u.name, r.total, r.rank, r.flag FROM assessment_results r "
                             "JOIN units u ON u.id = r.unit_id WHERE r.scheme_id = :s AND r.period = :p "
                             "ORDER BY CASE WHEN r.rank = 0 THEN 1 ELSE 0 END, r.rank, u.code",
         soci::use(scheme_id), soci::use(period), soci::into(r));
    st.execute();
    while (st.fetch()) {
      LeagueRow row;
      row.unit_id = GetInt(r, 0);
      row.unit_code = GetText(r, 1);
      row.unit_name = GetText(r, 2);
      row.total = Decimal::FromRaw(GetInt(r, 3));
      row.rank = static_cast<int>(GetInt(r, 4));
      row.flag = FlagFromCode(GetText(r, 5));
      row.items.resize(items);
      index[row.unit_id] = rows.size();
      rows.push_back(std::move(row));
    }
  }
  soci::row r;
  soci::statement st = (tx.sql().prepare << "SELECT unit_id, seq, measure, rank, points, basis FROM "
                                            "assessment_result_items WHERE scheme_id = :s AND period = :p",
                        soci::use(scheme_id), soci::use(period), soci::into(r));
  st.execute();
  while (st.fetch()) {
    auto it = index.find(GetInt(r, 0));
    const size_t seq = static_cast<size_t>(GetInt(r, 1));
    if (it == index.end() || seq >= items) continue;
    ItemScore& s = rows[it->second].items[seq];
    if (auto m = GetOptInt(r, 2)) s.measure = Decimal::FromRaw(*m);
    s.rank = static_cast<int>(GetInt(r, 3));
    s.points = Decimal::FromRaw(GetInt(r, 4));
    s.basis = GetText(r, 5);
  }
  return rows;
}

void InsertPublished(db::Tx& tx, int64_t scheme_id, const std::string& period, const League& league, int64_t now,
                     const std::string& by) {
  tx.sql() << "INSERT INTO assessment_published (scheme_id, period, scheme_version, published_at, published_by) "
              "VALUES (:s, :p, :v, :at, :by)",
      soci::use(scheme_id), soci::use(period), soci::use(league.scheme_version), soci::use(now), soci::use(by);
  for (const LeagueRow& row : league.rows) {
    int64_t total = row.total.raw();
    std::string flag(FlagCode(row.flag));
    tx.sql() << "INSERT INTO assessment_results (scheme_id, period, unit_id, total, rank, flag) VALUES (:s, :p, :u, :t, "
                ":r, :f)",
        soci::use(scheme_id), soci::use(period), soci::use(row.unit_id), soci::use(total), soci::use(row.rank),
        soci::use(flag);
    for (size_t i = 0; i < row.items.size(); ++i) {
      const ItemScore& s = row.items[i];
      int seq = static_cast<int>(i);
      int64_t measure = s.measure ? s.measure->raw() : 0;
      soci::indicator mi = s.measure ? soci::i_ok : soci::i_null;
      int64_t points = s.points.raw();
      tx.sql() << "INSERT INTO assessment_result_items (scheme_id, period, unit_id, seq, measure, rank, points, basis) "
                  "VALUES (:s, :p, :u, :q, :m, :r, :pt, :b)",
          soci::use(scheme_id), soci::use(period), soci::use(row.unit_id), soci::use(seq), soci::use(measure, mi),
          soci::use(s.rank), soci::use(points), soci::use(s.basis);
    }
  }
}

std::vector<FlagCell> FlagsBetween(db::Tx& tx, int64_t scheme_id, const std::string& from, const std::string& to) {
  std::vector<FlagCell> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << "SELECT unit_id, period, rank, flag FROM assessment_results WHERE "
                                            "scheme_id = :s AND period >= :f AND period <= :t ORDER BY period, unit_id",
                        soci::use(scheme_id), soci::use(from), soci::use(to), soci::into(r));
  st.execute();
  while (st.fetch())
    out.push_back(FlagCell{GetInt(r, 0), GetText(r, 1), static_cast<int>(GetInt(r, 2)), FlagFromCode(GetText(r, 3))});
  return out;
}

// ---- The month's figures ----

std::optional<IndicatorRef> FindIndicator(db::Tx& tx, const std::string& code) {
  soci::row r;
  tx.sql() << "SELECT id, code, name, unit, direction, decimals FROM indicators WHERE code = :c", soci::use(code),
      soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return IndicatorRef{GetInt(r, 0), GetText(r, 1), GetText(r, 2), GetText(r, 3), GetText(r, 4) == "down",
                      static_cast<int>(GetInt(r, 5))};
}

std::map<int64_t, Decimal> IndicatorGrowth(db::Tx& tx, int64_t indicator_id, const std::string& period) {
  std::map<int64_t, Decimal> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << "SELECT unit_id, yoy FROM indicator_figures WHERE indicator_id = :i AND "
                                            "period = :p AND yoy IS NOT NULL",
                        soci::use(indicator_id), soci::use(period), soci::into(r));
  st.execute();
  while (st.fetch()) out[GetInt(r, 0)] = Decimal::FromRaw(GetInt(r, 1));
  return out;
}

std::map<std::string, Amounts> ProjectAmountsByPath(db::Tx& tx, int year, const std::string& to_month) {
  std::map<std::string, Amounts> out;
  const std::string from_month = std::to_string(year) + "-01";
  {
    soci::row r;
    soci::statement st = (tx.sql().prepare << "SELECT u.path, SUM(pl.amount) FROM project_plans pl JOIN projects p ON "
                                              "p.id = pl.project_id JOIN units u ON u.id = p.unit_id WHERE pl.year = :y "
                                              "AND p.archived = 0 GROUP BY u.path",
                          soci::use(year), soci::into(r));
    st.execute();
    while (st.fetch()) out[GetText(r, 0)].plan = Decimal::FromRaw(GetInt(r, 1));
  }
  soci::row r;
  soci::statement st =
      (tx.sql().prepare << "SELECT u.path, SUM(g.amount) FROM project_progress g JOIN projects p ON p.id = g.project_id "
                           "JOIN units u ON u.id = p.unit_id WHERE g.month >= :f AND g.month <= :t AND p.archived = 0 "
                           "AND EXISTS (SELECT 1 FROM project_plans pl WHERE pl.project_id = p.id AND pl.year = :y) "
                           "GROUP BY u.path",
       soci::use(from_month), soci::use(to_month), soci::use(year), soci::into(r));
  st.execute();
  while (st.fetch()) out[GetText(r, 0)].done = Decimal::FromRaw(GetInt(r, 1));
  return out;
}

std::map<std::string, Decimal> ContractsByPath(db::Tx& tx, const std::string& from, const std::string& to) {
  std::map<std::string, Decimal> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << "SELECT u.path, SUM(c.amount) FROM contracts c JOIN leads l ON l.id = "
                                            "c.lead_id JOIN units u ON u.id = l.unit_id WHERE c.date >= :f AND c.date "
                                            "<= :t GROUP BY u.path",
                        soci::use(from), soci::use(to), soci::into(r));
  st.execute();
  while (st.fetch()) out[GetText(r, 0)] = Decimal::FromRaw(GetInt(r, 1));
  return out;
}

std::map<int64_t, Decimal> InvestmentTargets(db::Tx& tx, int year) {
  std::map<int64_t, Decimal> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << "SELECT unit_id, contract_amount FROM investment_targets WHERE year = :y",
                        soci::use(year), soci::into(r));
  st.execute();
  while (st.fetch()) out[GetInt(r, 0)] = Decimal::FromRaw(GetInt(r, 1));
  return out;
}

// ---- The cockpit's figures ----
// Each query takes the unit's subtree as a set of unit ids, so rows are found through their
// unit indexes, the way the lists behind the figures find them.

namespace {
constexpr const char* kSubtree = "(SELECT id FROM units WHERE path LIKE :u)";
std::optional<Decimal> OptDecimal(const soci::row& r, std::size_t i) {
  auto v = GetOptInt(r, i);
  if (!v) return std::nullopt;
  return Decimal::FromRaw(*v);
}
}  // namespace

std::string LatestFigurePeriod(db::Tx& tx, int64_t unit_id, const std::string& period) {
  std::string out;
  soci::indicator ind = soci::i_null;
  tx.sql() << "SELECT MAX(period) FROM indicator_figures WHERE unit_id = :u AND period <= :p", soci::use(unit_id),
      soci::use(period), soci::into(out, ind);
  return ind == soci::i_ok ? out : std::string();
}

std::vector<FigureRow> UnitFigures(db::Tx& tx, int64_t unit_id, const std::string& period) {
  std::vector<FigureRow> out;
  soci::row r;
  soci::statement st =
      (tx.sql().prepare << "SELECT i.code, i.name, i.unit, i.direction, i.decimals, f.parent_id, f.value, f.yoy, "
                           "f.target_value, f.progress, f.elapsed, f.rank_value, f.rank_growth, f.yoy_source, "
                           "f.progress_status, f.indicator_id FROM indicator_figures f JOIN indicators i ON i.id = "
                           "f.indicator_id WHERE f.unit_id = :u AND f.period = :p AND i.archived = 0 ORDER BY "
                           "i.sort_order, i.code",
       soci::use(unit_id), soci::use(period), soci::into(r));
  st.execute();
  std::vector<int64_t> indicator_ids;
  while (st.fetch()) {
    FigureRow f;
    f.code = GetText(r, 0);
    f.name = GetText(r, 1);
    f.unit = GetText(r, 2);
    f.direction = GetText(r, 3);
    f.decimals = static_cast<int>(GetInt(r, 4, 2));
    f.parent_id = GetInt(r, 5, 0);
    f.value = Decimal::FromRaw(GetInt(r, 6));
    f.yoy = OptDecimal(r, 7);
    f.target_value = OptDecimal(r, 8);
    f.progress = OptDecimal(r, 9);
    f.elapsed = OptDecimal(r, 10);
    if (auto v = GetOptInt(r, 11)) f.rank_value = static_cast<int>(*v);
    if (auto v = GetOptInt(r, 12)) f.rank_growth = static_cast<int>(*v);
    f.yoy_source = GetText(r, 13);
    f.progress_status = GetText(r, 14);
    indicator_ids.push_back(GetInt(r, 15));
    out.push_back(std::move(f));
  }
  if (out.empty() || out.front().parent_id == 0) return out;
  // How many siblings each indicator ranks: one indexed read of the parent's month.
  std::map<int64_t, int> counts;
  soci::row c;
  const int64_t parent = out.front().parent_id;
  soci::statement cs = (tx.sql().prepare << "SELECT indicator_id, COUNT(*) FROM indicator_figures WHERE parent_id = :p "
                                            "AND period = :m GROUP BY indicator_id",
                        soci::use(parent), soci::use(period), soci::into(c));
  cs.execute();
  while (cs.fetch()) counts[GetInt(c, 0)] = static_cast<int>(GetInt(c, 1));
  for (size_t i = 0; i < out.size(); ++i) out[i].siblings = counts[indicator_ids[i]];
  return out;
}

std::vector<StatusSums> ProjectsByStatus(db::Tx& tx, const std::string& unit_path, int year) {
  const std::string like = unit_path + "%";
  long long all = 0;
  tx.sql() << std::string("SELECT COUNT(*) FROM projects p WHERE p.archived = 0 AND p.unit_id IN ") + kSubtree,
      soci::use(like, "u"), soci::into(all);
  std::vector<StatusSums> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << std::string("SELECT y.status, COUNT(*), SUM(y.plan), SUM(y.ytd) FROM "
                                                        "project_years y JOIN projects p ON p.id = y.project_id WHERE "
                                                        "y.year = :y AND p.archived = 0 AND y.unit_id IN ") +
                                                kSubtree + " GROUP BY y.status",
                        soci::use(year, "y"), soci::use(like, "u"), soci::into(r));
  st.execute();
  int64_t counted = 0;
  while (st.fetch()) {
    StatusSums s{GetText(r, 0), GetInt(r, 1), Decimal::FromRaw(GetInt(r, 2)), Decimal::FromRaw(GetInt(r, 3))};
    if (s.status != "正常") counted += s.count;
    out.push_back(std::move(s));
  }
  // The list counts a project without figures for the year as 正常.
  auto normal = std::find_if(out.begin(), out.end(), [](const StatusSums& s) { return s.status == "正常"; });
  if (normal == out.end()) normal = out.insert(out.end(), StatusSums{"正常"});
  normal->count = all - counted;
  return out;
}

std::vector<StageSums> OpenLeadsByStage(db::Tx& tx, const std::string& unit_path) {
  const std::string like = unit_path + "%";
  std::vector<StageSums> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << std::string("SELECT l.stage, COUNT(*), SUM(l.amount) FROM leads l WHERE "
                                                        "l.unit_id IN ") +
                                                kSubtree + " AND l.lost = 0 GROUP BY l.stage",
                        soci::use(like, "u"), soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back({GetText(r, 0), GetInt(r, 1), Decimal::FromRaw(GetInt(r, 2))});
  return out;
}

std::pair<int64_t, Decimal> ContractsUnder(db::Tx& tx, const std::string& unit_path, const std::string& from,
                                           const std::string& to) {
  const std::string like = unit_path + "%";
  soci::row r;
  tx.sql() << std::string("SELECT COUNT(*), SUM(k.amount) FROM contracts k WHERE k.date >= :f AND k.date <= :t AND "
                          "k.lead_id IN (SELECT l.id FROM leads l WHERE l.unit_id IN ") +
                  kSubtree + ")",
      soci::use(from, "f"), soci::use(to, "t"), soci::use(like, "u"), soci::into(r);
  return {GetInt(r, 0), Decimal::FromRaw(GetInt(r, 1))};
}

std::optional<std::pair<Decimal, int>> InvestmentTargetOf(db::Tx& tx, int64_t unit_id, int year) {
  soci::row r;
  tx.sql() << "SELECT contract_amount, projects_100m FROM investment_targets WHERE unit_id = :u AND year = :y",
      soci::use(unit_id), soci::use(year), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return std::make_pair(Decimal::FromRaw(GetInt(r, 0)), static_cast<int>(GetInt(r, 1)));
}

std::map<std::string, int64_t> OpenTasksByLight(db::Tx& tx, const std::string& unit_path) {
  const std::string like = unit_path + "%";
  std::map<std::string, int64_t> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << std::string("SELECT t.light, COUNT(*) FROM tasks t WHERE t.owner_unit_id IN ") +
                                                kSubtree + " AND t.state NOT IN ('closed', 'cancelled') GROUP BY t.light",
                        soci::use(like, "u"), soci::into(r));
  st.execute();
  while (st.fetch()) out[GetText(r, 0)] = GetInt(r, 1);
  return out;
}

int64_t OverdueTasks(db::Tx& tx, const std::string& unit_path, const std::string& today) {
  const std::string like = unit_path + "%";
  long long n = 0;
  tx.sql() << std::string("SELECT COUNT(*) FROM tasks t WHERE t.owner_unit_id IN ") + kSubtree +
                  " AND t.state NOT IN ('closed', 'cancelled') AND (t.overdue_steps <> '' OR (t.state <> "
                  "'reported' AND t.completion_due < :od))",
      soci::use(like, "u"), soci::use(today, "od"), soci::into(n);
  return n;
}

std::vector<std::pair<std::string, std::optional<int64_t>>> TasksDue(db::Tx& tx, const std::string& unit_path,
                                                                     const std::string& from, const std::string& to) {
  const std::string like = unit_path + "%";
  std::vector<std::pair<std::string, std::optional<int64_t>>> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << std::string("SELECT t.completion_due, t.reported_at FROM tasks t WHERE "
                                                        "t.owner_unit_id IN ") +
                                                kSubtree + " AND t.state <> 'cancelled' AND t.completion_due >= :f AND "
                                                           "t.completion_due <= :t",
                        soci::use(like, "u"), soci::use(from, "f"), soci::use(to, "t"), soci::into(r));
  st.execute();
  while (st.fetch()) out.emplace_back(GetText(r, 0), GetOptInt(r, 1));
  return out;
}

std::string LatestPublishedUpTo(db::Tx& tx, int64_t scheme_id, const std::string& period) {
  std::string out;
  soci::indicator ind = soci::i_null;
  tx.sql() << "SELECT MAX(period) FROM assessment_published WHERE scheme_id = :s AND period <= :p",
      soci::use(scheme_id), soci::use(period), soci::into(out, ind);
  return ind == soci::i_ok ? out : std::string();
}

// ---- The bulletin's figures ----

std::vector<IndicatorInfo> IndicatorsByCode(db::Tx& tx, const std::vector<std::string>& codes) {
  std::vector<IndicatorInfo> out;
  for (const std::string& code : codes) {
    soci::row r;
    tx.sql() << "SELECT id, code, name, unit, growth_basis, decimals FROM indicators WHERE code = :c AND archived = 0",
        soci::use(code), soci::into(r);
    if (!tx.sql().got_data()) continue;
    out.push_back(IndicatorInfo{GetInt(r, 0), GetText(r, 1), GetText(r, 2), GetText(r, 3), GetText(r, 4),
                                static_cast<int>(GetInt(r, 5))});
  }
  return out;
}

namespace {

constexpr const char* kFigureSelect =
    "SELECT f.unit_id, u.code, u.name, f.value, f.yoy, f.rank_value, f.rank_growth FROM indicator_figures f "
    "JOIN units u ON u.id = f.unit_id WHERE f.indicator_id = :i AND f.period = :p "
    "AND f.status IN ('approved', 'published') ";

UnitFigureRow FigureFromRow(const soci::row& r) {
  UnitFigureRow f;
  f.unit_id = GetInt(r, 0);
  f.unit_code = GetText(r, 1);
  f.unit_name = GetText(r, 2);
  f.value = Decimal::FromRaw(GetInt(r, 3));
  if (auto y = GetOptInt(r, 4)) f.yoy = Decimal::FromRaw(*y);
  f.rank_value = static_cast<int>(GetInt(r, 5, 0));
  f.rank_growth = static_cast<int>(GetInt(r, 6, 0));
  return f;
}

}  // namespace

std::optional<UnitFigureRow> UnitFigure(db::Tx& tx, int64_t unit_id, int64_t indicator_id, const std::string& period) {
  soci::row r;
  tx.sql() << std::string(kFigureSelect) + "AND f.unit_id = :u", soci::use(indicator_id), soci::use(period),
      soci::use(unit_id), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return FigureFromRow(r);
}

std::vector<UnitFigureRow> ChildFigures(db::Tx& tx, int64_t parent_id, int64_t indicator_id, const std::string& period) {
  std::vector<UnitFigureRow> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << std::string(kFigureSelect) + "AND f.parent_id = :u ORDER BY u.code",
                        soci::use(indicator_id), soci::use(period), soci::use(parent_id), soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(FigureFromRow(r));
  return out;
}

std::vector<PlannedProject> PlannedProjects(db::Tx& tx, const std::string& root_path, int year,
                                            const std::string& to_month) {
  std::vector<PlannedProject> out;
  std::map<int64_t, size_t> index;
  {
    soci::row r;
    soci::statement st =
        (tx.sql().prepare << "SELECT p.id, p.code, p.name, u.path, u.name, pl.amount FROM projects p JOIN project_plans "
                             "pl ON pl.project_id = p.id AND pl.year = :y JOIN units u ON u.id = p.unit_id WHERE "
                             "p.archived = 0 AND SUBSTR(u.path, 1, LENGTH(:a)) = :b ORDER BY p.code",
         soci::use(year, "y"), soci::use(root_path, "a"), soci::use(root_path, "b"), soci::into(r));
    st.execute();
    while (st.fetch()) {
      PlannedProject p;
      p.id = GetInt(r, 0);
      p.code = GetText(r, 1);
      p.name = GetText(r, 2);
      p.unit_path = GetText(r, 3);
      p.unit_name = GetText(r, 4);
      p.plan = Decimal::FromRaw(GetInt(r, 5));
      index[p.id] = out.size();
      out.push_back(std::move(p));
    }
  }
  if (out.empty()) return out;
  const std::string from_month = std::to_string(year) + "-01";
  {
    soci::row r;
    soci::statement st =
        (tx.sql().prepare << "SELECT g.project_id, SUM(g.amount) FROM project_progress g JOIN project_plans pl ON "
                             "pl.project_id = g.project_id AND pl.year = :y WHERE g.month >= :f AND g.month <= :t "
                             "GROUP BY g.project_id",
         soci::use(year), soci::use(from_month), soci::use(to_month), soci::into(r));
    st.execute();
    while (st.fetch()) {
      auto it = index.find(GetInt(r, 0));
      if (it != index.end()) out[it->second].done = Decimal::FromRaw(GetInt(r, 1));
    }
  }
  soci::row r;
  soci::statement st =
      (tx.sql().prepare << "SELECT m.project_id, m.id, m.seq, m.name, m.planned, m.actual FROM project_milestones m "
                           "JOIN project_plans pl ON pl.project_id = m.project_id AND pl.year = :y "
                           "ORDER BY m.project_id, m.seq",
       soci::use(year), soci::into(r));
  st.execute();
  while (st.fetch()) {
    auto it = index.find(GetInt(r, 0));
    if (it == index.end()) continue;
    projects::Milestone m;
    m.project_id = it->first;
    m.id = GetInt(r, 1);
    m.seq = static_cast<int>(GetInt(r, 2));
    m.name = GetText(r, 3);
    if (auto d = ParseIsoDate(GetText(r, 4)); d.ok()) m.planned = *d;
    if (auto d = ParseIsoDate(GetText(r, 5)); d.ok()) m.actual = *d;
    out[it->second].milestones.push_back(std::move(m));
  }
  return out;
}

std::string ProjectSettingsText(db::Tx& tx) {
  auto row = db::GetSetting(tx, "projects");
  return row ? row->value : "";
}

std::vector<LitTask> LitOpenTasks(db::Tx& tx, const std::string& root_path, int64_t assigned_by) {
  std::vector<LitTask> out;
  soci::row r;
  soci::statement st =
      (tx.sql().prepare << "SELECT t.code, t.title, t.light, t.light_reason, t.completion_due, u.path, u.name FROM "
                           "tasks t JOIN units u ON u.id = t.owner_unit_id WHERE t.state NOT IN ('closed', "
                           "'cancelled') AND t.light IN ('red', 'yellow') AND t.assigned_at <= :at AND "
                           "SUBSTR(u.path, 1, LENGTH(:a)) = :b ORDER BY CASE WHEN t.completion_due IS NULL THEN 1 ELSE 0 END, "
                           "t.completion_due, t.code",
       soci::use(assigned_by, "at"), soci::use(root_path, "a"), soci::use(root_path, "b"), soci::into(r));
  st.execute();
  while (st.fetch())
    out.push_back(LitTask{GetText(r, 0), GetText(r, 1), GetText(r, 2), GetText(r, 3), GetText(r, 4), GetText(r, 5),
                          GetText(r, 6)});
  return out;
}

}  // namespace tiaodu::assessment::store
