// SQL for the unit tree, and nothing else. Runs inside a caller's Tx.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.h"
#include "org/model.h"

namespace tiaodu::org::store {

std::optional<Unit> FindUnit(db::Tx& tx, int64_t id);
std::optional<Unit> FindUnitByCode(db::Tx& tx, const std::string& code);
// Units whose path starts with scope_path, filtered; ordered by path.
std::vector<Unit> ListUnits(db::Tx& tx, const std::string& scope_path, const UnitQuery& q,
                            int64_t* total);
int64_t InsertUnit(db::Tx& tx, const Unit& u);  // sets path from the returned id
// Writes name/code/kind/archived/sort_order where id and version match; bumps version.
bool UpdateUnit(db::Tx& tx, const Unit& u);
// Re-parents a unit and rewrites the paths of its whole subtree.
bool MoveUnit(db::Tx& tx, const Unit& u, int64_t new_parent_id, const std::string& new_path,
              int64_t now);
int64_t CountActiveChildren(db::Tx& tx, int64_t id);
int64_t CountUsers(db::Tx& tx, int64_t id);

}  // namespace tiaodu::org::store
