#include "http/message.h"

#include "base/json_text.h"

namespace tiaodu::http {

std::string Request::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

std::string Request::Query(const std::string& name, const std::string& fallback) const {
  auto it = query.find(name);
  return it == query.end() ? fallback : it->second;
}

std::string Request::Cookie(std::string_view name) const {
  std::string all = Header("cookie");
  std::string_view s = all;
  while (!s.empty()) {
    size_t semi = s.find(';');
    std::string_view part = s.substr(0, semi);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    size_t eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name)
      return std::string(part.substr(eq + 1));
    if (semi == std::string_view::npos) break;
    s.remove_prefix(semi + 1);
  }
  return {};
}

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
bool Decode(std::string_view in, std::string& out, bool plus_is_space) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return true;
}
}  // namespace

bool ParseTarget(std::string_view target, std::string& path,
                 std::map<std::string, std::string>& query) {
  size_t q = target.find('?');
  if (!Decode(target.substr(0, q), path, false)) return false;
  if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos) return false;
  if (q == std::string_view::npos) return true;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string k, v;
      if (!Decode(pair.substr(0, eq), k, true)) return false;
      if (eq != std::string_view::npos && !Decode(pair.substr(eq + 1), v, true)) return false;
      query[k] = v;
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return true;
}

Response JsonResponse(int status, std::string json) {
  Response r;
  r.status = status;
  r.body = std::move(json);
  return r;
}

int HttpStatusFor(Code code) {
  switch (code) {
    case Code::kOk: return 200;
    case Code::kInvalidArgument: return 400;
    case Code::kUnauthenticated: return 401;
    case Code::kPermissionDenied: return 403;
    case Code::kNotFound: return 404;
    case Code::kConflict: return 409;
    case Code::kFailedPrecondition: return 422;
    case Code::kLocked: return 423;
    case Code::kPayloadTooLarge: return 413;
    case Code::kUnsupportedMedia: return 415;
    case Code::kUnavailable: return 503;
    case Code::kInternal: return 500;
  }
  return 500;
}

Response ErrorResponse(const Status& status) {
  std::string details = "[";
  // Internal errors keep their details in the server log, never in the answer.
  const bool hide = status.code() == Code::kInternal || status.code() == Code::kUnavailable;
  for (const Detail& d : hide ? std::vector<Detail>{} : status.details()) {
    if (details.size() > 1) details += ',';
    details += JsonText().Add("field", d.field).Add("reason", d.reason).Build();
  }
  details += ']';
  std::string inner = JsonText()
                          .Add("code", CodeName(status.code()))
                          .Add("message", status.message())
                          .AddRaw("details", details)
                          .Build();
  return JsonResponse(HttpStatusFor(status.code()), JsonText().AddRaw("error", inner).Build());
}

}  // namespace tiaodu::http
