#include "indicators/store.h"

#include <soci/soci.h>

#include <cassert>
#include <sstream>

#include "db/values.h"

namespace tiaodu::indicators::store {
namespace {

using db::GetInt;
using db::GetOptInt;
using db::GetText;
using OptRaw = db::OptDecimalBind;
constexpr auto OptDec = db::GetOptDecimal;
constexpr auto InIds = db::IdList;


// A period key or status literal for an IN (...) list. Keys are built by this program
// ("2024-06"), never taken from users unchecked; the assert keeps it that way.
std::string Quote(const std::string& s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || c == '-' || (c >= 'a' && c <= 'z'))) return "''";
  return "'" + s + "'";
}

std::string InList(const std::vector<std::string>& keys) {
  std::string out;
  for (const auto& k : keys) out += (out.empty() ? "" : ",") + Quote(k);
  return out.empty() ? "''" : out;
}


constexpr const char* kReportingKinds = "kind NOT IN ('department', 'task_force')";

UnitRef UnitFromRow(const soci::row& r) {
  UnitRef u;
  u.id = GetInt(r, 0);
  u.code = GetText(r, 1);
  u.name = GetText(r, 2);
  u.path = GetText(r, 3);
  u.parent_id = GetInt(r, 4, 0);
  return u;
}

constexpr const char* kUnitCols = "id, code, name, path, parent_id";

std::vector<UnitRef> QueryUnits(db::Tx& tx, const std::string& sql) {
  std::vector<UnitRef> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << sql, soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(UnitFromRow(r));
  return out;
}

constexpr const char* kIndicatorCols =
    "id, code, name, aliases, unit, periodicity, accumulation, growth_basis, direction, formula, "
    "rank_by, additive, decimals, sort_order, archived, version";

std::vector<std::string> SplitAliases(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == '|') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::string JoinAliases(const std::vector<std::string>& a) {
  std::string out;
  for (const auto& s : a) out += (out.empty() ? "" : "|") + s;
  return out;
}

Indicator IndicatorFromRow(const soci::row& r) {
  Indicator i;
  i.id = GetInt(r, 0);
  i.code = GetText(r, 1);
  i.name = GetText(r, 2);
  i.aliases = SplitAliases(GetText(r, 3));
  i.unit = GetText(r, 4);
  i.periodicity = GetText(r, 5);
  i.accumulation = GetText(r, 6);
  i.growth_basis = GetText(r, 7);
  i.direction = GetText(r, 8);
  i.formula = GetText(r, 9);
  i.rank_by = GetText(r, 10);
  i.additive = GetInt(r, 11) != 0;
  i.decimals = static_cast<int>(GetInt(r, 12));
  i.sort_order = static_cast<int>(GetInt(r, 13));
  i.archived = GetInt(r, 14) != 0;
  i.version = static_cast<int>(GetInt(r, 15));
  return i;
}

constexpr const char* kValueCols =
    "v.id, v.unit_id, v.indicator_id, v.period, v.value, v.reported_yoy, v.status, v.note, "
    "v.revision, v.version, v.updated_by, v.updated_at, v.submitted_at, v.approved_by, "
    "v.approved_at, v.published_at";
constexpr int kValueColCount = 16;

Value ValueFromRow(const soci::row& r) {
  Value v;
  v.id = GetInt(r, 0);
  v.unit_id = GetInt(r, 1);
  v.indicator_id = GetInt(r, 2);
  v.period = GetText(r, 3);
  v.value = Decimal::FromRaw(GetInt(r, 4));
  v.reported_yoy = OptDec(r, 5);
  v.status = GetText(r, 6);
  v.note = GetText(r, 7);
  v.revision = static_cast<int>(GetInt(r, 8));
  v.version = static_cast<int>(GetInt(r, 9));
  v.updated_by = GetInt(r, 10);
  v.updated_at = GetInt(r, 11);
  v.submitted_at = GetInt(r, 12);
  v.approved_by = GetInt(r, 13);
  v.approved_at = GetInt(r, 14);
  v.published_at = GetInt(r, 15);
  return v;
}

std::vector<Value> QueryValues(db::Tx& tx, const std::string& sql) {
  std::vector<Value> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << sql, soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(ValueFromRow(r));
  return out;
}

constexpr const char* kFigureCols =
    "f.unit_id, f.indicator_id, f.period, f.parent_id, f.value, f.monthly, f.yoy, f.yoy_source, "
    "f.rank_value, f.rank_growth, f.target_value, f.progress, f.elapsed, f.progress_status, "
    "f.status";


// Reads figures in batches into typed vectors: one driver call per batch instead of one
// per cell (the board reads hundreds of rows per request).
std::vector<Figure> QueryFigures(db::Tx& tx, const std::string& where) {
  constexpr size_t kBatch = 1024;
  std::vector<long long> unit(kBatch), ind(kBatch), parent(kBatch), value(kBatch), monthly(kBatch), yoy(kBatch),
      rv(kBatch), rg(kBatch), target(kBatch), progress(kBatch), elapsed(kBatch);
  std::vector<soci::indicator> monthly_i(kBatch), yoy_i(kBatch), rv_i(kBatch), rg_i(kBatch), target_i(kBatch),
      progress_i(kBatch), elapsed_i(kBatch);
  std::vector<std::string> period(kBatch), source(kBatch), pstatus(kBatch), status(kBatch);
  std::vector<Figure> out;
  soci::statement st =
      (tx.sql().prepare << std::string("SELECT ") + kFigureCols + " FROM indicator_figures f " + where,
       soci::into(unit), soci::into(ind), soci::into(period), soci::into(parent), soci::into(value),
       soci::into(monthly, monthly_i), soci::into(yoy, yoy_i), soci::into(source), soci::into(rv, rv_i),
       soci::into(rg, rg_i), soci::into(target, target_i), soci::into(progress, progress_i),
       soci::into(elapsed, elapsed_i), soci::into(pstatus), soci::into(status));
  st.execute();
  auto opt = [](const std::vector<long long>& v, const std::vector<soci::indicator>& i, size_t k) {
    return i[k] == soci::i_ok ? std::optional<Decimal>(Decimal::FromRaw(v[k])) : std::nullopt;
  };
  while (st.fetch()) {
    for (size_t k = 0; k < unit.size(); ++k) {
      Figure f;
      f.unit_id = unit[k];
      f.indicator_id = ind[k];
      f.period = period[k];
      f.parent_id = parent[k];
      f.value = Decimal::FromRaw(value[k]);
      f.monthly = opt(monthly, monthly_i, k);
      f.yoy = opt(yoy, yoy_i, k);
      f.yoy_source = source[k];
      if (rv_i[k] == soci::i_ok) f.rank_value = static_cast<int>(rv[k]);
      if (rg_i[k] == soci::i_ok) f.rank_growth = static_cast<int>(rg[k]);
      f.target_value = opt(target, target_i, k);
      f.progress = opt(progress, progress_i, k);
      f.elapsed = opt(elapsed, elapsed_i, k);
      f.progress_status = pstatus[k];
      f.status = status[k];
      out.push_back(std::move(f));
    }
    for (auto* v : {&unit, &ind, &parent, &value, &monthly, &yoy, &rv, &rg, &target, &progress, &elapsed}) v->resize(kBatch);
    for (auto* v : {&monthly_i, &yoy_i, &rv_i, &rg_i, &target_i, &progress_i, &elapsed_i}) v->resize(kBatch);
    for (auto* v : {&period, &source, &pstatus, &status}) v->resize(kBatch);
  }
  return out;
}


// A word of a fixed vocabulary as an SQL literal ("on_track", "published", "").
std::string QuoteWord(const std::string& s) {
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || c == '_')) return "''";
  return "'" + s + "'";
}

// Multi-row INSERTs of 300 figures, values written as literals (numbers, period keys and
// words of fixed vocabularies only): one statement per chunk on both databases.
void InsertFigureRows(db::Tx& tx, const std::vector<Figure>& figures) {
  constexpr size_t kChunk = 300;
  auto num = [](const std::optional<Decimal>& d) { return d ? std::to_string(d->raw()) : std::string("NULL"); };
  auto rank = [](const std::optional<int>& r) { return r ? std::to_string(*r) : std::string("NULL"); };
  for (size_t start = 0; start < figures.size(); start += kChunk) {
    std::string sql =
        "INSERT INTO indicator_figures (unit_id, indicator_id, period, parent_id, value, monthly, yoy, yoy_source, "
        "rank_value, rank_growth, target_value, progress, elapsed, progress_status, status) VALUES ";
    for (size_t k = start; k < figures.size() && k < start + kChunk; ++k) {
      const Figure& f = figures[k];
      sql += (k == start ? "(" : ",(") + std::to_string(f.unit_id) + "," + std::to_string(f.indicator_id) + "," +
             Quote(f.period) + "," + std::to_string(f.parent_id) + "," + std::to_string(f.value.raw()) + "," +
             num(f.monthly) + "," + num(f.yoy) + "," + QuoteWord(f.yoy_source) + "," + rank(f.rank_value) + "," +
             rank(f.rank_growth) + "," + num(f.target_value) + "," + num(f.progress) + "," + num(f.elapsed) + "," +
             QuoteWord(f.progress_status) + "," + QuoteWord(f.status) + ")";
    }
    tx.sql() << sql;
  }
}

}  // namespace

// ---- Units ----

std::optional<UnitRef> FindUnitByCode(db::Tx& tx, const std::string& code) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kUnitCols + " FROM units WHERE code = :c",
      soci::use(code), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return UnitFromRow(r);
}

std::optional<UnitRef> FindUnitById(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kUnitCols + " FROM units WHERE id = :id", soci::use(id),
      soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return UnitFromRow(r);
}

std::vector<UnitRef> ReportingChildren(db::Tx& tx, int64_t parent_id) {
  std::string where = parent_id ? "parent_id = " + std::to_string(parent_id) : "parent_id IS NULL";
  return QueryUnits(tx, std::string("SELECT ") + kUnitCols + " FROM units WHERE " + where +
                            " AND archived = 0 AND " + kReportingKinds + " ORDER BY sort_order, code");
}

std::vector<UnitRef> AllReportingUnits(db::Tx& tx) {
  return QueryUnits(tx, std::string("SELECT ") + kUnitCols + " FROM units WHERE archived = 0 AND " +
                            kReportingKinds + " ORDER BY path");
}

// ---- Catalog ----

std::vector<Indicator> ListIndicators(db::Tx& tx, bool include_archived) {
  std::vector<Indicator> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << std::string("SELECT ") + kIndicatorCols +
                                                " FROM indicators" +
                                                (include_archived ? "" : " WHERE archived = 0") +
                                                " ORDER BY sort_order, id",
                        soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(IndicatorFromRow(r));
  return out;
}

std::optional<Indicator> FindIndicator(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kIndicatorCols + " FROM indicators WHERE id = :id",
      soci::use(id), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return IndicatorFromRow(r);
}

std::optional<Indicator> FindIndicatorByCode(db::Tx& tx, const std::string& code) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kIndicatorCols + " FROM indicators WHERE code = :c",
      soci::use(code), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return IndicatorFromRow(r);
}

int64_t InsertIndicator(db::Tx& tx, const Indicator& i, int64_t now) {
  long long id = 0;
  std::string aliases = JoinAliases(i.aliases);
  int additive = i.additive, archived = i.archived;
  tx.sql() << "INSERT INTO indicators (code, name, aliases, unit, periodicity, accumulation, "
              "growth_basis, direction, formula, rank_by, additive, decimals, sort_order, "
              "archived, version, created_at, updated_at) VALUES (:c, :n, :a, :u, :p, :ac, :g, "
              ":d, :f, :rb, :ad, :de, :so, :ar, 1, :ca, :ua) RETURNING id",
      soci::use(i.code), soci::use(i.name), soci::use(aliases), soci::use(i.unit),
      soci::use(i.periodicity), soci::use(i.accumulation), soci::use(i.growth_basis),
      soci::use(i.direction), soci::use(i.formula), soci::use(i.rank_by), soci::use(additive),
      soci::use(i.decimals), soci::use(i.sort_order), soci::use(archived), soci::use(now),
      soci::use(now), soci::into(id);
  return id;
}

bool UpdateIndicator(db::Tx& tx, const Indicator& i, int64_t now) {
  std::string aliases = JoinAliases(i.aliases);
  int additive = i.additive, archived = i.archived;
  soci::statement st =
      (tx.sql().prepare << "UPDATE indicators SET name = :n, aliases = :a, unit = :u, "
                           "periodicity = :p, accumulation = :ac, growth_basis = :g, "
                           "direction = :d, formula = :f, rank_by = :rb, additive = :ad, "
                           "decimals = :de, sort_order = :so, archived = :ar, updated_at = :ua, "
                           "version = version + 1 WHERE id = :id AND version = :v",
       soci::use(i.name), soci::use(aliases), soci::use(i.unit), soci::use(i.periodicity),
       soci::use(i.accumulation), soci::use(i.growth_basis), soci::use(i.direction),
       soci::use(i.formula), soci::use(i.rank_by), soci::use(additive), soci::use(i.decimals),
       soci::use(i.sort_order), soci::use(archived), soci::use(now), soci::use(i.id),
       soci::use(i.version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

int64_t CountValuesOfIndicator(db::Tx& tx, int64_t indicator_id) {
  long long n = 0;
  tx.sql() << "SELECT COUNT(*) FROM indicator_values WHERE indicator_id = :i",
      soci::use(indicator_id), soci::into(n);
  return n;
}

// ---- Values ----

std::optional<Value> FindValue(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kValueCols + " FROM indicator_values v WHERE v.id = :id",
      soci::use(id), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return ValueFromRow(r);
}

std::vector<Value> ValuesOfUnit(db::Tx& tx, int64_t unit_id, const std::vector<std::string>& periods) {
  return QueryValues(tx, std::string("SELECT ") + kValueCols +
                             " FROM indicator_values v WHERE v.unit_id = " + std::to_string(unit_id) +
                             " AND v.period IN (" + InList(periods) + ")");
}

int64_t InsertValue(db::Tx& tx, const Value& v) {
  long long id = 0;
  OptRaw yoy(v.reported_yoy);
  long long raw = v.value.raw();
  tx.sql() << "INSERT INTO indicator_values (unit_id, indicator_id, period, value, reported_yoy, "
              "status, note, revision, version, updated_by, updated_at, submitted_at, "
              "approved_by, approved_at, published_at) VALUES (:u, :i, :p, :v, :y, :s, :n, :r, 1, "
              ":ub, :ua, :sa, :ab, :aa, :pa) RETURNING id",
      soci::use(v.unit_id), soci::use(v.indicator_id), soci::use(v.period), soci::use(raw),
      soci::use(yoy.raw, yoy.ind), soci::use(v.status), soci::use(v.note), soci::use(v.revision),
      soci::use(v.updated_by), soci::use(v.updated_at), soci::use(v.submitted_at),
      soci::use(v.approved_by), soci::use(v.approved_at), soci::use(v.published_at),
      soci::into(id);
  return id;
}

bool UpdateValue(db::Tx& tx, const Value& v) {
  OptRaw yoy(v.reported_yoy);
  long long raw = v.value.raw();
  soci::statement st =
      (tx.sql().prepare << "UPDATE indicator_values SET value = :v, reported_yoy = :y, status = :s, "
                           "note = :n, revision = :r, updated_by = :ub, updated_at = :ua, "
                           "submitted_at = :sa, approved_by = :ab, approved_at = :aa, "
                           "published_at = :pa, version = version + 1 "
                           "WHERE id = :id AND version = :ver",
       soci::use(raw), soci::use(yoy.raw, yoy.ind), soci::use(v.status), soci::use(v.note),
       soci::use(v.revision), soci::use(v.updated_by), soci::use(v.updated_at),
       soci::use(v.submitted_at), soci::use(v.approved_by), soci::use(v.approved_at),
       soci::use(v.published_at), soci::use(v.id), soci::use(v.version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

bool DeleteValue(db::Tx& tx, int64_t id, int version) {
  soci::statement st =
      (tx.sql().prepare << "DELETE FROM indicator_values WHERE id = :id AND version = :v",
       soci::use(id), soci::use(version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void InsertValues(db::Tx& tx, const std::vector<Value>& values) {
  const size_t kChunk = 5000;
  for (size_t start = 0; start < values.size(); start += kChunk) {
    size_t n = std::min(kChunk, values.size() - start);
    std::vector<long long> unit(n), ind(n), raw(n), yoy(n), ts(n), by(n);
    std::vector<soci::indicator> yoy_i(n);
    std::vector<std::string> period(n), status(n);
    for (size_t k = 0; k < n; ++k) {
      const Value& v = values[start + k];
      unit[k] = v.unit_id;
      ind[k] = v.indicator_id;
      raw[k] = v.value.raw();
      yoy[k] = v.reported_yoy ? v.reported_yoy->raw() : 0;
      yoy_i[k] = v.reported_yoy ? soci::i_ok : soci::i_null;
      period[k] = v.period;
      status[k] = v.status;
      ts[k] = v.updated_at;
      by[k] = v.updated_by;
    }
    tx.sql() << "INSERT INTO indicator_values (unit_id, indicator_id, period, value, "
                "reported_yoy, status, note, revision, version, updated_by, updated_at, "
                "submitted_at, approved_by, approved_at, published_at) VALUES (:u, :i, :p, :v, "
                ":y, :s, '', 0, 1, :ub, :ua, :sa, :ab, :aa, :pa)",
        soci::use(unit), soci::use(ind), soci::use(period), soci::use(raw), soci::use(yoy, yoy_i),
        soci::use(status), soci::use(by), soci::use(ts), soci::use(ts), soci::use(by),
        soci::use(ts), soci::use(ts);
  }
}

std::vector<ValueRow> ListValues(db::Tx& tx, const ValueQuery& q, int64_t* total) {
  std::string where = " WHERE u.path LIKE :scope";
  std::string scope = q.scope_path + "%";
  long long unit = q.unit_id.value_or(0), ind = q.indicator_id.value_or(0);
  if (q.unit_id) where += " AND v.unit_id = :unit";
  if (q.indicator_id) where += " AND v.indicator_id = :ind";
  if (!q.period.empty()) where += " AND v.period = :period";
  if (!q.from.empty()) where += " AND v.period >= :from";
  if (!q.to.empty()) where += " AND v.period <= :to";
  if (!q.status.empty()) where += " AND v.status = :status";
  const std::string from_sql =
      " FROM indicator_values v JOIN units u ON u.id = v.unit_id JOIN indicators i ON i.id = "
      "v.indicator_id";
  auto bind = [&](soci::details::prepare_temp_type& st) {
    st, soci::use(scope, "scope");
    if (q.unit_id) st, soci::use(unit, "unit");
    if (q.indicator_id) st, soci::use(ind, "ind");
    if (!q.period.empty()) st, soci::use(q.period, "period");
    if (!q.from.empty()) st, soci::use(q.from, "from");
    if (!q.to.empty()) st, soci::use(q.to, "to");
    if (!q.status.empty()) st, soci::use(q.status, "status");
  };
  if (total) *total = db::Count(tx, "SELECT COUNT(*)" + from_sql + where, bind);
  long long limit = q.page_size, offset = static_cast<long long>(q.page - 1) * q.page_size;
  std::vector<ValueRow> out;
  soci::row r;
  auto st = (tx.sql().prepare << std::string("SELECT ") + kValueCols +
                                     ", u.code, u.name, i.code, i.name" + from_sql + where +
                                     " ORDER BY v.period DESC, u.path, i.sort_order, i.id "
                                     "LIMIT :lim OFFSET :off",
             soci::into(r));
  bind(st);
  st, soci::use(limit, "lim"), soci::use(offset, "off");
  soci::statement stmt(st);
  stmt.execute();
  while (stmt.fetch()) {
    ValueRow row;
    row.value = ValueFromRow(r);
    row.unit_code = GetText(r, kValueColCount);
    row.unit_name = GetText(r, kValueColCount + 1);
    row.indicator_code = GetText(r, kValueColCount + 2);
    row.indicator_name = GetText(r, kValueColCount + 3);
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<QueueItem> SubmittedSheets(db::Tx& tx, const std::string& scope_path) {
  std::string scope = scope_path + "%";
  std::vector<QueueItem> out;
  soci::row r;
  soci::statement st =
      (tx.sql().prepare << "SELECT u.id, u.code, u.name, u.path, u.parent_id, v.period, COUNT(*), "
                           "MAX(v.submitted_at) FROM indicator_values v JOIN units u ON u.id = "
                           "v.unit_id WHERE v.status = 'submitted' AND u.path LIKE :scope "
                           "GROUP BY u.id, u.code, u.name, u.path, u.parent_id, v.period "
                           "ORDER BY MAX(v.submitted_at), u.path",
       soci::use(scope), soci::into(r));
  st.execute();
  while (st.fetch()) {
    QueueItem q;
    q.unit = UnitFromRow(r);
    q.period = GetText(r, 5);
    q.count = GetInt(r, 6);
    q.submitted_at = GetInt(r, 7);
    out.push_back(std::move(q));
  }
  return out;
}

int64_t PublishSubtree(db::Tx& tx, const std::string& path_prefix, const std::string& period,
                       int64_t now, std::vector<UnitRef>* touched) {
  std::string like = path_prefix + "%";
  if (touched) {
    soci::row r;
    soci::statement st =
        (tx.sql().prepare << "SELECT DISTINCT u.id, u.code, u.name, u.path, u.parent_id FROM "
                             "indicator_values v JOIN units u ON u.id = v.unit_id WHERE "
                             "v.status = 'approved' AND v.period = :p AND u.path LIKE :l",
         soci::use(period), soci::use(like), soci::into(r));
    st.execute();
    while (st.fetch()) touched->push_back(UnitFromRow(r));
  }
  soci::statement st =
      (tx.sql().prepare << "UPDATE indicator_values SET status = 'published', published_at = :t, "
                           "version = version + 1 WHERE status = 'approved' AND period = :p AND "
                           "unit_id IN (SELECT id FROM units WHERE path LIKE :l)",
       soci::use(now), soci::use(period), soci::use(like));
  st.execute(true);
  return st.get_affected_rows();
}

void ChildrenSums(db::Tx& tx, int64_t parent_id, const std::string& period,
                  std::map<int64_t, Decimal>* sums, std::map<int64_t, int>* counts) {
  soci::row r;
  soci::statement st =
      (tx.sql().prepare << std::string("SELECT v.indicator_id, SUM(v.value), COUNT(*) FROM "
                                       "indicator_values v JOIN units u ON u.id = v.unit_id "
                                       "WHERE u.parent_id = :p AND u.archived = 0 AND u.") +
                               kReportingKinds + " AND v.period = :per GROUP BY v.indicator_id",
       soci::use(parent_id), soci::use(period), soci::into(r));
  st.execute();
  while (st.fetch()) {
    (*sums)[GetInt(r, 0)] = Decimal::FromRaw(GetInt(r, 1));
    (*counts)[GetInt(r, 0)] = static_cast<int>(GetInt(r, 2));
  }
}

void InsertRevision(db::Tx& tx, const Revision& rv) {
  long long oldv = rv.old_value.raw(), newv = rv.new_value.raw();
  OptRaw oy(rv.old_yoy), ny(rv.new_yoy);
  tx.sql() << "INSERT INTO indicator_revisions (value_id, old_value, new_value, old_yoy, "
              "new_yoy, reason, user_id, username, at) VALUES (:v, :o, :n, :oy, :ny, :r, :u, "
              ":un, :at)",
      soci::use(rv.value_id), soci::use(oldv), soci::use(newv), soci::use(oy.raw, oy.ind),
      soci::use(ny.raw, ny.ind), soci::use(rv.reason), soci::use(rv.user_id),
      soci::use(rv.username), soci::use(rv.at);
}

std::vector<Revision> RevisionsOf(db::Tx& tx, int64_t value_id) {
  std::vector<Revision> out;
  soci::row r;
  soci::statement st =
      (tx.sql().prepare << "SELECT id, value_id, old_value, new_value, old_yoy, new_yoy, reason, "
                           "user_id, username, at FROM indicator_revisions WHERE value_id = :v "
                           "ORDER BY id",
       soci::use(value_id), soci::into(r));
  st.execute();
  while (st.fetch()) {
    Revision rv;
    rv.id = GetInt(r, 0);
    rv.value_id = GetInt(r, 1);
    rv.old_value = Decimal::FromRaw(GetInt(r, 2));
    rv.new_value = Decimal::FromRaw(GetInt(r, 3));
    rv.old_yoy = OptDec(r, 4);
    rv.new_yoy = OptDec(r, 5);
    rv.reason = GetText(r, 6);
    rv.user_id = GetInt(r, 7);
    rv.username = GetText(r, 8);
    rv.at = GetInt(r, 9);
    out.push_back(std::move(rv));
  }
  return out;
}

// ---- Targets ----

namespace {
constexpr const char* kTargetCols =
    "t.id, t.unit_id, t.indicator_id, t.year, t.value, t.growth_floor, t.growth_stretch, "
    "t.version, t.updated_at";
Target TargetFromRow(const soci::row& r) {
  Target t;
  t.id = GetInt(r, 0);
  t.unit_id = GetInt(r, 1);
  t.indicator_id = GetInt(r, 2);
  t.year = static_cast<int>(GetInt(r, 3));
  t.value = OptDec(r, 4);
  t.growth_floor = OptDec(r, 5);
  t.growth_stretch = OptDec(r, 6);
  t.version = static_cast<int>(GetInt(r, 7));
  t.updated_at = GetInt(r, 8);
  return t;
}
}  // namespace

std::vector<TargetRow> ListTargets(db::Tx& tx, const TargetQuery& q) {
  std::string where = " WHERE u.path LIKE :scope";
  std::string scope = q.scope_path + "%";
  long long unit = q.unit_id.value_or(0), parent = q.parent_id.value_or(0);
  int year = q.year.value_or(0);
  if (q.unit_id) where += " AND t.unit_id = :unit";
  if (q.parent_id) where += " AND u.parent_id = :parent";
  if (q.year) where += " AND t.year = :year";
  std::vector<TargetRow> out;
  soci::row r;
  auto st = (tx.sql().prepare << std::string("SELECT ") + kTargetCols +
                                     ", u.code, u.name, i.code, i.name FROM indicator_targets t "
                                     "JOIN units u ON u.id = t.unit_id JOIN indicators i ON i.id "
                                     "= t.indicator_id" +
                                     where + " ORDER BY t.year DESC, u.path, i.sort_order, i.id",
             soci::into(r));
  st, soci::use(scope, "scope");
  if (q.unit_id) st, soci::use(unit, "unit");
  if (q.parent_id) st, soci::use(parent, "parent");
  if (q.year) st, soci::use(year, "year");
  soci::statement stmt(st);
  stmt.execute();
  while (stmt.fetch()) {
    TargetRow row;
    row.target = TargetFromRow(r);
    row.unit_code = GetText(r, 9);
    row.unit_name = GetText(r, 10);
    row.indicator_code = GetText(r, 11);
    row.indicator_name = GetText(r, 12);
    out.push_back(std::move(row));
  }
  return out;
}

std::optional<Target> FindTarget(db::Tx& tx, int64_t unit_id, int64_t indicator_id, int year) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kTargetCols +
                  " FROM indicator_targets t WHERE t.unit_id = :u AND t.indicator_id = :i AND "
                  "t.year = :y",
      soci::use(unit_id), soci::use(indicator_id), soci::use(year), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return TargetFromRow(r);
}

int64_t InsertTarget(db::Tx& tx, const Target& t, int64_t user_id) {
  OptRaw v(t.value), f(t.growth_floor), s(t.growth_stretch);
  long long id = 0;
  tx.sql() << "INSERT INTO indicator_targets (unit_id, indicator_id, year, value, growth_floor, "
              "growth_stretch, version, updated_by, updated_at) VALUES (:u, :i, :y, :v, :f, :s, "
              "1, :ub, :ua) RETURNING id",
      soci::use(t.unit_id), soci::use(t.indicator_id), soci::use(t.year), soci::use(v.raw, v.ind),
      soci::use(f.raw, f.ind), soci::use(s.raw, s.ind), soci::use(user_id),
      soci::use(t.updated_at), soci::into(id);
  return id;
}

bool UpdateTarget(db::Tx& tx, const Target& t, int64_t user_id) {
  OptRaw v(t.value), f(t.growth_floor), s(t.growth_stretch);
  soci::statement st =
      (tx.sql().prepare << "UPDATE indicator_targets SET value = :v, growth_floor = :f, "
                           "growth_stretch = :s, updated_by = :ub, updated_at = :ua, "
                           "version = version + 1 WHERE id = :id AND version = :ver",
       soci::use(v.raw, v.ind), soci::use(f.raw, f.ind), soci::use(s.raw, s.ind),
       soci::use(user_id), soci::use(t.updated_at), soci::use(t.id), soci::use(t.version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::map<std::pair<int64_t, int64_t>, Target> TargetsOf(db::Tx& tx,
                                                       const std::vector<int64_t>& unit_ids,
                                                       int year) {
  std::map<std::pair<int64_t, int64_t>, Target> out;
  if (unit_ids.empty()) return out;
  soci::row r;
  soci::statement st =
      (tx.sql().prepare << std::string("SELECT ") + kTargetCols +
                               " FROM indicator_targets t WHERE t.year = :y AND t.unit_id IN (" +
                               InIds(unit_ids) + ")",
       soci::use(year), soci::into(r));
  st.execute();
  while (st.fetch()) {
    Target t = TargetFromRow(r);
    out[{t.unit_id, t.indicator_id}] = t;
  }
  return out;
}

// ---- Rules and settings ----

namespace {
Rule RuleFromRow(const soci::row& r) {
  Rule x;
  x.id = GetInt(r, 0);
  x.expression = GetText(r, 1);
  x.severity = GetText(r, 2);
  x.message = GetText(r, 3);
  x.enabled = GetInt(r, 4) != 0;
  x.version = static_cast<int>(GetInt(r, 5));
  return x;
}
constexpr const char* kRuleCols = "id, expression, severity, message, enabled, version";
}  // namespace

std::vector<Rule> ListRules(db::Tx& tx) {
  std::vector<Rule> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << std::string("SELECT ") + kRuleCols +
                                                " FROM indicator_rules ORDER BY id",
                        soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(RuleFromRow(r));
  return out;
}

std::optional<Rule> FindRule(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kRuleCols + " FROM indicator_rules WHERE id = :id",
      soci::use(id), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return RuleFromRow(r);
}

int64_t InsertRule(db::Tx& tx, const Rule& x, int64_t now) {
  long long id = 0;
  int enabled = x.enabled;
  tx.sql() << "INSERT INTO indicator_rules (expression, severity, message, enabled, version, "
              "created_at, updated_at) VALUES (:e, :s, :m, :en, 1, :c, :u) RETURNING id",
      soci::use(x.expression), soci::use(x.severity), soci::use(x.message), soci::use(enabled),
      soci::use(now), soci::use(now), soci::into(id);
  return id;
}

bool UpdateRule(db::Tx& tx, const Rule& x, int64_t now) {
  int enabled = x.enabled;
  soci::statement st =
      (tx.sql().prepare << "UPDATE indicator_rules SET expression = :e, severity = :s, "
                           "message = :m, enabled = :en, updated_at = :u, version = version + 1 "
                           "WHERE id = :id AND version = :v",
       soci::use(x.expression), soci::use(x.severity), soci::use(x.message), soci::use(enabled),
       soci::use(now), soci::use(x.id), soci::use(x.version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

// ---- Figures ----

std::vector<Value> GroupValues(db::Tx& tx, int64_t parent_id, const std::vector<std::string>& periods) {
  std::string parent = parent_id ? "u.parent_id = " + std::to_string(parent_id) : "u.parent_id IS NULL";
  return QueryValues(tx, std::string("SELECT ") + kValueCols +
                             " FROM indicator_values v JOIN units u ON u.id = v.unit_id WHERE " +
                             parent + " AND v.period IN (" + InList(periods) +
                             ") AND v.status IN ('approved', 'published')");
}

std::vector<Value> AllValuesAt(db::Tx& tx, const std::vector<std::string>& periods) {
  return QueryValues(tx, std::string("SELECT ") + kValueCols +
                             " FROM indicator_values v WHERE v.period IN (" + InList(periods) +
                             ") AND v.status IN ('approved', 'published')");
}

void ReplaceFigures(db::Tx& tx, int64_t parent_id, const std::string& period,
                    const std::vector<Figure>& figures) {
  tx.sql() << "DELETE FROM indicator_figures WHERE parent_id = :p AND period = :per",
      soci::use(parent_id), soci::use(period);
  InsertFigureRows(tx, figures);
}

void ReplaceAllFigures(db::Tx& tx, const std::string& period, const std::vector<Figure>& figures) {
  tx.sql() << "DELETE FROM indicator_figures WHERE period = :per", soci::use(period);
  InsertFigureRows(tx, figures);
}

std::vector<Figure> FiguresOfGroup(db::Tx& tx, int64_t parent_id, const std::string& period) {
  return QueryFigures(tx, "WHERE f.parent_id = " + std::to_string(parent_id) +
                              " AND f.period = " + Quote(period));
}

std::vector<Figure> FiguresOfPeriod(db::Tx& tx, const std::string& period) {
  return QueryFigures(tx, "WHERE f.period = " + Quote(period));
}

std::vector<Figure> FiguresOfUnit(db::Tx& tx, int64_t unit_id, const std::string& period) {
  return QueryFigures(tx, "WHERE f.unit_id = " + std::to_string(unit_id) +
                              " AND f.period = " + Quote(period));
}

std::vector<Figure> Series(db::Tx& tx, int64_t unit_id, int64_t indicator_id,
                           const std::string& from, const std::string& to) {
  return QueryFigures(tx, "WHERE f.unit_id = " + std::to_string(unit_id) +
                              " AND f.indicator_id = " + std::to_string(indicator_id) +
                              " AND f.period >= " + Quote(from) + " AND f.period <= " + Quote(to) +
                              " ORDER BY f.period");
}

std::vector<std::string> FigurePeriods(db::Tx& tx, int64_t parent_id) {
  std::vector<std::string> out;
  std::string p;
  soci::statement st =
      (tx.sql().prepare << "SELECT DISTINCT period FROM indicator_figures WHERE parent_id = :p "
                           "ORDER BY period DESC",
       soci::use(parent_id), soci::into(p));
  st.execute();
  while (st.fetch()) out.push_back(p);
  return out;
}

std::vector<std::string> ApprovedPeriods(db::Tx& tx) {
  std::vector<std::string> out;
  std::string p;
  soci::statement st =
      (tx.sql().prepare << "SELECT DISTINCT period FROM indicator_values WHERE status IN "
                           "('approved', 'published') ORDER BY period",
       soci::into(p));
  st.execute();
  while (st.fetch()) out.push_back(p);
  return out;
}

// One UPDATE per 500 figures, the new ranks given as a VALUES list (numbers and period keys
// only, written by this program): a bulk bind would be run row by row by SOCI's PostgreSQL
// backend (7,200 round trips for a province's period).
void UpdateRanks(db::Tx& tx, const std::vector<Figure>& figures) {
  constexpr size_t kChunk = 500;
  auto rank = [](const std::optional<int>& r) { return r ? std::to_string(*r) : std::string("NULL"); };
  for (size_t start = 0; start < figures.size(); start += kChunk) {
    std::string values;
    for (size_t k = start; k < figures.size() && k < start + kChunk; ++k) {
      const Figure& f = figures[k];
      values += (values.empty() ? "(" : ",(") + std::to_string(f.unit_id) + "," + std::to_string(f.indicator_id) + "," +
                Quote(f.period) + ",CAST(" + rank(f.rank_value) + " AS INTEGER),CAST(" + rank(f.rank_growth) +
                " AS INTEGER))";
    }
    tx.sql() << "WITH v(u, i, p, rv, rg) AS (VALUES " + values +
                    ") UPDATE indicator_figures SET rank_value = v.rv, rank_growth = v.rg FROM v "
                    "WHERE indicator_figures.unit_id = v.u AND indicator_figures.indicator_id = v.i AND "
                    "indicator_figures.period = v.p";
  }
}

}  // namespace tiaodu::indicators::store
