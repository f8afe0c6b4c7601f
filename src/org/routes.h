// The org domain's HTTP routes (the unit tree). Handlers keep a reference to the service.
#pragma once

#include <vector>

#include "http/router.h"
#include "org/service.h"

namespace tiaodu::org {

std::vector<http::Route> OrgRoutes(OrgService& org);

}  // namespace tiaodu::org
