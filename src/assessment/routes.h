// The assessment routes: /api/v1/assessment/* (schemes, league, publication, flags).
#pragma once

#include <vector>

#include "assessment/service.h"
#include "http/router.h"

namespace tiaodu::assessment {

std::vector<http::Route> AssessmentRoutes(AssessmentService& svc);

}  // namespace tiaodu::assessment
