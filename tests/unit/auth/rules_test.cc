#include "auth/rules.h"

#include <gtest/gtest.h>

namespace tiaodu::auth {
namespace {

TEST(AuthRulesTest, PasswordNeedsEightCharactersOfThreeKinds) {
  SecurityPolicy p;
  struct Case {
    const char* password;
    bool ok;
  } cases[] = {
      {"Ab1!", false},          // too short
      {"abcdefgh", false},      // one kind
      {"abcdefg1", false},      // two kinds
      {"abcdef1!", true},       // lower, digit, symbol
      {"Abcdefg1", true},       // upper, lower, digit
      {"密码密码Ab12", true},   // 8 characters (16 bytes): counts characters
      {"密码密码Ab1", false},      // 7 characters though 15 bytes
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CheckPasswordComplexity(c.password, p).ok(), c.ok) << c.password;
  }
}

TEST(AuthRulesTest, PasswordMayNotContainTheUsername) {
  Status s = CheckPasswordComplexity("Leader#2024x", SecurityPolicy(), "Leader");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
}

TEST(AuthRulesTest, ThreeAdminRolesAreSeparated) {
  EXPECT_FALSE(HasPermission("sys_admin", "audit.read"));
  EXPECT_TRUE(HasPermission("sys_admin", "user.write"));
  EXPECT_FALSE(HasPermission("audit_admin", "user.write"));
  EXPECT_FALSE(HasPermission("audit_admin", "user.role"));
  EXPECT_TRUE(HasPermission("audit_admin", "audit.read"));
  EXPECT_TRUE(HasPermission("security_admin", "user.role"));
  EXPECT_FALSE(HasPermission("security_admin", "user.write"));
  EXPECT_FALSE(HasPermission("security_admin", "audit.read"));
}

TEST(AuthRulesTest, NoBusinessRoleReadsTheAuditLogOrManagesUsers) {
  for (const RoleInfo& r : Roles()) {
    if (r.admin) continue;
    EXPECT_FALSE(HasPermission(r.code, "audit.read")) << r.code;
    EXPECT_FALSE(HasPermission(r.code, "user.write")) << r.code;
    EXPECT_TRUE(HasPermission(r.code, "unit.read")) << r.code;
  }
}

TEST(AuthRulesTest, UnknownRoleHasNoPermission) {
  EXPECT_FALSE(HasPermission("root", "unit.read"));
  EXPECT_TRUE(PermissionsOf("root").empty());
}

TEST(AuthRulesTest, SystemAdminCreatesOnlyBusinessUsers) {
  EXPECT_TRUE(MayCreateWithRole("sys_admin", "reporter"));
  EXPECT_FALSE(MayCreateWithRole("sys_admin", "audit_admin"));
  EXPECT_FALSE(MayCreateWithRole("sys_admin", "sys_admin"));
  EXPECT_FALSE(MayCreateWithRole("leader", "reporter"));
  EXPECT_FALSE(MayCreateWithRole("sys_admin", "nonexistent"));
}

TEST(AuthRulesTest, SessionsEndAfterIdleTimeoutOrAbsoluteLife) {
  SecurityPolicy p;
  const int64_t min = 60 * 1000;
  EXPECT_TRUE(SessionAlive(0, 0, 30 * min, p));
  EXPECT_FALSE(SessionAlive(0, 0, 30 * min + 1, p));
  // Active all along, but past 12 hours.
  EXPECT_TRUE(SessionAlive(0, 12 * 60 * min - 1, 12 * 60 * min, p));
  EXPECT_FALSE(SessionAlive(0, 12 * 60 * min, 12 * 60 * min + 1, p));
}

TEST(AuthRulesTest, UsernamesAreLowercaseIdentifiers) {
  EXPECT_TRUE(CheckUsername("stat_wancheng").ok());
  EXPECT_FALSE(CheckUsername("ab").ok());
  EXPECT_FALSE(CheckUsername("Admin").ok());
  EXPECT_FALSE(CheckUsername("1abc").ok());
  EXPECT_FALSE(CheckUsername("a b c").ok());
}

}  // namespace
}  // namespace tiaodu::auth
