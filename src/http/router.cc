#include "http/router.h"

#include <cstdint>

#include <charconv>

namespace tiaodu::http {

Result<int64_t> RouteContext::Id(const char* name) const {
  auto it = params.find(name);
  int64_t v = 0;
  if (it != params.end()) {
    const std::string& s = it->second;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && p == s.data() + s.size() && v > 0) return v;
  }
  return InvalidArgument("路径参数应为正整数", {{name, "应为正整数"}});
}

namespace {
int QueryInt(const Request& req, const char* name, int fallback, int lo, int hi) {
  std::string s = req.Query(name);
  int v = fallback;
  if (!s.empty()) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) v = fallback;
  }
  return v < lo ? lo : (v > hi ? hi : v);
}
}  // namespace

int RouteContext::Page() const { return QueryInt(req, "page", 1, 1, 1000000); }
int RouteContext::PageSize(int fallback) const {
  return QueryInt(req, "page_size", fallback, 1, 500);
}

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

void Router::AddAll(std::vector<Route> routes) {
  for (Route& r : routes) Add(std::move(r));
}

namespace {
bool MatchPattern(const std::string& pattern, const std::string& path,
                  std::map<std::string, std::string>& params) {
  size_t i = 0, j = 0;
  while (i < pattern.size() && j <= path.size()) {
    if (pattern[i] == '{') {
      size_t close = pattern.find('}', i);
      std::string name = pattern.substr(i + 1, close - i - 1);
      size_t end = path.find('/', j);
      if (end == std::string::npos) end = path.size();
      if (end == j) return false;
      params[name] = path.substr(j, end - j);
      i = close + 1;
      j = end;
    } else {
      if (j >= path.size() || pattern[i] != path[j]) return false;
      ++i;
      ++j;
    }
  }
  return i == pattern.size() && j == path.size();
}
}  // namespace

// A literal segment beats a {parameter}: "/indicators/board" is never taken for
// "/indicators/{id}", whatever order the routes were added in. Among matches, the route with
// the fewest parameters wins (ties: the first added).
Router::Match Router::Find(const std::string& method, const std::string& path) const {
  Match m;
  size_t best_params = SIZE_MAX;
  for (const Route& r : routes_) {
    std::map<std::string, std::string> params;
    if (!MatchPattern(r.pattern, path, params)) continue;
    if (r.method == method || (method == "HEAD" && r.method == "GET")) {
      if (params.size() < best_params) {
        best_params = params.size();
        m.route = &r;
        m.params = std::move(params);
      }
      continue;
    }
    m.path_matched = true;
  }
  return m;
}

}  // namespace tiaodu::http
