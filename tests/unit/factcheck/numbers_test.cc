#include "factcheck/numbers.h"

#include <gtest/gtest.h>

#include <string>

namespace tiaodu::factcheck {
namespace {

// Table-driven: what a number at the start of the text reads as.
struct NumberCase {
  const char* text;
  const char* value;  // nullptr: no number
  int decimals;
  int consumed;  // bytes
};

TEST(FactcheckNumbersTest, ReadsArabicNumbersWithDecimalsAndThousandsSeparators) {
  const NumberCase cases[] = {
      {"216亿元", "216", 0, 3},   {"10.8亿元", "10.8", 1, 4}, {"1,256.8亿元", "1256.8", 1, 7},
      {"221.66", "221.66", 2, 6}, {"0.5", "0.5", 1, 3},       {"11,600家", "11600", 0, 6},
      {"1,23", "1", 0, 1},        {"12.", "12", 0, 2},        {"abc", nullptr, 0, 0},
  };
  for (const NumberCase& c : cases) {
    SCOPED_TRACE(c.text);
    auto n = ReadArabic(c.text, 0);
    if (!c.value) {
      EXPECT_FALSE(n.has_value());
      continue;
    }
    ASSERT_TRUE(n.has_value());
    EXPECT_EQ(n->value.ToString(), c.value);
    EXPECT_EQ(n->decimals, c.decimals);
    EXPECT_EQ(n->end, static_cast<size_t>(c.consumed));
  }
}

TEST(FactcheckNumbersTest, RefusesNumbersTooLargeForADecimal) {
  EXPECT_FALSE(ReadArabic("99999999999999999999999", 0).has_value());
  EXPECT_FALSE(ReadArabic("1.1234567", 0).has_value());
}

TEST(FactcheckNumbersTest, ReadsPositionalChineseNumerals) {
  const std::pair<const char*, const char*> cases[] = {
      {"三十二家", "32"},
      {"两千家", "2000"},
      {"一百零五个", "105"},
      {"十一", "11"},
      {"十", "10"},
      {"三万五千", "35000"},
      {"一亿三千万", "130000000"},
      {"八十六亿元", "86"},  // 亿 starts the unit 亿元
      {"九", "9"},
  };
  for (const auto& [text, value] : cases) {
    SCOPED_TRACE(text);
    auto n = ReadChinese(text, 0);
    ASSERT_TRUE(n.has_value());
    EXPECT_EQ(n->value.ToString(), value);
    EXPECT_TRUE(n->chinese);
  }
}

TEST(FactcheckNumbersTest, RefusesChineseWordsThatAreNotNumerals) {
  for (const char* text : {"十四五", "一二三", "千亿", "百个", "万人", "亿元", "三万四万"}) {
    SCOPED_TRACE(text);
    auto n = ReadChinese(text, 0);
    // "十四五" reads no number at all; the others neither.
    EXPECT_FALSE(n.has_value());
  }
}

TEST(FactcheckNumbersTest, ReadsTheLongestUnitAndItsApproximation) {
  const std::pair<const char*, const char*> cases[] = {
      {"亿元", "亿元"},     {"万元", "万元"},
      {"元", "元"},         {"个百分点", "个百分点"},
      {"个", "个"},         {"万吨", "万吨"},
      {"吨", "吨"},         {"亩", "亩"},
      {"万亩", "万亩"},     {"万人", "万人"},
      {"人", "人"},         {"家", "家"},
      {"头", "头"},         {"％", "%"},
      {"%", "%"},           {"平方公里", "平方公里"},
      {"万美元", "万美元"}, {"亿千瓦时", "亿千瓦时"},
      {"余户", "户"},       {" 万元", "万元"},
  };
  for (const auto& [text, unit] : cases) {
    SCOPED_TRACE(text);
    auto u = ReadUnit(text, 0);
    ASSERT_TRUE(u.has_value());
    EXPECT_EQ(u->unit, unit);
    EXPECT_EQ(u->approximate, std::string(text) == "余户");
  }
}

TEST(FactcheckNumbersTest, NoUnitForWordsThatOnlyStartWithOne) {
  for (const char* text :
       {"个月", "人民", "家庭", "年", "月", "日", "级", "项目", "次年", "元旦", "所有"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(ReadUnit(text, 0).has_value());
  }
}

TEST(FactcheckNumbersTest, ConvertsUnitsOfOneFamilyOnly) {
  EXPECT_EQ(ConvertUnits(Decimal::FromInt(3), "亿元", "万元")->ToString(), "30000");
  EXPECT_EQ(ConvertUnits(*Decimal::Parse("1.56"), "万头", "头")->ToString(), "15600");
  EXPECT_EQ(ConvertUnits(Decimal::FromInt(42000), "元", "万元")->ToString(), "4.2");
  EXPECT_FALSE(ConvertUnits(Decimal::FromInt(1), "亿元", "个").has_value());
  EXPECT_FALSE(ConvertUnits(Decimal::FromInt(1), "个", "家").has_value());
}

TEST(FactcheckNumbersTest, ValidUtf8RefusesBrokenAndOverlongSequences) {
  EXPECT_TRUE(ValidUtf8("全区地区生产总值216亿元"));
  EXPECT_TRUE(ValidUtf8(""));
  EXPECT_FALSE(ValidUtf8("\xff"));
  EXPECT_FALSE(ValidUtf8("\xe5\x85"));          // cut short
  EXPECT_FALSE(ValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(ValidUtf8("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(ValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
}

TEST(FactcheckNumbersTest, DecodeNeverReadsPastTheEnd) {
  std::string cut = "\xe5\x85";
  size_t len = 0;
  EXPECT_EQ(DecodeAt(cut, 0, &len), 0xFFFDu);
  EXPECT_EQ(len, 1u);
}

}  // namespace
}  // namespace tiaodu::factcheck
