// HTTP endpoints of the auth domain: login/logout/me, roles, users, audit log.
#include "auth/routes.h"

#include <set>

#include "auth/audit.h"
#include "auth/crypto.h"
#include "auth/rules.h"
#include "auth/sheets.h"
#include "base/clock.h"
#include "base/period.h"
#include "http/json.h"
#include "http/sheets.h"

namespace tiaodu::auth {

using http::Access;
using http::ErrorResponse;
using http::JsonBody;
using http::JsonResponse;
using http::JsonWriter;
using http::Response;
using http::Route;
using http::RouteContext;

namespace {

void WriteUser(JsonWriter& w, const User& u, int64_t now) {
  const RoleInfo* role = FindRole(u.role);
  w.BeginObject()
      .Field("id", u.id)
      .Field("username", u.username)
      .Field("display_name", u.display_name)
      .Field("role", u.role)
      .Field("role_name", role ? role->name_zh : u.role.c_str())
      .Field("unit_id", u.unit_id)
      .Field("unit_code", u.unit_code)
      .Field("unit_name", u.unit_name)
      .Field("disabled", u.disabled)
      .Field("locked", u.locked_until > now)
      .Field("must_change_password", u.must_change_password);
  w.Key("last_login_at");
  if (u.last_login_at) w.String(FormatIsoUtc(u.last_login_at)); else w.Null();
  w.Field("created_at", FormatIsoUtc(u.created_at)).Field("version", u.version).EndObject();
}

Response UserResponse(const Result<User>& u, const Clock& clock, int status = 200) {
  if (!u.ok()) return ErrorResponse(u.status());
  JsonWriter w;
  WriteUser(w, *u, clock.NowMillis());
  return JsonResponse(status, w.Take());
}

// ---- Export of the audit log (`?format=xlsx`); the user list's is AuthService::ExportSheet ----

io::Sheet AuditSheet() {
  using io::CellKind;
  return http::ListSheet("审计日志", {{"序号", CellKind::kInteger, 10},
                                      {"时间", CellKind::kText, 20},
                                      {"用户名", CellKind::kText, 16},
                                      {"角色", CellKind::kText, 14},
                                      {"单位编号", CellKind::kInteger, 10},
                                      {"地址", CellKind::kText, 16},
                                      {"事件", CellKind::kText, 22},
                                      {"对象类型", CellKind::kText, 14},
                                      {"对象编号", CellKind::kText, 12},
                                      {"结果", CellKind::kText, 8},
                                      {"变更前", CellKind::kText, 50},
                                      {"变更后", CellKind::kText, 50}});
}

void AddAudit(std::vector<std::vector<std::string>>& rows, const AuditEntry& e) {
  const RoleInfo* role = FindRole(e.role);
  rows.push_back({std::to_string(e.seq), http::SheetTime(e.at, /*seconds=*/true), e.username,
                  role ? role->name_zh : e.role, e.unit_id ? std::to_string(*e.unit_id) : "", e.ip,
                  e.event, e.object_type, e.object_id,
                  e.outcome == "success"   ? "成功"
                  : e.outcome == "failure" ? "失败"
                                           : e.outcome,
                  e.before_json, e.after_json});
}

std::string SessionCookie(const std::string& token, int64_t max_age_seconds, bool secure) {
  std::string c = "tiaodu_session=" + token + "; Path=/; HttpOnly; SameSite=Strict";
  c += "; Max-Age=" + std::to_string(max_age_seconds);
  if (secure) c += "; Secure";
  return c;
}

}  // namespace

std::vector<Route> AuthRoutes(AuthService& auth, db::Database& db, const Clock& clock,
                              bool secure_cookies) {
  std::vector<Route> r;

  r.push_back({"POST", "/api/v1/auth/login", Access::kPublic, "", "", [&auth, &clock, secure_cookies](RouteContext& c) {
    JsonBody b(c.req.body);
    b.AllowOnly({"username", "password"});
    std::string username = b.Str("username", 64);
    std::string password = b.Str("password", 256);
    if (!b.ok()) return ErrorResponse(b.status());
    auto login = auth.Login(username, password, c.req.remote_ip);
    if (!login.ok()) return ErrorResponse(login.status());
    JsonWriter w;
    w.BeginObject().Field("csrf_token", login->csrf_token).Key("user");
    WriteUser(w, login->user, clock.NowMillis());
    w.EndObject();
    Response resp = JsonResponse(200, w.Take());
    resp.SetHeader("Set-Cookie", SessionCookie(login->token,
                                               auth.policy().absolute_session_millis / 1000,
                                               secure_cookies));
    return resp;
  }});

  r.push_back({"POST", "/api/v1/auth/logout", Access::kSession, "", "", [&auth, secure_cookies](RouteContext& c) {
    Status s = auth.Logout(Authenticated{*c.actor, *c.session});
    if (!s.ok()) return ErrorResponse(s);
    Response resp = JsonResponse(200, "{}");
    resp.SetHeader("Set-Cookie", SessionCookie("", 0, secure_cookies));
    return resp;
  }});

  r.push_back({"GET", "/api/v1/auth/me", Access::kSession, "", "", [&auth, &clock](RouteContext& c) {
    auto u = auth.Me(*c.actor);
    if (!u.ok()) return ErrorResponse(u.status());
    JsonWriter w;
    w.BeginObject().Key("user");
    WriteUser(w, *u, clock.NowMillis());
    w.Key("permissions").BeginArray();
    for (const std::string& p : PermissionsOf(u->role)) w.String(p);
    w.EndArray().Field("csrf_token", c.session->csrf_token).EndObject();
    return JsonResponse(200, w.Take());
  }});

  r.push_back({"POST", "/api/v1/auth/password", Access::kSession, "", "", [&auth](RouteContext& c) {
    JsonBody b(c.req.body);
    b.AllowOnly({"old_password", "new_password"});
    std::string old_pw = b.Str("old_password", 256), new_pw = b.Str("new_password", 256);
    if (!b.ok()) return ErrorResponse(b.status());
    Status s = auth.ChangePassword(Authenticated{*c.actor, *c.session}, old_pw, new_pw);
    if (!s.ok()) return ErrorResponse(s);
    return JsonResponse(200, "{}");
  }});

  r.push_back({"GET", "/api/v1/roles", Access::kSession, "", "", [](RouteContext&) {
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const RoleInfo& role : Roles()) {
      w.BeginObject()
          .Field("code", role.code)
          .Field("name", role.name_zh)
          .Field("name_en", role.name_en)
          .Field("admin", role.admin)
          .Key("permissions")
          .BeginArray();
      for (const char* p : role.permissions) w.String(p);
      w.EndArray().EndObject();
    }
    w.EndArray().EndObject();
    return JsonResponse(200, w.Take());
  }});

  r.push_back({"GET", "/api/v1/users", Access::kPermission, "user.read", "", [&auth, &clock](RouteContext& c) {
    UserQuery q;
    q.q = c.req.Query("q");
    q.role = c.req.Query("role");
    std::string unit = c.req.Query("unit_id");
    if (!unit.empty()) {
      try {
        q.unit_id = std::stoll(unit);
      } catch (...) {
        return ErrorResponse(InvalidArgument("unit_id 应为整数", {{"unit_id", "应为整数"}}));
      }
    }
    if (http::WantsXlsx(c.req)) {
      // The whole filtered list in the import layout (auth/sheets.h; no password fields).
      auto sheet = auth.ExportSheet(*c.actor, q);
      if (!sheet.ok()) return ErrorResponse(sheet.status());
      return http::SheetResponse(std::move(*sheet), "用户");
    }
    q.page = c.Page();
    q.page_size = c.PageSize();
    auto page = auth.ListUsers(*c.actor, q);
    if (!page.ok()) return ErrorResponse(page.status());
    JsonWriter w;
    int64_t now = clock.NowMillis();
    w.BeginObject().Key("items").BeginArray();
    for (const User& u : page->items) WriteUser(w, u, now);
    w.EndArray().Field("total", page->total).Field("page", page->page)
        .Field("page_size", page->page_size).EndObject();
    return JsonResponse(200, w.Take());
  }});

  // Import from an uploaded file (.xlsx or CSV as the raw body; never passwords), all or
  // nothing; with annotate=1 a rejected upload comes back marked (422). The gate is user.read:
  // which rows pass depends on user.write and user.role, row by row (三员分立).
  r.push_back({"POST", "/api/v1/users/import/file", Access::kPermission, "user.read", "",
               [&auth](RouteContext& c) {
                 return http::ImportFile(c.req, "用户-错误标注", [&](const io::Table& t, bool dry) -> Result<http::ImportCounts> {
                   auto res = auth.Import(*c.actor, t, dry);
                   if (!res.ok()) return res.status();
                   return http::ImportCounts{res->rows, res->inserted, res->updated, res->unchanged};
                 });
               },
               /*raw_body=*/true});

  r.push_back({"GET", "/api/v1/users/import/template", Access::kPermission, "user.read", "", [&auth](RouteContext& c) {
    auto sheet = auth.TemplateSheet(*c.actor);
    if (!sheet.ok()) return ErrorResponse(sheet.status());
    io::WorkbookOptions options;
    options.title = "用户导入模板";
    options.instructions = UserInstructions();
    return http::XlsxResponse(io::WriteXlsx({*sheet}, options), "用户导入模板");
  }});

  r.push_back({"GET", "/api/v1/users/{id}", Access::kPermission, "user.read", "user", [&auth, &clock](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    return UserResponse(auth.GetUser(*c.actor, *id), clock);
  }});

  r.push_back({"POST", "/api/v1/users", Access::kPermission, "user.write", "", [&auth, &clock](RouteContext& c) {
    JsonBody b(c.req.body);
    b.AllowOnly({"username", "display_name", "role", "unit_id", "password"});
    NewUser n;
    n.username = b.Str("username", 64);
    n.display_name = b.Str("display_name", 100);
    n.role = b.Str("role", 64);
    n.unit_id = b.Int("unit_id");
    n.password = b.Str("password", 256);
    if (!b.ok()) return ErrorResponse(b.status());
    return UserResponse(auth.CreateUser(*c.actor, n), clock, 201);
  }});

  r.push_back({"PUT", "/api/v1/users/{id}", Access::kPermission, "user.write", "user", [&auth, &clock](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"display_name", "unit_id", "version"});
    UserPatch p;
    p.display_name = b.OptStr("display_name", 100);
    p.unit_id = b.OptInt("unit_id");
    p.version = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    return UserResponse(auth.UpdateUser(*c.actor, *id, p), clock);
  }});

  for (bool disable : {true, false}) {
    r.push_back({"POST", disable ? "/api/v1/users/{id}/disable" : "/api/v1/users/{id}/enable",
                 Access::kPermission, "user.write", "user", [&auth, &clock, disable](RouteContext& c) {
      auto id = c.Id();
      if (!id.ok()) return ErrorResponse(id.status());
      JsonBody b(c.req.body);
      b.AllowOnly({"version"});
      int version = b.Version();
      if (!b.ok()) return ErrorResponse(b.status());
      return UserResponse(auth.SetDisabled(*c.actor, *id, disable, version), clock);
    }});
  }

  r.push_back({"POST", "/api/v1/users/{id}/reset-password", Access::kPermission, "user.write", "user", [&auth, &clock](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"password"});
    std::string pw = b.Str("password", 256);
    if (!b.ok()) return ErrorResponse(b.status());
    return UserResponse(auth.ResetPassword(*c.actor, *id, pw), clock);
  }});

  r.push_back({"POST", "/api/v1/users/{id}/role", Access::kPermission, "user.role", "user", [&auth, &clock](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"role", "version"});
    std::string role = b.Str("role", 64);
    int version = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    return UserResponse(auth.SetRole(*c.actor, *id, role, version), clock);
  }});

  r.push_back({"POST", "/api/v1/users/{id}/unlock", Access::kPermission, "user.unlock", "user", [&auth, &clock](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    JsonBody b(c.req.body.empty() ? std::string_view("{}") : std::string_view(c.req.body));
    b.AllowOnly({});
    if (!b.ok()) return ErrorResponse(b.status());
    return UserResponse(auth.Unlock(*c.actor, *id), clock);
  }});

  r.push_back({"GET", "/api/v1/audit", Access::kPermission, "audit.read", "", [&db](RouteContext& c) {
    AuditQuery q;
    q.username = c.req.Query("username");
    q.event = c.req.Query("event");
    q.object_type = c.req.Query("object_type");
    for (auto [name, target, end_of_day] :
         {std::tuple{"from", &q.from_millis, false}, std::tuple{"to", &q.to_millis, true}}) {
      std::string v = c.req.Query(name);
      if (v.empty()) continue;
      auto date = ParseIsoDate(v);
      if (!date.ok()) return ErrorResponse(InvalidArgument("日期格式应为 YYYY-MM-DD", {{name, date.status().message()}}));
      // Beijing-time day boundaries: "to" is inclusive of its whole day.
      int64_t days = DaysFromCivil(*date) + (end_of_day ? 1 : 0);
      *target = days * 86400000 - 8 * 3600000;
    }
    if (http::WantsXlsx(c.req)) {
      // Newest first: rows appended while the pages are read push older ones down a page, so
      // a row may come twice; it is written once.
      std::set<int64_t> seen;
      return http::ExportPages(AuditSheet(), "审计日志", [&](int page, int size) {
        q.page = page;
        q.page_size = size;
        return QueryAudit(db, q);
      }, [&](auto& rows, const AuditEntry& e) {
        if (seen.insert(e.id).second) AddAudit(rows, e);
      });
    }
    q.page = c.Page();
    q.page_size = c.PageSize();
    auto page = QueryAudit(db, q);
    if (!page.ok()) return ErrorResponse(page.status());
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const AuditEntry& e : page->items) {
      w.BeginObject()
          .Field("id", e.id)
          .Field("seq", e.seq)
          .Field("at", FormatIsoUtc(e.at))
          .Key("user_id").OptInt(e.user_id)
          .Field("username", e.username)
          .Field("role", e.role)
          .Key("unit_id").OptInt(e.unit_id)
          .Field("ip", e.ip)
          .Field("event", e.event)
          .Field("object_type", e.object_type)
          .Field("object_id", e.object_id)
          .Field("outcome", e.outcome);
      w.Key("before");
      if (!e.before_json.empty() && http::IsValidJson(e.before_json)) w.Raw(e.before_json); else w.Null();
      w.Key("after");
      if (!e.after_json.empty() && http::IsValidJson(e.after_json)) w.Raw(e.after_json); else w.Null();
      w.EndObject();
    }
    w.EndArray().Field("total", page->total).Field("page", page->page)
        .Field("page_size", page->page_size).EndObject();
    return JsonResponse(200, w.Take());
  }});

  r.push_back({"GET", "/api/v1/audit/verify", Access::kPermission, "audit.read", "", [&db](RouteContext&) {
    auto rep = VerifyAudit(db);
    if (!rep.ok()) return ErrorResponse(rep.status());
    JsonWriter w;
    w.BeginObject().Field("ok", rep->ok).Field("checked", rep->checked)
        .Key("first_bad_id").OptInt(rep->first_bad_id)
        .Field("reason", rep->reason).EndObject();
    return JsonResponse(200, w.Take());
  }});

  return r;
}

}  // namespace tiaodu::auth
