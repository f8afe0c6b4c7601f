#include "org/store.h"

#include <soci/soci.h>

#include "db/row.h"
#include "db/values.h"
#include "org/rules.h"

namespace tiaodu::org::store {
namespace {

constexpr const char* kCols =
    "id, code, name, kind, parent_id, path, sort_order, archived, version, created_at, updated_at";

Unit FromRow(const soci::row& r) {
  Unit u;
  u.id = db::GetInt(r, 0);
  u.code = db::GetText(r, 1);
  u.name = db::GetText(r, 2);
  u.kind = db::GetText(r, 3);
  u.parent_id = db::GetOptInt(r, 4);
  u.path = db::GetText(r, 5);
  u.sort_order = static_cast<int>(db::GetInt(r, 6));
  u.archived = db::GetInt(r, 7) != 0;
  u.version = static_cast<int>(db::GetInt(r, 8));
  u.created_at = db::GetInt(r, 9);
  u.updated_at = db::GetInt(r, 10);
  return u;
}

}  // namespace

std::optional<Unit> FindUnit(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kCols + " FROM units WHERE id = :id", soci::use(id),
      soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return FromRow(r);
}

std::optional<Unit> FindUnitByCode(db::Tx& tx, const std::string& code) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kCols + " FROM units WHERE code = :c", soci::use(code),
      soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return FromRow(r);
}

std::vector<Unit> ListUnits(db::Tx& tx, const std::string& scope_path, const UnitQuery& q,
                            int64_t* total) {
  std::string where = " WHERE path LIKE :scope";
  std::string scope_like = scope_path + "%", q_like = db::ContainsPattern(q.q);
  int64_t parent = q.parent_id.value_or(0);
  if (!q.include_archived) where += " AND archived = 0";
  if (!q.q.empty()) where += " AND (LOWER(name) LIKE :q ESCAPE '\\' OR LOWER(code) LIKE :q2 ESCAPE '\\')";
  if (!q.kind.empty()) where += " AND kind = :kind";
  if (q.parent_id) where += " AND parent_id = :parent";
  auto bind = [&](soci::details::prepare_temp_type& st) {
    st, soci::use(scope_like, "scope");
    if (!q.q.empty()) st, soci::use(q_like, "q"), soci::use(q_like, "q2");
    if (!q.kind.empty()) st, soci::use(q.kind, "kind");
    if (q.parent_id) st, soci::use(parent, "parent");
  };
  if (total) *total = db::Count(tx, "SELECT COUNT(*) FROM units" + where, bind);
  int64_t limit = q.page_size, offset = static_cast<int64_t>(q.page - 1) * q.page_size;
  std::vector<Unit> out;
  soci::row r;
  auto st = (tx.sql().prepare << std::string("SELECT ") + kCols + " FROM units" + where +
                                     " ORDER BY path LIMIT :lim OFFSET :off",
             soci::into(r));
  bind(st);
  st, soci::use(limit, "lim"), soci::use(offset, "off");
  soci::statement stmt(st);
  stmt.execute();
  while (stmt.fetch()) out.push_back(FromRow(r));
  return out;
}

int64_t InsertUnit(db::Tx& tx, const Unit& u) {
  long long id = 0;
  int64_t parent = u.parent_id.value_or(0);
  soci::indicator pind = u.parent_id ? soci::i_ok : soci::i_null;
  std::string placeholder_path = "/";
  std::string code = u.code.empty() ? "tmp-" + std::to_string(u.created_at) + u.name : u.code;
  tx.sql() << "INSERT INTO units (code, name, kind, parent_id, path, sort_order, archived, "
              "version, created_at, updated_at) VALUES (:c, :n, :k, :p, :path, :so, 0, 1, :ca, "
              ":ua) RETURNING id",
      soci::use(code), soci::use(u.name), soci::use(u.kind), soci::use(parent, pind),
      soci::use(placeholder_path), soci::use(u.sort_order), soci::use(u.created_at),
      soci::use(u.updated_at), soci::into(id);
  std::string parent_path;
  if (u.parent_id) {
    tx.sql() << "SELECT path FROM units WHERE id = :p", soci::use(parent), soci::into(parent_path);
  }
  std::string path = ChildPath(parent_path, id);
  if (u.code.empty()) {
    // Internal code for units without a GB/T 2260 code: U + zero-padded id.
    char buf[24];
    std::snprintf(buf, sizeof buf, "U%06lld", id);
    code = buf;
  }
  int64_t new_id = id;
  tx.sql() << "UPDATE units SET path = :path, code = :c WHERE id = :id", soci::use(path),
      soci::use(code), soci::use(new_id);
  return id;
}

bool UpdateUnit(db::Tx& tx, const Unit& u) {
  int archived = u.archived;
  soci::statement st =
      (tx.sql().prepare << "UPDATE units SET name = :n, code = :c, kind = :k, archived = :a, "
                           "sort_order = :so, updated_at = :ua, version = version + 1 "
                           "WHERE id = :id AND version = :v",
       soci::use(u.name), soci::use(u.code), soci::use(u.kind), soci::use(archived),
       soci::use(u.sort_order), soci::use(u.updated_at), soci::use(u.id), soci::use(u.version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

bool MoveUnit(db::Tx& tx, const Unit& u, int64_t new_parent_id, const std::string& new_path,
              int64_t now) {
  soci::statement st =
      (tx.sql().prepare << "UPDATE units SET parent_id = :p, updated_at = :ua, version = version "
                           "+ 1 WHERE id = :id AND version = :v",
       soci::use(new_parent_id), soci::use(now), soci::use(u.id), soci::use(u.version));
  st.execute(true);
  if (st.get_affected_rows() != 1) return false;
  std::string old_like = u.path + "%";
  int from = static_cast<int>(u.path.size()) + 1;
  tx.sql() << "UPDATE units SET path = :np || substr(path, :from) WHERE path LIKE :old",
      soci::use(new_path), soci::use(from), soci::use(old_like);
  return true;
}

int64_t CountActiveChildren(db::Tx& tx, int64_t id) {
  long long n = 0;
  tx.sql() << "SELECT COUNT(*) FROM units WHERE parent_id = :id AND archived = 0", soci::use(id),
      soci::into(n);
  return n;
}

int64_t CountUsers(db::Tx& tx, int64_t id) {
  long long n = 0;
  tx.sql() << "SELECT COUNT(*) FROM users WHERE unit_id = :id AND disabled = 0", soci::use(id),
      soci::into(n);
  return n;
}

}  // namespace tiaodu::org::store
