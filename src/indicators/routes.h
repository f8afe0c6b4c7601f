// The HTTP routes of the indicators domain (see docs/API.md "Indicators"). The service must
// outlive the routes.
#pragma once

#include <vector>

#include "http/router.h"
#include "indicators/service.h"

namespace tiaodu::indicators {

std::vector<http::Route> IndicatorRoutes(IndicatorService& service);

}  // namespace tiaodu::indicators
