#include "org/service.h"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <set>
#include <string>

#include "../testing/databases.h"
#include "auth/audit.h"
#include "auth/crypto.h"
#include "org/rules.h"

namespace tiaodu::org {
namespace {

// Specification of the unit tree's use cases, on both databases.
//
// The tree built in SetUp:
//   南阳市 city 411300
//   ├── 宛城区 district 411302
//   │   └── 仲景街道 town
//   │       └── 社区专班 task_force
//   └── 卧龙区 district 411303
//       └── 科技局 department
class OrgServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(auth::InitCrypto());
    auto opened = db::Database::Open(testing::FreshDatabaseUrl(GetParam()));
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    db_ = std::move(*opened);
    ASSERT_TRUE(db::Migrate(*db_, clock_.NowMillis()).ok());
    org_ = std::make_unique<OrgService>(*db_, clock_);
    system_.system = true;
    system_.username = "system";
    city_ = Create({"411300", "南阳市", "city", 0});
    wancheng_ = Create({"411302", "宛城区", "district", city_.id});
    street_ = Create({"", "仲景街道", "town", wancheng_.id});
    task_ = Create({"", "社区专班", "task_force", street_.id});
    wolong_ = Create({"411303", "卧龙区", "district", city_.id});
    bureau_ = Create({"", "科技局", "department", wolong_.id});
  }

  Unit Create(const NewUnit& n) {
    auto u = org_->Create(system_, n);
    EXPECT_TRUE(u.ok()) << n.name << ": " << u.status().message();
    return u.ok() ? *u : Unit{};
  }
  Unit Get(int64_t id) {
    auto u = org_->Get(system_, id);
    EXPECT_TRUE(u.ok()) << id << ": " << u.status().message();
    return u.ok() ? *u : Unit{};
  }
  int64_t AuditCount() {
    auto page = auth::QueryAudit(*db_, {});
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->total : -1;
  }
  // A district administrator whose data scope is the given unit's subtree.
  static auth::Actor ScopedTo(const Unit& u) {
    return auth::Actor{0, "district_admin", "sys_admin", u.id, u.path, "10.0.0.9"};
  }

  FakeClock clock_{1790000000000};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<OrgService> org_;
  auth::Actor system_;
  Unit city_, wancheng_, street_, task_, wolong_, bureau_;
};

TEST_P(OrgServiceTest, CreateBuildsMaterializedPathsFromTheRoot) {
  EXPECT_EQ(city_.path, "/" + std::to_string(city_.id) + "/");
  EXPECT_FALSE(city_.parent_id.has_value());
  EXPECT_EQ(wancheng_.path, ChildPath(city_.path, wancheng_.id));
  EXPECT_EQ(street_.path, ChildPath(wancheng_.path, street_.id));
  EXPECT_EQ(task_.path, ChildPath(street_.path, task_.id));
  EXPECT_EQ(task_.parent_id, street_.id);
  EXPECT_EQ(task_.version, 1);
  EXPECT_FALSE(task_.archived);
  EXPECT_EQ(task_.created_at, clock_.NowMillis());
}

TEST_P(OrgServiceTest, UnitWithoutACodeGetsAnInternalCode) {
  char expected[16];
  std::snprintf(expected, sizeof expected, "U%06lld", static_cast<long long>(bureau_.id));
  EXPECT_EQ(bureau_.code, expected);
  EXPECT_EQ(Get(street_.id).code.rfind("U", 0), 0u);
  EXPECT_NE(Get(street_.id).code, Get(task_.id).code);
}

TEST_P(OrgServiceTest, CreateRefusesInvalidFieldsDuplicateCodesAndMissingParents) {
  int64_t audits = AuditCount();
  EXPECT_EQ(org_->Create(system_, {"411302", "重复", "district", city_.id}).status().code(),
            Code::kConflict);
  EXPECT_EQ(org_->Create(system_, {"99", "坏代码", "district", city_.id}).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(org_->Create(system_, {"", "无上级", "department", 999999}).status().code(),
            Code::kInvalidArgument);
  // A scoped actor may not create a second root.
  EXPECT_EQ(org_->Create(ScopedTo(wancheng_), {"", "新根", "department", 0}).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(AuditCount(), audits);
}

TEST_P(OrgServiceTest, MoveRewritesThePathOfTheUnitAndEveryDescendant) {
  auto moved = org_->Move(system_, street_.id, wolong_.id, street_.version);
  ASSERT_TRUE(moved.ok()) << moved.status().message();
  EXPECT_EQ(moved->parent_id, wolong_.id);
  EXPECT_EQ(moved->version, street_.version + 1);
  const std::string street_path = ChildPath(wolong_.path, street_.id);
  EXPECT_EQ(moved->path, street_path);
  EXPECT_EQ(Get(street_.id).path, street_path);
  EXPECT_EQ(Get(task_.id).path, ChildPath(street_path, task_.id));
  EXPECT_EQ(Get(task_.id).parent_id, street_.id);
  // Nothing else moves.
  EXPECT_EQ(Get(wancheng_.id).path, wancheng_.path);
  EXPECT_EQ(Get(bureau_.id).path, bureau_.path);
  EXPECT_EQ(Get(wolong_.id).path, wolong_.path);
  EXPECT_EQ(Get(city_.id).path, city_.path);
  // The moved subtree now belongs to 卧龙区 in a List by parent.
  UnitQuery q;
  q.parent_id = wolong_.id;
  auto children = org_->List(system_, q);
  ASSERT_TRUE(children.ok());
  std::set<int64_t> ids;
  for (const Unit& u : children->items) ids.insert(u.id);
  EXPECT_EQ(ids, (std::set<int64_t>{street_.id, bureau_.id}));
}

TEST_P(OrgServiceTest, MoveDoesNotTouchUnitsWhosePathMerelySharesAPrefix) {
  // Create units until one has an id that starts with street_'s id (e.g. 3 and 30..39).
  const std::string prefix = std::to_string(street_.id);
  Unit lookalike;
  for (int i = 0; i < 40 && lookalike.id == 0; ++i) {
    Unit u = Create({"", "单位" + std::to_string(i), "department", wancheng_.id});
    if (std::to_string(u.id).rfind(prefix, 0) == 0 && u.id != street_.id) lookalike = u;
  }
  ASSERT_NE(lookalike.id, 0);
  ASSERT_TRUE(org_->Move(system_, street_.id, wolong_.id, street_.version).ok());
  EXPECT_EQ(Get(lookalike.id).path, lookalike.path);
  EXPECT_EQ(Get(lookalike.id).parent_id, wancheng_.id);
}

TEST_P(OrgServiceTest, MovingUnderItselfOrADescendantIsRefused) {
  int64_t audits = AuditCount();
  for (int64_t target : {street_.id, task_.id}) {
    auto r = org_->Move(system_, street_.id, target, street_.version);
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << target;
  }
  auto r = org_->Move(system_, wancheng_.id, task_.id, wancheng_.version);
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Get(street_.id).path, street_.path);
  EXPECT_EQ(Get(street_.id).version, street_.version);
  EXPECT_EQ(AuditCount(), audits);
}

TEST_P(OrgServiceTest, TheRootCannotMove) {
  EXPECT_EQ(org_->Move(system_, city_.id, wolong_.id, city_.version).status().code(),
            Code::kFailedPrecondition);
}

TEST_P(OrgServiceTest, ArchivingAUnitWithActiveChildrenIsRefused) {
  auto r = org_->SetArchived(system_, street_.id, true, street_.version);
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_FALSE(Get(street_.id).archived);
}

TEST_P(OrgServiceTest, ArchiveThenRestore) {
  auto archived = org_->SetArchived(system_, task_.id, true, task_.version);
  ASSERT_TRUE(archived.ok()) << archived.status().message();
  EXPECT_TRUE(archived->archived);
  EXPECT_EQ(archived->version, task_.version + 1);
  EXPECT_TRUE(Get(task_.id).archived);

  // Archived units are left out of lists unless asked for.
  UnitQuery q;
  q.parent_id = street_.id;
  EXPECT_EQ(org_->List(system_, q)->total, 0);
  q.include_archived = true;
  EXPECT_EQ(org_->List(system_, q)->total, 1);

  // With its only child archived, the parent may be archived too; then the child may not be
  // restored before its parent.
  auto parent = org_->SetArchived(system_, street_.id, true, street_.version);
  ASSERT_TRUE(parent.ok()) << parent.status().message();
  EXPECT_EQ(org_->SetArchived(system_, task_.id, false, archived->version).status().code(),
            Code::kFailedPrecondition);
  // No new unit under an archived parent.
  EXPECT_EQ(org_->Create(system_, {"", "新单位", "department", street_.id}).status().code(),
            Code::kInvalidArgument);

  ASSERT_TRUE(org_->SetArchived(system_, street_.id, false, parent->version).ok());
  auto restored = org_->SetArchived(system_, task_.id, false, archived->version);
  ASSERT_TRUE(restored.ok()) << restored.status().message();
  EXPECT_FALSE(restored->archived);
  EXPECT_FALSE(Get(task_.id).archived);
  EXPECT_EQ(Get(task_.id).version, task_.version + 2);
}

TEST_P(OrgServiceTest, StaleVersionIsAConflictAndChangesNothing) {
  auto first = org_->Update(system_, bureau_.id, {std::string("科学技术局"), std::nullopt, std::nullopt, 1});
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->version, 2);
  int64_t audits = AuditCount();

  auto stale = org_->Update(system_, bureau_.id, {std::string("旧名"), std::nullopt, std::nullopt, 1});
  EXPECT_EQ(stale.status().code(), Code::kConflict);
  EXPECT_EQ(org_->Move(system_, bureau_.id, wancheng_.id, 1).status().code(), Code::kConflict);
  EXPECT_EQ(org_->SetArchived(system_, bureau_.id, true, 1).status().code(), Code::kConflict);
  auto future = org_->Update(system_, bureau_.id, {std::string("未来"), std::nullopt, std::nullopt, 3});
  EXPECT_EQ(future.status().code(), Code::kConflict);

  Unit now = Get(bureau_.id);
  EXPECT_EQ(now.name, "科学技术局");
  EXPECT_EQ(now.version, 2);
  EXPECT_EQ(now.path, bureau_.path);
  EXPECT_FALSE(now.archived);
  EXPECT_EQ(AuditCount(), audits);
}

TEST_P(OrgServiceTest, UpdateValidatesTheResultingFields) {
  // Making a department a district needs a GB/T 2260 code, which U000xxx is not.
  auto r = org_->Update(system_, bureau_.id, {std::nullopt, std::nullopt, std::string("district"), 1});
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  auto dup = org_->Update(system_, wolong_.id, {std::nullopt, std::string("411302"), std::nullopt, 1});
  EXPECT_EQ(dup.status().code(), Code::kConflict);
  EXPECT_EQ(Get(wolong_.id).code, "411303");
  EXPECT_EQ(Get(bureau_.id).kind, "department");
}

TEST_P(OrgServiceTest, ActorScopedToOneDistrictCannotSeeOrChangeAnother) {
  const auth::Actor district = ScopedTo(wancheng_);
  int64_t audits = AuditCount();

  EXPECT_EQ(org_->Get(district, wolong_.id).status().code(), Code::kNotFound);
  EXPECT_EQ(org_->Get(district, bureau_.id).status().code(), Code::kNotFound);
  EXPECT_EQ(org_->Get(district, city_.id).status().code(), Code::kNotFound);
  EXPECT_TRUE(org_->Get(district, task_.id).ok());

  EXPECT_EQ(org_->Update(district, wolong_.id, {std::string("改名"), std::nullopt, std::nullopt, 1})
                .status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(org_->SetArchived(district, bureau_.id, true, 1).status().code(),
            Code::kPermissionDenied);
  // Nor move its own units out of its scope, nor others' units into it.
  EXPECT_EQ(org_->Move(district, street_.id, wolong_.id, street_.version).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(org_->Move(district, bureau_.id, wancheng_.id, bureau_.version).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(org_->Create(district, {"", "越界", "department", wolong_.id}).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(Get(wolong_.id).name, "卧龙区");
  EXPECT_EQ(AuditCount(), audits);

  auto list = org_->List(district, {});
  ASSERT_TRUE(list.ok());
  std::set<int64_t> ids;
  for (const Unit& u : list->items) ids.insert(u.id);
  EXPECT_EQ(ids, (std::set<int64_t>{wancheng_.id, street_.id, task_.id}));
  EXPECT_EQ(list->total, 3);

  // Within its scope it may work.
  EXPECT_TRUE(org_->Update(district, task_.id, {std::string("社区工作专班"), std::nullopt, std::nullopt, 1}).ok());
}

TEST_P(OrgServiceTest, RoleWithoutUnitWriteCannotChangeUnits) {
  auth::Actor reader{0, "leader", "leader", city_.id, city_.path, "ip"};
  EXPECT_TRUE(org_->Get(reader, bureau_.id).ok());
  EXPECT_EQ(org_->Update(reader, bureau_.id, {std::string("x"), std::nullopt, std::nullopt, 1})
                .status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(org_->Create(reader, {"", "x", "department", city_.id}).status().code(),
            Code::kPermissionDenied);
  auth::Actor auditor{0, "auditor", "audit_admin", city_.id, city_.path, "ip"};
  EXPECT_EQ(org_->List(auditor, {}).status().code(), Code::kPermissionDenied);
}

TEST_P(OrgServiceTest, EveryMutationAppendsAnAuditRecordToAnIntactChain) {
  // SetUp created six units.
  ASSERT_EQ(AuditCount(), 6);
  ASSERT_TRUE(org_->Update(system_, bureau_.id, {std::string("科学技术局"), std::nullopt, std::nullopt, 1}).ok());
  EXPECT_EQ(AuditCount(), 7);
  ASSERT_TRUE(org_->Move(system_, bureau_.id, wancheng_.id, 2).ok());
  EXPECT_EQ(AuditCount(), 8);
  ASSERT_TRUE(org_->SetArchived(system_, bureau_.id, true, 3).ok());
  EXPECT_EQ(AuditCount(), 9);
  ASSERT_TRUE(org_->SetArchived(system_, bureau_.id, false, 4).ok());
  EXPECT_EQ(AuditCount(), 10);

  auto page = auth::QueryAudit(*db_, {});
  ASSERT_TRUE(page.ok());
  std::multiset<std::string> events;
  for (const auth::AuditEntry& e : page->items) {
    events.insert(e.event);
    EXPECT_EQ(e.object_type, "unit");
    EXPECT_EQ(e.outcome, "success");
  }
  EXPECT_EQ(events.count("unit.create"), 6u);
  EXPECT_EQ(events.count("unit.update"), 1u);
  EXPECT_EQ(events.count("unit.move"), 1u);
  EXPECT_EQ(events.count("unit.archive"), 1u);
  EXPECT_EQ(events.count("unit.restore"), 1u);
  // The newest record is the restore of 科技局, with its before and after.
  EXPECT_EQ(page->items[0].event, "unit.restore");
  EXPECT_EQ(page->items[0].object_id, std::to_string(bureau_.id));
  EXPECT_NE(page->items[0].before_json.find("\"archived\":true"), std::string::npos)
      << page->items[0].before_json;
  EXPECT_NE(page->items[0].after_json.find("\"archived\":false"), std::string::npos)
      << page->items[0].after_json;

  auto rep = auth::VerifyAudit(*db_);
  ASSERT_TRUE(rep.ok()) << rep.status().message();
  EXPECT_TRUE(rep->ok) << rep->reason;
  EXPECT_EQ(rep->checked, 10);
}

TEST_P(OrgServiceTest, EnsureIsIdempotentByCode) {
  auto again = org_->Ensure(system_, {"411302", "宛城区", "district", city_.id});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, wancheng_.id);
  EXPECT_EQ(AuditCount(), 6);
  auto fresh = org_->Ensure(system_, {"411381", "邓州市", "county_city", city_.id});
  ASSERT_TRUE(fresh.ok()) << fresh.status().message();
  EXPECT_EQ(org_->FindByCode("411381")->id, fresh->id);
  EXPECT_EQ(org_->FindByCode("000000").status().code(), Code::kNotFound);
}

TEST_P(OrgServiceTest, AnEmptyCodeInAnUpdateKeepsTheCodeTheUnitHas) {
  // "code may be empty for non-administrative kinds (an internal code is assigned)": clearing
  // it must not leave a unit without a code (a second one would then collide on "").
  auto r = org_->Update(system_, bureau_.id, {std::nullopt, std::string(""), std::nullopt, 1});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->code, bureau_.code);
  EXPECT_EQ(Get(bureau_.id).code, bureau_.code);
  auto r2 = org_->Update(system_, street_.id, {std::nullopt, std::string(""), std::nullopt, 1});
  ASSERT_TRUE(r2.ok()) << r2.status().message();
  EXPECT_EQ(r2->code, street_.code);
  // An administrative unit keeps its GB/T 2260 code too.
  auto r3 = org_->Update(system_, wolong_.id, {std::nullopt, std::string(""), std::nullopt, 1});
  ASSERT_TRUE(r3.ok()) << r3.status().message();
  EXPECT_EQ(r3->code, "411303");
}

// DISABLED: known bug, see the report. A code chosen by a user in the internal form U%06d
// collides with the code InsertUnit later assigns to the unit with that id: the insert fails
// with kConflict; on SQLite the rolled-back id is reused, so no unit without a code can ever
// be created again.
TEST_P(OrgServiceTest, DISABLED_AChosenCodeThatLooksInternalDoesNotBlockLaterUnits) {
  // A department given the code the next unit without a code would receive.
  char next_code[32];
  std::snprintf(next_code, sizeof next_code, "U%06lld", static_cast<long long>(bureau_.id + 2));
  ASSERT_TRUE(org_->Create(system_, {next_code, "抢号单位", "department", city_.id}).ok());
  for (int i = 0; i < 3; ++i) {
    auto u = org_->Create(system_, {"", "后建单位" + std::to_string(i), "department", city_.id});
    EXPECT_TRUE(u.ok()) << i << ": " << CodeName(u.status().code()) << " " << u.status().message();
  }
}

INSTANTIATE_TEST_SUITE_P(BothDatabases, OrgServiceTest,
                         ::testing::ValuesIn(testing::DatabaseKinds()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace tiaodu::org
