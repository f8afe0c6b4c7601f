// JsonText: builds small JSON objects as text (audit snapshots, simple answers) without
// pulling a JSON library into domain code. Escapes strings per RFC 8259. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tiaodu {

// Appends s to out as a quoted, escaped JSON string.
void AppendJsonString(std::string& out, std::string_view s);

class JsonText {
 public:
  JsonText& Add(std::string_view key, std::string_view value);
  JsonText& Add(std::string_view key, const char* value) { return Add(key, std::string_view(value)); }
  JsonText& Add(std::string_view key, int64_t value);
  JsonText& Add(std::string_view key, int value) { return Add(key, static_cast<int64_t>(value)); }
  JsonText& Add(std::string_view key, bool value);
  JsonText& Add(std::string_view key, const std::optional<int64_t>& value);
  // Adds already-serialized JSON (an object or array) under key.
  JsonText& AddRaw(std::string_view key, std::string_view json);
  std::string Build() const { return body_ + "}"; }

 private:
  void Key(std::string_view key);
  std::string body_ = "{";
};

}  // namespace tiaodu
