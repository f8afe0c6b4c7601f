// The fact-check domain's HTTP route: POST /api/v1/factcheck (the report text as the raw body).
#pragma once

#include <vector>

#include "factcheck/service.h"
#include "http/router.h"

namespace tiaodu::factcheck {

std::vector<http::Route> FactcheckRoutes(FactcheckService& svc);

}  // namespace tiaodu::factcheck
