#include "base/json_text.h"

#include <cstdio>

namespace tiaodu {

void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

void JsonText::Key(std::string_view key) {
  if (body_.size() > 1) body_.push_back(',');
  AppendJsonString(body_, key);
  body_.push_back(':');
}

JsonText& JsonText::Add(std::string_view key, std::string_view value) {
  Key(key);
  AppendJsonString(body_, value);
  return *this;
}
JsonText& JsonText::Add(std::string_view key, int64_t value) {
  Key(key);
  body_ += std::to_string(value);
  return *this;
}
JsonText& JsonText::Add(std::string_view key, bool value) {
  Key(key);
  body_ += value ? "true" : "false";
  return *this;
}
JsonText& JsonText::Add(std::string_view key, const std::optional<int64_t>& value) {
  Key(key);
  body_ += value ? std::to_string(*value) : "null";
  return *this;
}
JsonText& JsonText::AddRaw(std::string_view key, std::string_view json) {
  Key(key);
  body_ += json;
  return *this;
}

}  // namespace tiaodu
