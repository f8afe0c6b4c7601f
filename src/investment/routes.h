// The HTTP routes of the investment domain (see docs/API.md "Investment attraction"). The
// service must outlive the routes.
#pragma once

#include <vector>

#include "http/router.h"
#include "investment/service.h"

namespace tiaodu::investment {

std::vector<http::Route> InvestmentRoutes(InvestmentService& service);

}  // namespace tiaodu::investment
