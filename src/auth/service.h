// AuthService: logins, sessions, password changes and user administration. Each use case
// checks permission and data scope, validates, runs in one transaction and writes its audit
// record in that same transaction. Holds references to the database and clock it is given
// (both must outlive it). Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "auth/model.h"
#include "auth/rules.h"
#include "base/clock.h"
#include "base/result.h"
#include "db/database.h"
#include "io/table.h"
#include "io/xlsx_writer.h"

namespace tiaodu::auth {

struct LoginResult {
  std::string token;  // the session cookie value (only its hash is stored)
  std::string csrf_token;
  User user;
};

struct NewUser {
  std::string username;
  std::string display_name;
  std::string role;
  int64_t unit_id = 0;
  std::string password;
};

struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<int64_t> unit_id;
  int version = 0;
};

// What a users import did (or, in a dry run, would do).
struct UserImportResult {
  int rows = 0, inserted = 0, updated = 0, unchanged = 0;
};

// The actor and session behind a request.
struct Authenticated {
  Actor actor;
  Session session;
};

class AuthService {
 public:
  AuthService(db::Database& db, const Clock& clock, SecurityPolicy policy = {});

  const SecurityPolicy& policy() const { return policy_; }

  Result<LoginResult> Login(const std::string& username, const std::string& password,
                            const std::string& ip);
  Status Logout(const Authenticated& who);
  Result<Authenticated> Authenticate(const std::string& token, const std::string& ip);
  Status ChangePassword(const Authenticated& who, const std::string& old_password,
                        const std::string& new_password);

  Result<User> Me(const Actor& actor);
  Result<Page<User>> ListUsers(const Actor& actor, UserQuery q);
  Result<User> GetUser(const Actor& actor, int64_t id);
  Result<User> CreateUser(const Actor& actor, const NewUser& n);
  Result<User> UpdateUser(const Actor& actor, int64_t id, const UserPatch& p);
  Result<User> SetDisabled(const Actor& actor, int64_t id, bool disabled, int version);
  Result<User> ResetPassword(const Actor& actor, int64_t id, const std::string& password);
  Result<User> SetRole(const Actor& actor, int64_t id, const std::string& role, int version);
  Result<User> Unlock(const Actor& actor, int64_t id);

  // ---- Spreadsheets (the layout: auth/sheets.h; no password column, ever) ----
  // Imports a sheet of users keyed by 用户名, all or nothing, with the rules of the single
  // calls and 三员分立 row by row: a new username creates the user (as CreateUser: user.write,
  // a business role unless the actor may grant admin roles, the unit in scope) with an unknown
  // random password and must_change_password — nobody can log in as it until an admin resets
  // the password (docs/decisions/0016); a known one in scope gets its 姓名 / 所属单位 (as
  // UpdateUser: user.write, not an admin account for the system admin), its 角色 (as SetRole:
  // user.role, never one's own) and its 状态 (as SetDisabled: user.write, never one's own);
  // identical rows are left alone. A row asking for a change its importer may not make is
  // refused on that cell with the reason. One transaction; an audit record per change as the
  // single calls write them, plus one "user.import". Any problem → 400 with one Detail per bad
  // cell, nothing written. Needs user.write or user.role (which rows pass depends on which).
  Result<UserImportResult> Import(const Actor& actor, const io::Table& table, bool dry_run);
  // The filtered list (ListUsers' filters, all pages) as a sheet in the import layout. user.read.
  Result<io::Sheet> ExportSheet(const Actor& actor, UserQuery q);
  // The import template: the layout, drop-downs of roles and states, one example row (a
  // reporter in the unit at the top of the actor's scope). user.write or user.role.
  Result<io::Sheet> TemplateSheet(const Actor& actor);

  // For `tiaodu init`: creates the system admin, or resets its password if it exists.
  Result<User> EnsureAdmin(const Actor& system, int64_t unit_id, const std::string& password);
  // For `tiaodu demo`: creates the user unless one with that username exists (idempotent);
  // returns the user and whether it was created.
  Result<std::pair<User, bool>> EnsureUser(const Actor& system, const NewUser& n);

 private:
  db::Database& db_;
  const Clock& clock_;
  SecurityPolicy policy_;
  std::string dummy_hash_;  // verified against for unknown usernames (constant timing)
};

// JSON snapshot of a user for the audit log (no password hash).
std::string UserSnapshot(const User& u);

}  // namespace tiaodu::auth
