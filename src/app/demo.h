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

// A random password that meets the 等保 complexity profile.
std::string RandomPassword();

}  // namespace tiaodu::app
