// The setting of the supervision service tests (service_test.cc, import_test.cc): a unit tree,
// its users and the services on a fresh database of the kind under test, with a controlled
// clock. The week starts Monday 2026-11-23 (no holiday near).
//
// The tree: 南阳市 411300 ─ 宛城区 411302 ─ 瓦店镇 T411302-02
//                        ├ 卧龙区 411303
//                        ├ 市委督查室 (department)   supervisor
//                        └ 市发改委 (department)     reporter_fgw
// Users: leader (city), leader_wancheng and supervisor_wancheng (宛城区), reporter_town.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include "../testing/databases.h"
#include "auth/crypto.h"
#include "auth/service.h"
#include "base/period.h"
#include "org/service.h"
#include "supervision/service.h"

namespace tiaodu::supervision {

constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;

inline int64_t Beijing(CivilDate d, int hour, int minute = 0) {
  return DaysFromCivil(d) * kDay + (hour - 8) * kHour + minute * 60'000LL;
}

class SupervisionFixture : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(auth::InitCrypto());
    url_ = GetParam() == "sqlite" ? SqliteFile() : testing::FreshDatabaseUrl(GetParam());
    Open();
    system_.system = true;
    system_.username = "system";
    city_ = Unit({"411300", "南阳市", "city", 0});
    wancheng_ = Unit({"411302", "宛城区", "district", city_.id});
    wolong_ = Unit({"411303", "卧龙区", "district", city_.id});
    town_ = Unit({"T411302-02", "瓦店镇", "town", wancheng_.id});
    dcs_ = Unit({"D411300-DCS", "南阳市委督查室", "department", city_.id});
    fgw_ = Unit({"D411300-FGW", "南阳市发展和改革委员会", "department", city_.id});
    supervisor_ = User("supervisor", "supervisor", dcs_);
    reporter_fgw_ = User("reporter_fgw", "reporter", fgw_);
    reporter_town_ = User("reporter_town", "reporter", town_);
    leader_ = User("leader", "leader", city_);
    leader_wancheng_ = User("leader_wancheng", "leader", wancheng_);
    supervisor_wancheng_ = User("supervisor_wancheng", "supervisor", wancheng_);
  }
  void TearDown() override {
    Close();
    if (!sqlite_path_.empty()) {
      std::remove(sqlite_path_.c_str());
      std::remove((sqlite_path_ + "-wal").c_str());
      std::remove((sqlite_path_ + "-shm").c_str());
    }
  }
  std::string SqliteFile() {
    static int n = 0;
    sqlite_path_ = "/tmp/tiaodu_supervision_" + std::to_string(::getpid()) + "_" + std::to_string(++n) + ".db";
    std::remove(sqlite_path_.c_str());
    return "sqlite:" + sqlite_path_;
  }
  // Opens the database and the services (again, after Close: a restart).
  void Open() {
    auto opened = db::Database::Open(url_);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    db_ = std::move(*opened);
    ASSERT_TRUE(db::Migrate(*db_, clock_.NowMillis()).ok());
    org_ = std::make_unique<org::OrgService>(*db_, clock_);
    auth_ = std::make_unique<auth::AuthService>(*db_, clock_);
    svc_ = std::make_unique<SupervisionService>(*db_, clock_);
  }
  void Close() {
    svc_.reset();
    auth_.reset();
    org_.reset();
    db_.reset();
  }
  org::Unit Unit(const org::NewUnit& n) {
    auto u = org_->Create(system_, n);
    EXPECT_TRUE(u.ok()) << u.status().message();
    return u.ok() ? *u : org::Unit{};
  }
  auth::Actor User(const std::string& name, const std::string& role, const org::Unit& unit) {
    auto made = auth_->EnsureUser(system_, {name, name, role, unit.id, "Tiaodu#2026test"});
    EXPECT_TRUE(made.ok()) << made.status().message();
    auth::Actor a;
    a.user_id = made->first.id;
    a.username = name;
    a.role = role;
    a.unit_id = unit.id;
    a.unit_path = made->first.scope_path;
    return a;
  }
  AssignInput Input(const std::string& owner, const std::string& title = "推进宛城区光电产业园用地报批") {
    AssignInput in;
    in.title = title;
    in.source = "instruction";
    in.source_ref = "王市长批示〔2026〕15号";
    in.owner_unit = owner;
    return in;
  }
  TaskDetail Assign(const std::string& owner) {
    auto d = svc_->Assign(supervisor_, Input(owner));
    EXPECT_TRUE(d.ok()) << d.status().message();
    return d.ok() ? *d : TaskDetail{};
  }
  int Version(int64_t id) { return svc_->GetTask(supervisor_, id)->row.task.version; }
  std::vector<Notification> Inbox(const auth::Actor& a) {
    auto page = svc_->ListNotifications(a, false, 1, 500);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->items : std::vector<Notification>{};
  }
  int CountKind(const auth::Actor& a, const std::string& kind) {
    int n = 0;
    for (const Notification& x : Inbox(a)) n += x.kind == kind;
    return n;
  }
  void ReportWithEvidence(int64_t id, const auth::Actor& who) {
    ASSERT_TRUE(svc_->Receive(who, id, Version(id)).ok());
    ASSERT_TRUE(svc_->Plan(who, id, "成立工作专班，三日内完成组卷上报", Version(id)).ok());
    ASSERT_TRUE(svc_->AddFile(who, id, "办结报告.pdf", "application/pdf", "%PDF-1.4\n%%EOF\n").ok());
    auto r = svc_->Report(who, id, "用地已获批复", Version(id));
    ASSERT_TRUE(r.ok()) << r.status().message();
  }

  FakeClock clock_{Beijing({2026, 11, 23}, 9)};  // Monday 09:00
  std::string url_, sqlite_path_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<org::OrgService> org_;
  std::unique_ptr<auth::AuthService> auth_;
  std::unique_ptr<SupervisionService> svc_;
  auth::Actor system_, supervisor_, reporter_fgw_, reporter_town_, leader_, leader_wancheng_, supervisor_wancheng_;
  org::Unit city_, wancheng_, wolong_, town_, dcs_, fgw_;
};

}  // namespace tiaodu::supervision
