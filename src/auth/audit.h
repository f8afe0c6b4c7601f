// The audit log: an append-only, SM3 hash-chained record of every mutation and login.
// Append() must be called inside the same write transaction as the change it records; it
// serializes appends (SQLite: the write lock; PostgreSQL: an advisory transaction lock) so
// the chain stays linear. Verify() walks the chain and names the first bad record.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "auth/model.h"
#include "base/result.h"
#include "db/database.h"

namespace tiaodu::auth {

// The hash of the record before the first one.
inline constexpr const char* kAuditGenesis =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The text the hash of an entry covers (every field but id and hash).
std::string AuditCanonical(const AuditEntry& e);

// Fills the entry's actor fields from the actor.
AuditEntry MakeAudit(const Actor& actor, int64_t at, std::string event, std::string object_type,
                     std::string object_id, std::string before_json = {},
                     std::string after_json = {}, std::string outcome = "success");

// Appends e (seq, prev_hash and hash are computed here).
Status AppendAudit(db::Tx& tx, AuditEntry e);

struct AuditVerifyReport {
  bool ok = true;
  int64_t checked = 0;
  std::optional<int64_t> first_bad_id;  // the id of the first record that fails
  std::optional<int64_t> first_bad_seq;
  std::string reason;
};
Result<AuditVerifyReport> VerifyAudit(db::Database& db);

Result<Page<AuditEntry>> QueryAudit(db::Database& db, const AuditQuery& q);

}  // namespace tiaodu::auth
