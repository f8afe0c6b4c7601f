// The kinds `tiaodu import KIND FILE` and `tiaodu export KIND -o FILE` know: for each, the
// import of its routes (all or nothing, the same checks) and the export of its whole list in
// the import layout, both as the system actor. One entry per kind in sheet_kinds.cc.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "auth/model.h"
#include "base/clock.h"
#include "base/result.h"
#include "db/database.h"
#include "io/table.h"
#include "io/xlsx_writer.h"

namespace tiaodu::app {

// What an import did, for the command's one line of output.
struct ImportSummary {
  int rows = 0, inserted = 0, updated = 0, unchanged = 0;
  // Optional further figures, printed after the counts: " findings=3 check_ms=12.5".
  std::string extra;
};

struct SheetKind {
  std::string name;         // "projects"
  std::string description;  // "重点项目" (the help text)
  std::function<Result<ImportSummary>(db::Database&, const Clock&, const auth::Actor&, const io::Table&,
                                      bool dry_run)>
      import;
  // `year`: 0 for every year, or the kind's year (a plan year, a period's year, ...).
  std::function<Result<io::Sheet>(db::Database&, const Clock&, const auth::Actor&, int year)> export_sheet;
};

// Every kind, in the order the help lists them.
const std::vector<SheetKind>& SheetKinds();
// The kind named `name`, or nullptr.
const SheetKind* FindSheetKind(const std::string& name);
// "projects | indicator-values | ..."
std::string SheetKindNames();

}  // namespace tiaodu::app
