// Pure rules of the unit tree: kinds, codes, names, moves.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "org/model.h"

namespace tiaodu::org {

struct KindInfo {
  const char* code;
  const char* name_zh;
  bool administrative;  // carries a GB/T 2260 code
};
const std::vector<KindInfo>& UnitKinds();
const KindInfo* FindKind(std::string_view code);

// Validates a new or renamed unit's fields; code may be empty for non-administrative kinds
// (an internal code is assigned).
Status CheckUnitFields(const std::string& name, const std::string& kind, const std::string& code);

// Whether moving the unit at unit_path under the unit at new_parent_path would create a cycle.
bool MoveCreatesCycle(const std::string& unit_path, const std::string& new_parent_path);

// The path of a child given its parent's path and its own id.
std::string ChildPath(const std::string& parent_path, int64_t id);

}  // namespace tiaodu::org
