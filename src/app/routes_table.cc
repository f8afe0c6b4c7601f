#include "app/routes_table.h"

#include "assessment/routes.h"
#include "auth/routes.h"
#include "factcheck/routes.h"
#include "benefits/routes.h"
#include "http/json.h"
#include "indicators/routes.h"
#include "investment/routes.h"
#include "supervision/routes.h"
#include "projects/routes.h"
#include "org/routes.h"

namespace tiaodu::app {

void RegisterRoutes(http::Router& router, Services& s, const RouteOptions& options) {
  router.Add({"GET", "/api/v1/health", http::Access::kPublic, "", "",
              [](http::RouteContext&) { return http::JsonResponse(200, "{\"status\":\"ok\"}"); }});
  router.AddAll(auth::AuthRoutes(*s.auth, *s.db, s.clock, options.secure_cookies));
  router.AddAll(org::OrgRoutes(*s.org));
  router.AddAll(indicators::IndicatorRoutes(*s.indicators));
  router.AddAll(projects::ProjectRoutes(*s.projects));
  router.AddAll(investment::InvestmentRoutes(*s.investment));
  router.AddAll(supervision::SupervisionRoutes(*s.supervision));
  router.AddAll(assessment::AssessmentRoutes(*s.assessment));
  router.AddAll(factcheck::FactcheckRoutes(*s.factcheck));
  router.AddAll(benefits::BenefitRoutes(*s.benefits));
}

}  // namespace tiaodu::app
