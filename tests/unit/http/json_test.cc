#include "http/json.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace tiaodu::http {
namespace {

// The detail recorded for field, or "" if none.
std::string ReasonFor(const JsonBody& b, const std::string& field) {
  const Status s = b.status();  // status() returns a value: keep it alive while iterating
  for (const Detail& d : s.details())
    if (d.field == field) return d.reason;
  return {};
}

bool HasChinese(const std::string& s) {
  // CJK Unified Ideographs are encoded in UTF-8 with a lead byte 0xE4..0xE9.
  for (unsigned char c : s)
    if (c >= 0xE4 && c <= 0xE9) return true;
  return false;
}

TEST(JsonBodyTest, RefusesBodiesThatAreNotOneJsonObject) {
  const char* bodies[] = {
      "",            // empty
      "{",           // truncated
      "{\"a\":}",    // malformed
      "{'a':1}",     // single quotes
      "{\"a\":1,}",  // trailing comma
      "[]",          // array
      "[{\"a\":1}]",
      "\"text\"",    // string
      "42",
      "null",
      "true",
      "{\"a\":1} {\"b\":2}",  // two documents
      "\xff\xfe{}",           // not UTF-8
      "{\"a\":\"\xc3\x28\"}", // invalid UTF-8 inside a string
  };
  for (const char* body : bodies) {
    JsonBody b(body);
    EXPECT_FALSE(b.ok()) << body;
    Status s = b.status();
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << body;
    EXPECT_TRUE(HasChinese(s.message())) << body << " -> " << s.message();
    // Getters on an unparsed body neither crash nor invent values.
    EXPECT_EQ(b.Str("a"), "");
    EXPECT_FALSE(b.Has("a"));
  }
}

TEST(JsonBodyTest, EmptyBodySaysTheBodyIsEmpty) {
  JsonBody b("");
  EXPECT_NE(b.status().message().find("为空"), std::string::npos) << b.status().message();
}

TEST(JsonBodyTest, ReadsWellFormedFields) {
  JsonBody b(R"({"name":"宛城区","n":-7,"on":true,"none":null,"version":3})");
  b.AllowOnly({"name", "n", "on", "none", "version"});
  EXPECT_EQ(b.Str("name"), "宛城区");
  EXPECT_EQ(b.Int("n"), -7);
  EXPECT_TRUE(b.Bool("on"));
  EXPECT_FALSE(b.Has("none"));
  EXPECT_EQ(b.OptStr("none"), std::nullopt);
  EXPECT_EQ(b.OptInt("absent"), std::nullopt);
  EXPECT_EQ(b.OptBool("absent"), std::nullopt);
  EXPECT_EQ(b.Version(), 3);
  EXPECT_TRUE(b.ok()) << b.status().message();
  EXPECT_TRUE(b.status().ok());
}

TEST(JsonBodyTest, AllowOnlyRefusesAndNamesEveryUnknownField) {
  JsonBody b(R"({"name":"x","role":"sys_admin","id":5})");
  b.AllowOnly({"name"});
  EXPECT_FALSE(b.ok());
  EXPECT_FALSE(ReasonFor(b, "role").empty());
  EXPECT_FALSE(ReasonFor(b, "id").empty());
  EXPECT_TRUE(ReasonFor(b, "name").empty());
  EXPECT_EQ(b.status().details().size(), 2u);
}

TEST(JsonBodyTest, AllowOnlyAcceptsASubsetOfTheAllowedFields) {
  JsonBody b(R"({"name":"x"})");
  b.AllowOnly({"name", "code", "kind"});
  EXPECT_TRUE(b.ok());
}

TEST(JsonBodyTest, MissingOrNullRequiredFieldsAreMarkedRequired) {
  JsonBody b(R"({"b":null})");
  EXPECT_EQ(b.Str("a"), "");
  EXPECT_EQ(b.Str("b"), "");
  EXPECT_EQ(b.Int("c"), 0);
  EXPECT_FALSE(b.Bool("d"));
  EXPECT_FALSE(b.ok());
  for (const char* f : {"a", "b", "c", "d"}) EXPECT_EQ(ReasonFor(b, f), "必填") << f;
  EXPECT_EQ(b.status().code(), Code::kInvalidArgument);
}

TEST(JsonBodyTest, OptionalFieldsMayBeAbsent) {
  JsonBody b("{}");
  EXPECT_EQ(b.OptStr("a"), std::nullopt);
  EXPECT_EQ(b.OptInt("b"), std::nullopt);
  EXPECT_EQ(b.OptBool("c"), std::nullopt);
  EXPECT_TRUE(b.ok());
}

TEST(JsonBodyTest, WrongTypesAreRecordedWithTheirField) {
  struct Case {
    const char* body;
    const char* kind;  // which getter reads field "f"
  } cases[] = {
      {R"({"f":1})", "str"},       {R"({"f":true})", "str"},   {R"({"f":["a"]})", "str"},
      {R"({"f":{}})", "str"},      {R"({"f":"1"})", "int"},    {R"({"f":1.5})", "int"},
      {R"({"f":true})", "int"},    {R"({"f":1e3})", "int"},    {R"({"f":18446744073709551615})", "int"},
      {R"({"f":"true"})", "bool"}, {R"({"f":1})", "bool"},     {R"({"f":0})", "bool"},
  };
  for (const Case& c : cases) {
    JsonBody b(c.body);
    std::string kind = c.kind;
    if (kind == "str") (void)b.OptStr("f");
    if (kind == "int") (void)b.OptInt("f");
    if (kind == "bool") (void)b.OptBool("f");
    EXPECT_FALSE(b.ok()) << c.body << " as " << kind;
    ASSERT_EQ(b.status().details().size(), 1u) << c.body;
    EXPECT_EQ(b.status().details()[0].field, "f") << c.body;
    EXPECT_TRUE(HasChinese(b.status().details()[0].reason)) << c.body;
  }
}

TEST(JsonBodyTest, IntAcceptsTheWholeInt64Range) {
  JsonBody b(R"({"lo":-9223372036854775808,"hi":9223372036854775807})");
  EXPECT_EQ(b.Int("lo"), INT64_MIN);
  EXPECT_EQ(b.Int("hi"), INT64_MAX);
  EXPECT_TRUE(b.ok());
}

TEST(JsonBodyTest, VersionIsAnIntegerFromOneTo2Pow31Minus1) {
  struct Case {
    const char* body;
    bool ok;
    int value;
  } cases[] = {
      {R"({"version":1})", true, 1},
      {R"({"version":2147483647})", true, 2147483647},
      {R"({"version":0})", false, 0},
      {R"({"version":-1})", false, 0},
      {R"({"version":-2147483648})", false, 0},
      {R"({"version":2147483648})", false, 0},
      {R"({"version":4294967297})", false, 0},  // 2^32+1 would wrap to 1 as an int
      {R"({"version":"1"})", false, 0},
      {R"({"version":"abc"})", false, 0},
      {R"({"version":1.0})", false, 0},
      {R"({"version":null})", false, 0},
      {R"({})", false, 0},
  };
  for (const Case& c : cases) {
    JsonBody b(c.body);
    int v = b.Version();
    EXPECT_EQ(b.ok(), c.ok) << c.body;
    if (c.ok) {
      EXPECT_EQ(v, c.value) << c.body;
    } else {
      EXPECT_FALSE(ReasonFor(b, "version").empty()) << c.body;
    }
  }
}

TEST(JsonBodyTest, VersionReadsTheNamedField) {
  JsonBody b(R"({"rev":7})");
  EXPECT_EQ(b.Version("rev"), 7);
  EXPECT_TRUE(b.ok());
}

TEST(JsonBodyTest, AnInvalidVersionIsNamedEvenWhenAnotherFieldAlsoFailed) {
  JsonBody b(R"({"version":0})");
  (void)b.Str("name");  // missing: recorded first
  (void)b.Version();
  EXPECT_EQ(ReasonFor(b, "name"), "必填");
  EXPECT_FALSE(ReasonFor(b, "version").empty())
      << "a version of 0 must be reported whatever the other fields hold";
}

TEST(JsonBodyTest, OptStrEnforcesMaxBytes) {
  JsonBody b(R"({"five":"abcde","six":"abcdef","zh":"南阳"})");
  EXPECT_EQ(b.OptStr("five", 5), "abcde");
  EXPECT_TRUE(b.ok());
  EXPECT_EQ(b.OptStr("six", 5), std::nullopt);
  EXPECT_FALSE(b.ok());
  EXPECT_FALSE(ReasonFor(b, "six").empty());
  // The limit counts bytes: two Chinese characters are six bytes.
  JsonBody c(R"({"zh":"南阳"})");
  EXPECT_EQ(c.OptStr("zh", 5), std::nullopt);
  EXPECT_FALSE(ReasonFor(c, "zh").empty());
  JsonBody d(R"({"zh":"南阳"})");
  EXPECT_EQ(d.OptStr("zh", 6), "南阳");
  EXPECT_TRUE(d.ok());
}

TEST(JsonBodyTest, StrEnforcesMaxBytesAndDefaultsToAThousand) {
  std::string long_value(1001, 'x');
  JsonBody b("{\"s\":\"" + long_value + "\",\"t\":\"" + std::string(1000, 'y') + "\"}");
  EXPECT_EQ(b.Str("s"), "");
  EXPECT_EQ(b.Str("t"), std::string(1000, 'y'));
  EXPECT_FALSE(ReasonFor(b, "s").empty());
  EXPECT_TRUE(ReasonFor(b, "t").empty());
}

TEST(JsonBodyTest, RefusesAnEscapedNulCharacterInAString) {
  JsonBody b(R"({"name":"a\u0000b"})");
  EXPECT_EQ(b.OptStr("name"), std::nullopt);
  EXPECT_FALSE(b.ok());
  EXPECT_FALSE(ReasonFor(b, "name").empty());
}

TEST(JsonBodyTest, FailRecordsAHandlersOwnProblem) {
  JsonBody b(R"({"code":"x"})");
  b.Fail("code", "编码无效");
  EXPECT_FALSE(b.ok());
  EXPECT_EQ(ReasonFor(b, "code"), "编码无效");
}

TEST(JsonBodyTest, RefusesDeepNestingWithoutCrashing) {
  for (const char* open : {"[", "{\"a\":"}) {
    std::string body;
    const int depth = 100000;
    body.reserve(depth * 6);
    for (int i = 0; i < depth; ++i) body += open;
    JsonBody b(body);  // must not overflow the stack
    EXPECT_FALSE(b.ok());
    EXPECT_EQ(b.status().code(), Code::kInvalidArgument);
    EXPECT_TRUE(HasChinese(b.status().message()));
  }
}

std::string Nested(int depth) {
  // {"a":[[...[1]...]]} with depth containers in total.
  std::string s = "{\"a\":";
  for (int i = 1; i < depth; ++i) s += "[";
  s += "1";
  for (int i = 1; i < depth; ++i) s += "]";
  return s + "}";
}

TEST(JsonBodyTest, DepthCapIsThirtyTwoLevels) {
  JsonBody at_cap(Nested(kMaxJsonDepth));
  EXPECT_TRUE(at_cap.ok()) << at_cap.status().message();
  EXPECT_TRUE(at_cap.Has("a"));
  JsonBody over(Nested(kMaxJsonDepth + 1));
  EXPECT_FALSE(over.ok());
  EXPECT_NE(over.status().message().find(std::to_string(kMaxJsonDepth)), std::string::npos)
      << over.status().message();
}

TEST(JsonBodyTest, BracketsInsideStringsDoNotCountAsNesting) {
  std::string brackets(500, '[');
  JsonBody b("{\"a\":\"\\\"" + brackets + "\"}");
  EXPECT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b.Str("a"), "\"" + brackets);
}

rapidjson::Document ParseValid(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.data(), text.size());
  EXPECT_FALSE(d.HasParseError()) << text;
  return d;
}

TEST(JsonWriterTest, SeparatesElementsWithCommasAtEveryLevel) {
  JsonWriter w;
  w.BeginObject()
      .Field("a", 1)
      .Field("b", "x")
      .Key("list").BeginArray().Int(1).Int(2).BeginObject().EndObject().BeginArray().EndArray().Null().EndArray()
      .Key("obj").BeginObject().Field("t", true).Field("f", false).EndObject()
      .Key("empty").BeginArray().EndArray()
      .Key("n").OptInt(std::nullopt)
      .Key("m").OptInt(int64_t{-5})
      .Key("raw").Raw(R"({"k":[1,2]})")
      .EndObject();
  EXPECT_EQ(w.str(),
            R"({"a":1,"b":"x","list":[1,2,{},[],null],"obj":{"t":true,"f":false},)"
            R"("empty":[],"n":null,"m":-5,"raw":{"k":[1,2]}})");
  rapidjson::Document d = ParseValid(w.str());
  ASSERT_TRUE(d.IsObject());
  EXPECT_EQ(d["list"].Size(), 5u);
  EXPECT_EQ(d["raw"]["k"][1].GetInt(), 2);
}

TEST(JsonWriterTest, TopLevelArrayOfObjects) {
  JsonWriter w;
  w.BeginArray();
  for (int i = 0; i < 3; ++i) w.BeginObject().Field("i", i).EndObject();
  w.EndArray();
  EXPECT_EQ(w.Take(), R"([{"i":0},{"i":1},{"i":2}])");
}

TEST(JsonWriterTest, EscapesQuotesBackslashesAndControlCharacters) {
  std::string nasty = "q\"b\\s/n\nr\rt\tb\bf\fz";
  nasty += '\0';
  nasty += "\x01\x1f\x7f end";
  JsonWriter w;
  w.BeginObject().Field("k\"ey\n", nasty).EndObject();
  rapidjson::Document d = ParseValid(w.str());
  ASSERT_TRUE(d.IsObject());
  ASSERT_TRUE(d.HasMember("k\"ey\n"));
  const auto& v = d["k\"ey\n"];
  EXPECT_EQ(std::string(v.GetString(), v.GetStringLength()), nasty);
  // No raw control character survives into the text.
  for (unsigned char c : w.str()) EXPECT_GE(c, 0x20) << w.str();
}

TEST(JsonWriterTest, ChinesePassesThroughUnescaped) {
  JsonWriter w;
  w.BeginObject().Field("名称", "南阳市宛城区").EndObject();
  EXPECT_EQ(w.str(), "{\"名称\":\"南阳市宛城区\"}");
  rapidjson::Document d = ParseValid(w.str());
  EXPECT_STREQ(d["名称"].GetString(), "南阳市宛城区");
}

TEST(JsonWriterTest, IntegersKeepTheirFullRange) {
  JsonWriter w;
  w.BeginArray().Int(INT64_MIN).Int(INT64_MAX).Int(0).EndArray();
  rapidjson::Document d = ParseValid(w.str());
  EXPECT_EQ(d[0].GetInt64(), INT64_MIN);
  EXPECT_EQ(d[1].GetInt64(), INT64_MAX);
}

TEST(IsValidJsonTest, TellsValidFromInvalidText) {
  EXPECT_TRUE(IsValidJson("{}"));
  EXPECT_TRUE(IsValidJson("[1,\"a\",null]"));
  EXPECT_TRUE(IsValidJson("\"s\""));
  EXPECT_FALSE(IsValidJson(""));
  EXPECT_FALSE(IsValidJson("{"));
  EXPECT_FALSE(IsValidJson("{\"a\":1}x"));
  EXPECT_FALSE(IsValidJson("],\"admin\":true,\"x\":["));
}

}  // namespace
}  // namespace tiaodu::http
