#include "org/service.h"

#include "auth/audit.h"
#include "auth/rules.h"
#include "base/json_text.h"
#include "org/rules.h"
#include "org/store.h"

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

Result<Unit> OrgService::Create(const auth::Actor& actor, const NewUnit& n) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "unit.write"));
  TIAODU_RETURN_IF_ERROR(CheckUnitFields(n.name, n.kind, n.code));
  const int64_t now = clock_.NowMillis();
  Unit out;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
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
    if (!n.code.empty() && store::FindUnitByCode(tx, n.code))
      return Conflict("单位编码已存在: " + n.code);
    u.code = n.code;
    u.name = n.name;
    u.kind = n.kind;
    u.created_at = u.updated_at = now;
    int64_t id = store::InsertUnit(tx, u);
    out = *store::FindUnit(tx, id);
    return auth::AppendAudit(tx, auth::MakeAudit(actor, now, "unit.create", "unit",
                                                 std::to_string(id), {}, UnitSnapshot(out)));
  });
  if (!s.ok()) return s;
  return out;
}

Result<Unit> OrgService::Update(const auth::Actor& actor, int64_t id, const UnitPatch& p) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "unit.write"));
  const int64_t now = clock_.NowMillis();
  Unit out;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto u = LoadForWrite(tx, actor, id, p.version);
    if (!u.ok()) return u.status();
    Unit before = *u;
    if (p.name) u->name = *p.name;
    if (p.kind) u->kind = *p.kind;
    if (p.code && !p.code->empty()) u->code = *p.code;  // empty: keep the code it has
    TIAODU_RETURN_IF_ERROR(CheckUnitFields(u->name, u->kind, u->code));
    if (u->code != before.code && store::FindUnitByCode(tx, u->code))
      return Conflict("单位编码已存在: " + u->code);
    u->updated_at = now;
    if (!store::UpdateUnit(tx, *u)) return StaleVersion();
    out = *store::FindUnit(tx, id);
    return auth::AppendAudit(tx, auth::MakeAudit(actor, now, "unit.update", "unit",
                                                 std::to_string(id), UnitSnapshot(before),
                                                 UnitSnapshot(out)));
  });
  if (!s.ok()) return s;
  return out;
}

Result<Unit> OrgService::Move(const auth::Actor& actor, int64_t id, int64_t new_parent_id,
                              int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "unit.write"));
  const int64_t now = clock_.NowMillis();
  Unit out;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto u = LoadForWrite(tx, actor, id, version);
    if (!u.ok()) return u.status();
    if (!actor.system && u->id == actor.unit_id)
      return PermissionDenied("不能移动自己所在的单位");
    if (!u->parent_id) return FailedPrecondition("根单位不能移动");
    auto parent = store::FindUnit(tx, new_parent_id);
    if (!parent || parent->archived)
      return InvalidArgument("新上级单位不存在", {{"parent_id", "单位不存在或已撤销"}});
    if (!actor.InScope(parent->path)) return PermissionDenied("新上级单位不在您的管理范围内");
    if (MoveCreatesCycle(u->path, parent->path))
      return InvalidArgument("不能移动到自身或其下级单位之下", {{"parent_id", "会形成循环"}});
    Unit before = *u;
    if (!store::MoveUnit(tx, *u, new_parent_id, ChildPath(parent->path, id), now))
      return StaleVersion();
    out = *store::FindUnit(tx, id);
    return auth::AppendAudit(tx, auth::MakeAudit(actor, now, "unit.move", "unit",
                                                 std::to_string(id), UnitSnapshot(before),
                                                 UnitSnapshot(out)));
  });
  if (!s.ok()) return s;
  return out;
}

Result<Unit> OrgService::SetArchived(const auth::Actor& actor, int64_t id, bool archived,
                                     int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "unit.write"));
  const int64_t now = clock_.NowMillis();
  Unit out;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto u = LoadForWrite(tx, actor, id, version);
    if (!u.ok()) return u.status();
    if (!actor.system && u->id == actor.unit_id)
      return PermissionDenied("不能撤销自己所在的单位");
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
    out = *store::FindUnit(tx, id);
    return auth::AppendAudit(tx, auth::MakeAudit(actor, now,
                                                 archived ? "unit.archive" : "unit.restore", "unit",
                                                 std::to_string(id), UnitSnapshot(before),
                                                 UnitSnapshot(out)));
  });
  if (!s.ok()) return s;
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

}  // namespace tiaodu::org
