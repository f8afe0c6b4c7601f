// JSON in and out for route handlers, with RapidJSON kept inside json.cc.
//
// JsonBody reads a request body strictly: it must be one JSON object; each getter records a
// field-level Detail when a field is missing or of the wrong type, and AllowOnly() refuses
// unknown fields (no mass assignment). Check status() once after reading every field:
//   JsonBody b(req.body);
//   b.AllowOnly({"name", "version"});
//   std::string name = b.Str("name");
//   int version = b.Int("version");
//   if (!b.ok()) return ErrorResponse(b.status());
//
// JsonWriter builds a JSON document as text, streaming. Neither type is thread-safe.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/decimal.h"
#include "base/status.h"

namespace tiaodu::http {

inline constexpr int kMaxJsonDepth = 32;

class JsonBody {
 public:
  explicit JsonBody(std::string_view body);
  ~JsonBody();
  JsonBody(const JsonBody&) = delete;
  JsonBody& operator=(const JsonBody&) = delete;

  bool ok() const { return parse_error_.empty() && details_.empty(); }
  Status status() const;

  void AllowOnly(std::initializer_list<const char*> fields);
  bool Has(const char* name) const;  // present and not null

  std::string Str(const char* name, size_t max_bytes = 1000);  // required
  std::optional<std::string> OptStr(const char* name, size_t max_bytes = 1000);
  int64_t Int(const char* name);  // required
  std::optional<int64_t> OptInt(const char* name);
  bool Bool(const char* name);
  // The required optimistic-concurrency "version": an integer in 1..2^31-1.
  int Version(const char* name = "version");
  std::optional<bool> OptBool(const char* name);
  // 32-bit integers (years, counts, days): a larger number is refused, never cut down.
  std::optional<int> OptInt32(const char* name);
  int Int32(const char* name);  // required
  // A number as text, exactly as sent: a JSON string ("258.4") or number (258.4 → "258.4",
  // 15 significant digits). Absent or null → nullopt. Parse it with Decimal::Parse.
  std::optional<std::string> OptNumberText(const char* name);
  // Whether the field is present at all (null included): {"value": null} clears a value.
  bool Present(const char* name) const;
  // The elements of an array of objects, each read like a body of its own. Their problems
  // are recorded here, with the field named "values[2].value", so ok()/status() of this
  // body cover them. The elements borrow from this body: keep it alive while using them.
  std::vector<std::unique_ptr<JsonBody>> Objects(const char* name, size_t max_items = 1000);
  // An optional array of strings (absent or null → empty), each at most max_bytes.
  std::vector<std::string> OptStrings(const char* name, size_t max_bytes = 1000, size_t max_items = 1000);
  // An optional array of 32-bit integers (absent or null → empty).
  std::vector<int> OptInts32(const char* name, size_t max_items = 1000);
  // Records a problem found by the handler's own validation.
  void Fail(std::string field, std::string reason);

 private:
  struct Impl;
  JsonBody(const void* object, std::string prefix, JsonBody* parent);
  JsonBody* parent_ = nullptr;  // elements report their problems to their body
  int fails_ = 0;
  const void* Field(const char* name, bool required);
  std::unique_ptr<Impl> impl_;
  std::string parse_error_;
  std::vector<Detail> details_;
};

// Streaming JSON text writer: commas and nesting are handled for you.
class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view k);
  JsonWriter& String(std::string_view s);
  JsonWriter& Int(int64_t v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  JsonWriter& Raw(std::string_view json);  // an already-serialized value
  JsonWriter& OptInt(const std::optional<int64_t>& v) { return v ? Int(*v) : Null(); }
  // "key": "258.4" (an exact decimal as a string) or null.
  JsonWriter& OptDecimal(std::string_view k, const std::optional<Decimal>& d);
  // "key": "2024-06-30" or null.
  JsonWriter& OptDate(std::string_view k, const std::optional<CivilDate>& d);
  // "key": 3 or null.
  JsonWriter& OptInt(std::string_view k, const std::optional<int>& v);
  // Shorthands for "key": value.
  JsonWriter& Field(std::string_view k, std::string_view v) { return Key(k).String(v); }
  JsonWriter& Field(std::string_view k, const char* v) { return Key(k).String(v); }
  JsonWriter& Field(std::string_view k, const std::string& v) { return Key(k).String(v); }
  JsonWriter& Field(std::string_view k, int64_t v) { return Key(k).Int(v); }
  JsonWriter& Field(std::string_view k, int v) { return Key(k).Int(v); }
  JsonWriter& Field(std::string_view k, bool v) { return Key(k).Bool(v); }
  std::string Take() { return std::move(out_); }
  const std::string& str() const { return out_; }

 private:
  void Separate();
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

// Whether text parses as JSON (used to embed stored JSON safely).
bool IsValidJson(std::string_view text);

}  // namespace tiaodu::http
