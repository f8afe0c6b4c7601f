// Pure rules of access: roles and their permissions, password policy, lockout and session
// expiry. No I/O; unit-tested directly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace tiaodu::auth {

struct RoleInfo {
  const char* code;
  const char* name_zh;
  const char* name_en;
  bool admin;  // one of the three separated admin roles (三员分立)
  std::vector<const char*> permissions;
};

// Every role, in display order.
const std::vector<RoleInfo>& Roles();
const RoleInfo* FindRole(std::string_view code);
bool HasPermission(std::string_view role, std::string_view permission);
std::vector<std::string> PermissionsOf(std::string_view role);

// OK when the actor (or the installation itself) holds the permission, else PermissionDenied.
// Every service checks this itself, so a service called from the CLI or an import is guarded too.
struct Actor;
Status Need(const Actor& actor, const char* permission);

// Who may grant a role when creating a user: the system admin creates business users only;
// admin roles are granted by the security admin (三员分立).
bool MayCreateWithRole(std::string_view creator_role, std::string_view new_role);

// The configurable security profile (等保 by default).
struct SecurityPolicy {
  int min_password_length = 8;
  int min_character_kinds = 3;  // of: lower, upper, digit, symbol
  int max_failed_logins = 5;
  int64_t lockout_millis = 15 * 60 * 1000;
  int64_t idle_timeout_millis = 30 * 60 * 1000;
  int64_t absolute_session_millis = 12 * 60 * 60 * 1000;
  int64_t password_max_age_millis = 90LL * 24 * 60 * 60 * 1000;
};

// OK, or InvalidArgument naming what the password lacks.
Status CheckPasswordComplexity(std::string_view password, const SecurityPolicy& policy,
                               std::string_view username = {});

// Whether a session created at created_at and last seen at last_seen is still alive at now.
bool SessionAlive(int64_t created_at, int64_t last_seen, int64_t now, const SecurityPolicy& p);

// The unit at the top of a data scope: the last id of its materialized path ("/1/4/" → 4);
// 0 for "/" or "".
int64_t TopUnitOfScope(const std::string& scope_path);

// Username rule: 3..32 of [a-z0-9_.-], starting with a letter.
Status CheckUsername(std::string_view username);

}  // namespace tiaodu::auth
