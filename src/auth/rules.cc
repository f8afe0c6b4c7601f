#include "auth/rules.h"

#include <cctype>
#include <cstdlib>

#include "auth/model.h"

namespace tiaodu::auth {

const std::vector<RoleInfo>& Roles() {
  static const std::vector<RoleInfo> kRoles = {
      {"leader", "领导", "Leader", false,
       {"unit.read", "indicator.read", "project.read", "investment.read", "task.read",
        "assessment.read", "factcheck.use", "benefit.read", "benefit.approve"}},
      {"statistician", "统计员", "Statistician", false,
       {"unit.read", "indicator.read", "indicator.write", "indicator.approve", "assessment.read",
        "factcheck.use"}},
      {"project_office", "项目办", "Project office", false,
       {"unit.read", "project.read", "project.write", "project.manage", "assessment.read",
        "factcheck.use"}},
      {"investment_officer", "招商员", "Investment officer", false,
       {"unit.read", "project.read", "investment.read", "investment.write", "assessment.read",
        "factcheck.use", "benefit.read", "benefit.manage"}},
      {"supervisor", "督查员", "Supervisor", false,
       {"unit.read", "task.read", "task.write", "task.assign", "assessment.read", "assessment.manage",
        "factcheck.use"}},
      {"reporter", "填报员", "Unit reporter", false,
       {"unit.read", "indicator.read", "indicator.write", "project.read", "project.report",
        "task.read", "task.report", "factcheck.use"}},
      {"sys_admin", "系统管理员", "System administrator", true,
       {"unit.read", "unit.write", "user.read", "user.write"}},
      {"security_admin", "安全管理员", "Security administrator", true,
       {"unit.read", "user.read", "user.role", "user.unlock"}},
      {"audit_admin", "审计管理员", "Audit administrator", true, {"audit.read"}},
  };
  return kRoles;
}

const RoleInfo* FindRole(std::string_view code) {
  for (const RoleInfo& r : Roles())
    if (code == r.code) return &r;
  return nullptr;
}

bool HasPermission(std::string_view role, std::string_view permission) {
  const RoleInfo* r = FindRole(role);
  if (!r) return false;
  for (const char* p : r->permissions)
    if (permission == p) return true;
  return false;
}

std::vector<std::string> PermissionsOf(std::string_view role) {
  std::vector<std::string> out;
  if (const RoleInfo* r = FindRole(role))
    for (const char* p : r->permissions) out.emplace_back(p);
  return out;
}

Status Need(const Actor& actor, const char* permission) {
  if (actor.system || HasPermission(actor.role, permission)) return Status::Ok();
  return PermissionDenied();
}

bool MayCreateWithRole(std::string_view creator_role, std::string_view new_role) {
  const RoleInfo* r = FindRole(new_role);
  if (!r) return false;
  if (creator_role == "sys_admin") return !r->admin;
  return false;
}

Status CheckPasswordComplexity(std::string_view password, const SecurityPolicy& policy,
                               std::string_view username) {
  // Count characters (UTF-8 code points), not bytes.
  int chars = 0;
  bool lower = false, upper = false, digit = false, symbol = false;
  for (unsigned char c : password) {
    if ((c & 0xC0) != 0x80) ++chars;
    if (std::islower(c)) lower = true;
    else if (std::isupper(c)) upper = true;
    else if (std::isdigit(c)) digit = true;
    else symbol = true;
  }
  int kinds = lower + upper + digit + symbol;
  std::vector<Detail> d;
  if (chars < policy.min_password_length)
    d.push_back({"password", "密码至少 " + std::to_string(policy.min_password_length) + " 位"});
  if (kinds < policy.min_character_kinds)
    d.push_back({"password", "密码须包含大写字母、小写字母、数字、符号中的至少 " +
                                 std::to_string(policy.min_character_kinds) + " 种"});
  if (!username.empty() && password.find(username) != std::string_view::npos)
    d.push_back({"password", "密码不能包含用户名"});
  if (!d.empty()) return InvalidArgument("密码不符合复杂度要求", std::move(d));
  return Status::Ok();
}

bool SessionAlive(int64_t created_at, int64_t last_seen, int64_t now, const SecurityPolicy& p) {
  return now - last_seen <= p.idle_timeout_millis && now - created_at <= p.absolute_session_millis;
}

int64_t TopUnitOfScope(const std::string& path) {
  if (path.size() < 2) return 0;
  const size_t end = path.size() - 1, start = path.rfind('/', end - 1);
  return std::atoll(path.substr(start + 1, end - start - 1).c_str());
}

Status CheckUsername(std::string_view u) {
  bool ok = u.size() >= 3 && u.size() <= 32 && std::islower(static_cast<unsigned char>(u[0]));
  for (unsigned char c : u)
    if (!(std::islower(c) || std::isdigit(c) || c == '_' || c == '.' || c == '-')) ok = false;
  if (!ok)
    return InvalidArgument("用户名格式错误",
                           {{"username", "3-32位小写字母、数字、下划线、点或连字符，以字母开头"}});
  return Status::Ok();
}

}  // namespace tiaodu::auth
