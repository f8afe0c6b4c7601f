// Database: the one way Tiaodu talks to SQL. Owns a pool of SOCI sessions to either SQLite
// (the embedded default, WAL mode, synchronous=FULL) or PostgreSQL, named by a URL:
//   sqlite:var/tiaodu.db    sqlite::memory:    postgresql://user:pass@host:5432/db
// Work runs inside Transact(): the callback gets a Tx bound to one pooled connection; an OK
// Status commits, anything else (or an exception from SOCI) rolls back. Exceptions never
// leave this module: SOCI errors become Status values (unique violations → kConflict,
// busy/locked → kUnavailable, others → kInternal).
// Thread-safe: any number of threads may call Transact() concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/result.h"
#include "base/status.h"

namespace soci {
class session;
}

namespace tiaodu::db {

enum class Dialect { kSqlite, kPostgres };

// A live transaction. Not owned by the caller; valid only inside the Transact() callback.
class Tx {
 public:
  Tx(soci::session& sql, Dialect dialect) : sql_(sql), dialect_(dialect) {}
  soci::session& sql() { return sql_; }
  Dialect dialect() const { return dialect_; }
  bool postgres() const { return dialect_ == Dialect::kPostgres; }

 private:
  soci::session& sql_;
  Dialect dialect_;
};

enum class TxMode {
  kRead,   // a consistent read; may run concurrently with writers
  kWrite,  // serialized with other writers (SQLite: BEGIN IMMEDIATE)
};

class Database {
 public:
  struct Options {
    int pool_size = 8;  // forced to 1 for sqlite::memory:
    int busy_timeout_ms = 10000;
  };

  static Result<std::unique_ptr<Database>> Open(const std::string& url, Options options);
  static Result<std::unique_ptr<Database>> Open(const std::string& url) {
    return Open(url, Options());
  }
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Dialect dialect() const { return dialect_; }
  const std::string& url() const { return url_; }

  Status Transact(TxMode mode, const std::function<Status(Tx&)>& fn);
  Status Read(const std::function<Status(Tx&)>& fn) { return Transact(TxMode::kRead, fn); }
  Status Write(const std::function<Status(Tx&)>& fn) { return Transact(TxMode::kWrite, fn); }

  // Runs fn on a pooled connection outside any transaction (for DDL that must not be in one,
  // and for the scheduler's advisory locks).
  Status Raw(const std::function<Status(soci::session&)>& fn);

  // Fault injection for tests: when set, called before each COMMIT; returning true makes the
  // commit fail as if the process died mid-write (the transaction is rolled back).
  void SetCommitFault(std::function<bool()> fault) { commit_fault_ = std::move(fault); }

 public:
  struct Pool;  // defined in database.cc

 private:
  Database(std::string url, Dialect dialect, std::unique_ptr<Pool> pool);

  std::string url_;
  Dialect dialect_;
  std::unique_ptr<Pool> pool_;
  std::function<bool()> commit_fault_;
};

// Applies the numbered migrations not yet applied (schema_migrations table). Safe to run from
// several processes at once on PostgreSQL (advisory lock).
Status Migrate(Database& db, int64_t now_millis);
// The highest migration number this build knows.
int LatestMigration();

}  // namespace tiaodu::db
