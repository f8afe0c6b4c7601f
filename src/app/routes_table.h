// The one explicit table of every API route of Tiaodu.
#pragma once

#include "app/services.h"
#include "http/router.h"

namespace tiaodu::app {

struct RouteOptions {
  bool secure_cookies = false;  // set when served behind TLS
};

void RegisterRoutes(http::Router& router, Services& s, const RouteOptions& options);

}  // namespace tiaodu::app
