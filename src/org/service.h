// OrgService: the unit tree's use cases (list, tree, create, rename, move, archive,
// restore). Checks permission and data scope, validates, runs each change in one transaction
// with its audit record. References to db and clock must outlive it. Thread-safe.
#pragma once

#include <vector>

#include "auth/model.h"
#include "base/clock.h"
#include "base/result.h"
#include "db/database.h"
#include "org/model.h"

namespace tiaodu::org {

class OrgService {
 public:
  OrgService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<auth::Page<Unit>> List(const auth::Actor& actor, UnitQuery q);
  Result<Unit> Get(const auth::Actor& actor, int64_t id);
  Result<Unit> Create(const auth::Actor& actor, const NewUnit& n);
  Result<Unit> Update(const auth::Actor& actor, int64_t id, const UnitPatch& p);
  Result<Unit> Move(const auth::Actor& actor, int64_t id, int64_t new_parent_id, int version);
  Result<Unit> SetArchived(const auth::Actor& actor, int64_t id, bool archived, int version);

  // For init/demo: creates the unit with this code unless it exists (idempotent).
  Result<Unit> Ensure(const auth::Actor& system, const NewUnit& n);
  Result<Unit> FindByCode(const std::string& code);

 private:
  db::Database& db_;
  const Clock& clock_;
};

std::string UnitSnapshot(const Unit& u);

}  // namespace tiaodu::org
