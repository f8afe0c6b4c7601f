// SQL of the fact-check domain, and nothing else: the catalog's names, aliases and units (the
// indicators table), a unit's scope path by name, and the ledger's approved figures of one
// region and period. Every function runs inside a caller's Tx.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.h"
#include "factcheck/model.h"

namespace tiaodu::factcheck::store {

// The active catalog: code, name, aliases, unit.
std::vector<CatalogEntry> LoadCatalog(db::Tx& tx);

// The scope path of the active unit named `name`, if any.
std::optional<std::string> UnitPathByName(db::Tx& tx, const std::string& name);

// Approved or published values of the unit named `region` at `period` (a month key
// "2023-12"), in each indicator's catalog unit.
std::vector<LedgerFigure> ApprovedFigures(db::Tx& tx, const std::string& region,
                                          const std::string& period);

}  // namespace tiaodu::factcheck::store
