#include "http/message.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <set>
#include <string>

namespace tiaodu::http {
namespace {

struct CodeCase {
  Code code;
  int http;
};

// Every enumerator of Code, in declaration order, with the status the API answers.
constexpr CodeCase kEveryCode[] = {
    {Code::kOk, 200},
    {Code::kInvalidArgument, 400},
    {Code::kUnauthenticated, 401},
    {Code::kPermissionDenied, 403},
    {Code::kNotFound, 404},
    {Code::kConflict, 409},
    {Code::kFailedPrecondition, 422},
    {Code::kLocked, 423},
    {Code::kPayloadTooLarge, 413},
    {Code::kUnsupportedMedia, 415},
    {Code::kUnavailable, 503},
    {Code::kInternal, 500},
};

TEST(HttpStatusForTest, TheTableListsEveryCodeExactlyOnce) {
  // kInternal is the last enumerator; a new code added after it must be added here too.
  constexpr int kCount = static_cast<int>(Code::kInternal) + 1;
  ASSERT_EQ(std::size(kEveryCode), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) EXPECT_EQ(static_cast<int>(kEveryCode[i].code), i);
}

TEST(HttpStatusForTest, MapsEveryCodeToItsStatus) {
  for (const CodeCase& c : kEveryCode) {
    EXPECT_EQ(HttpStatusFor(c.code), c.http) << CodeName(c.code);
  }
}

TEST(HttpStatusForTest, EveryCodeHasADistinctMachineName) {
  std::set<std::string> names;
  for (const CodeCase& c : kEveryCode) {
    std::string name = CodeName(c.code);
    EXPECT_FALSE(name.empty());
    EXPECT_TRUE(names.insert(name).second) << "duplicate name " << name;
  }
}

rapidjson::Document Parse(const std::string& body) {
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  EXPECT_FALSE(d.HasParseError()) << body;
  return d;
}

TEST(ErrorResponseTest, AnswersCodeMessageAndDetailsAsJson) {
  Status s = InvalidArgument("请求数据有误",
                             {{"name", "必填"}, {"uscc", "校验位错误 \"x\"\n"}});
  Response r = ErrorResponse(s);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type.rfind("application/json", 0), 0u);
  rapidjson::Document d = Parse(r.body);
  ASSERT_TRUE(d.IsObject());
  ASSERT_TRUE(d.HasMember("error"));
  const auto& e = d["error"];
  ASSERT_TRUE(e.IsObject());
  EXPECT_STREQ(e["code"].GetString(), CodeName(Code::kInvalidArgument));
  EXPECT_STREQ(e["message"].GetString(), "请求数据有误");
  ASSERT_TRUE(e["details"].IsArray());
  ASSERT_EQ(e["details"].Size(), 2u);
  EXPECT_STREQ(e["details"][0]["field"].GetString(), "name");
  EXPECT_STREQ(e["details"][0]["reason"].GetString(), "必填");
  EXPECT_STREQ(e["details"][1]["field"].GetString(), "uscc");
  EXPECT_STREQ(e["details"][1]["reason"].GetString(), "校验位错误 \"x\"\n");
}

TEST(ErrorResponseTest, EveryCodeGivesValidJsonWithItsStatus) {
  for (const CodeCase& c : kEveryCode) {
    if (c.code == Code::kOk) continue;
    Response r = ErrorResponse(Status(c.code, "消息", {{"f", "r"}}));
    EXPECT_EQ(r.status, c.http) << CodeName(c.code);
    rapidjson::Document d = Parse(r.body);
    ASSERT_TRUE(d.IsObject() && d.HasMember("error")) << r.body;
    EXPECT_STREQ(d["error"]["code"].GetString(), CodeName(c.code));
    EXPECT_TRUE(d["error"]["details"].IsArray());
  }
}

TEST(ErrorResponseTest, HidesDetailsOfInternalAndUnavailableErrors) {
  for (Code code : {Code::kInternal, Code::kUnavailable}) {
    Response r = ErrorResponse(Status(code, "服务器内部错误", {{"sql", "SELECT secret FROM t"}}));
    rapidjson::Document d = Parse(r.body);
    ASSERT_TRUE(d["error"]["details"].IsArray());
    EXPECT_EQ(d["error"]["details"].Size(), 0u) << CodeName(code);
    EXPECT_EQ(r.body.find("secret"), std::string::npos) << r.body;
  }
}

TEST(ErrorResponseTest, KeepsDetailsOfOtherErrors) {
  Response r = ErrorResponse(Status(Code::kConflict, "冲突", {{"code", "已存在"}}));
  rapidjson::Document d = Parse(r.body);
  EXPECT_EQ(d["error"]["details"].Size(), 1u);
}

struct TargetCase {
  const char* target;
  bool ok;
  const char* path;                                      // when ok
  std::map<std::string, std::string> query;              // when ok
};

TEST(ParseTargetTest, SplitsAndDecodesOrRefuses) {
  const TargetCase cases[] = {
      {"/", true, "/", {}},
      {"/api/v1/units", true, "/api/v1/units", {}},
      {"/a%20b", true, "/a b", {}},
      {"/%E5%8D%97%E9%98%B3", true, "/南阳", {}},
      {"/a+b", true, "/a+b", {}},  // '+' is a space only in the query
      {"/x?q=a+b", true, "/x", {{"q", "a b"}}},
      {"/x?q=a%2Bb", true, "/x", {{"q", "a+b"}}},
      {"/x?q=%E5%AE%9B&page=2", true, "/x", {{"q", "宛"}, {"page", "2"}}},
      {"/x?flag", true, "/x", {{"flag", ""}}},
      {"/x?a=1&&b=2&", true, "/x", {{"a", "1"}, {"b", "2"}}},
      {"/x?a=1&a=2", true, "/x", {{"a", "2"}}},
      {"/x?k%3D=v%26", true, "/x", {{"k=", "v&"}}},
      {"/x?", true, "/x", {}},
      {"/a%2fb", true, "/a/b", {}},
      {"/a%zz", false, "", {}},
      {"/a%", false, "", {}},
      {"/a%4", false, "", {}},
      {"/a%4g", false, "", {}},
      {"/x?q=%zz", false, "", {}},
      {"/x?q=%", false, "", {}},
      {"/x?q%=1", false, "", {}},
      {"", false, "", {}},
      {"api/v1/units", false, "", {}},
      {"?q=1", false, "", {}},
      {"http://evil.example/", false, "", {}},
      {"/a%00b", false, "", {}},
      {"%00/", false, "", {}},
  };
  for (const TargetCase& c : cases) {
    std::string path;
    std::map<std::string, std::string> query;
    bool ok = ParseTarget(c.target, path, query);
    EXPECT_EQ(ok, c.ok) << c.target;
    if (ok && c.ok) {
      EXPECT_EQ(path, c.path) << c.target;
      EXPECT_EQ(query, c.query) << c.target;
    }
  }
}

TEST(ParseTargetTest, RefusesAnEmbeddedNulByteInThePath) {
  std::string path;
  std::map<std::string, std::string> query;
  std::string target("/a\0b", 4);
  EXPECT_FALSE(ParseTarget(target, path, query));
}

TEST(RequestTest, CookiePicksTheNamedCookieAmongSeveral) {
  Request r;
  r.headers["cookie"] = "theme=dark; tiaodu_session=abc123;x_tiaodu_session=evil; lang=zh";
  EXPECT_EQ(r.Cookie("tiaodu_session"), "abc123");
  EXPECT_EQ(r.Cookie("theme"), "dark");
  EXPECT_EQ(r.Cookie("lang"), "zh");
  EXPECT_EQ(r.Cookie("x_tiaodu_session"), "evil");
  EXPECT_EQ(r.Cookie("session"), "");
  EXPECT_EQ(r.Cookie("missing"), "");
}

TEST(RequestTest, CookieDoesNotMatchANameThatIsOnlyAPrefixOrSuffix) {
  Request r;
  r.headers["cookie"] = "tiaodu_session_old=1; my_tiaodu_session=2";
  EXPECT_EQ(r.Cookie("tiaodu_session"), "");
}

TEST(RequestTest, CookieValueMayContainEqualsSigns) {
  Request r;
  r.headers["cookie"] = "a=1; t=abc==";
  EXPECT_EQ(r.Cookie("t"), "abc==");
}

TEST(RequestTest, NoCookieHeaderMeansNoCookie) {
  Request r;
  EXPECT_EQ(r.Cookie("tiaodu_session"), "");
}

TEST(RequestTest, HeaderAndQueryFallBackWhenAbsent) {
  Request r;
  r.headers["x-csrf-token"] = "t";
  r.query["page"] = "3";
  EXPECT_EQ(r.Header("x-csrf-token"), "t");
  EXPECT_EQ(r.Header("origin"), "");
  EXPECT_EQ(r.Query("page"), "3");
  EXPECT_EQ(r.Query("page_size", "50"), "50");
}

}  // namespace
}  // namespace tiaodu::http
