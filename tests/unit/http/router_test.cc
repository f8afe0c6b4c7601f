#include "http/router.h"

#include <gtest/gtest.h>

#include <string>

namespace tiaodu::http {
namespace {

Handler Named(std::string name) {
  return [name](RouteContext&) { return JsonResponse(200, "\"" + name + "\""); };
}

Route R(const char* method, const char* pattern) {
  return Route{method, pattern, Access::kPermission, "unit.read", "", Named(pattern)};
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.AddAll({
        R("GET", "/api/v1/units"),
        R("POST", "/api/v1/units"),
        R("GET", "/api/v1/units/tree"),
        R("GET", "/api/v1/units/{id}"),
        R("PATCH", "/api/v1/units/{id}"),
        R("POST", "/api/v1/units/{id}/move"),
        R("GET", "/api/v1/units/{unit}/users/{user}"),
    });
  }
  Router router_;
};

TEST_F(RouterTest, LiteralSegmentRegisteredFirstWinsOverAParameter) {
  Router::Match m = router_.Find("GET", "/api/v1/units/tree");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/units/tree");
  EXPECT_TRUE(m.params.empty());
}

TEST_F(RouterTest, LiteralSegmentWinsOverAParameterRegisteredBeforeIt) {
  Router r;
  r.AddAll({R("GET", "/api/v1/indicators/{id}"), R("GET", "/api/v1/indicators/board")});
  Router::Match m = r.Find("GET", "/api/v1/indicators/board");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/indicators/board");
  Router::Match id = r.Find("GET", "/api/v1/indicators/7");
  ASSERT_NE(id.route, nullptr);
  EXPECT_EQ(id.params.at("id"), "7");
}

TEST_F(RouterTest, ParameterSegmentMatchesAndIsExtracted) {
  Router::Match m = router_.Find("GET", "/api/v1/units/42");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/units/{id}");
  EXPECT_EQ(m.params.at("id"), "42");
}

TEST_F(RouterTest, ExtractsSeveralParameters) {
  Router::Match m = router_.Find("GET", "/api/v1/units/7/users/abc");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("unit"), "7");
  EXPECT_EQ(m.params.at("user"), "abc");
  EXPECT_EQ(m.params.size(), 2u);
}

TEST_F(RouterTest, SelectsTheRouteByMethod) {
  Router::Match post = router_.Find("POST", "/api/v1/units");
  ASSERT_NE(post.route, nullptr);
  EXPECT_EQ(post.route->method, "POST");
  Router::Match patch = router_.Find("PATCH", "/api/v1/units/3");
  ASSERT_NE(patch.route, nullptr);
  EXPECT_EQ(patch.route->method, "PATCH");
  Router::Match move = router_.Find("POST", "/api/v1/units/3/move");
  ASSERT_NE(move.route, nullptr);
  EXPECT_EQ(move.route->pattern, "/api/v1/units/{id}/move");
  EXPECT_EQ(move.params.at("id"), "3");
}

TEST_F(RouterTest, WrongMethodOnAKnownPathReportsPathMatched) {
  Router::Match m = router_.Find("DELETE", "/api/v1/units/3");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.path_matched);
  Router::Match put = router_.Find("PUT", "/api/v1/units");
  EXPECT_EQ(put.route, nullptr);
  EXPECT_TRUE(put.path_matched);
}

TEST_F(RouterTest, UnknownPathIsNeitherMatchedNorPathMatched) {
  Router::Match m = router_.Find("GET", "/api/v1/nothing");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_FALSE(m.path_matched);
}

TEST_F(RouterTest, HeadMatchesAGetRoute) {
  Router::Match m = router_.Find("HEAD", "/api/v1/units/5");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method, "GET");
  EXPECT_EQ(m.params.at("id"), "5");
}

TEST_F(RouterTest, HeadDoesNotMatchANonGetRoute) {
  Router::Match m = router_.Find("HEAD", "/api/v1/units/5/move");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.path_matched);
}

TEST_F(RouterTest, NoMatchForTrailingOrMissingSegments) {
  const char* paths[] = {
      "/api/v1/units/",         // empty parameter
      "/api/v1/units//move",    // empty parameter in the middle
      "/api/v1/units/3/",       // trailing slash
      "/api/v1/units/3x/move/", // trailing slash
      "/api/v1/units/3/movex",  // trailing garbage
      "/api/v1/units/3/move/1", // extra segment
      "/api/v1/unitsx",
      "/api/v1/unit",
      "/api/v1",
      "",
  };
  for (const char* p : paths) {
    Router::Match m = router_.Find("GET", p);
    EXPECT_EQ(m.route, nullptr) << p << " matched " << m.route->pattern;
    Router::Match post = router_.Find("POST", p);
    EXPECT_EQ(post.route, nullptr) << p << " matched " << post.route->pattern;
  }
}

TEST_F(RouterTest, ParameterDoesNotSpanSlashes) {
  Router::Match m = router_.Find("GET", "/api/v1/units/1/2");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_FALSE(m.path_matched);
}

TEST(RouterOrderTest, RoutesAreKeptInRegistrationOrder) {
  Router r;
  r.Add(R("GET", "/a"));
  r.AddAll({R("GET", "/b"), R("POST", "/c")});
  ASSERT_EQ(r.routes().size(), 3u);
  EXPECT_EQ(r.routes()[0].pattern, "/a");
  EXPECT_EQ(r.routes()[2].method, "POST");
}

Result<int64_t> IdOf(const std::string& value) {
  Request req;
  RouteContext ctx{req, {{"id", value}}};
  return ctx.Id();
}

TEST(RouteContextTest, IdIsAPositiveDecimalInteger) {
  struct Case {
    const char* value;
    bool ok;
    int64_t id;
  } cases[] = {
      {"1", true, 1},
      {"42", true, 42},
      {"9223372036854775807", true, INT64_MAX},
      {"abc", false, 0},
      {"-1", false, 0},
      {"0", false, 0},
      {"1x", false, 0},
      {"x1", false, 0},
      {"", false, 0},
      {" 1", false, 0},
      {"1 ", false, 0},
      {"+1", false, 0},
      {"1.0", false, 0},
      {"0x10", false, 0},
      {"9223372036854775808", false, 0},  // overflows int64
  };
  for (const Case& c : cases) {
    Result<int64_t> id = IdOf(c.value);
    EXPECT_EQ(id.ok(), c.ok) << "'" << c.value << "'";
    if (c.ok && id.ok()) {
      EXPECT_EQ(*id, c.id) << c.value;
    }
    if (!c.ok && !id.ok()) {
      EXPECT_EQ(id.status().code(), Code::kInvalidArgument);
      ASSERT_EQ(id.status().details().size(), 1u);
      EXPECT_EQ(id.status().details()[0].field, "id");
    }
  }
}

TEST(RouteContextTest, MissingIdParameterIsInvalid) {
  Request req;
  RouteContext ctx{req, {{"id", "5"}}};
  EXPECT_FALSE(ctx.Id("unit").ok());
  EXPECT_EQ(ctx.Id("unit").status().details()[0].field, "unit");
  EXPECT_EQ(*ctx.Id("id"), 5);
}

TEST(RouteContextTest, PageIsClampedToOneAndAbove) {
  struct Case {
    const char* value;  // nullptr: absent
    int page;
  } cases[] = {
      {nullptr, 1}, {"1", 1}, {"7", 7}, {"0", 1}, {"-3", 1}, {"abc", 1}, {"2x", 1}, {"", 1},
      {"1000000", 1000000}, {"2000000", 1000000}, {"99999999999999", 1},
  };
  for (const Case& c : cases) {
    Request req;
    if (c.value) req.query["page"] = c.value;
    RouteContext ctx{req, {}};
    EXPECT_EQ(ctx.Page(), c.page) << (c.value ? c.value : "(absent)");
  }
}

TEST(RouteContextTest, PageSizeIsClampedToOneToFiveHundred) {
  struct Case {
    const char* value;
    int fallback;
    int size;
  } cases[] = {
      {nullptr, 50, 50}, {nullptr, 100, 100}, {nullptr, 1000, 500}, {"20", 50, 20},
      {"0", 50, 1},      {"-1", 50, 1},       {"500", 50, 500},     {"501", 50, 500},
      {"100000", 50, 500}, {"abc", 50, 50},   {"10abc", 50, 50},
  };
  for (const Case& c : cases) {
    Request req;
    if (c.value) req.query["page_size"] = c.value;
    RouteContext ctx{req, {}};
    EXPECT_EQ(ctx.PageSize(c.fallback), c.size)
        << (c.value ? c.value : "(absent)") << " fallback " << c.fallback;
  }
}

}  // namespace
}  // namespace tiaodu::http
