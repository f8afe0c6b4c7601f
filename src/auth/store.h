// SQL for users and sessions, and nothing else. Every function runs inside a caller's Tx.
// SOCI exceptions propagate to Database::Transact, which turns them into Status values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/model.h"
#include "db/database.h"

namespace tiaodu::auth::store {

std::optional<User> FindUserByUsername(db::Tx& tx, const std::string& username);
std::optional<User> FindUserById(db::Tx& tx, int64_t id);
int64_t InsertUser(db::Tx& tx, const User& u);
// Writes every mutable field of u where id and version match; bumps version. False if stale.
bool UpdateUser(db::Tx& tx, const User& u);
// Login bookkeeping; not version-bumping (a login must not make an admin's edit stale).
void SetLoginState(db::Tx& tx, int64_t user_id, int failed, int64_t locked_until,
                   int64_t last_login_at);
Page<User> ListUsers(db::Tx& tx, const std::string& scope_path, const UserQuery& q);
// Every enabled user holding one of `roles` whose data scope covers `path` (a unit's
// materialized path): the people who may act on a record of that unit. Ordered by id.
std::vector<User> UsersCovering(db::Tx& tx, const std::vector<std::string>& roles,
                                const std::string& path);

void InsertSession(db::Tx& tx, const Session& s);
std::optional<Session> FindSession(db::Tx& tx, const std::string& token_hash);
void TouchSession(db::Tx& tx, const std::string& token_hash, int64_t now);
void DeleteSession(db::Tx& tx, const std::string& token_hash);
void DeleteSessionsOfUser(db::Tx& tx, int64_t user_id, const std::string& except_hash = {});

// The materialized path and archived flag of a unit (read-only view of org's table).
struct UnitRef {
  int64_t id = 0;
  std::string code;
  std::string name;
  std::string path;
  bool archived = false;
};
std::optional<UnitRef> FindUnit(db::Tx& tx, int64_t unit_id);
std::optional<UnitRef> FindUnitByCode(db::Tx& tx, const std::string& code);

}  // namespace tiaodu::auth::store
