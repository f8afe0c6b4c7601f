#include "http/api.h"

#include <spdlog/spdlog.h>

#include "auth/rules.h"

namespace tiaodu::http {
namespace {

void AddSecurityHeaders(Response& r, bool api) {
  r.SetHeader("X-Content-Type-Options", "nosniff");
  r.SetHeader("X-Frame-Options", "DENY");
  r.SetHeader("Referrer-Policy", "same-origin");
  if (api) {
    r.SetHeader("Cache-Control", "no-store");
  } else {
    r.SetHeader("Content-Security-Policy",
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
                "frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
  }
}

bool IsSafeMethod(const std::string& m) { return m == "GET" || m == "HEAD"; }

}  // namespace

Response Api::Handle(const Request& req) const {
  const bool api = req.path.rfind("/api/", 0) == 0;
  Response r;
  if (api) {
    r = HandleApi(req);
  } else if (req.method != "GET" && req.method != "HEAD") {
    r = ErrorResponse(Status(Code::kNotFound, "页面不存在"));
    r.status = 405;
  } else if (files_) {
    r = files_->Serve(req);
  } else {
    r = ErrorResponse(NotFound("页面不存在"));
  }
  AddSecurityHeaders(r, api);
  return r;
}

namespace {
constexpr size_t kMaxJsonBody = 2 * 1024 * 1024;
}  // namespace

Response Api::HandleApi(const Request& req) const {
  Router::Match m = router_.Find(req.method, req.path);
  if (!m.route) {
    if (m.path_matched) {
      Response r = ErrorResponse(InvalidArgument("不支持的请求方法: " + req.method));
      r.status = 405;
      return r;
    }
    return ErrorResponse(NotFound("接口不存在: " + req.path));
  }
  const Route& route = *m.route;
  RouteContext ctx{req, std::move(m.params)};

  std::optional<auth::Authenticated> who;
  if (route.access != Access::kPublic) {
    auto a = auth_.Authenticate(req.Cookie("tiaodu_session"), req.remote_ip);
    if (!a.ok()) return ErrorResponse(a.status());
    who = std::move(*a);
    if (!IsSafeMethod(req.method)) {
      const std::string token = req.Header("x-csrf-token");
      if (token.empty() || token != who->session.csrf_token)
        return ErrorResponse(PermissionDenied("CSRF 校验失败，请刷新页面后重试"));
    }
    if (route.access == Access::kPermission &&
        !auth::HasPermission(who->actor.role, route.permission))
      return ErrorResponse(PermissionDenied("您的角色无权执行此操作"));
    ctx.actor = &who->actor;
    ctx.session = &who->session;
  } else if (!IsSafeMethod(req.method)) {
    // Public mutations (login) must come from our own pages: refuse cross-site origins.
    const std::string origin = req.Header("origin");
    const std::string host = req.Header("host");
    if (!origin.empty() && origin != "http://" + host && origin != "https://" + host)
      return ErrorResponse(PermissionDenied("跨站请求被拒绝"));
  }

  // JSON bodies stay within 2 MB; only upload routes (raw_body) take up to the server's limit.
  if (!route.raw_body && req.body.size() > kMaxJsonBody)
    return ErrorResponse(Status(Code::kPayloadTooLarge, "请求体过大"));
  if (!route.raw_body && !IsSafeMethod(req.method) && !req.body.empty()) {
    const std::string ct = req.Header("content-type");
    if (ct.rfind("application/json", 0) != 0)
      return ErrorResponse(Status(Code::kUnsupportedMedia, "请求体应为 application/json"));
  }

  try {
    Response r = route.handler(ctx);
    if (r.status >= 500) spdlog::warn("{} {} -> {}: {}", req.method, req.path, r.status, r.body);
    return r;
  } catch (const std::exception& e) {
    spdlog::error("{} {} threw: {}", req.method, req.path, e.what());
    return ErrorResponse(Internal("服务器内部错误"));
  }
}

}  // namespace tiaodu::http
