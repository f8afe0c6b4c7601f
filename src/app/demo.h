// Set-up of a new installation: `init` (root unit and the system admin) and `demo` (the
// units of Nanyang, demo departments and towns, one demo user per role). Both idempotent.
#pragma once

#include <string>
#include <vector>

#include "app/services.h"

namespace tiaodu::app {

struct CreatedUser {
  std::string username;
  std::string role_name;
  std::string unit_name;
  std::string password;  // empty when the user already existed (password unchanged)
};

// Creates the root unit (南阳市, 411300) if absent, and the admin user. The admin password is
// `password` if non-empty, otherwise random; returned only when it was set.
Result<CreatedUser> InitInstallation(Services& s, const std::string& password);

// Loads the demo data. Passwords are `password` when non-empty, otherwise random per user.
Result<std::vector<CreatedUser>> LoadDemo(Services& s, const std::string& password);

// The demo's indicator values (2022-01 … 2024-12, published) for every reporting unit, unless
// indicator values exist already. Returns how many values were loaded (0 when skipped).
Result<int64_t> LoadIndicatorDemo(Services& s);

// The demo's key projects (about 250, with milestones, progress through last month and
// problems) and a 第九期 三个一批 batch, unless projects exist already.
Result<int64_t> LoadProjectDemo(Services& s);

// The demo's 招商引资 data (about 300 leads with companies, chains, contracts, activities and
// targets; see demo_investment.h), unless leads exist already. Each lead is followed by the
// investment officer with the narrowest scope holding its unit. Returns the number of leads
// loaded (0 when skipped).
Result<int64_t> LoadInvestmentDemo(Services& s);

// The demo's 督查督办 data (meetings and about 75 tasks on the 13710 clock as they stand today;
// see demo_supervision.h), unless tasks exist already. Returns the number of tasks loaded.
Result<int64_t> LoadSupervisionDemo(Services& s);

// A province-sized data set for benchmarks: `units` units (a root "P000", cities, counties),
// `indicators` indicators, `months` months of published values ending 2024-12, with every
// figure computed; then 20,000 key projects and 100,000 investment leads over those units,
// and 20,000 supervision tasks assigned by a supervisor at the root (user `supervisor_p000`,
// created here with a random password) over the last ~60 working days, with their timelines
// (see demo_supervision_province.h). Refuses a database that already has indicator values.
struct ProvinceLoad {
  int64_t units = 0, indicators = 0, values = 0, figures_periods = 0;
  double generate_seconds = 0, load_seconds = 0;
  int64_t projects = 0, project_progress = 0;
  double project_seconds = 0;
  std::string busiest_unit;  // the county with exactly 500 key projects (and 5,000 leads)
  int64_t leads = 0, lead_contracts = 0, companies = 0;
  double investment_seconds = 0;
  int64_t tasks = 0, task_events = 0, task_files = 0;
  int64_t tasks_open = 0, tasks_green = 0, tasks_yellow = 0, tasks_red = 0;
  std::string task_states;  // "assigned:812 received:… …" over all tasks
  double supervision_seconds = 0;  // SupervisionService::LoadBulk, its first tick included
};
Result<ProvinceLoad> LoadProvince(Services& s, int units, int indicators, int months);

// A random password that meets the 等保 complexity profile.
std::string RandomPassword();

}  // namespace tiaodu::app
