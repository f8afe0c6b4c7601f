#include "org/service.h"

#include "auth/audit.h"
#include "auth/rules.h"
#include "base/json_text.h"
#include "org/rules.h"
#include "org/sheets.h"
#include "org/store.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace tiaodu::org {
namespace {

// Loads a unit for a change: 404 if absent, 403 if outside the actor's scope, 409 if stale.
Result<Unit> LoadForWrite(db::Tx& tx, const auth::Actor& actor, int64_t id,
                          std::optional<int> version) {
  auto u = store::FindUnit(tx, id);
  if (!u) return NotFound("单位不存在");
  if (!actor.InScope(u->path)) return PermissionDenied("该单位不在您的管理范围内");
  if (version && *version != u->version) return StaleVersion();
  return *u;
}

}  // namespace

std::string UnitSnapshot(const Unit& u) {
  return JsonText()
      .Add("id", u.id)
      .Add("code", u.code)
      .Add("name", u.name)
      .Add("kind", u.kind)
      .Add("parent_id", u.parent_id)
      .Add("archived", u.archived)
      .Add("version", u.version)
      .Build();
}

Result<auth::Page<Unit>> OrgService::List(const auth::Actor& actor, UnitQuery q) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "unit.read"));
  auth::Page<Unit> page;
  page.page = q.page;
  page.page_size = q.page_size;
  Status s = db_.Read([&](db::Tx& tx) {
    page.items = store::ListUnits(tx, actor.system ? "/" : actor.unit_path, q, &page.total);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return page;
}

Result<Unit> OrgService::Get(const auth::Actor& actor, int64_t id) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "unit.read"));
  std::optional<Unit> u;
  Status s = db_.Read([&](db::Tx& tx) {
    u = store::FindUnit(tx, id);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (!u || !actor.InScope(u->path)) return NotFound("单位不存在");
  return *u;
}

namespace {

// The use cases inside a caller's write transaction, shared by the single-unit calls and the
// import: scope, the tree's rules, the write and its audit record. Permission and the field
// rules (CheckUnitFields) are the caller's.
Status CreateIn(db::Tx& tx, const auth::Actor& actor, const NewUnit& n, int64_t now, Unit* out) {
  Unit u;
  if (n.parent_id) {
    auto parent = store::FindUnit(tx, n.parent_id);
    if (!parent || parent->archived)
      return InvalidArgument("上级单位不存在", {{"parent_id", "上级单位不存在或已撤销"}});
    if (!actor.InScope(parent->path)) return PermissionDenied("上级单位不在您的管理范围内");
    u.parent_id = n.parent_id;
  } else if (!actor.system) {
    return InvalidArgument("请选择上级单位", {{"parent_id", "必填"}});
  }
  if (!n.code.empty() && store::FindUnitByCode(tx, n.code)) return Conflict("单位编码已存在: " + n.code);
  u.code = n.code;
  u.name = n.name;
  u.kind = n.kind;
  u.created_at = u.updated_at = now;
  int64_t id = store::InsertUnit(tx, u);
  *out = *store::FindUnit(tx, id);
  return auth::AppendAudit(tx, auth::MakeAudit(actor, now, "unit.create", "unit", std::to_string(id), {},
                                               UnitSnapshot(*out)));
}

Status UpdateIn(db::Tx& tx, const auth::Actor& actor, int64_t id, const UnitPatch& p,
                std::optional<int> version, int64_t now, Unit* out) {
  auto u = LoadForWrite(tx, actor, id, version);
  if (!u.ok()) return u.status();
  Unit before = *u;
  if (p.name) u->name = *p.name;
  if (p.kind) u->kind = *p.kind;
  if (p.code && !p.code->empty()) u->code = *p.code;  // empty: keep the code it has
  TIAODU_RETURN_IF_ERROR(CheckUnitFields(u->name, u->kind, u->code));
  if (u->code != before.code && store::FindUnitByCode(tx, u->code)) return Conflict("单位编码已存在: " + u->code);
  u->updated_at = now;
  if (!store::UpdateUnit(tx, *u)) return StaleVersion();
  *out = *store::FindUnit(tx, id);
  return auth::AppendAudit(tx, auth::MakeAudit(actor, now, "unit.update", "unit", std::to_string(id),
                                               UnitSnapshot(before), UnitSnapshot(*out)));
}

Status MoveIn(db::Tx& tx, const auth::Actor& actor, int64_t id, int64_t new_parent_id,
              std::optional<int> version, int64_t now, Unit* out) {
  auto u = LoadForWrite(tx, actor, id, version);
  if (!u.ok()) return u.status();
  if (!actor.system && u->id == actor.unit_id) return PermissionDenied("不能移动自己所在的单位");
  if (!u->parent_id) return FailedPrecondition("根单位不能移动");
  auto parent = store::FindUnit(tx, new_parent_id);
  if (!parent || parent->archived)
    return InvalidArgument("新上级单位不存在", {{"parent_id", "单位不存在或已撤销"}});
  if (!actor.InScope(parent->path)) return PermissionDenied("新上级单位不在您的管理范围内");
  if (MoveCreatesCycle(u->path, parent->path))
    return InvalidArgument("不能移动到自身或其下级单位之下", {{"parent_id", "会形成循环"}});
  Unit before = *u;
  if (!store::MoveUnit(tx, *u, new_parent_id, ChildPath(parent->path, id), now)) return StaleVersion();
  *out = *store::FindUnit(tx, id);
  return auth::AppendAudit(tx, auth::MakeAudit(actor, now, "unit.move", "unit", std::to_string(id),
                                               UnitSnapshot(before), UnitSnapshot(*out)));
}

Status SetArchivedIn(db::Tx& tx, const auth::Actor& actor, int64_t id, bool archived,
                     std::optional<int> version, int64_t now, Unit* out) {
  auto u = LoadForWrite(tx, actor, id, version);
  if (!u.ok()) return u.status();
  if (!actor.system && u->id == actor.unit_id) return PermissionDenied("不能撤销自己所在的单位");
  if (archived) {
    if (store::CountActiveChildren(tx, id) > 0)
      return FailedPrecondition("该单位还有未撤销的下级单位，请先处理下级单位");
    if (store::CountUsers(tx, id) > 0)
      return FailedPrecondition("该单位还有在用的用户账户，请先调整或停用这些用户");
  } else if (u->parent_id) {
    auto parent = store::FindUnit(tx, *u->parent_id);
    if (parent && parent->archived) return FailedPrecondition("上级单位已撤销，请先恢复上级单位");
  }
  Unit before = *u;
  u->archived = archived;
  u->updated_at = now;
  if (!store::UpdateUnit(tx, *u)) return StaleVersion();
  *out = *store::FindUnit(tx, id);
  return auth::AppendAudit(tx, auth::MakeAudit(actor, now, archived ? "unit.archive" : "unit.restore", "unit",
                                               std::to_string(id), UnitSnapshot(before), UnitSnapshot(*out)));
}

}  // namespace

Result<Unit> OrgService::Create(const auth::Actor& actor, const NewUnit& n) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "unit.write"));
  TIAODU_RETURN_IF_ERROR(CheckUnitFields(n.name, n.kind, n.code));
  const int64_t now = clock_.NowMillis();
  Unit out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) { return CreateIn(tx, actor, n, now, &out); }));
  return out;
}

Result<Unit> OrgService::Update(const auth::Actor& actor, int64_t id, const UnitPatch& p) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "unit.write"));
  const int64_t now = clock_.NowMillis();
  Unit out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) { return UpdateIn(tx, actor, id, p, p.version, now, &out); }));
  return out;
}

Result<Unit> OrgService::Move(const auth::Actor& actor, int64_t id, int64_t new_parent_id,
                              int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "unit.write"));
  const int64_t now = clock_.NowMillis();
  Unit out;
  TIAODU_RETURN_IF_ERROR(
      db_.Write([&](db::Tx& tx) { return MoveIn(tx, actor, id, new_parent_id, version, now, &out); }));
  return out;
}

Result<Unit> OrgService::SetArchived(const auth::Actor& actor, int64_t id, bool archived,
                                     int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "unit.write"));
  const int64_t now = clock_.NowMillis();
  Unit out;
  TIAODU_RETURN_IF_ERROR(
      db_.Write([&](db::Tx& tx) { return SetArchivedIn(tx, actor, id, archived, version, now, &out); }));
  return out;
}

Result<Unit> OrgService::FindByCode(const std::string& code) {
  std::optional<Unit> u;
  Status s = db_.Read([&](db::Tx& tx) {
    u = store::FindUnitByCode(tx, code);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (!u) return NotFound("单位不存在: " + code);
  return *u;
}

Result<Unit> OrgService::Ensure(const auth::Actor& system, const NewUnit& n) {
  auto existing = FindByCode(n.code);
  if (existing.ok()) return existing;
  if (existing.status().code() != Code::kNotFound) return existing.status();
  return Create(system, n);
}

// ---------------------------------------------------------------------------------------
// Spreadsheets: import, export, template (the layout: org/sheets.h)

namespace {

constexpr size_t kMaxImportRows = 20000;
constexpr size_t kMaxExportRows = 200000;

// Whether a name holds control characters (line breaks included: a unit's name is one line).
bool HasControl(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

// One row of an import sheet as typed.
struct UnitRow {
  const io::Row* row = nullptr;
  std::string code, name, kind, parent;
  std::optional<bool> archived;  // nullopt: the sheet has no 已撤销 column
  bool bad = false;
};

}  // namespace

Result<UnitImportResult> OrgService::Import(const auth::Actor& actor, const io::Table& table, bool dry_run) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "unit.write"));
  struct {
    int code, name, kind, parent, archived;
  } c{table.Column({header::kCode, "单位代码", "code"}), table.Column({header::kName, "name"}),
      table.Column({header::kKind, "单位类型", "类型", "kind"}),
      table.Column({header::kParent, "上级单位代码", "parent", "parent_code"}),
      table.Column({header::kArchived, "归档", "已归档", "已撤销/归档", "archived"})};
  std::vector<Detail> bad;
  for (const auto& [col, name] : {std::pair{c.code, header::kCode}, std::pair{c.name, header::kName},
                                  std::pair{c.kind, header::kKind}, std::pair{c.parent, header::kParent}})
    if (col < 0) bad.push_back({"第1行（表头）", std::string("缺少“") + name + "”列"});
  if (!bad.empty()) return InvalidArgument("导入失败：表头不完整，未写入任何数据", bad);
  if (table.rows.empty()) return InvalidArgument("导入失败：文件中没有数据行");
  if (table.rows.size() > kMaxImportRows)
    return InvalidArgument("导入失败：一次最多导入 " + std::to_string(kMaxImportRows) + " 个单位");

  // Problems, one per cell, reported in the order of rows and columns.
  std::map<std::pair<int, int>, Detail> errors;
  auto fail = [&](UnitRow& r, int col, const char* name, std::string reason) {
    r.bad = true;
    errors.try_emplace({r.row->line, col},
                       Detail{"第" + std::to_string(r.row->line) + "行 " + io::ColumnLetter(col) + "列（" + name + "）",
                              std::move(reason)});
  };
  auto text = [](const io::Row& row, int col) { return col < 0 ? std::string() : io::Table::Cell(row, col); };

  // 1. Every cell as typed.
  std::vector<UnitRow> rows(table.rows.size());
  std::map<std::string, size_t> by_code;  // code → its row
  for (size_t k = 0; k < rows.size(); ++k) {
    UnitRow& r = rows[k];
    r.row = &table.rows[k];
    r.code = text(*r.row, c.code);
    r.name = text(*r.row, c.name);
    r.parent = text(*r.row, c.parent);
    const std::string kind = text(*r.row, c.kind);
    if (r.code.empty()) fail(r, c.code, header::kCode, "必填");
    else if (auto [it, fresh] = by_code.emplace(r.code, k); !fresh)
      fail(r, c.code, header::kCode, "与第" + std::to_string(rows[it->second].row->line) + "行的单位编码重复：" + r.code);
    if (r.name.empty()) fail(r, c.name, header::kName, "必填");
    else if (r.name.size() > 150) fail(r, c.name, header::kName, "过长（最多150字节，约50个汉字）");
    else if (HasControl(r.name)) fail(r, c.name, header::kName, "含有控制字符或换行");
    r.kind = KindFromSheet(kind);
    if (kind.empty()) fail(r, c.kind, header::kKind, "必填");
    else if (r.kind.empty())
      fail(r, c.kind, header::kKind, "应为 市、区、县、县级市、功能区、乡镇/街道、部门 或 专班，现为“" + kind + "”");
    if (c.archived >= 0) {
      const std::string a = text(*r.row, c.archived);
      r.archived = ArchivedFromSheet(a);
      if (!r.archived) fail(r, c.archived, header::kArchived, "应为 是 或 否，现为“" + a + "”");
    }
    if (!r.code.empty() && !r.kind.empty() && !r.name.empty()) {
      const Status fields = CheckUnitFields(r.name, r.kind, r.code);
      for (const Detail& d : fields.details()) {
        if (d.field == "code") fail(r, c.code, header::kCode, d.reason);
        else if (d.field == "kind") fail(r, c.kind, header::kKind, d.reason);
        else fail(r, c.name, header::kName, d.reason);
      }
    }
  }

  // 2. Parents before their children: a row whose 上级单位编码 is another row's code comes
  // after that row (depth first); a loop within the sheet is refused.
  std::vector<size_t> order;
  std::vector<int> state(rows.size(), 0);  // 0 new, 1 on the path, 2 placed
  std::function<void(size_t)> place = [&](size_t k) {
    if (state[k] == 2) return;
    if (state[k] == 1) {
      fail(rows[k], c.parent, header::kParent, "上级单位编码在表中形成循环：" + rows[k].parent);
      return;
    }
    state[k] = 1;
    auto p = rows[k].parent.empty() ? by_code.end() : by_code.find(rows[k].parent);
    if (p != by_code.end() && p->second != k) place(p->second);
    else if (p != by_code.end()) fail(rows[k], c.parent, header::kParent, "上级单位不能是自己");
    state[k] = 2;
    order.push_back(k);
  };
  for (size_t k = 0; k < rows.size(); ++k) place(k);

  // 3. In one transaction, row by row (parents first), with the checks and audit records of
  // the single-unit calls; archiving comes last, children before parents.
  const int64_t now = clock_.NowMillis();
  UnitImportResult result;
  result.rows = static_cast<int>(rows.size());
  bool reached_end = false;
  auto work = [&](db::Tx& tx) -> Status {
    std::set<std::string> failed;  // codes of rows refused
    std::vector<std::pair<size_t, int64_t>> to_archive;
    std::vector<bool> changed(rows.size(), false), existed(rows.size(), false);
    // A refusal of a use case, on the cell it concerns (field details first).
    auto refuse = [&](UnitRow& r, const Status& s, int col, const char* name) -> Status {
      if (s.code() == Code::kInternal || s.code() == Code::kUnavailable) return s;
      bool named = false;
      for (const Detail& d : s.details()) {
        if (d.field == "name") fail(r, c.name, header::kName, d.reason), named = true;
        else if (d.field == "kind") fail(r, c.kind, header::kKind, d.reason), named = true;
        else if (d.field == "code") fail(r, c.code, header::kCode, d.reason), named = true;
      }
      if (!named) fail(r, col, name, s.message());
      failed.insert(r.code);
      return Status::Ok();
    };
    // The depth of a unit in the tree as it now is (parents before children).
    auto depth = [&](int64_t id) {
      auto u = store::FindUnit(tx, id);
      return u ? std::count(u->path.begin(), u->path.end(), '/') : 0;
    };
    // Restores first, parents before children, so that what follows may use them.
    std::vector<std::pair<size_t, int64_t>> to_restore;
    for (size_t k : order) {
      if (rows[k].bad || !rows[k].archived || *rows[k].archived) continue;
      auto u = store::FindUnitByCode(tx, rows[k].code);
      if (u && u->archived && actor.InScope(u->path)) to_restore.emplace_back(k, u->id);
    }
    std::stable_sort(to_restore.begin(), to_restore.end(),
                     [&](const auto& a, const auto& b) { return depth(a.second) < depth(b.second); });
    for (const auto& [k, id] : to_restore) {
      Unit u;
      if (Status s = SetArchivedIn(tx, actor, id, false, std::nullopt, now, &u); !s.ok())
        TIAODU_RETURN_IF_ERROR(refuse(rows[k], s, c.archived, header::kArchived));
      else
        changed[k] = true;
    }
    for (size_t k : order) {
      UnitRow& r = rows[k];
      if (r.bad) {
        failed.insert(r.code);
        continue;
      }
      Unit u;
      auto existing = store::FindUnitByCode(tx, r.code);
      existed[k] = existing.has_value();
      if (existing && !actor.InScope(existing->path)) {
        fail(r, c.code, header::kCode, "已有此编码的单位不在您的管理范围内，不能修改：" + r.code);
        failed.insert(r.code);
        continue;
      }
      std::optional<Unit> parent;
      if (!r.parent.empty()) {
        parent = store::FindUnitByCode(tx, r.parent);
        if (!parent || !actor.InScope(parent->path)) {
          fail(r, c.parent, header::kParent,
               (!parent && failed.count(r.parent) ? "上级单位所在的行有误，未能新建：" : "上级单位不存在或不在您的管理范围内：") + r.parent);
          failed.insert(r.code);
          continue;
        }
      }
      if (!existing) {
        if (!parent && !actor.system) {
          fail(r, c.parent, header::kParent, "新建单位须填写上级单位编码");
          failed.insert(r.code);
          continue;
        }
        Status s = CreateIn(tx, actor, {r.code, r.name, r.kind, parent ? parent->id : 0}, now, &u);
        if (!s.ok()) {
          TIAODU_RETURN_IF_ERROR(refuse(r, s, c.parent, header::kParent));
          continue;
        }
        changed[k] = true;
        if (r.archived && *r.archived) to_archive.emplace_back(k, u.id);
        continue;
      }
      u = *existing;
      if (u.name != r.name || u.kind != r.kind) {
        UnitPatch p;
        p.name = r.name;
        p.kind = r.kind;
        Status s = UpdateIn(tx, actor, u.id, p, std::nullopt, now, &u);
        if (!s.ok()) {
          TIAODU_RETURN_IF_ERROR(refuse(r, s, u.kind != r.kind ? c.kind : c.name, u.kind != r.kind ? header::kKind : header::kName));
          continue;
        }
        changed[k] = true;
      }
      if (parent && u.parent_id != parent->id) {
        Status s = MoveIn(tx, actor, u.id, parent->id, std::nullopt, now, &u);
        if (!s.ok()) {
          TIAODU_RETURN_IF_ERROR(refuse(r, s, c.parent, header::kParent));
          continue;
        }
        changed[k] = true;
      }
      if (r.archived && *r.archived && !u.archived) to_archive.emplace_back(k, u.id);
    }
    // Archives last, children before parents (in the tree as moved).
    std::stable_sort(to_archive.begin(), to_archive.end(),
                     [&](const auto& a, const auto& b) { return depth(a.second) > depth(b.second); });
    for (const auto& [k, id] : to_archive) {
      if (!errors.empty()) break;  // refused anyway; an archive check would only repeat them
      Unit u;
      if (Status s = SetArchivedIn(tx, actor, id, true, std::nullopt, now, &u); !s.ok())
        TIAODU_RETURN_IF_ERROR(refuse(rows[k], s, c.archived, header::kArchived));
      else
        changed[k] = true;
    }
    if (!errors.empty()) {
      for (auto& [at, d] : errors) bad.push_back(std::move(d));
      return InvalidArgument("导入失败：共 " + std::to_string(bad.size()) + " 处错误，未写入任何数据", bad);
    }
    for (size_t k = 0; k < rows.size(); ++k) {
      if (!existed[k]) result.inserted++;
      else if (changed[k]) result.updated++;
      else result.unchanged++;
    }
    if (result.inserted || result.updated)
      TIAODU_RETURN_IF_ERROR(auth::AppendAudit(
          tx, auth::MakeAudit(actor, now, "unit.import", "unit", "*", {},
                              JsonText()
                                  .Add("rows", result.rows)
                                  .Add("inserted", result.inserted)
                                  .Add("updated", result.updated)
                                  .Add("unchanged", result.unchanged)
                                  .Build())));
    reached_end = true;
    // A dry run does all of it and rolls back.
    return dry_run ? Status(Code::kFailedPrecondition, "dry run") : Status::Ok();
  };
  Status s = db_.Write(work);
  if (dry_run && reached_end) return result;
  if (!s.ok()) return s;
  return result;
}

Result<io::Sheet> OrgService::ExportSheet(const auth::Actor& actor, UnitQuery q) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "unit.read"));
  q.page = 1;
  q.page_size = static_cast<int>(kMaxExportRows);
  io::Sheet sheet;
  sheet.name = "单位";
  sheet.columns = UnitColumns();
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    std::vector<Unit> units = store::ListUnits(tx, actor.system ? "/" : actor.unit_path, q, nullptr);
    std::map<int64_t, std::optional<Unit>> parents;  // a parent outside the scope: nullopt
    for (const Unit& u : units) parents.emplace(u.id, u);
    sheet.rows.reserve(units.size());
    for (const Unit& u : units) {
      const Unit* parent = nullptr;
      if (u.parent_id) {
        auto it = parents.find(*u.parent_id);
        if (it == parents.end()) {
          auto p = store::FindUnit(tx, *u.parent_id);
          it = parents.emplace(*u.parent_id, p && actor.InScope(p->path) ? p : std::nullopt).first;
        }
        if (it->second) parent = &*it->second;
      }
      sheet.rows.push_back(UnitCells(u, parent));
    }
    return Status::Ok();
  }));
  return sheet;
}

Result<io::Sheet> OrgService::TemplateSheet(const auth::Actor& actor) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "unit.write"));
  std::optional<Unit> top;  // the unit at the top of the actor's scope: the example's parent
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    if (int64_t id = auth::TopUnitOfScope(actor.system ? std::string() : actor.unit_path)) {
      top = store::FindUnit(tx, id);
    } else {
      UnitQuery q;
      q.page_size = 1;
      auto roots = store::ListUnits(tx, "/", q, nullptr);
      if (!roots.empty()) top = roots.front();
    }
    return Status::Ok();
  }));
  io::Sheet sheet;
  sheet.name = "单位";
  sheet.columns = UnitColumns();
  const std::string parent = top ? top->code : "411300";
  sheet.rows = {{"EX-" + parent + "-01", "示例专班（" + (top ? top->name : std::string("南阳市")) + "）",
                 KindForSheet("task_force"), parent, "否", top ? top->name : ""}};
  return sheet;
}

}  // namespace tiaodu::org
