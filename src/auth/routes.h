// The auth domain's HTTP routes. The returned handlers keep references to auth, db and clock,
// which must outlive the router.
#pragma once

#include <vector>

#include "auth/service.h"
#include "http/router.h"

namespace tiaodu::auth {

std::vector<http::Route> AuthRoutes(AuthService& auth, db::Database& db, const Clock& clock,
                                    bool secure_cookies);

}  // namespace tiaodu::auth
