#include "auth/store.h"

#include <soci/soci.h>

#include "db/row.h"

namespace tiaodu::auth::store {
namespace {

constexpr const char* kUserColumns =
    "u.id, u.username, u.display_name, u.role, u.unit_id, un.code, un.name, un.path, "
    "u.password_hash, u.must_change_password, u.password_changed_at, u.failed_logins, "
    "u.locked_until, u.disabled, u.last_login_at, u.version, u.created_at, u.updated_at, "
    // A department acts for the government it belongs to: its data scope is its parent's
    // subtree (docs/decisions/0006).
    "CASE WHEN un.kind = 'department' AND pu.path IS NOT NULL THEN pu.path ELSE un.path END";

User UserFromRow(const soci::row& r) {
  using db::GetInt, db::GetText;
  User u;
  u.id = GetInt(r, 0);
  u.username = GetText(r, 1);
  u.display_name = GetText(r, 2);
  u.role = GetText(r, 3);
  u.unit_id = GetInt(r, 4);
  u.unit_code = GetText(r, 5);
  u.unit_name = GetText(r, 6);
  u.unit_path = GetText(r, 7);
  u.password_hash = GetText(r, 8);
  u.must_change_password = GetInt(r, 9) != 0;
  u.password_changed_at = GetInt(r, 10);
  u.failed_logins = static_cast<int>(GetInt(r, 11));
  u.locked_until = GetInt(r, 12);
  u.disabled = GetInt(r, 13) != 0;
  u.last_login_at = GetInt(r, 14);
  u.version = static_cast<int>(GetInt(r, 15));
  u.created_at = GetInt(r, 16);
  u.updated_at = GetInt(r, 17);
  u.scope_path = GetText(r, 18);
  return u;
}

std::string SelectUsers() {
  return std::string("SELECT ") + kUserColumns +
         " FROM users u JOIN units un ON un.id = u.unit_id LEFT JOIN units pu ON pu.id = un.parent_id";
}

}  // namespace

std::optional<User> FindUserByUsername(db::Tx& tx, const std::string& username) {
  soci::row r;
  tx.sql() << SelectUsers() + " WHERE u.username = :n", soci::use(username), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return UserFromRow(r);
}

std::optional<User> FindUserById(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << SelectUsers() + " WHERE u.id = :id", soci::use(id), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return UserFromRow(r);
}

int64_t InsertUser(db::Tx& tx, const User& u) {
  long long id = 0;
  int must = u.must_change_password, disabled = u.disabled;
  tx.sql() << "INSERT INTO users (username, display_name, role, unit_id, password_hash, "
              "must_change_password, password_changed_at, disabled, version, created_at, "
              "updated_at) VALUES (:un, :dn, :role, :unit, :ph, :must, :pca, :dis, 1, :ca, :ua) "
              "RETURNING id",
      soci::use(u.username), soci::use(u.display_name), soci::use(u.role), soci::use(u.unit_id),
      soci::use(u.password_hash), soci::use(must), soci::use(u.password_changed_at),
      soci::use(disabled), soci::use(u.created_at), soci::use(u.updated_at), soci::into(id);
  return id;
}

bool UpdateUser(db::Tx& tx, const User& u) {
  int must = u.must_change_password, disabled = u.disabled;
  soci::statement st =
      (tx.sql().prepare << "UPDATE users SET display_name = :dn, role = :role, unit_id = :unit, "
                           "password_hash = :ph, must_change_password = :must, "
                           "password_changed_at = :pca, failed_logins = :fl, locked_until = :lu, "
                           "disabled = :dis, updated_at = :ua, version = version + 1 "
                           "WHERE id = :id AND version = :v",
       soci::use(u.display_name), soci::use(u.role), soci::use(u.unit_id),
       soci::use(u.password_hash), soci::use(must), soci::use(u.password_changed_at),
       soci::use(u.failed_logins), soci::use(u.locked_until), soci::use(disabled),
       soci::use(u.updated_at), soci::use(u.id), soci::use(u.version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void SetLoginState(db::Tx& tx, int64_t user_id, int failed, int64_t locked_until,
                   int64_t last_login_at) {
  tx.sql() << "UPDATE users SET failed_logins = :f, locked_until = :l, last_login_at = :a "
              "WHERE id = :id",
      soci::use(failed), soci::use(locked_until), soci::use(last_login_at), soci::use(user_id);
}

std::vector<User> UsersCovering(db::Tx& tx, const std::vector<std::string>& roles,
                                const std::string& path) {
  std::vector<User> out;
  if (roles.empty()) return out;
  // Role codes are from auth::Roles() (letters and underscores), not user input.
  std::string in;
  for (const auto& role : roles) in += (in.empty() ? "'" : ", '") + role + "'";
  soci::row r;
  soci::statement st = (tx.sql().prepare << SelectUsers() + " WHERE u.disabled = 0 AND u.role IN (" +
                                                in + ") ORDER BY u.id",
                        soci::into(r));
  st.execute();
  while (st.fetch()) {
    User u = UserFromRow(r);
    if (!u.scope_path.empty() && path.compare(0, u.scope_path.size(), u.scope_path) == 0)
      out.push_back(std::move(u));
  }
  return out;
}

Page<User> ListUsers(db::Tx& tx, const std::string& scope_path, const UserQuery& q) {
  Page<User> page;
  page.page = q.page;
  page.page_size = q.page_size;
  std::string where = " WHERE un.path LIKE :scope";
  std::string scope_like = scope_path + "%";
  std::string q_like = db::ContainsPattern(q.q);
  if (!q.q.empty()) where += " AND (LOWER(u.username) LIKE :q ESCAPE '\\' OR LOWER(u.display_name) LIKE :q2 ESCAPE '\\')";
  if (!q.role.empty()) where += " AND u.role = :role";
  if (q.unit_id) where += " AND u.unit_id = :unit";
  auto bind = [&](soci::details::prepare_temp_type& st) {
    st, soci::use(scope_like, "scope");
    if (!q.q.empty()) st, soci::use(q_like, "q"), soci::use(q_like, "q2");
    if (!q.role.empty()) st, soci::use(q.role, "role");
    if (q.unit_id) st, soci::use(q.unit_id, "unit");
  };
  {
    long long total = 0;
    auto st = (tx.sql().prepare << "SELECT COUNT(*) FROM users u JOIN units un ON un.id = "
                                   "u.unit_id" + where,
               soci::into(total));
    bind(st);
    soci::statement stmt(st);
    stmt.execute(true);
    page.total = total;
  }
  int64_t limit = q.page_size, offset = static_cast<int64_t>(q.page - 1) * q.page_size;
  soci::row r;
  auto st = (tx.sql().prepare << SelectUsers() + where + " ORDER BY un.path, u.username "
                                                          "LIMIT :lim OFFSET :off",
             soci::into(r));
  bind(st);
  st, soci::use(limit, "lim"), soci::use(offset, "off");
  soci::statement stmt(st);
  stmt.execute();
  while (stmt.fetch()) page.items.push_back(UserFromRow(r));
  return page;
}

void InsertSession(db::Tx& tx, const Session& s) {
  tx.sql() << "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, "
              "ip) VALUES (:t, :u, :c, :ca, :ls, :ip)",
      soci::use(s.token_hash), soci::use(s.user_id), soci::use(s.csrf_token),
      soci::use(s.created_at), soci::use(s.last_seen_at), soci::use(s.ip);
}

std::optional<Session> FindSession(db::Tx& tx, const std::string& token_hash) {
  soci::row r;
  tx.sql() << "SELECT token_hash, user_id, csrf_token, created_at, last_seen_at, ip FROM "
              "sessions WHERE token_hash = :t",
      soci::use(token_hash), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  Session s;
  s.token_hash = db::GetText(r, 0);
  s.user_id = db::GetInt(r, 1);
  s.csrf_token = db::GetText(r, 2);
  s.created_at = db::GetInt(r, 3);
  s.last_seen_at = db::GetInt(r, 4);
  s.ip = db::GetText(r, 5);
  return s;
}

void TouchSession(db::Tx& tx, const std::string& token_hash, int64_t now) {
  tx.sql() << "UPDATE sessions SET last_seen_at = :n WHERE token_hash = :t", soci::use(now),
      soci::use(token_hash);
}

void DeleteSession(db::Tx& tx, const std::string& token_hash) {
  tx.sql() << "DELETE FROM sessions WHERE token_hash = :t", soci::use(token_hash);
}

void DeleteSessionsOfUser(db::Tx& tx, int64_t user_id, const std::string& except_hash) {
  tx.sql() << "DELETE FROM sessions WHERE user_id = :u AND token_hash <> :t", soci::use(user_id),
      soci::use(except_hash);
}

namespace {
// The unit WHERE `column` = value, as a UnitRef.
template <typename T>
std::optional<UnitRef> FindUnitWhere(db::Tx& tx, const char* column, const T& value) {
  soci::row r;
  tx.sql() << std::string("SELECT id, code, name, path, archived FROM units WHERE ") + column + " = :v",
      soci::use(value), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return UnitRef{db::GetInt(r, 0), db::GetText(r, 1), db::GetText(r, 2), db::GetText(r, 3),
                 db::GetInt(r, 4) != 0};
}
}  // namespace

std::optional<UnitRef> FindUnit(db::Tx& tx, int64_t unit_id) { return FindUnitWhere(tx, "id", unit_id); }

std::optional<UnitRef> FindUnitByCode(db::Tx& tx, const std::string& code) {
  return FindUnitWhere(tx, "code", code);
}

}  // namespace tiaodu::auth::store
