// The HTTP routes of supervision (督查督办), meetings and notifications (see docs/API.md
// "Supervision" and "Notifications"). The service must outlive the routes.
#pragma once

#include <vector>

#include "http/router.h"
#include "supervision/service.h"

namespace tiaodu::supervision {

std::vector<http::Route> SupervisionRoutes(SupervisionService& service);

}  // namespace tiaodu::supervision
