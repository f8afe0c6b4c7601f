#include "db/database.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <condition_variable>
#include <mutex>
#include <vector>

namespace tiaodu::db {

struct Database::Pool {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::unique_ptr<soci::session>> sessions;
  std::vector<soci::session*> free;

  soci::session* Lease() {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return !free.empty(); });
    soci::session* s = free.back();
    free.pop_back();
    return s;
  }
  void GiveBack(soci::session* s) {
    {
      std::lock_guard lock(mu);
      free.push_back(s);
    }
    cv.notify_one();
  }
};

namespace {

// Leases a session for the scope of one call.
class Lease {
 public:
  explicit Lease(Database::Pool* pool) : pool_(pool), s_(pool->Lease()) {}
  ~Lease() { pool_->GiveBack(s_); }
  soci::session& operator*() { return *s_; }

 private:
  Database::Pool* pool_;
  soci::session* s_;
};

Status FromException(const std::exception& e) {
  std::string what = e.what();
  if (what.find("UNIQUE constraint") != std::string::npos ||
      what.find("duplicate key") != std::string::npos) {
    return Status(Code::kConflict, "数据重复：已存在相同编码或名称的记录", {{"", what}});
  }
  if (what.find("database is locked") != std::string::npos ||
      what.find("database is busy") != std::string::npos ||
      what.find("could not serialize") != std::string::npos ||
      what.find("deadlock detected") != std::string::npos) {
    return Status(Code::kUnavailable, "数据库繁忙，请稍后重试");
  }
  if (what.find("FOREIGN KEY") != std::string::npos ||
      what.find("foreign key") != std::string::npos) {
    return Status(Code::kFailedPrecondition, "关联数据不存在或仍被引用");
  }
  return Status(Code::kInternal, "数据库错误", {{"", what}});
}

}  // namespace

// postgresql://user:pass@host:port/dbname?k=v  →  libpq key/value conninfo (SOCI 4.0's
// backend does not accept URIs).
Result<std::string> PgConnInfo(const std::string& url) {
  auto decode = [](const std::string& in) {
    std::string out;
    for (size_t i = 0; i < in.size(); ++i) {
      if (in[i] == '%' && i + 2 < in.size()) {
        out.push_back(static_cast<char>(std::stoi(in.substr(i + 1, 2), nullptr, 16)));
        i += 2;
      } else {
        out.push_back(in[i]);
      }
    }
    return out;
  };
  auto quote = [](const std::string& v) {
    std::string q = "'";
    for (char c : v) {
      if (c == '\\' || c == '\'') q.push_back('\\');
      q.push_back(c);
    }
    return q + "'";
  };
  std::string rest = url.substr(url.find("://") + 3);
  std::string info;
  size_t at = rest.rfind('@');
  try {
    if (at != std::string::npos) {
      std::string cred = rest.substr(0, at);
      rest = rest.substr(at + 1);
      size_t colon = cred.find(':');
      info += "user=" + quote(decode(cred.substr(0, colon))) + " ";
      if (colon != std::string::npos) info += "password=" + quote(decode(cred.substr(colon + 1))) + " ";
    }
    std::string query;
    if (size_t q = rest.find('?'); q != std::string::npos) {
      query = rest.substr(q + 1);
      rest = rest.substr(0, q);
    }
    std::string hostport = rest.substr(0, rest.find('/'));
    std::string dbname = rest.find('/') == std::string::npos ? "" : rest.substr(rest.find('/') + 1);
    size_t colon = hostport.rfind(':');
    std::string host = hostport.substr(0, colon);
    if (!host.empty()) info += "host=" + quote(decode(host)) + " ";
    if (colon != std::string::npos) info += "port=" + quote(hostport.substr(colon + 1)) + " ";
    if (!dbname.empty()) info += "dbname=" + quote(decode(dbname)) + " ";
    while (!query.empty()) {
      size_t amp = query.find('&');
      std::string kv = query.substr(0, amp);
      size_t eq = kv.find('=');
      if (eq != std::string::npos) info += kv.substr(0, eq) + "=" + quote(decode(kv.substr(eq + 1))) + " ";
      if (amp == std::string::npos) break;
      query = query.substr(amp + 1);
    }
  } catch (const std::exception&) {
    return InvalidArgument("PostgreSQL 地址格式错误: " + url);
  }
  return info;
}

Database::Database(std::string url, Dialect dialect, std::unique_ptr<Pool> pool)
    : url_(std::move(url)), dialect_(dialect), pool_(std::move(pool)) {}

Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::Open(const std::string& url, Options options) {
  Dialect dialect;
  std::string connect;
  int size = options.pool_size < 1 ? 1 : options.pool_size;
  if (url.rfind("sqlite:", 0) == 0) {
    // SQLite's allocation statistics take one process-wide mutex on every malloc; with
    // several connections busy it dominated CPU under load (bench/http, perf). Turn them off
    // once, before the library initializes.
    static std::once_flag memstatus_off;
    std::call_once(memstatus_off, [] { sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
    dialect = Dialect::kSqlite;
    std::string path = url.substr(7);
    if (path.empty()) return InvalidArgument("数据库地址缺少文件名: " + url);
    if (path == ":memory:") size = 1;
    connect = "db=" + path + " timeout=" + std::to_string(options.busy_timeout_ms / 1000 + 1);
  } else if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    dialect = Dialect::kPostgres;
    auto info = PgConnInfo(url);
    if (!info.ok()) return info.status();
    connect = *info;
  } else {
    return InvalidArgument("不支持的数据库地址（应为 sqlite:路径 或 postgresql://...）: " + url);
  }
  auto pool = std::make_unique<Pool>();
  try {
    for (int i = 0; i < size; ++i) {
      std::unique_ptr<soci::session> s;
      if (dialect == Dialect::kSqlite) {
        s = std::make_unique<soci::session>(*soci::factory_sqlite3(), connect);
        *s << "PRAGMA journal_mode=WAL";
        *s << "PRAGMA synchronous=FULL";
        *s << "PRAGMA foreign_keys=ON";
        *s << "PRAGMA busy_timeout=" + std::to_string(options.busy_timeout_ms);
      } else {
        s = std::make_unique<soci::session>(*soci::factory_postgresql(), connect);
        *s << "SET client_min_messages TO WARNING";
      }
      pool->free.push_back(s.get());
      pool->sessions.push_back(std::move(s));
    }
  } catch (const std::exception& e) {
    return Status(Code::kUnavailable, "无法连接数据库: " + std::string(e.what()));
  }
  return std::unique_ptr<Database>(new Database(url, dialect, std::move(pool)));
}

Status Database::Transact(TxMode mode, const std::function<Status(Tx&)>& fn) {
  Lease lease(pool_.get());
  soci::session& sql = *lease;
  bool open = false;
  try {
    if (dialect_ == Dialect::kSqlite) {
      sql << (mode == TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN");
    } else {
      sql << (mode == TxMode::kWrite ? "BEGIN" : "BEGIN READ ONLY");
    }
    open = true;
    Tx tx(sql, dialect_);
    Status s = fn(tx);
    if (!s.ok()) {
      sql << "ROLLBACK";
      return s;
    }
    if (commit_fault_ && commit_fault_()) {
      sql << "ROLLBACK";
      return Status(Code::kUnavailable, "写入中断（故障注入）");
    }
    sql << "COMMIT";
    return Status::Ok();
  } catch (const std::exception& e) {
    if (open) {
      try {
        sql << "ROLLBACK";
      } catch (...) {
      }
    }
    return FromException(e);
  }
}

Status Database::Raw(const std::function<Status(soci::session&)>& fn) {
  Lease lease(pool_.get());
  try {
    return fn(*lease);
  } catch (const std::exception& e) {
    return FromException(e);
  }
}

}  // namespace tiaodu::db
