// Services: everything a running Tiaodu needs, built once in app/ and passed down
// explicitly (no singletons). Owns the database and the domain services; the clock is
// owned by the caller (a SystemClock in main, a FakeClock in tests).
#pragma once

#include <memory>
#include <string>

#include "assessment/service.h"
#include "auth/service.h"
#include "base/clock.h"
#include "benefits/service.h"
#include "db/database.h"
#include "factcheck/service.h"
#include "indicators/service.h"
#include "investment/service.h"
#include "projects/service.h"
#include "org/service.h"
#include "supervision/service.h"

namespace tiaodu::app {

struct Services {
  const Clock& clock;
  std::unique_ptr<db::Database> db;
  std::unique_ptr<auth::AuthService> auth;
  std::unique_ptr<org::OrgService> org;
  std::unique_ptr<indicators::IndicatorService> indicators;
  std::unique_ptr<projects::ProjectService> projects;
  std::unique_ptr<investment::InvestmentService> investment;
  std::unique_ptr<supervision::SupervisionService> supervision;
  std::unique_ptr<assessment::AssessmentService> assessment;
  std::unique_ptr<factcheck::FactcheckService> factcheck;
  std::unique_ptr<benefits::BenefitService> benefits;
};

// Opens the database named by url, applies migrations, and builds the services.
Result<std::unique_ptr<Services>> OpenServices(const std::string& url, const Clock& clock,
                                               int pool_size = 8);

// The actor for CLI subcommands acting as the installation itself.
auth::Actor SystemActor();

}  // namespace tiaodu::app
