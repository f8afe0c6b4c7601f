#include "auth/service.h"

#include "auth/audit.h"
#include "auth/crypto.h"
#include "auth/store.h"
#include "base/json_text.h"

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

Result<User> AuthService::CreateUser(const Actor& actor, const NewUser& n) {
  TIAODU_RETURN_IF_ERROR(Need(actor, "user.write"));
  std::vector<Detail> bad;
  if (!CheckUsername(n.username).ok()) bad.push_back(CheckUsername(n.username).details()[0]);
  if (n.display_name.empty() || n.display_name.size() > 100)
    bad.push_back({"display_name", "姓名不能为空，且不超过100字节"});
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
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto unit = store::FindUnit(tx, n.unit_id);
    if (!unit || unit->archived) return InvalidArgument("所属单位不存在", {{"unit_id", "单位不存在或已撤销"}});
    if (!actor.InScope(unit->path)) return PermissionDenied("不能在本单位范围以外创建用户");
    if (store::FindUserByUsername(tx, n.username))
      return Conflict("用户名已存在: " + n.username);
    u.username = n.username;
    u.display_name = n.display_name;
    u.role = n.role;
    u.unit_id = n.unit_id;
    u.password_hash = *hash;
    u.must_change_password = !actor.system;  // an admin-set password is changed at first login
    u.password_changed_at = now;
    u.created_at = u.updated_at = now;
    u.id = store::InsertUser(tx, u);
    u = *store::FindUserById(tx, u.id);
    return AppendAudit(tx, MakeAudit(actor, now, "user.create", "user", std::to_string(u.id), {},
                                     UserSnapshot(u)));
  });
  if (!s.ok()) return s;
  return u;
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
}  // namespace

Result<User> AuthService::UpdateUser(const Actor& actor, int64_t id, const UserPatch& p) {
  TIAODU_RETURN_IF_ERROR(Need(actor, "user.write"));
  if (p.display_name && (p.display_name->empty() || p.display_name->size() > 100))
    return InvalidArgument("姓名有误", {{"display_name", "姓名不能为空，且不超过100字节"}});
  const int64_t now = clock_.NowMillis();
  User out;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto u = LoadForWrite(tx, actor, id, p.version);
    if (!u.ok()) return u.status();
    User before = *u;
    if (p.display_name) u->display_name = *p.display_name;
    if (p.unit_id) {
      auto unit = store::FindUnit(tx, *p.unit_id);
      if (!unit || unit->archived)
        return InvalidArgument("所属单位不存在", {{"unit_id", "单位不存在或已撤销"}});
      if (!actor.InScope(unit->path)) return PermissionDenied("不能把用户调到管理范围以外的单位");
      u->unit_id = *p.unit_id;
    }
    u->updated_at = now;
    if (!store::UpdateUser(tx, *u)) return StaleVersion();
    out = *store::FindUserById(tx, id);
    return AppendAudit(tx, MakeAudit(actor, now, "user.update", "user", std::to_string(id),
                                     UserSnapshot(before), UserSnapshot(out)));
  });
  if (!s.ok()) return s;
  return out;
}

Result<User> AuthService::SetDisabled(const Actor& actor, int64_t id, bool disabled,
                                      int version) {
  TIAODU_RETURN_IF_ERROR(Need(actor, "user.write"));
  if (id == actor.user_id) return FailedPrecondition("不能停用自己的账户");
  const int64_t now = clock_.NowMillis();
  User out;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto u = LoadForWrite(tx, actor, id, version);
    if (!u.ok()) return u.status();
    User before = *u;
    u->disabled = disabled;
    u->updated_at = now;
    if (!store::UpdateUser(tx, *u)) return StaleVersion();
    if (disabled) store::DeleteSessionsOfUser(tx, id);
    out = *store::FindUserById(tx, id);
    return AppendAudit(tx, MakeAudit(actor, now, disabled ? "user.disable" : "user.enable", "user",
                                     std::to_string(id), UserSnapshot(before), UserSnapshot(out)));
  });
  if (!s.ok()) return s;
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
  if (id == actor.user_id) return FailedPrecondition("不能修改自己的角色");
  const int64_t now = clock_.NowMillis();
  User out;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto u = LoadForWrite(tx, actor, id, version, Guard::kAny);
    if (!u.ok()) return u.status();
    User before = *u;
    u->role = role;
    u->updated_at = now;
    if (!store::UpdateUser(tx, *u)) return StaleVersion();
    store::DeleteSessionsOfUser(tx, id);  // new permissions take effect at next login
    out = *store::FindUserById(tx, id);
    return AppendAudit(tx, MakeAudit(actor, now, "user.role", "user", std::to_string(id),
                                     UserSnapshot(before), UserSnapshot(out)));
  });
  if (!s.ok()) return s;
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

}  // namespace tiaodu::auth
