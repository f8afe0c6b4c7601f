// The HTTP routes of the key-projects domain (see docs/API.md "Key projects"). The service
// must outlive the routes.
#pragma once

#include <vector>

#include "http/router.h"
#include "projects/service.h"

namespace tiaodu::projects {

std::vector<http::Route> ProjectRoutes(ProjectService& service);

}  // namespace tiaodu::projects
