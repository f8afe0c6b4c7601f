#include "auth/service.h"

#include "auth/audit.h"
#include "auth/crypto.h"
#include "auth/sheets.h"
#include "auth/store.h"
#include "base/json_text.h"

#include <map>
#include <set>

namespace tiaodu::auth {
namespace {

Status Unauthenticated(std::string msg = "用户名或密码错误") {
  return Status(Code::kUnauthenticated, std::move(msg));
}

}  // namespace

std::string UserSnapshot(const User& u) {
  return JsonText()
      .Add("id", u.id)
      .Add("username", u.username)
      .Add("display_name", u.display_name)
      .Add("role", u.role)
      .Add("unit_id", u.unit_id)
      .Add("disabled", u.disabled)
      .Add("version", u.version)
      .Build();
}

AuthService::AuthService(db::Database& db, const Clock& clock, SecurityPolicy policy)
    : db_(db), clock_(clock), policy_(policy) {
  auto h = HashPassword(RandomHex(16));
  if (h.ok()) dummy_hash_ = *h;
}

Result<LoginResult> AuthService::Login(const std::string& username, const std::string& password,
                                       const std::string& ip) {
  const int64_t now = clock_.NowMillis();
  std::optional<User> user;
  Status read = db_.Read([&](db::Tx& tx) {
    user = store::FindUserByUsername(tx, username);
    return Status::Ok();
  });
  if (!read.ok()) return read;

  Actor anon;
  anon.username = username.size() > 64 ? username.substr(0, 64) : username;
  anon.ip = ip;
  auto audit_failure = [&](const std::string& why, std::optional<User> u) {
    Actor a = anon;
    if (u) {
      a.user_id = u->id;
      a.role = u->role;
      a.unit_id = u->unit_id;
    }
    return db_.Write([&](db::Tx& tx) -> Status {
      if (u) {
        int failed = u->failed_logins + 1;
        int64_t locked = u->locked_until;
        if (failed >= policy_.max_failed_logins) {
          locked = now + policy_.lockout_millis;
          failed = 0;
        }
        store::SetLoginState(tx, u->id, failed, locked, u->last_login_at);
      }
      return AppendAudit(tx, MakeAudit(a, now, "auth.login", "user", u ? std::to_string(u->id) : "",
                                       {}, JsonText().Add("reason", why).Build(), "failure"));
    });
  };

  if (!user) {
    if (!dummy_hash_.empty()) (void)VerifyPassword(dummy_hash_, password);
    TIAODU_RETURN_IF_ERROR(audit_failure("unknown_user", std::nullopt));
    return Unauthenticated();
  }
  if (user->locked_until > now) {
    TIAODU_RETURN_IF_ERROR(audit_failure("locked", std::nullopt));
    int minutes = static_cast<int>((user->locked_until - now + 59999) / 60000);
    return Status(Code::kLocked, "登录失败次数过多，账户已锁定，请 " + std::to_string(minutes) +
                                     " 分钟后再试");
  }
  if (!VerifyPassword(user->password_hash, password)) {
    TIAODU_RETURN_IF_ERROR(audit_failure("bad_password", user));
    if (user->failed_logins + 1 >= policy_.max_failed_logins)
      return Status(Code::kLocked, "登录失败次数过多，账户已锁定 15 分钟");
    return Unauthenticated();
  }
  if (user->disabled) {
    TIAODU_RETURN_IF_ERROR(audit_failure("disabled", user));
    return Unauthenticated("账户已停用，请联系系统管理员");
  }

  LoginResult out;
  out.token = RandomHex(32);
  out.csrf_token = RandomHex(24);
  Session s;
  s.token_hash = Sm3Hex(out.token);
  s.user_id = user->id;
  s.csrf_token = out.csrf_token;
  s.created_at = now;
  s.last_seen_at = now;
  s.ip = ip;
  if (now - user->password_changed_at > policy_.password_max_age_millis)
    user->must_change_password = true;
  Actor a{user->id, user->username, user->role, user->unit_id, user->scope_path, ip};
  Status w = db_.Write([&](db::Tx& tx) -> Status {
    store::SetLoginState(tx, user->id, 0, 0, now);
    store::InsertSession(tx, s);
    return AppendAudit(tx, MakeAudit(a, now, "auth.login", "user", std::to_string(user->id)));
  });
  if (!w.ok()) return w;
  user->last_login_at = now;
  out.user = *user;
  return out;
}

Status AuthService::Logout(const Authenticated& who) {
  return db_.Write([&](db::Tx& tx) -> Status {
    store::DeleteSession(tx, who.session.token_hash);
    return AppendAudit(tx, MakeAudit(who.actor, clock_.NowMillis(), "auth.logout", "user",
                                     std::to_string(who.actor.user_id)));
  });
}

Result<Authenticated> AuthService::Authenticate(const std::string& token, const std::string& ip) {
  if (token.size() != 64) return Unauthenticated("未登录或会话已过期");
  const int64_t now = clock_.NowMillis();
  const std::string hash = Sm3Hex(token);
  std::optional<Session> s;
  std::optional<User> u;
  Status r = db_.Read([&](db::Tx& tx) {
    s = store::FindSession(tx, hash);
    if (s) u = store::FindUserById(tx, s->user_id);
    return Status::Ok();
  });
  if (!r.ok()) return r;
  if (!s || !u || u->disabled) return Unauthenticated("未登录或会话已过期");
  if (!SessionAlive(s->created_at, s->last_seen_at, now, policy_)) {
    (void)db_.Write([&](db::Tx& tx) {
      store::DeleteSession(tx, hash);
      return Status::Ok();
    });
    return Unauthenticated("会话已超时，请重新登录");
  }
  // Sliding idle timeout; write at most once a minute per session.
  if (now - s->last_seen_at > 60000) {
    (void)db_.Write([&](db::Tx& tx) {
      store::TouchSession(tx, hash, now);
      return Status::Ok();
    });
  }
  Authenticated out;
  out.session = *s;
  out.actor = Actor{u->id, u->username, u->role, u->unit_id, u->scope_path, ip};
  return out;
}

Status AuthService::ChangePassword(const Authenticated& who, const std::string& old_password,
                                   const std::string& new_password) {
  const int64_t now = clock_.NowMillis();
  return db_.Write([&](db::Tx& tx) -> Status {
    auto u = store::FindUserById(tx, who.actor.user_id);
    if (!u) return NotFound("用户不存在");
    if (!VerifyPassword(u->password_hash, old_password))
      return InvalidArgument("原密码不正确", {{"old_password", "原密码不正确"}});
    if (Status weak = CheckPasswordComplexity(new_password, policy_, u->username); !weak.ok()) {
      std::vector<Detail> d;
      for (const Detail& x : weak.details()) d.push_back({"new_password", x.reason});
      return InvalidArgument(weak.message(), std::move(d));
    }
    if (VerifyPassword(u->password_hash, new_password))
      return InvalidArgument("新密码不能与原密码相同", {{"new_password", "不能与原密码相同"}});
    auto hash = HashPassword(new_password);
    if (!hash.ok()) return hash.status();
    User before = *u;
    u->password_hash = *hash;
    u->password_changed_at = now;
    u->must_change_password = false;
    u->updated_at = now;
    if (!store::UpdateUser(tx, *u)) return StaleVersion();
    store::DeleteSessionsOfUser(tx, u->id, who.session.token_hash);
    return AppendAudit(tx, MakeAudit(who.actor, now, "auth.password_change", "user",
                                     std::to_string(u->id)));
  });
}

Result<User> AuthService::Me(const Actor& actor) {
  std::optional<User> u;
  Status s = db_.Read([&](db::Tx& tx) {
    u = store::FindUserById(tx, actor.user_id);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (!u) return NotFound("用户不存在");
  return *u;
}

Result<Page<User>> AuthService::ListUsers(const Actor& actor, UserQuery q) {
  TIAODU_RETURN_IF_ERROR(Need(actor, "user.read"));
  Page<User> page;
  Status s = db_.Read([&](db::Tx& tx) {
    page = store::ListUsers(tx, actor.system ? "/" : actor.unit_path, q);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return page;
}

Result<User> AuthService::GetUser(const Actor& actor, int64_t id) {
  TIAODU_RETURN_IF_ERROR(Need(actor, "user.read"));
  std::optional<User> u;
  Status s = db_.Read([&](db::Tx& tx) {
    u = store::FindUserById(tx, id);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (!u || !actor.InScope(u->unit_path)) return NotFound("用户不存在");
  return *u;
}

namespace {
enum class Guard { kAny, kBusinessOnly };

// Loads a user for modification, checking scope (403 outside it) and version. With
// kBusinessOnly, accounts holding an admin role are refused: the system admin manages
// business users only (三员分立).
Result<User> LoadForWrite(db::Tx& tx, const Actor& actor, int64_t id, std::optional<int> version,
                          Guard guard = Guard::kBusinessOnly) {
  auto u = store::FindUserById(tx, id);
  if (!u) return NotFound("用户不存在");
  if (!actor.InScope(u->unit_path)) return PermissionDenied("该用户不在您的管理范围内");
  const RoleInfo* role = FindRole(u->role);
  if (guard == Guard::kBusinessOnly && !actor.system && role && role->admin)
    return PermissionDenied("系统管理员不能管理管理员账户（三员分立）");
  if (version && *version != u->version) return StaleVersion();
  return *u;
}

// The user administration use cases inside a caller's write transaction, shared by the
// single-user calls and the import: scope, the rules, the write and its audit record.
// Permission, the field rules and who may grant which role are the caller's.
Status CreateUserIn(db::Tx& tx, const Actor& actor, const NewUser& n, const std::string& hash, bool disabled,
                    int64_t now, User* out) {
  auto unit = store::FindUnit(tx, n.unit_id);
  if (!unit || unit->archived) return InvalidArgument("所属单位不存在", {{"unit_id", "单位不存在或已撤销"}});
  if (!actor.InScope(unit->path)) return PermissionDenied("不能在本单位范围以外创建用户");
  if (store::FindUserByUsername(tx, n.username)) return Conflict("用户名已存在: " + n.username);
  User u;
  u.username = n.username;
  u.display_name = n.display_name;
  u.role = n.role;
  u.unit_id = n.unit_id;
  u.password_hash = hash;
  u.must_change_password = !actor.system;  // an admin-set password is changed at first login
  u.password_changed_at = now;
  u.disabled = disabled;
  u.created_at = u.updated_at = now;
  u.id = store::InsertUser(tx, u);
  *out = *store::FindUserById(tx, u.id);
  return AppendAudit(tx, MakeAudit(actor, now, "user.create", "user", std::to_string(out->id), {},
                                   UserSnapshot(*out)));
}

Status UpdateUserIn(db::Tx& tx, const Actor& actor, int64_t id, const UserPatch& p, std::optional<int> version,
                    int64_t now, User* out) {
  auto u = LoadForWrite(tx, actor, id, version);
  if (!u.ok()) return u.status();
  User before = *u;
  if (p.display_name) u->display_name = *p.display_name;
  if (p.unit_id) {
    auto unit = store::FindUnit(tx, *p.unit_id);
    if (!unit || unit->archived) return InvalidArgument("所属单位不存在", {{"unit_id", "单位不存在或已撤销"}});
    if (!actor.InScope(unit->path)) return PermissionDenied("不能把用户调到管理范围以外的单位");
    u->unit_id = *p.unit_id;
  }
  u->updated_at = now;
  if (!store::UpdateUser(tx, *u)) return StaleVersion();
  *out = *store::FindUserById(tx, id);
  return AppendAudit(tx, MakeAudit(actor, now, "user.update", "user", std::to_string(id), UserSnapshot(before),
                                   UserSnapshot(*out)));
}

Status SetDisabledIn(db::Tx& tx, const Actor& actor, int64_t id, bool disabled, std::optional<int> version,
                     int64_t now, User* out) {
  if (id == actor.user_id) return FailedPrecondition("不能停用自己的账户");
  auto u = LoadForWrite(tx, actor, id, version);
  if (!u.ok()) return u.status();
  User before = *u;
  u->disabled = disabled;
  u->updated_at = now;
  if (!store::UpdateUser(tx, *u)) return StaleVersion();
  if (disabled) store::DeleteSessionsOfUser(tx, id);
  *out = *store::FindUserById(tx, id);
  return AppendAudit(tx, MakeAudit(actor, now, disabled ? "user.disable" : "user.enable", "user",
                                   std::to_string(id), UserSnapshot(before), UserSnapshot(*out)));
}

Status SetRoleIn(db::Tx& tx, const Actor& actor, int64_t id, const std::string& role, std::optional<int> version,
                 int64_t now, User* out) {
  if (id == actor.user_id) return FailedPrecondition("不能修改自己的角色");
  auto u = LoadForWrite(tx, actor, id, version, Guard::kAny);
  if (!u.ok()) return u.status();
  User before = *u;
  u->role = role;
  u->updated_at = now;
  if (!store::UpdateUser(tx, *u)) return StaleVersion();
  store::DeleteSessionsOfUser(tx, id);  // new permissions take effect at next login
  *out = *store::FindUserById(tx, id);
  return AppendAudit(tx, MakeAudit(actor, now, "user.role", "user", std::to_string(id), UserSnapshot(before),
                                   UserSnapshot(*out)));
}

// The field rules of a new user's username and name (the role and password are checked apart).
void CheckNewUserFields(const std::string& username, const std::string& display_name, std::vector<Detail>& bad) {
  if (Status s = CheckUsername(username); !s.ok()) bad.push_back(s.details()[0]);
  if (display_name.empty() || display_name.size() > 100) bad.push_back({"display_name", "姓名不能为空，且不超过100字节"});
}

}  // namespace

Result<User> AuthService::CreateUser(const Actor& actor, const NewUser& n) {
  TIAODU_RETURN_IF_ERROR(Need(actor, "user.write"));
  std::vector<Detail> bad;
  CheckNewUserFields(n.username, n.display_name, bad);
  if (!FindRole(n.role)) bad.push_back({"role", "未知角色"});
  Status pw = CheckPasswordComplexity(n.password, policy_, n.username);
  for (const Detail& d : pw.details()) bad.push_back(d);
  if (!bad.empty()) return InvalidArgument("用户信息有误", std::move(bad));
  if (!actor.system && !MayCreateWithRole(actor.role, n.role))
    return PermissionDenied("系统管理员不能创建管理员角色的用户（三员分立）");
  auto hash = HashPassword(n.password);
  if (!hash.ok()) return hash.status();
  const int64_t now = clock_.NowMillis();
  User u;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) { return CreateUserIn(tx, actor, n, *hash, false, now, &u); }));
  return u;
}

Result<User> AuthService::UpdateUser(const Actor& actor, int64_t id, const UserPatch& p) {
  TIAODU_RETURN_IF_ERROR(Need(actor, "user.write"));
  if (p.display_name && (p.display_name->empty() || p.display_name->size() > 100))
    return InvalidArgument("姓名有误", {{"display_name", "姓名不能为空，且不超过100字节"}});
  const int64_t now = clock_.NowMillis();
  User out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) { return UpdateUserIn(tx, actor, id, p, p.version, now, &out); }));
  return out;
}

Result<User> AuthService::SetDisabled(const Actor& actor, int64_t id, bool disabled,
                                      int version) {
  TIAODU_RETURN_IF_ERROR(Need(actor, "user.write"));
  const int64_t now = clock_.NowMillis();
  User out;
  TIAODU_RETURN_IF_ERROR(
      db_.Write([&](db::Tx& tx) { return SetDisabledIn(tx, actor, id, disabled, version, now, &out); }));
  return out;
}

Result<User> AuthService::ResetPassword(const Actor& actor, int64_t id,
                                        const std::string& password) {
  TIAODU_RETURN_IF_ERROR(Need(actor, "user.write"));
  const int64_t now = clock_.NowMillis();
  User out;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto u = LoadForWrite(tx, actor, id, std::nullopt);
    if (!u.ok()) return u.status();
    TIAODU_RETURN_IF_ERROR(CheckPasswordComplexity(password, policy_, u->username));
    auto hash = HashPassword(password);
    if (!hash.ok()) return hash.status();
    u->password_hash = *hash;
    u->password_changed_at = now;
    u->must_change_password = true;
    u->updated_at = now;
    if (!store::UpdateUser(tx, *u)) return StaleVersion();
    store::DeleteSessionsOfUser(tx, id);
    out = *store::FindUserById(tx, id);
    return AppendAudit(tx, MakeAudit(actor, now, "user.reset_password", "user",
                                     std::to_string(id)));
  });
  if (!s.ok()) return s;
  return out;
}

Result<User> AuthService::SetRole(const Actor& actor, int64_t id, const std::string& role,
                                  int version) {
  TIAODU_RETURN_IF_ERROR(Need(actor, "user.role"));
  if (!FindRole(role)) return InvalidArgument("未知角色", {{"role", "未知角色: " + role}});
  const int64_t now = clock_.NowMillis();
  User out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) { return SetRoleIn(tx, actor, id, role, version, now, &out); }));
  return out;
}

Result<User> AuthService::Unlock(const Actor& actor, int64_t id) {
  TIAODU_RETURN_IF_ERROR(Need(actor, "user.unlock"));
  const int64_t now = clock_.NowMillis();
  User out;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto u = LoadForWrite(tx, actor, id, std::nullopt, Guard::kAny);
    if (!u.ok()) return u.status();
    store::SetLoginState(tx, id, 0, 0, u->last_login_at);
    out = *store::FindUserById(tx, id);
    return AppendAudit(tx, MakeAudit(actor, now, "user.unlock", "user", std::to_string(id)));
  });
  if (!s.ok()) return s;
  return out;
}

Result<User> AuthService::EnsureAdmin(const Actor& system, int64_t unit_id,
                                      const std::string& password) {
  TIAODU_RETURN_IF_ERROR(CheckPasswordComplexity(password, policy_, "admin"));
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  const int64_t now = clock_.NowMillis();
  User out;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto existing = store::FindUserByUsername(tx, "admin");
    if (existing) {
      User u = *existing;
      u.password_hash = *hash;
      u.password_changed_at = now;
      u.must_change_password = false;
      u.disabled = false;
      u.updated_at = now;
      if (!store::UpdateUser(tx, u)) return StaleVersion();
      store::SetLoginState(tx, u.id, 0, 0, u.last_login_at);
      out = *store::FindUserById(tx, u.id);
      return AppendAudit(tx, MakeAudit(system, now, "user.reset_password", "user",
                                       std::to_string(u.id)));
    }
    User u;
    u.username = "admin";
    u.display_name = "系统管理员";
    u.role = "sys_admin";
    u.unit_id = unit_id;
    u.password_hash = *hash;
    u.password_changed_at = now;
    u.created_at = u.updated_at = now;
    u.id = store::InsertUser(tx, u);
    out = *store::FindUserById(tx, u.id);
    return AppendAudit(tx, MakeAudit(system, now, "user.create", "user", std::to_string(u.id), {},
                                     UserSnapshot(out)));
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::pair<User, bool>> AuthService::EnsureUser(const Actor& system, const NewUser& n) {
  std::optional<User> existing;
  Status r = db_.Read([&](db::Tx& tx) {
    existing = store::FindUserByUsername(tx, n.username);
    return Status::Ok();
  });
  if (!r.ok()) return r;
  if (existing) return std::make_pair(*existing, false);
  auto u = CreateUser(system, n);
  if (!u.ok()) return u.status();
  return std::make_pair(*u, true);
}

// ---------------------------------------------------------------------------------------
// Spreadsheets: import, export, template (the layout: auth/sheets.h)

namespace {

constexpr size_t kMaxImportRows = 20000;
constexpr int kMaxExportRows = 200000;

// One row of an import sheet as typed.
struct UserRow {
  const io::Row* row = nullptr;
  std::string username, name, role, unit;
  std::optional<bool> disabled;  // nullopt: blank, or no 状态 column
  bool bad = false;
};

}  // namespace

Result<UserImportResult> AuthService::Import(const Actor& actor, const io::Table& table, bool dry_run) {
  const bool may_write = Need(actor, "user.write").ok(), may_role = Need(actor, "user.role").ok();
  if (!may_write && !may_role) return PermissionDenied();
  struct {
    int username, name, role, unit, status;
  } c{table.Column({header::kUsername, "username"}), table.Column({header::kName, "display_name"}),
      table.Column({header::kRole, "role"}), table.Column({header::kUnit, "单位代码", "单位编码", "unit", "unit_code"}),
      table.Column({header::kStatus, "status"})};
  std::vector<Detail> bad;
  for (const auto& [col, name] : {std::pair{c.username, header::kUsername}, std::pair{c.name, header::kName},
                                  std::pair{c.role, header::kRole}, std::pair{c.unit, header::kUnit}})
    if (col < 0) bad.push_back({"第1行（表头）", std::string("缺少“") + name + "”列"});
  for (size_t k = 0; k < table.header.size(); ++k) {
    const std::string h = table.header[k];
    if (h.find("密码") != std::string::npos || h.find("口令") != std::string::npos || h == "password")
      bad.push_back({"第1行 " + io::ColumnLetter(static_cast<int>(k)) + "列（表头）",
                     "导入不接受密码列（“" + h + "”）：请删除此列，新用户的密码由系统管理员重置"});
  }
  if (!bad.empty()) return InvalidArgument("导入失败：表头有误，未写入任何数据", bad);
  if (table.rows.empty()) return InvalidArgument("导入失败：文件中没有数据行");
  if (table.rows.size() > kMaxImportRows)
    return InvalidArgument("导入失败：一次最多导入 " + std::to_string(kMaxImportRows) + " 个用户");

  std::map<std::pair<int, int>, Detail> errors;  // one per cell, in the order of rows and columns
  auto fail = [&](UserRow& r, int col, const char* name, std::string reason) {
    r.bad = true;
    errors.try_emplace({r.row->line, col},
                       Detail{"第" + std::to_string(r.row->line) + "行 " + io::ColumnLetter(col) + "列（" + name + "）",
                              std::move(reason)});
  };
  auto text = [](const io::Row& row, int col) { return col < 0 ? std::string() : io::Table::Cell(row, col); };

  // 1. Every cell as typed.
  std::vector<UserRow> rows(table.rows.size());
  std::map<std::string, int> first_line;
  for (size_t k = 0; k < rows.size(); ++k) {
    UserRow& r = rows[k];
    r.row = &table.rows[k];
    r.username = text(*r.row, c.username);
    r.name = text(*r.row, c.name);
    r.unit = text(*r.row, c.unit);
    const std::string role = text(*r.row, c.role), status = text(*r.row, c.status);
    if (r.username.empty()) fail(r, c.username, header::kUsername, "必填");
    else if (Status s = CheckUsername(r.username); !s.ok()) fail(r, c.username, header::kUsername, s.details()[0].reason);
    else if (auto [it, fresh] = first_line.emplace(r.username, r.row->line); !fresh)
      fail(r, c.username, header::kUsername, "与第" + std::to_string(it->second) + "行的用户名重复：" + r.username);
    bool control = false;
    for (unsigned char ch : r.name) control |= ch < 0x20 || ch == 0x7f;
    if (r.name.empty()) fail(r, c.name, header::kName, "必填");
    else if (r.name.size() > 100) fail(r, c.name, header::kName, "过长（最多100字节，约33个汉字）");
    else if (control) fail(r, c.name, header::kName, "含有控制字符或换行");
    r.role = RoleFromSheet(role);
    if (role.empty()) fail(r, c.role, header::kRole, "必填");
    else if (r.role.empty()) fail(r, c.role, header::kRole, "未知角色：“" + role + "”（请从下拉列表选择）");
    if (r.unit.empty()) fail(r, c.unit, header::kUnit, "必填");
    if (!status.empty()) {
      r.disabled = DisabledFromSheet(status);
      if (!r.disabled) fail(r, c.status, header::kStatus, "应为 启用 或 停用，现为“" + status + "”");
    }
  }

  // 2. In one transaction, row by row, with the checks and audit records of the single calls.
  const int64_t now = clock_.NowMillis();
  UserImportResult result;
  result.rows = static_cast<int>(rows.size());
  bool reached_end = false;
  std::string unknown_hash;  // of a random password nobody learns (one per import)
  auto work = [&](db::Tx& tx) -> Status {
    // A refusal of a use case on the cell it concerns; a database failure ends the import.
    auto refuse = [&](UserRow& r, const Status& s, int col, const char* name) -> Status {
      if (s.code() == Code::kInternal || s.code() == Code::kUnavailable) return s;
      fail(r, col, name, s.details().empty() ? s.message() : s.details()[0].reason);
      return Status::Ok();
    };
    // The unit a row names, if it may hold the row's user (else the row is refused on it).
    auto unit_of = [&](UserRow& r) -> std::optional<store::UnitRef> {
      auto unit = store::FindUnitByCode(tx, r.unit);
      if (!unit || unit->archived) fail(r, c.unit, header::kUnit, "所属单位不存在或已撤销：" + r.unit);
      else if (!actor.InScope(unit->path)) fail(r, c.unit, header::kUnit, "所属单位不在您的管理范围内：" + r.unit);
      else return unit;
      return std::nullopt;
    };
    for (UserRow& r : rows) {
      if (r.bad) continue;
      User u;
      auto existing = store::FindUserByUsername(tx, r.username);
      if (!existing) {
        if (!may_write) {
          fail(r, c.username, header::kUsername, "新建用户须由系统管理员导入（需要 user.write 权限）");
          continue;
        }
        if (!actor.system && !MayCreateWithRole(actor.role, r.role)) {
          fail(r, c.role, header::kRole, "系统管理员不能创建管理员角色的用户（三员分立），管理员角色由安全管理员授予");
          continue;
        }
        auto unit = unit_of(r);
        if (!unit) continue;
        if (unknown_hash.empty()) {
          auto h = HashPassword(RandomHex(32));
          if (!h.ok()) return h.status();
          unknown_hash = *h;
        }
        NewUser n{r.username, r.name, r.role, unit->id, ""};
        if (Status s = CreateUserIn(tx, actor, n, unknown_hash, r.disabled.value_or(false), now, &u); !s.ok()) {
          TIAODU_RETURN_IF_ERROR(refuse(r, s, c.username, header::kUsername));
          continue;
        }
        // Nobody knows the password: an admin resets it before the first login.
        u.must_change_password = true;
        result.inserted++;
        continue;
      }
      u = *existing;
      if (!actor.InScope(u.unit_path)) {
        fail(r, c.username, header::kUsername, "该用户不在您的管理范围内，不能修改：" + r.username);
        continue;
      }
      bool changed = false;
      const bool unit_changed = r.unit != u.unit_code;
      if (unit_changed || r.name != u.display_name) {
        const int col = unit_changed ? c.unit : c.name;
        const char* name = unit_changed ? header::kUnit : header::kName;
        if (!may_write) {
          fail(r, col, name, "修改姓名或所属单位须由系统管理员导入（需要 user.write 权限）");
          continue;
        }
        UserPatch p;
        p.display_name = r.name;
        if (unit_changed) {
          auto unit = unit_of(r);
          if (!unit) continue;
          p.unit_id = unit->id;
        }
        if (Status s = UpdateUserIn(tx, actor, u.id, p, std::nullopt, now, &u); !s.ok()) {
          TIAODU_RETURN_IF_ERROR(refuse(r, s, col, name));
          continue;
        }
        changed = true;
      }
      if (r.role != u.role) {
        if (!may_role) {
          fail(r, c.role, header::kRole, "修改角色须由安全管理员导入（需要 user.role 权限，三员分立）");
          continue;
        }
        if (Status s = SetRoleIn(tx, actor, u.id, r.role, std::nullopt, now, &u); !s.ok()) {
          TIAODU_RETURN_IF_ERROR(refuse(r, s, c.role, header::kRole));
          continue;
        }
        changed = true;
      }
      if (r.disabled && *r.disabled != u.disabled) {
        if (!may_write) {
          fail(r, c.status, header::kStatus, "启用或停用用户须由系统管理员导入（需要 user.write 权限）");
          continue;
        }
        if (Status s = SetDisabledIn(tx, actor, u.id, *r.disabled, std::nullopt, now, &u); !s.ok()) {
          TIAODU_RETURN_IF_ERROR(refuse(r, s, c.status, header::kStatus));
          continue;
        }
        changed = true;
      }
      (changed ? result.updated : result.unchanged)++;
    }
    if (!errors.empty()) {
      for (auto& [at, d] : errors) bad.push_back(std::move(d));
      return InvalidArgument("导入失败：共 " + std::to_string(bad.size()) + " 处错误，未写入任何数据", bad);
    }
    if (result.inserted || result.updated)
      TIAODU_RETURN_IF_ERROR(AppendAudit(tx, MakeAudit(actor, now, "user.import", "user", "*", {},
                                                       JsonText()
                                                           .Add("rows", result.rows)
                                                           .Add("inserted", result.inserted)
                                                           .Add("updated", result.updated)
                                                           .Add("unchanged", result.unchanged)
                                                           .Build())));
    reached_end = true;
    // A dry run does all of it and rolls back.
    return dry_run ? Status(Code::kFailedPrecondition, "dry run") : Status::Ok();
  };
  Status s = db_.Write(work);
  if (dry_run && reached_end) return result;
  if (!s.ok()) return s;
  return result;
}

Result<io::Sheet> AuthService::ExportSheet(const Actor& actor, UserQuery q) {
  TIAODU_RETURN_IF_ERROR(Need(actor, "user.read"));
  q.page = 1;
  q.page_size = kMaxExportRows;
  io::Sheet sheet;
  sheet.name = "用户";
  sheet.columns = UserColumns();
  const int64_t now = clock_.NowMillis();
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    for (const User& u : store::ListUsers(tx, actor.system ? "/" : actor.unit_path, q).items)
      sheet.rows.push_back(UserCells(u, now));
    return Status::Ok();
  }));
  return sheet;
}

Result<io::Sheet> AuthService::TemplateSheet(const Actor& actor) {
  if (!Need(actor, "user.write").ok() && !Need(actor, "user.role").ok()) return PermissionDenied();
  std::optional<store::UnitRef> top;  // the unit at the top of the actor's scope
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    if (!actor.system) top = store::FindUnit(tx, TopUnitOfScope(actor.unit_path));
    return Status::Ok();
  }));
  io::Sheet sheet;
  sheet.name = "用户";
  sheet.columns = UserColumns();
  std::vector<std::string> example = {"zhang_san", "张三", RoleForSheet("reporter"), top ? top->code : "411300",
                                      "启用", top ? top->name : ""};
  example.resize(sheet.columns.size());
  sheet.rows = {example};
  return sheet;
}

}  // namespace tiaodu::auth
