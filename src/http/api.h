// Api: the request pipeline in front of the router — target parsing, session resolution,
// CSRF check, permission check, content-type check, security headers, and the static web
// app with SPA fallback. A function of Request to Response, free of sockets, so tests can
// drive it directly. References must outlive it. Thread-safe (read-only after construction).
#pragma once

#include <memory>
#include <string>

#include "auth/service.h"
#include "http/message.h"
#include "http/router.h"
#include "http/static_files.h"

namespace tiaodu::http {

class Api {
 public:
  // files may be null (no web app served).
  Api(const Router& router, auth::AuthService& auth, const StaticFiles* files)
      : router_(router), auth_(auth), files_(files) {}

  Response Handle(const Request& req) const;

 private:
  Response HandleApi(const Request& req) const;
  const Router& router_;
  auth::AuthService& auth_;
  const StaticFiles* files_;
};

}  // namespace tiaodu::http
