#include "db/settings.h"

#include <soci/soci.h>

#include "db/row.h"

namespace tiaodu::db {

std::optional<SettingRow> GetSetting(Tx& tx, const std::string& key) {
  soci::row r;
  tx.sql() << "SELECT value, version FROM settings WHERE key = :k", soci::use(key), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return SettingRow{GetText(r, 0), static_cast<int>(GetInt(r, 1))};
}

bool PutSetting(Tx& tx, const std::string& key, const std::string& value, int version,
                int64_t now) {
  if (version == 0) {
    tx.sql() << "INSERT INTO settings (key, value, version, updated_at) VALUES (:k, :v, 1, :t)",
        soci::use(key), soci::use(value), soci::use(now);
    return true;
  }
  soci::statement st =
      (tx.sql().prepare << "UPDATE settings SET value = :v, updated_at = :t, version = version + 1 "
                           "WHERE key = :k AND version = :ver",
       soci::use(value), soci::use(now), soci::use(key), soci::use(version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

}  // namespace tiaodu::db
