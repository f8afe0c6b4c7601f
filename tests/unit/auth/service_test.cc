#include "auth/service.h"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include "../testing/databases.h"
#include "auth/audit.h"
#include "auth/crypto.h"

namespace tiaodu::auth {
namespace {

constexpr int64_t kMinute = 60 * 1000;
constexpr const char* kPassword = "Good#pass1";

// Specification of logins, lockout, sessions and the audit chain, on both databases.
class AuthServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitCrypto());
    auto opened = db::Database::Open(testing::FreshDatabaseUrl(GetParam()));
    ASSERT_TRUE(opened.ok());
    db_ = std::move(*opened);
    ASSERT_TRUE(db::Migrate(*db_, clock_.NowMillis()).ok());
    ASSERT_TRUE(db_->Write([&](db::Tx& tx) {
      tx.sql() << "INSERT INTO units (code, name, kind, path, created_at, updated_at) VALUES "
                  "('411300', '南阳市', 'city', '/1/', 0, 0)";
      tx.sql() << "INSERT INTO units (code, name, kind, parent_id, path, created_at, updated_at) "
                  "VALUES ('411302', '宛城区', 'district', 1, '/1/2/', 0, 0)";
      return Status::Ok();
    }).ok());
    auth_ = std::make_unique<AuthService>(*db_, clock_);
    system_.system = true;
    system_.username = "system";
    auto u = auth_->CreateUser(system_, {"alice", "爱丽丝", "statistician", 2, kPassword});
    ASSERT_TRUE(u.ok()) << u.status().message();
  }

  FakeClock clock_{1790000000000};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<AuthService> auth_;
  Actor system_;
};

TEST_P(AuthServiceTest, LoginWithTheRightPasswordOpensASession) {
  auto r = auth_->Login("alice", kPassword, "127.0.0.1");
  ASSERT_TRUE(r.ok()) << r.status().message();
  auto who = auth_->Authenticate(r->token, "127.0.0.1");
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->actor.username, "alice");
  EXPECT_EQ(who->actor.unit_path, "/1/2/");
  EXPECT_EQ(who->session.csrf_token, r->csrf_token);
}

TEST_P(AuthServiceTest, WrongPasswordAndUnknownUserGiveTheSameAnswer) {
  auto wrong = auth_->Login("alice", "Wrong#pass1", "ip");
  auto unknown = auth_->Login("bob", "Wrong#pass1", "ip");
  EXPECT_EQ(wrong.status().code(), Code::kUnauthenticated);
  EXPECT_EQ(unknown.status().code(), Code::kUnauthenticated);
  EXPECT_EQ(wrong.status().message(), unknown.status().message());
}

TEST_P(AuthServiceTest, FiveFailuresLockTheAccountForFifteenMinutes) {
  for (int i = 0; i < 4; ++i) EXPECT_EQ(auth_->Login("alice", "x", "ip").status().code(), Code::kUnauthenticated);
  EXPECT_EQ(auth_->Login("alice", "x", "ip").status().code(), Code::kLocked);
  // Even the right password is refused while locked.
  EXPECT_EQ(auth_->Login("alice", kPassword, "ip").status().code(), Code::kLocked);
  clock_.Advance(14 * kMinute);
  EXPECT_EQ(auth_->Login("alice", kPassword, "ip").status().code(), Code::kLocked);
  clock_.Advance(1 * kMinute + 1);
  EXPECT_TRUE(auth_->Login("alice", kPassword, "ip").ok());
}

TEST_P(AuthServiceTest, ASessionExpiresAfterThirtyIdleMinutes) {
  auto r = auth_->Login("alice", kPassword, "ip");
  ASSERT_TRUE(r.ok());
  clock_.Advance(20 * kMinute);
  ASSERT_TRUE(auth_->Authenticate(r->token, "ip").ok());  // activity slides the window
  clock_.Advance(20 * kMinute);
  ASSERT_TRUE(auth_->Authenticate(r->token, "ip").ok());
  clock_.Advance(31 * kMinute);
  EXPECT_EQ(auth_->Authenticate(r->token, "ip").status().code(), Code::kUnauthenticated);
}

TEST_P(AuthServiceTest, LogoutEndsTheSession) {
  auto r = auth_->Login("alice", kPassword, "ip");
  ASSERT_TRUE(r.ok());
  auto who = auth_->Authenticate(r->token, "ip");
  ASSERT_TRUE(who.ok());
  ASSERT_TRUE(auth_->Logout(*who).ok());
  EXPECT_FALSE(auth_->Authenticate(r->token, "ip").ok());
}

TEST_P(AuthServiceTest, DisabledUserCannotLogIn) {
  auto u = auth_->ListUsers(system_, {});
  ASSERT_TRUE(u.ok());
  ASSERT_TRUE(auth_->SetDisabled(system_, u->items[0].id, true, u->items[0].version).ok());
  EXPECT_EQ(auth_->Login("alice", kPassword, "ip").status().code(), Code::kUnauthenticated);
}

TEST_P(AuthServiceTest, StaleVersionIsRefusedAndNothingChanges) {
  auto u = auth_->ListUsers(system_, {});
  ASSERT_TRUE(u.ok());
  int64_t id = u->items[0].id;
  ASSERT_TRUE(auth_->UpdateUser(system_, id, {std::string("新名字"), std::nullopt, 1}).ok());
  auto stale = auth_->UpdateUser(system_, id, {std::string("旧版本"), std::nullopt, 1});
  EXPECT_EQ(stale.status().code(), Code::kConflict);
  EXPECT_EQ(auth_->GetUser(system_, id)->display_name, "新名字");
}

TEST_P(AuthServiceTest, UserOutsideTheScopeIsInvisibleAndUntouchable) {
  Actor district{0, "d", "sys_admin", 2, "/1/2/", "ip"};
  auto created = auth_->CreateUser(system_, {"cityuser", "市用户", "leader", 1, kPassword});
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(auth_->GetUser(district, created->id).status().code(), Code::kNotFound);
  EXPECT_EQ(auth_->SetDisabled(district, created->id, true, created->version).status().code(),
            Code::kPermissionDenied);
  auto list = auth_->ListUsers(district, {});
  ASSERT_TRUE(list.ok());
  for (const User& u : list->items) EXPECT_NE(u.username, "cityuser");
}

TEST_P(AuthServiceTest, EveryLoginAndMutationIsAuditedInAnIntactChain) {
  ASSERT_TRUE(auth_->Login("alice", kPassword, "10.0.0.1").ok());
  (void)auth_->Login("alice", "bad", "10.0.0.2");
  auto page = QueryAudit(*db_, {});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->total, 3);  // create, login success, login failure
  EXPECT_EQ(page->items[0].event, "auth.login");
  EXPECT_EQ(page->items[0].outcome, "failure");
  EXPECT_EQ(page->items[0].ip, "10.0.0.2");
  auto rep = VerifyAudit(*db_);
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok);
  EXPECT_EQ(rep->checked, 3);
}

INSTANTIATE_TEST_SUITE_P(BothDatabases, AuthServiceTest,
                         ::testing::ValuesIn(testing::DatabaseKinds()),
                         [](const auto& info) { return info.param; });

TEST(AuditCanonicalTest, AnyFieldChangeChangesTheHash) {
  AuditEntry e;
  e.seq = 1;
  e.username = "a";
  e.after_json = "{\"x\":1}";
  e.prev_hash = kAuditGenesis;
  std::string base = Sm3Hex(AuditCanonical(e));
  AuditEntry f = e;
  f.after_json = "{\"x\":2}";
  EXPECT_NE(Sm3Hex(AuditCanonical(f)), base);
  f = e;
  f.seq = 2;
  EXPECT_NE(Sm3Hex(AuditCanonical(f)), base);
  // Moving a boundary between fields changes the text too (length-prefixed fields).
  f = e;
  f.username = "a|";
  f.role = "";
  EXPECT_NE(AuditCanonical(f), AuditCanonical(e));
}

TEST(CryptoTest, Sm3OfAbcMatchesTheStandardVector) {
  // GB/T 32905-2016, example 1.
  EXPECT_EQ(Sm3Hex("abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
}

TEST(CryptoTest, PasswordHashesAreArgon2idAndSalted) {
  ASSERT_TRUE(InitCrypto());
  auto a = HashPassword("Good#pass1"), b = HashPassword("Good#pass1");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->rfind("$argon2id$", 0), 0u);
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword(*a, "Good#pass1"));
  EXPECT_FALSE(VerifyPassword(*a, "Good#pass2"));
}

}  // namespace
}  // namespace tiaodu::auth
