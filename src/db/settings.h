// Settings: configuration values stored in the database (table `settings`, key → text with a
// version), so thresholds are edited in the app and audited like any other change. Each
// domain owns its keys ("indicators", "projects") and the format of its text.
#pragma once

#include <optional>
#include <string>

#include "db/database.h"

namespace tiaodu::db {

struct SettingRow {
  std::string value;
  int version = 0;
};
std::optional<SettingRow> GetSetting(Tx& tx, const std::string& key);
// Inserts (version 0 = absent) or updates where the version matches; false when stale.
bool PutSetting(Tx& tx, const std::string& key, const std::string& value, int version,
                int64_t now);

}  // namespace tiaodu::db
