// Router: the explicit table of API routes. A Route names its method, path pattern
// ("/api/v1/units/{id}"), the permission it needs, and what its {id} refers to (so the
// access-control test can walk every route), plus the handler: a function of the request
// context to a response. Built once at start-up, then read-only (thread-safe to Match).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "auth/model.h"
#include "base/result.h"
#include "http/message.h"

namespace tiaodu::http {

// What a handler sees of one request.
struct RouteContext {
  const Request& req;
  std::map<std::string, std::string> params;  // from {name} segments
  const auth::Actor* actor = nullptr;           // null on public routes
  const auth::Session* session = nullptr;

  // A path parameter as a positive integer id, or InvalidArgument.
  Result<int64_t> Id(const char* name = "id") const;
  // page / page_size query parameters, clamped to 1.. and 1..500.
  int Page() const;
  int PageSize(int fallback = 50) const;
};

using Handler = std::function<Response(RouteContext&)>;

// Access classes: kPublic needs no session; kSession any logged-in user; kPermission the
// named permission.
enum class Access { kPublic, kSession, kPermission };

struct Route {
  std::string method;
  std::string pattern;
  Access access = Access::kPermission;
  std::string permission;  // for kPermission
  std::string object;      // what {id} names ("unit", "user"), empty if none
  Handler handler;
  bool raw_body = false;   // an upload: the body is the file itself, any content type
};

class Router {
 public:
  void Add(Route route);
  void AddAll(std::vector<Route> routes);

  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    bool path_matched = false;  // some route has this path but another method (405)
  };
  Match Find(const std::string& method, const std::string& path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace tiaodu::http
