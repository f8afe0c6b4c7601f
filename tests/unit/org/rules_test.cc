#include "org/rules.h"

#include <gtest/gtest.h>

#include <string>

namespace tiaodu::org {
namespace {

struct FieldsCase {
  std::string name;
  std::string kind;
  std::string code;
  const char* bad_field;  // nullptr: valid
};

TEST(OrgRulesTest, CheckUnitFieldsAcceptsValidAndNamesTheBadField) {
  const std::string fifty_chinese = [] {
    std::string s;
    for (int i = 0; i < 50; ++i) s += "区";
    return s;
  }();
  const FieldsCase cases[] = {
      // Administrative kinds need a valid GB/T 2260 code.
      {"南阳市", "city", "411300", nullptr},
      {"宛城区", "district", "411302", nullptr},
      {"南召县", "county", "411321", nullptr},
      {"邓州市", "county_city", "411381", nullptr},
      {"河南省", "city", "410000", nullptr},
      {"宛城区", "district", "", "code"},        // missing
      {"宛城区", "district", "41130", "code"},   // 5 digits
      {"宛城区", "district", "4113020", "code"}, // 7 digits
      {"宛城区", "district", "41130a", "code"},  // not digits
      {"宛城区", "district", "991302", "code"},  // no province 99
      {"宛城区", "district", "410012", "code"},  // 3-4 are 00 but 5-6 are not
      {"宛城区", "county", "U000001", "code"},   // an internal code is no GB/T 2260 code
      // Other kinds: optional internal code of [A-Za-z0-9_-], at most 32.
      {"科技局", "department", "", nullptr},
      {"科技局", "department", "KJJ-01_a", nullptr},
      {"科技局", "department", std::string(32, 'x'), nullptr},
      {"科技局", "department", std::string(33, 'x'), "code"},
      {"科技局", "department", "科技局", "code"},
      {"科技局", "department", "a b", "code"},
      {"科技局", "department", "a/b", "code"},
      {"科技局", "department", "a%", "code"},
      {"高新区", "zone", "gx'--", "code"},
      {"专班", "task_force", "TF1", nullptr},
      {"街道", "town", "", nullptr},
      // Kind and name.
      {"某单位", "planet", "", "kind"},
      {"某单位", "", "", "kind"},
      {"某单位", "City", "411300", "kind"},      // kinds are case-sensitive
      {"", "department", "", "name"},
      {fifty_chinese, "department", "", nullptr},  // 50 Chinese characters = 150 bytes
      {fifty_chinese + "x", "department", "", "name"},
  };
  for (const FieldsCase& c : cases) {
    Status s = CheckUnitFields(c.name, c.kind, c.code);
    const std::string label = c.name.substr(0, 12) + "|" + c.kind + "|" + c.code;
    if (!c.bad_field) {
      EXPECT_TRUE(s.ok()) << label << ": " << s.message();
      continue;
    }
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << label;
    bool named = false;
    for (const Detail& d : s.details()) named = named || d.field == c.bad_field;
    EXPECT_TRUE(named) << label << " should name " << c.bad_field;
  }
}

TEST(OrgRulesTest, CheckUnitFieldsReportsEveryBadFieldAtOnce) {
  Status s = CheckUnitFields("", "district", "12");
  ASSERT_FALSE(s.ok());
  ASSERT_EQ(s.details().size(), 2u);
  EXPECT_EQ(s.details()[0].field, "name");
  EXPECT_EQ(s.details()[1].field, "code");
}

TEST(OrgRulesTest, EveryKindIsKnownByItsCodeAndAdministrativeKindsAreTheFourLevels) {
  for (const KindInfo& k : UnitKinds()) {
    ASSERT_EQ(FindKind(k.code), &k) << k.code;
  }
  EXPECT_TRUE(FindKind("city")->administrative);
  EXPECT_TRUE(FindKind("district")->administrative);
  EXPECT_TRUE(FindKind("county")->administrative);
  EXPECT_TRUE(FindKind("county_city")->administrative);
  EXPECT_FALSE(FindKind("department")->administrative);
  EXPECT_FALSE(FindKind("town")->administrative);
  EXPECT_EQ(FindKind("planet"), nullptr);
}

TEST(OrgRulesTest, MoveCreatesCycleUnderItselfOrADescendantOnly) {
  struct Case {
    const char* unit;
    const char* new_parent;
    bool cycle;
  } cases[] = {
      {"/1/2/", "/1/2/", true},        // under itself
      {"/1/2/", "/1/2/5/", true},      // under its child
      {"/1/2/", "/1/2/5/9/", true},    // under a grandchild
      {"/1/2/", "/1/", false},         // its own parent
      {"/1/2/", "/1/3/", false},       // a sibling
      {"/1/2/", "/1/3/7/", false},     // a cousin
      {"/1/2/", "/1/22/", false},      // shares a textual prefix only
      {"/1/2/", "/1/23/2/", false},
      {"/1/2/5/", "/1/2/", false},     // up to its grandparent's child
      {"/1/", "/1/2/", true},          // the root under anything
  };
  for (const Case& c : cases) {
    EXPECT_EQ(MoveCreatesCycle(c.unit, c.new_parent), c.cycle)
        << c.unit << " under " << c.new_parent;
  }
}

TEST(OrgRulesTest, ChildPathAppendsTheIdToTheParentPath) {
  EXPECT_EQ(ChildPath("/1/", 4), "/1/4/");
  EXPECT_EQ(ChildPath("/1/4/", 12), "/1/4/12/");
  EXPECT_EQ(ChildPath("", 1), "/1/");  // a root
  EXPECT_EQ(ChildPath("/", 7), "/7/");
}

}  // namespace
}  // namespace tiaodu::org
