#include "base/validators.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace tiaodu {
namespace {

// Published USCCs of well-known companies; each check character was verified with an
// independent Python implementation of GB 32100-2015, not with the code under test.
constexpr std::string_view kValidUsccs[] = {
    "91350100M000100Y43",  // the example commonly cited for GB 32100
    "914403001922038216",  // 华为技术有限公司
    "91440300708461136T",  // 深圳市腾讯计算机系统有限公司
    "91330100716105852F", "91110000802100433B", "91110108551385082Q",
    "9111000071093123XX",  // an X in position 17 (GB 11714 check 10) and 18 (value 29)
    "914113001234567810",  // check value 31 maps to '0'
    "9141130012345678BY",  // check value 30, the last letter of the alphabet
};

TEST(UsccTest, AcceptsPublishedCodes) {
  for (std::string_view code : kValidUsccs) {
    Status s = ValidateUscc(code);
    EXPECT_TRUE(s.ok()) << code << ": " << s.message();
  }
}

TEST(UsccTest, CheckCharMatchesIndependentCalculation) {
  struct Case {
    std::string_view first17;
    char check;
  };
  const Case cases[] = {
      {"91350100M000100Y4", '3'}, {"91440300192203821", '6'}, {"91440300708461136", 'T'},
      {"91330100716105852", 'F'}, {"91110000802100433", 'B'}, {"91110108551385082", 'Q'},
      {"9111000071093123X", 'X'}, {"91411300123456781", '0'}, {"9141130012345678B", 'Y'},
      {"00000000000000000", '0'},
  };
  for (const Case& c : cases) {
    Result<char> check = UsccCheckChar(c.first17);
    ASSERT_TRUE(check.ok()) << c.first17;
    EXPECT_EQ(*check, c.check) << c.first17;
  }
  EXPECT_FALSE(UsccCheckChar("9135010").ok());
  EXPECT_FALSE(UsccCheckChar("91350100I000100Y4").ok());
}

TEST(UsccTest, RejectsWrongCheckCharacter) {
  // Every other check character of a valid code is wrong.
  const std::string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  for (std::string_view valid : kValidUsccs) {
    for (char c : alphabet) {
      if (c == valid[17]) continue;
      std::string code(valid.substr(0, 17));
      code += c;
      Status s = ValidateUscc(code);
      ASSERT_FALSE(s.ok()) << code;
      EXPECT_NE(s.message().find("校验位错误"), std::string::npos) << code << ": " << s.message();
    }
  }
}

TEST(UsccTest, DetectsSingleCharacterTyposAndSwaps) {
  struct Case {
    std::string_view code;
    std::string_view what;
  };
  const Case cases[] = {
      {"91350100M000100Y44", "wrong check char"},
      {"91350100M000200Y43", "one digit changed"},
      {"91440300192203812 6", "not 18 characters"},
      {"914403001922038126", "two adjacent digits swapped"},
      {"91440300708461163T", "two adjacent digits swapped"},
      {"9111000071093123X0", "X replaced by 0"},
      {"92350100M000100Y43", "registration authority changed"},
  };
  for (const Case& c : cases) EXPECT_FALSE(ValidateUscc(c.code).ok()) << c.code << ": " << c.what;
}

TEST(UsccTest, NamesWhatIsWrongInChinese) {
  struct Case {
    std::string_view code;
    std::string_view message_part;
  };
  const Case cases[] = {
      {"", "不能为空"},
      {"91350100M000100Y4", "应为18位（当前为17位）"},
      {"91350100M000100Y433", "应为18位（当前为19位）"},
      {"91350100m000100Y43", "第9位包含非法字符“m”"},  // lower case
      {"91350100I000100Y43", "第9位包含非法字符“I”"},
      {"91350100O000100Y43", "包含非法字符“O”"},
      {"91350100S000100Y43", "包含非法字符“S”"},
      {"91350100V000100Y43", "包含非法字符“V”"},
      {"91350100Z000100Y43", "包含非法字符“Z”"},
      {"91350100M000100Y4-", "第18位包含非法字符“-”"},
      {"9135010 M000100Y43", "第8位包含非法字符“ ”"},
      {"9135010０M000100Y", "第8位包含非法字符“０”"},  // a full-width digit: 18 bytes
      {"91A50100M000100Y43", "第3-8位应为6位数字"},
      {"91350100M000100Y44", "校验位错误"},
  };
  for (const Case& c : cases) {
    Status s = ValidateUscc(c.code);
    ASSERT_FALSE(s.ok()) << "accepted: " << c.code;
    EXPECT_EQ(s.code(), Code::kInvalidArgument);
    EXPECT_NE(s.message().find(c.message_part), std::string::npos)
        << c.code << " → " << s.message();
  }
}

TEST(OrgCodeTest, ValidatesGb11714CheckCharacter) {
  struct Case {
    std::string_view code;
    bool ok;
  };
  const Case cases[] = {
      // positions 9-17 of the valid USCCs above
      {"M000100Y4", true},   {"192203821", true},  {"708461136", true},  {"71093123X", true},
      {"19220382-1", true},  {"M000100Y-4", true}, {"M000100Y5", false}, {"192203822", false},
      {"71093123-0", false}, {"7109312", false},   {"71093123Y", false}, {"m000100Y4", false},
      {"1922038-21", false},
  };
  for (const Case& c : cases) {
    Status s = ValidateOrgCode(c.code);
    EXPECT_EQ(s.ok(), c.ok) << c.code << ": " << s.message();
  }
  Result<char> check = OrgCodeCheckChar("71093123");
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(*check, 'X');
}

TEST(Gbt2260Test, AcceptsRealCodesAndReportsLevel) {
  struct Case {
    std::string_view code;
    DivisionLevel level;
  };
  const Case cases[] = {
      {"410000", DivisionLevel::kProvince}, {"411300", DivisionLevel::kPrefecture},
      {"411302", DivisionLevel::kCounty},   {"110000", DivisionLevel::kProvince},
      {"110101", DivisionLevel::kCounty},   {"500000", DivisionLevel::kProvince},
      {"419001", DivisionLevel::kCounty},   {"650000", DivisionLevel::kProvince},
      {"820000", DivisionLevel::kProvince}, {"460200", DivisionLevel::kPrefecture},
  };
  for (const Case& c : cases) {
    Status s = ValidateGbt2260(c.code);
    EXPECT_TRUE(s.ok()) << c.code << ": " << s.message();
    Result<DivisionLevel> level = Gbt2260Level(c.code);
    ASSERT_TRUE(level.ok()) << c.code;
    EXPECT_EQ(*level, c.level) << c.code;
  }
}

TEST(Gbt2260Test, RejectsMalformedCodesWithChineseMessage) {
  struct Case {
    std::string_view code;
    std::string_view message_part;
  };
  const Case cases[] = {
      {"991300", "省级代码“99”不存在"},
      {"101300", "省级代码“10”不存在"},  // 10 is the national prefix of USCCs, not a province
      {"000000", "省级代码“00”不存在"},
      {"661300", "省级代码“66”不存在"},
      {"41130", "6位数字"},
      {"4113020", "6位数字"},
      {"41130a", "6位数字"},
      {"", "6位数字"},
      {"410001", "第5-6位也应为00"},
  };
  for (const Case& c : cases) {
    Status s = ValidateGbt2260(c.code);
    ASSERT_FALSE(s.ok()) << "accepted: " << c.code;
    EXPECT_NE(s.message().find(c.message_part), std::string::npos)
        << c.code << " → " << s.message();
    EXPECT_FALSE(Gbt2260Level(c.code).ok()) << c.code;
  }
}

TEST(Gbt2260Test, ParentIsOneLevelUp) {
  EXPECT_EQ(Gbt2260Parent("411302").value_or(""), "411300");
  EXPECT_EQ(Gbt2260Parent("411300").value_or(""), "410000");
  EXPECT_EQ(Gbt2260Parent("110101").value_or(""), "110100");
  Result<std::string> province = Gbt2260Parent("410000");
  ASSERT_FALSE(province.ok());
  EXPECT_EQ(province.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(Gbt2260Parent("991300").status().code(), Code::kInvalidArgument);
}

TEST(TownCodeTest, AcceptsNineAndTwelveDigitStatisticalCodes) {
  struct Case {
    std::string_view code;
    std::string_view message_part;  // empty when valid
  };
  const Case cases[] = {
      {"411302001", ""},
      {"411302001001", ""},
      {"411302001000", ""},  // the township itself in 12-digit form
      {"110101001", ""},
      {"41130200", "9位或12位数字"},
      {"4113020010", "9位或12位数字"},
      {"41130200100a", "9位或12位数字"},
      {"411302000", "不能为000"},
      {"411302000000", "不能为000"},
      {"411300001", "县级"},
      {"410000001", "县级"},
      {"991302001", "不是有效的行政区划代码"},
  };
  for (const Case& c : cases) {
    Status s = ValidateTownCode(c.code);
    if (c.message_part.empty()) {
      EXPECT_TRUE(s.ok()) << c.code << ": " << s.message();
    } else {
      ASSERT_FALSE(s.ok()) << "accepted: " << c.code;
      EXPECT_NE(s.message().find(c.message_part), std::string::npos)
          << c.code << " → " << s.message();
    }
  }
}

}  // namespace
}  // namespace tiaodu
