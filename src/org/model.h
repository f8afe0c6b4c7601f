// Plain structs of the org domain: the unit tree (单位).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tiaodu::org {

struct Unit {
  int64_t id = 0;
  std::string code;  // GB/T 2260 code for administrative units; internal code otherwise
  std::string name;
  std::string kind;  // see rules.h UnitKinds()
  std::optional<int64_t> parent_id;
  std::string path;  // "/1/4/" — ids from the root down to this unit
  int sort_order = 0;
  bool archived = false;
  int version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct UnitQuery {
  std::string q;
  std::string kind;
  std::optional<int64_t> parent_id;
  bool include_archived = false;
  int page = 1;
  int page_size = 500;
};

struct NewUnit {
  std::string code;  // optional
  std::string name;
  std::string kind;
  int64_t parent_id = 0;
};

struct UnitPatch {
  std::optional<std::string> name;
  std::optional<std::string> code;
  std::optional<std::string> kind;
  int version = 0;
};

// What a units import did (or, in a dry run, would do).
struct UnitImportResult {
  int rows = 0, inserted = 0, updated = 0, unchanged = 0;
};

}  // namespace tiaodu::org
