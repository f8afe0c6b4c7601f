#include "http/json.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <cstdio>

#include "base/json_text.h"
#include "base/period.h"

namespace tiaodu::http {

struct JsonBody::Impl {
  rapidjson::Document doc;                // owned by the top-level body only
  const rapidjson::Value* obj = nullptr;  // the object read: &doc, or an array element
  std::string prefix;                     // "values[2]." for an element
};

JsonBody::JsonBody(std::string_view body) : impl_(std::make_unique<Impl>()) {
  if (body.empty()) {
    parse_error_ = "请求体为空，应为 JSON 对象";
    return;
  }
  // Iterative parsing: deep nesting cannot exhaust the stack; and a depth cap refuses it.
  int depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char ch : body) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (ch == '\\') escaped = true;
      else if (ch == '"') in_string = false;
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == '{' || ch == '[') {
      max_depth = std::max(max_depth, ++depth);
    } else if (ch == '}' || ch == ']') {
      --depth;
    }
  }
  if (max_depth > kMaxJsonDepth) {
    parse_error_ = "请求体嵌套层数过多（最多 " + std::to_string(kMaxJsonDepth) + " 层）";
    return;
  }
  impl_->doc.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(
      body.data(), body.size());
  if (impl_->doc.HasParseError() && impl_->doc.GetParseError() == rapidjson::kParseErrorStringInvalidEncoding) {
    parse_error_ = "请求体含有不是 UTF-8 编码的文字（位置 " + std::to_string(impl_->doc.GetErrorOffset()) +
                   "）。若上传的是 Excel 另存的 GBK 编码 CSV，请另存为“CSV UTF-8（逗号分隔）”后再导入";
  } else if (impl_->doc.HasParseError()) {
    parse_error_ = "请求体不是合法的 JSON（位置 " + std::to_string(impl_->doc.GetErrorOffset()) +
                   "：" + rapidjson::GetParseError_En(impl_->doc.GetParseError()) + "）";
  } else if (!impl_->doc.IsObject()) {
    parse_error_ = "请求体应为 JSON 对象";
  }
  impl_->obj = &impl_->doc;
}

JsonBody::JsonBody(const void* object, std::string prefix, JsonBody* parent)
    : parent_(parent), impl_(std::make_unique<Impl>()) {
  impl_->obj = static_cast<const rapidjson::Value*>(object);
  impl_->prefix = std::move(prefix);
}

void JsonBody::Fail(std::string field, std::string reason) {
  ++fails_;
  if (parent_) parent_->Fail(impl_->prefix + field, std::move(reason));
  else details_.push_back({std::move(field), std::move(reason)});
}

bool JsonBody::Present(const char* name) const {
  if (!parse_error_.empty()) return false;
  return impl_->obj->FindMember(name) != impl_->obj->MemberEnd();
}

std::vector<std::unique_ptr<JsonBody>> JsonBody::Objects(const char* name, size_t max_items) {
  std::vector<std::unique_ptr<JsonBody>> out;
  auto* v = static_cast<const rapidjson::Value*>(Field(name, true));
  if (!v) return out;
  if (!v->IsArray()) {
    Fail(name, "应为数组");
    return out;
  }
  if (v->Size() > max_items) {
    Fail(name, "条目过多（最多 " + std::to_string(max_items) + " 条）");
    return out;
  }
  for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
    std::string prefix = std::string(name) + "[" + std::to_string(i) + "].";
    if (!(*v)[i].IsObject()) {
      Fail(prefix.substr(0, prefix.size() - 1), "应为对象");
      continue;
    }
    out.push_back(std::unique_ptr<JsonBody>(new JsonBody(&(*v)[i], prefix, this)));
  }
  return out;
}

std::vector<int> JsonBody::OptInts32(const char* name, size_t max_items) {
  std::vector<int> out;
  auto* v = static_cast<const rapidjson::Value*>(Field(name, false));
  if (!v) return out;
  if (!v->IsArray()) {
    Fail(name, "应为整数数组");
    return out;
  }
  if (v->Size() > max_items) {
    Fail(name, "条目过多（最多 " + std::to_string(max_items) + " 条）");
    return out;
  }
  for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
    const rapidjson::Value& e = (*v)[i];
    if (!e.IsInt()) {
      Fail(std::string(name) + "[" + std::to_string(i) + "]", "应为整数");
      continue;
    }
    out.push_back(e.GetInt());
  }
  return out;
}

std::vector<std::string> JsonBody::OptStrings(const char* name, size_t max_bytes, size_t max_items) {
  std::vector<std::string> out;
  auto* v = static_cast<const rapidjson::Value*>(Field(name, false));
  if (!v) return out;
  if (!v->IsArray()) {
    Fail(name, "应为字符串数组");
    return out;
  }
  if (v->Size() > max_items) {
    Fail(name, "条目过多（最多 " + std::to_string(max_items) + " 条）");
    return out;
  }
  for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
    const rapidjson::Value& e = (*v)[i];
    const std::string field = std::string(name) + "[" + std::to_string(i) + "]";
    if (!e.IsString()) {
      Fail(field, "应为字符串");
      continue;
    }
    std::string item(e.GetString(), e.GetStringLength());
    if (item.size() > max_bytes || item.find('\0') != std::string::npos) {
      Fail(field, "过长或包含非法字符");
      continue;
    }
    out.push_back(std::move(item));
  }
  return out;
}

std::optional<std::string> JsonBody::OptNumberText(const char* name) {
  auto* v = static_cast<const rapidjson::Value*>(Field(name, false));
  if (!v) return std::nullopt;
  if (v->IsString()) {
    std::string s(v->GetString(), v->GetStringLength());
    if (s.size() > 40) {
      Fail(name, "数值过长");
      return std::nullopt;
    }
    return s;
  }
  if (v->IsInt64()) return std::to_string(v->GetInt64());
  if (v->IsNumber()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.15g", v->GetDouble());
    return std::string(buf);
  }
  Fail(name, "应为数值");
  return std::nullopt;
}

JsonBody::~JsonBody() = default;

Status JsonBody::status() const {
  if (!parse_error_.empty()) return InvalidArgument(parse_error_);
  if (!details_.empty()) return InvalidArgument("请求数据有误", details_);
  return Status::Ok();
}

void JsonBody::AllowOnly(std::initializer_list<const char*> fields) {
  if (!parse_error_.empty()) return;
  for (auto it = impl_->obj->MemberBegin(); it != impl_->obj->MemberEnd(); ++it) {
    std::string name(it->name.GetString(), it->name.GetStringLength());
    bool known = false;
    for (const char* f : fields) known = known || name == f;
    if (!known) Fail(name, "不允许的字段");
  }
}

const void* JsonBody::Field(const char* name, bool required) {
  if (!parse_error_.empty()) return nullptr;
  auto it = impl_->obj->FindMember(name);
  if (it == impl_->obj->MemberEnd() || it->value.IsNull()) {
    if (required) Fail(name, "必填");
    return nullptr;
  }
  return &it->value;
}

bool JsonBody::Has(const char* name) const {
  if (!parse_error_.empty()) return false;
  auto it = impl_->obj->FindMember(name);
  return it != impl_->obj->MemberEnd() && !it->value.IsNull();
}

std::optional<std::string> JsonBody::OptStr(const char* name, size_t max_bytes) {
  auto* v = static_cast<const rapidjson::Value*>(Field(name, false));
  if (!v) return std::nullopt;
  if (!v->IsString()) {
    Fail(name, "应为字符串");
    return std::nullopt;
  }
  std::string s(v->GetString(), v->GetStringLength());
  if (s.size() > max_bytes) {
    Fail(name, "过长（最多 " + std::to_string(max_bytes) + " 字节）");
    return std::nullopt;
  }
  if (s.find('\0') != std::string::npos) {
    Fail(name, "包含非法字符");
    return std::nullopt;
  }
  return s;
}

std::string JsonBody::Str(const char* name, size_t max_bytes) {
  if (!Has(name)) {
    Field(name, true);
    return {};
  }
  return OptStr(name, max_bytes).value_or("");
}

std::optional<int64_t> JsonBody::OptInt(const char* name) {
  auto* v = static_cast<const rapidjson::Value*>(Field(name, false));
  if (!v) return std::nullopt;
  if (!v->IsInt64()) {
    Fail(name, "应为整数");
    return std::nullopt;
  }
  return v->GetInt64();
}

int64_t JsonBody::Int(const char* name) {
  if (!Has(name)) {
    Field(name, true);
    return 0;
  }
  return OptInt(name).value_or(0);
}

int JsonBody::Version(const char* name) {
  const int before = fails_;  // judge this field alone, not the whole body
  int64_t v = Int(name);
  if (Has(name) && fails_ == before && (v < 1 || v > 2147483647)) {
    Fail(name, "版本号无效");
    return 0;
  }
  return static_cast<int>(v);
}

std::optional<int> JsonBody::OptInt32(const char* name) {
  const int before = fails_;
  auto v = OptInt(name);
  if (!v || fails_ != before) return std::nullopt;
  if (*v < INT32_MIN || *v > INT32_MAX) {
    Fail(name, "数值超出范围");
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

int JsonBody::Int32(const char* name) {
  if (!Has(name)) {
    Field(name, true);
    return 0;
  }
  return OptInt32(name).value_or(0);
}

std::optional<bool> JsonBody::OptBool(const char* name) {
  auto* v = static_cast<const rapidjson::Value*>(Field(name, false));
  if (!v) return std::nullopt;
  if (!v->IsBool()) {
    Fail(name, "应为 true 或 false");
    return std::nullopt;
  }
  return v->GetBool();
}

bool JsonBody::Bool(const char* name) {
  if (!Has(name)) {
    Field(name, true);
    return false;
  }
  return OptBool(name).value_or(false);
}

JsonWriter& JsonWriter::OptDecimal(std::string_view k, const std::optional<Decimal>& d) {
  Key(k);
  return d ? String(d->ToString()) : Null();
}

JsonWriter& JsonWriter::OptDate(std::string_view k, const std::optional<CivilDate>& d) {
  Key(k);
  return d ? String(FormatIsoDate(*d)) : Null();
}

JsonWriter& JsonWriter::OptInt(std::string_view k, const std::optional<int>& v) {
  Key(k);
  return v ? Int(*v) : Null();
}

void JsonWriter::Separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_.push_back(',');
    first_.back() = false;
  }
}

JsonWriter& JsonWriter::BeginObject() {
  Separate();
  out_.push_back('{');
  first_.push_back(true);
  return *this;
}
JsonWriter& JsonWriter::EndObject() {
  out_.push_back('}');
  first_.pop_back();
  return *this;
}
JsonWriter& JsonWriter::BeginArray() {
  Separate();
  out_.push_back('[');
  first_.push_back(true);
  return *this;
}
JsonWriter& JsonWriter::EndArray() {
  out_.push_back(']');
  first_.pop_back();
  return *this;
}
JsonWriter& JsonWriter::Key(std::string_view k) {
  Separate();
  AppendJsonString(out_, k);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}
JsonWriter& JsonWriter::String(std::string_view s) {
  Separate();
  AppendJsonString(out_, s);
  return *this;
}
JsonWriter& JsonWriter::Int(int64_t v) {
  Separate();
  out_ += std::to_string(v);
  return *this;
}
JsonWriter& JsonWriter::Bool(bool v) {
  Separate();
  out_ += v ? "true" : "false";
  return *this;
}
JsonWriter& JsonWriter::Null() {
  Separate();
  out_ += "null";
  return *this;
}
JsonWriter& JsonWriter::Raw(std::string_view json) {
  Separate();
  out_ += json;
  return *this;
}

bool IsValidJson(std::string_view text) {
  rapidjson::Document d;
  d.Parse(text.data(), text.size());
  return !d.HasParseError();
}

}  // namespace tiaodu::http
