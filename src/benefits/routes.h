// The HTTP routes of auto-granted benefits (免申即享; see docs/API.md "Benefits (免申即享)"):
// the enterprise register, policies with their rule check, matching runs. The service must
// outlive the routes.
#pragma once

#include <vector>

#include "benefits/service.h"
#include "http/router.h"

namespace tiaodu::benefits {

std::vector<http::Route> BenefitRoutes(BenefitService& service);

}  // namespace tiaodu::benefits
