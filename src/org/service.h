// OrgService: the unit tree's use cases (list, tree, create, rename, move, archive,
// restore). Checks permission and data scope, validates, runs each change in one transaction
// with its audit record. References to db and clock must outlive it. Thread-safe.
#pragma once

#include <vector>

#include "auth/model.h"
#include "base/clock.h"
#include "base/result.h"
#include "db/database.h"
#include "io/table.h"
#include "io/xlsx_writer.h"
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

  // ---- Spreadsheets (the layout: org/sheets.h) ----
  // Imports a sheet of units keyed by 单位编码, all or nothing: a new code creates the unit
  // (as Create: GB/T 2260 for administrative kinds, the parent in scope), a known one in scope
  // is renamed / re-kinded (as Update), moved when its 上级单位编码 names another parent (as
  // Move: no cycles; blank keeps the parent), archived or restored by 已撤销 (as SetArchived);
  // identical rows are left alone. Parents named in the same sheet are handled first, wherever
  // their rows are; restores come first and archives last (parents before children, and
  // children before parents). Which column each problem is on: the cell of the change refused. One transaction; an audit record
  // per change as the single calls write them, plus one "unit.import". Any problem → 400 with
  // one Detail per bad cell ("第3行 D列（上级单位编码）"), nothing written. unit.write.
  Result<UnitImportResult> Import(const auth::Actor& actor, const io::Table& table, bool dry_run);
  // The filtered list (List's filters, all pages) as a sheet in the import layout. unit.read.
  Result<io::Sheet> ExportSheet(const auth::Actor& actor, UnitQuery q);
  // The import template: the layout, a drop-down of kinds, one example row (a task force
  // under the unit at the top of the actor's scope). unit.write.
  Result<io::Sheet> TemplateSheet(const auth::Actor& actor);

  // For init/demo: creates the unit with this code unless it exists (idempotent).
  Result<Unit> Ensure(const auth::Actor& system, const NewUnit& n);
  Result<Unit> FindByCode(const std::string& code);

 private:
  db::Database& db_;
  const Clock& clock_;
};

std::string UnitSnapshot(const Unit& u);

}  // namespace tiaodu::org
