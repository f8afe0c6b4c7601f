// Which databases a storage test runs on: SQLite in memory always, and PostgreSQL when the
// PG* variables of a pg_virtualenv cluster are set (make test runs ctest inside one). Each
// PostgreSQL test gets a fresh schema-less database created for it.
#pragma once

#include <cstdlib>
#include <string>
#include <vector>

#include <soci/soci.h>
#include <soci/postgresql/soci-postgresql.h>

namespace tiaodu::testing {

inline std::vector<std::string> DatabaseKinds() {
  std::vector<std::string> kinds = {"sqlite"};
  if (std::getenv("PGHOST") && std::getenv("PGUSER")) kinds.push_back("postgresql");
  return kinds;
}

inline std::string PgBaseUrl(const std::string& dbname) {
  auto env = [](const char* n, const char* d) { const char* v = std::getenv(n); return std::string(v ? v : d); };
  std::string host = env("PGHOST", "localhost");
  if (!host.empty() && host[0] == '/') host = "localhost";
  return "postgresql://" + env("PGUSER", "postgres") + ":" + env("PGPASSWORD", "") + "@" + host + ":" +
         env("PGPORT", "5432") + "/" + dbname;
}

// A URL of a fresh, empty database of the given kind.
inline std::string FreshDatabaseUrl(const std::string& kind) {
  if (kind == "sqlite") return "sqlite::memory:";
  static int counter = 0;
  std::string name = "tiaodu_unit_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  soci::session admin(*soci::factory_postgresql(), "dbname=postgres");  // libpq reads PG*
  admin << "DROP DATABASE IF EXISTS " + name;
  admin << "CREATE DATABASE " + name;
  return PgBaseUrl(name);
}

}  // namespace tiaodu::testing
