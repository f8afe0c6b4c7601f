// Reading and binding the value types domains store — exact decimals as raw BIGINT, optional
// ids, ISO dates as TEXT, id lists and date maps — the same way in every store. Include only
// from store .cc files (it pulls in SOCI).
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/decimal.h"
#include "db/database.h"
#include "db/row.h"

namespace tiaodu::db {

inline std::optional<Decimal> GetOptDecimal(const soci::row& r, std::size_t i) {
  auto v = GetOptInt(r, i);
  if (!v) return std::nullopt;
  return Decimal::FromRaw(*v);
}

// An ISO date column ("2024-06-30"); absent, empty or malformed → nullopt.
std::optional<CivilDate> GetOptDate(const soci::row& r, std::size_t i);

// Binds an optional decimal (as its raw integer) to a single-row statement: keep the object
// alive until the statement has run.
struct OptDecimalBind {
  long long raw = 0;
  soci::indicator ind = soci::i_null;
  explicit OptDecimalBind(const std::optional<Decimal>& d) {
    if (d) {
      raw = d->raw();
      ind = soci::i_ok;
    }
  }
};

// Binds an optional id.
struct OptIdBind {
  long long v = 0;
  soci::indicator ind = soci::i_null;
  explicit OptIdBind(const std::optional<int64_t>& id) {
    if (id) {
      v = *id;
      ind = soci::i_ok;
    }
  }
};

// Binds an optional date as ISO text.
struct OptDateBind {
  std::string text;
  soci::indicator ind = soci::i_null;
  explicit OptDateBind(const std::optional<CivilDate>& d);
};

// Runs a COUNT(*) query whose parameters `bind` adds to the prepared statement (the same
// binder a list query uses for its page): `*total = db::Count(tx, sql, bind);`.
template <typename Bind>
int64_t Count(Tx& tx, const std::string& sql, Bind&& bind) {
  long long n = 0;
  auto st = (tx.sql().prepare << sql, soci::into(n));
  bind(st);
  soci::statement stmt(st);
  stmt.execute(true);
  return n;
}

// "1,2,3" for an IN (...) list of ids ("0" when empty, which matches nothing).
std::string IdList(const std::vector<int64_t>& ids);

// A map of names to dates as stored text, "signed=2024-02-01;started=2024-03-15", and back
// (malformed items are skipped).
std::string DatesToText(const std::map<std::string, CivilDate>& m);
std::map<std::string, CivilDate> DatesFromText(const std::string& s);

}  // namespace tiaodu::db
