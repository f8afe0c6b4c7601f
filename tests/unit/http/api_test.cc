#include "http/api.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <soci/soci.h>

#include <stdexcept>
#include <string>

#include "auth/crypto.h"
#include "auth/service.h"
#include "base/clock.h"
#include "db/database.h"

namespace tiaodu::http {
namespace {

constexpr const char* kPassword = "Good#pass1";

// The request pipeline in front of the router, driven without sockets over a real
// AuthService on SQLite :memory:.
class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(auth::InitCrypto());
    auto opened = db::Database::Open("sqlite::memory:");
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    db_ = std::move(*opened);
    ASSERT_TRUE(db::Migrate(*db_, clock_.NowMillis()).ok());
    ASSERT_TRUE(db_->Write([](db::Tx& tx) {
      tx.sql() << "INSERT INTO units (code, name, kind, path, created_at, updated_at) VALUES "
                  "('411300', '南阳市', 'city', '/1/', 0, 0)";
      return Status::Ok();
    }).ok());
    auth_ = std::make_unique<auth::AuthService>(*db_, clock_);
    auth::Actor system;
    system.system = true;
    system.username = "system";
    for (auto [name, role] : {std::pair{"alice", "statistician"}, std::pair{"audrey", "audit_admin"}}) {
      auto u = auth_->CreateUser(system, {name, name, role, 1, kPassword});
      ASSERT_TRUE(u.ok()) << u.status().message();
    }
    auto login = auth_->Login("alice", kPassword, "127.0.0.1");
    ASSERT_TRUE(login.ok()) << login.status().message();
    token_ = login->token;
    csrf_ = login->csrf_token;
    auto audit_login = auth_->Login("audrey", kPassword, "127.0.0.1");
    ASSERT_TRUE(audit_login.ok());
    audit_token_ = audit_login->token;

    auto record = [this](const char* name) {
      return [this, name](RouteContext& c) {
        ++calls_;
        last_user_ = c.actor ? c.actor->username : "-";
        last_params_ = c.params;
        return JsonResponse(200, std::string("{\"route\":\"") + name + "\"}");
      };
    };
    router_.AddAll({
        {"GET", "/api/v1/public", Access::kPublic, "", "", record("public")},
        {"POST", "/api/v1/login", Access::kPublic, "", "", record("login")},
        {"GET", "/api/v1/me", Access::kSession, "", "", record("me")},
        {"POST", "/api/v1/me/ping", Access::kSession, "", "", record("ping")},
        {"GET", "/api/v1/units/{id}", Access::kPermission, "unit.read", "unit", record("unit")},
        {"POST", "/api/v1/units/{id}/touch", Access::kPermission, "unit.read", "unit",
         record("touch")},
        {"GET", "/api/v1/boom", Access::kSession, "", "",
         [](RouteContext&) -> Response { throw std::runtime_error("secret failure text"); }},
    });
    api_ = std::make_unique<Api>(router_, *auth_, nullptr);
  }

  static Request Make(const std::string& method, const std::string& target) {
    Request r;
    r.method = method;
    r.target = target;
    EXPECT_TRUE(ParseTarget(target, r.path, r.query)) << target;
    r.remote_ip = "127.0.0.1";
    r.headers["host"] = "tiaodu.example";
    return r;
  }
  Request Authed(const std::string& method, const std::string& target) const {
    Request r = Make(method, target);
    r.headers["cookie"] = "theme=dark; tiaodu_session=" + token_;
    return r;
  }

  static std::string ErrorCode(const Response& r) {
    rapidjson::Document d;
    d.Parse(r.body.data(), r.body.size());
    if (d.HasParseError() || !d.IsObject() || !d.HasMember("error")) return "(not an error JSON)";
    return d["error"]["code"].GetString();
  }
  static std::string HeaderOf(const Response& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
      if (k == name) return v;
    return {};
  }

  FakeClock clock_{1790000000000};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<auth::AuthService> auth_;
  Router router_;
  std::unique_ptr<Api> api_;
  std::string token_, csrf_, audit_token_;
  int calls_ = 0;
  std::string last_user_;
  std::map<std::string, std::string> last_params_;
};

TEST_F(ApiTest, SessionRouteWithoutCookieIsUnauthenticated) {
  Response r = api_->Handle(Make("GET", "/api/v1/me"));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(ErrorCode(r), CodeName(Code::kUnauthenticated));
  EXPECT_EQ(calls_, 0);
}

TEST_F(ApiTest, ForgedOrStaleCookieIsUnauthenticated) {
  Request r = Make("GET", "/api/v1/units/1");
  r.headers["cookie"] = "tiaodu_session=" + std::string(64, 'a');
  EXPECT_EQ(api_->Handle(r).status, 401);
  r.headers["cookie"] = "tiaodu_session=" + token_ + "x";
  EXPECT_EQ(api_->Handle(r).status, 401);
  clock_.Advance(31 * 60 * 1000);  // idle timeout
  EXPECT_EQ(api_->Handle(Authed("GET", "/api/v1/units/1")).status, 401);
  EXPECT_EQ(calls_, 0);
}

TEST_F(ApiTest, ValidCookieGetReachesTheHandlerWithActorAndParams) {
  Response r = api_->Handle(Authed("GET", "/api/v1/units/7"));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "{\"route\":\"unit\"}");
  EXPECT_EQ(calls_, 1);
  EXPECT_EQ(last_user_, "alice");
  EXPECT_EQ(last_params_.at("id"), "7");
}

TEST_F(ApiTest, PublicRouteNeedsNoSession) {
  Response r = api_->Handle(Make("GET", "/api/v1/public"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(last_user_, "-");
}

TEST_F(ApiTest, PostWithoutCsrfTokenIsForbiddenAndTheHandlerIsNotCalled) {
  Request r = Authed("POST", "/api/v1/me/ping");
  Response resp = api_->Handle(r);
  EXPECT_EQ(resp.status, 403);
  EXPECT_EQ(ErrorCode(resp), CodeName(Code::kPermissionDenied));
  EXPECT_EQ(calls_, 0);
}

TEST_F(ApiTest, PostWithAWrongCsrfTokenIsForbidden) {
  Request r = Authed("POST", "/api/v1/me/ping");
  r.headers["x-csrf-token"] = csrf_ + "0";
  EXPECT_EQ(api_->Handle(r).status, 403);
  r.headers["x-csrf-token"] = token_;  // the session token is not the CSRF token
  EXPECT_EQ(api_->Handle(r).status, 403);
  EXPECT_EQ(calls_, 0);
}

TEST_F(ApiTest, PostWithTheRightCsrfTokenIsAccepted) {
  Request r = Authed("POST", "/api/v1/me/ping");
  r.headers["x-csrf-token"] = csrf_;
  r.headers["content-type"] = "application/json; charset=utf-8";
  r.body = "{}";
  Response resp = api_->Handle(r);
  EXPECT_EQ(resp.status, 200) << resp.body;
  EXPECT_EQ(calls_, 1);
}

TEST_F(ApiTest, PostWithABodyOfAnotherContentTypeIsUnsupported) {
  for (const char* ct : {"text/plain", "application/x-www-form-urlencoded", "",
                         "multipart/form-data; boundary=x", "text/json"}) {
    Request r = Authed("POST", "/api/v1/me/ping");
    r.headers["x-csrf-token"] = csrf_;
    if (*ct) r.headers["content-type"] = ct;
    r.body = "{}";
    Response resp = api_->Handle(r);
    EXPECT_EQ(resp.status, 415) << "content-type '" << ct << "'";
    EXPECT_EQ(ErrorCode(resp), CodeName(Code::kUnsupportedMedia));
  }
  EXPECT_EQ(calls_, 0);
}

TEST_F(ApiTest, PostWithoutABodyNeedsNoContentType) {
  Request r = Authed("POST", "/api/v1/me/ping");
  r.headers["x-csrf-token"] = csrf_;
  EXPECT_EQ(api_->Handle(r).status, 200);
}

TEST_F(ApiTest, RoleWithoutThePermissionIsForbidden) {
  Request r = Make("GET", "/api/v1/units/1");
  r.headers["cookie"] = "tiaodu_session=" + audit_token_;
  Response resp = api_->Handle(r);
  EXPECT_EQ(resp.status, 403);
  EXPECT_EQ(ErrorCode(resp), CodeName(Code::kPermissionDenied));
  EXPECT_EQ(calls_, 0);
  // The same user may use a route that needs only a session.
  Request me = Make("GET", "/api/v1/me");
  me.headers["cookie"] = "tiaodu_session=" + audit_token_;
  EXPECT_EQ(api_->Handle(me).status, 200);
  EXPECT_EQ(last_user_, "audrey");
}

TEST_F(ApiTest, UnknownApiPathIsA404InJson) {
  Response r = api_->Handle(Authed("GET", "/api/v1/nothing/here"));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorCode(r), CodeName(Code::kNotFound));
  EXPECT_EQ(r.content_type.rfind("application/json", 0), 0u);
  // Even without a session: the 404 does not depend on the caller.
  EXPECT_EQ(api_->Handle(Make("GET", "/api/v2/units")).status, 404);
}

TEST_F(ApiTest, KnownPathWithAnotherMethodIsA405) {
  Response r = api_->Handle(Authed("DELETE", "/api/v1/units/1"));
  EXPECT_EQ(r.status, 405);
  EXPECT_NE(ErrorCode(r), "(not an error JSON)");
  EXPECT_EQ(calls_, 0);
}

TEST_F(ApiTest, HeadIsServedByTheGetRouteWithoutCsrf) {
  Response r = api_->Handle(Authed("HEAD", "/api/v1/units/3"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(calls_, 1);
}

TEST_F(ApiTest, ApiAnswersCarryNoSniffAndNoStore) {
  for (const Response& r : {api_->Handle(Authed("GET", "/api/v1/me")),
                            api_->Handle(Make("GET", "/api/v1/me")),
                            api_->Handle(Make("GET", "/api/v1/nothing"))}) {
    EXPECT_EQ(HeaderOf(r, "X-Content-Type-Options"), "nosniff") << r.status;
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-store") << r.status;
    EXPECT_EQ(HeaderOf(r, "X-Frame-Options"), "DENY") << r.status;
  }
}

TEST_F(ApiTest, NonApiAnswersCarryAContentSecurityPolicy) {
  Response r = api_->Handle(Make("GET", "/units/1"));
  EXPECT_EQ(HeaderOf(r, "X-Content-Type-Options"), "nosniff");
  std::string csp = HeaderOf(r, "Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << csp;
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "");
}

TEST_F(ApiTest, NonApiPostIsNotAllowed) {
  Response r = api_->Handle(Make("POST", "/index.html"));
  EXPECT_EQ(r.status, 405);
}

TEST_F(ApiTest, PublicPostFromAForeignOriginIsForbidden) {
  Request r = Make("POST", "/api/v1/login");
  r.headers["content-type"] = "application/json";
  r.body = "{}";
  r.headers["origin"] = "https://evil.example";
  Response resp = api_->Handle(r);
  EXPECT_EQ(resp.status, 403);
  EXPECT_EQ(ErrorCode(resp), CodeName(Code::kPermissionDenied));
  // A look-alike origin that merely starts with our host is foreign too.
  r.headers["origin"] = "https://tiaodu.example.evil.example";
  EXPECT_EQ(api_->Handle(r).status, 403);
  EXPECT_EQ(calls_, 0);
}

TEST_F(ApiTest, PublicPostFromOurOwnOriginOrWithoutOriginIsAccepted) {
  Request r = Make("POST", "/api/v1/login");
  r.headers["content-type"] = "application/json";
  r.body = "{}";
  r.headers["origin"] = "https://tiaodu.example";
  EXPECT_EQ(api_->Handle(r).status, 200);
  r.headers["origin"] = "http://tiaodu.example";
  EXPECT_EQ(api_->Handle(r).status, 200);
  r.headers.erase("origin");
  EXPECT_EQ(api_->Handle(r).status, 200);
  EXPECT_EQ(calls_, 3);
}

TEST_F(ApiTest, HandlerThatThrowsGivesA500JsonWithoutItsMessage) {
  Response r = api_->Handle(Authed("GET", "/api/v1/boom"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(ErrorCode(r), CodeName(Code::kInternal));
  EXPECT_EQ(r.body.find("secret failure text"), std::string::npos) << r.body;
  // The pipeline keeps serving afterwards.
  EXPECT_EQ(api_->Handle(Authed("GET", "/api/v1/me")).status, 200);
}

}  // namespace
}  // namespace tiaodu::http
