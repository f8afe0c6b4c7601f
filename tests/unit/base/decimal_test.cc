#include "base/decimal.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace tiaodu {

// Readable failure output (found by ADL, hence outside the anonymous namespace).
void PrintTo(const Decimal& d, std::ostream* os) { *os << d.ToString(); }
void PrintTo(Unit u, std::ostream* os) { *os << UnitName(u); }

namespace {

Decimal D(std::string_view text) {
  Result<Decimal> d = Decimal::Parse(text);
  EXPECT_TRUE(d.ok()) << text << ": " << d.status().message();
  return d.value_or(Decimal());
}

TEST(DecimalTest, ParsesValidTextToExactRawMillionths) {
  struct Case {
    std::string_view text;
    int64_t raw;
  };
  const Case cases[] = {
      {"258.4", 258'400'000},
      {"-1.25", -1'250'000},
      {"+3", 3'000'000},
      {"0", 0},
      {"-0", 0},
      {"0.000001", 1},
      {"-0.000001", -1},
      {"1,234.5", 1'234'500'000},
      {"12,345,678", 12'345'678'000'000},
      {"1.2500000", 1'250'000},  // trailing zeros beyond 6 places are exact
      {"  42.5 ", 42'500'000},
      {"007", 7'000'000},
      {"9223372036854.775807", INT64_MAX},
      {"-9223372036854.775807", -INT64_MAX},
  };
  for (const Case& c : cases) {
    Result<Decimal> d = Decimal::Parse(c.text);
    ASSERT_TRUE(d.ok()) << c.text << ": " << d.status().message();
    EXPECT_EQ(d->raw(), c.raw) << c.text;
  }
}

TEST(DecimalTest, RejectsGarbageWithChineseMessage) {
  struct Case {
    std::string_view text;
    std::string_view message_part;
  };
  const Case cases[] = {
      {"", "不能为空"},
      {"   ", "不能为空"},
      {"abc", "不是有效的数值"},
      {"-", "不是有效的数值"},
      {"1.", "不是有效的数值"},
      {".5", "不是有效的数值"},
      {"1e5", "不是有效的数值"},
      {"1.2.3", "不是有效的数值"},
      {"12元", "不是有效的数值"},
      {"--1", "不是有效的数值"},
      {"1 000", "不是有效的数值"},
      {"1,23", "千分位逗号"},
      {"1234,567", "千分位逗号"},
      {",123", "千分位逗号"},
      {"1,,234", "千分位逗号"},
      {"1,234,", "千分位逗号"},
      {"1,234.5,6", "不是有效的数值"},
      {"1.2345678", "小数位数超过6位"},
      {"0.0000001", "小数位数超过6位"},
      {"9223372036854.775808", "超出"},
      {"-9223372036854.775808", "超出"},
      {"99999999999999999999999", "超出"},
  };
  for (const Case& c : cases) {
    Result<Decimal> d = Decimal::Parse(c.text);
    ASSERT_FALSE(d.ok()) << "accepted: " << c.text;
    EXPECT_EQ(d.status().code(), Code::kInvalidArgument) << c.text;
    EXPECT_NE(d.status().message().find(c.message_part), std::string::npos)
        << c.text << " → " << d.status().message();
  }
}

TEST(DecimalTest, ToStringIsShortestExactForm) {
  struct Case {
    std::string_view in;
    std::string_view out;
  };
  const Case cases[] = {
      {"258.4", "258.4"},
      {"258.40", "258.4"},
      {"-1.25", "-1.25"},
      {"1000", "1000"},
      {"0.000001", "0.000001"},
      {"-0.5", "-0.5"},
      {"0", "0"},
      {"1,234.5", "1234.5"},
      {"9223372036854.775807", "9223372036854.775807"},
  };
  for (const Case& c : cases) EXPECT_EQ(D(c.in).ToString(), c.out) << c.in;
}

TEST(DecimalTest, FormatRoundsHalfAwayFromZero) {
  struct Case {
    std::string_view in;
    int places;
    std::string_view out;
  };
  const Case cases[] = {
      {"1.25", 1, "1.3"},
      {"-1.25", 1, "-1.3"},
      {"1.24", 1, "1.2"},
      {"1.249999", 1, "1.2"},
      {"2.5", 0, "3"},
      {"-2.5", 0, "-3"},
      {"0.5", 0, "1"},
      {"0.45", 1, "0.5"},
      {"258.4", 2, "258.40"},
      {"9.95", 1, "10.0"},
      {"99.999", 2, "100.00"},
      {"-0.04", 1, "0.0"},  // rounds to zero: no minus sign
      {"0.000001", 6, "0.000001"},
      {"0.000001", 8, "0.00000100"},
      {"-3", 2, "-3.00"},
      {"9223372036854.775807", 0, "9223372036855"},  // beyond the range, still printable
      {"-9223372036854.775807", 2, "-9223372036854.78"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(D(c.in).Format(c.places), c.out) << c.in << " to " << c.places;
  }
}

TEST(DecimalTest, AddsAndSubtractsExactly) {
  // 0.1 + 0.2 is exactly 0.3, unlike binary floating point.
  EXPECT_EQ(D("0.1") + D("0.2"), D("0.3"));
  EXPECT_EQ(D("258.4") - D("300"), D("-41.6"));
  Decimal sum;
  for (int i = 0; i < 10; ++i) sum += D("0.1");
  EXPECT_EQ(sum, Decimal::FromInt(1));
  EXPECT_EQ(-D("1.5"), D("-1.5"));
  EXPECT_EQ(D("-1.5").Abs(), D("1.5"));
}

TEST(DecimalTest, ComparesNumerically) {
  EXPECT_LT(D("-2"), D("-1.5"));
  EXPECT_LT(D("1.25"), D("1.3"));
  EXPECT_GT(D("10"), D("9.999999"));
  EXPECT_EQ(D("1.50"), D("1.5"));
  EXPECT_NE(D("1.5"), D("-1.5"));
  EXPECT_EQ(D("-3").Sign(), -1);
  EXPECT_EQ(D("0").Sign(), 0);
  EXPECT_EQ(D("0.000001").Sign(), 1);
}

TEST(DecimalTest, CheckedAddAndSubDetectOverflow) {
  Decimal max = Decimal::FromRaw(Decimal::kMaxRaw);
  Decimal min = Decimal::FromRaw(Decimal::kMinRaw);
  Decimal tiny = Decimal::FromRaw(1);
  EXPECT_FALSE(Decimal::CheckedAdd(max, tiny).ok());
  EXPECT_FALSE(Decimal::CheckedSub(min, tiny).ok());
  // The most negative int64 is not a value, so min − 1 millionth is an overflow too.
  EXPECT_FALSE(Decimal::CheckedAdd(min, -tiny).ok());
  Result<Decimal> ok = Decimal::CheckedAdd(max, -tiny);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->raw(), Decimal::kMaxRaw - 1);
  Result<Decimal> bad = Decimal::CheckedAdd(max, max);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("超出"), std::string::npos);
}

TEST(DecimalTest, MulRoundsToSixPlacesHalfAwayFromZero) {
  struct Case {
    std::string_view a, b, product;
  };
  const Case cases[] = {
      {"258.4", "10000", "2584000"},     {"1.5", "-2", "-3"},
      {"0.001", "0.001", "0.000001"},    {"0.001", "0.0005", "0.000001"},  // 0.0000005 rounds up
      {"-0.001", "0.0005", "-0.000001"},  // and away from zero when negative
      {"0.001", "0.0004", "0"},           // 0.0000004 rounds down
      {"123.456789", "1", "123.456789"}, {"3000000", "3000000", "9000000000000"},
  };
  for (const Case& c : cases) {
    Result<Decimal> p = D(c.a).Mul(D(c.b));
    ASSERT_TRUE(p.ok()) << c.a << "×" << c.b;
    EXPECT_EQ(*p, D(c.product)) << c.a << "×" << c.b << " = " << p->ToString();
  }
  EXPECT_FALSE(D("4000000").Mul(D("4000000")).ok());
  EXPECT_FALSE(Decimal::CheckedMul(Decimal::FromRaw(Decimal::kMaxRaw), D("1.000001")).ok());
}

TEST(DecimalTest, DivRoundsToSixPlacesAndRejectsZeroDivisor) {
  struct Case {
    std::string_view a, b, quotient;
  };
  const Case cases[] = {
      {"1", "3", "0.333333"},          {"2", "3", "0.666667"},    {"-2", "3", "-0.666667"},
      {"2", "-3", "-0.666667"},        {"-2", "-3", "0.666667"},  {"1", "8", "0.125"},
      {"0.000001", "2", "0.000001"},  // 0.0000005 rounds away from zero
      {"-0.000001", "2", "-0.000001"}, {"258.4", "0.5", "516.8"}, {"137.5", "125", "1.1"},
  };
  for (const Case& c : cases) {
    Result<Decimal> q = D(c.a).Div(D(c.b));
    ASSERT_TRUE(q.ok()) << c.a << "÷" << c.b;
    EXPECT_EQ(*q, D(c.quotient)) << c.a << "÷" << c.b << " = " << q->ToString();
  }
  Result<Decimal> zero = D("5").Div(Decimal());
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.status().code(), Code::kInvalidArgument);
  EXPECT_NE(zero.status().message().find("除数不能为零"), std::string::npos);
  EXPECT_FALSE(D("9000000000000").Div(D("0.5")).ok());  // overflow
}

TEST(DecimalTest, FromIntAndToDouble) {
  EXPECT_EQ(Decimal::FromInt(-7).raw(), -7'000'000);
  EXPECT_TRUE(Decimal::CheckedFromInt(Decimal::kMaxInt).ok());
  EXPECT_FALSE(Decimal::CheckedFromInt(Decimal::kMaxInt + 1).ok());
  EXPECT_FALSE(Decimal::CheckedFromInt(-Decimal::kMaxInt - 1).ok());
  EXPECT_DOUBLE_EQ(D("258.4").ToDouble(), 258.4);
  EXPECT_DOUBLE_EQ(D("-0.000001").ToDouble(), -1e-6);
}

// ---- Units and quantities ----

TEST(UnitTest, NamesRoundTripForEveryUnit) {
  const Unit units[] = {Unit::kYuan,    Unit::kWanYuan, Unit::kYiYuan,  Unit::kWanYiYuan,
                        Unit::kWanUsd,  Unit::kGe,      Unit::kJia,     Unit::kXiang,
                        Unit::kHu,      Unit::kTou,     Unit::kRen,     Unit::kWanRen,
                        Unit::kDun,     Unit::kWanDun,  Unit::kMu,      Unit::kWanMu,
                        Unit::kPercent, Unit::kYiKwh,   Unit::kUgPerM3, Unit::kYuanPerPerson};
  for (Unit u : units) {
    Result<Unit> back = UnitFromName(UnitName(u));
    ASSERT_TRUE(back.ok()) << UnitName(u);
    EXPECT_EQ(*back, u) << UnitName(u);
  }
}

TEST(UnitTest, LooksUpCanonicalNamesAndAliases) {
  struct Case {
    std::string_view name;
    Unit unit;
  };
  const Case cases[] = {
      {"亿元", Unit::kYiYuan},
      {"万元", Unit::kWanYuan},
      {"元", Unit::kYuan},
      {"万美元", Unit::kWanUsd},
      {"个", Unit::kGe},
      {"家", Unit::kJia},
      {"万吨", Unit::kWanDun},
      {"吨", Unit::kDun},
      {"头", Unit::kTou},
      {"亩", Unit::kMu},
      {"万亩", Unit::kWanMu},
      {"%", Unit::kPercent},
      {"％", Unit::kPercent},
      {"亿千瓦时", Unit::kYiKwh},
      {"微克/立方米", Unit::kUgPerM3},
      {"μg/m³", Unit::kUgPerM3},
      {"元/人", Unit::kYuanPerPerson},
  };
  for (const Case& c : cases) {
    Result<Unit> u = UnitFromName(c.name);
    ASSERT_TRUE(u.ok()) << c.name;
    EXPECT_EQ(*u, c.unit) << c.name;
  }
  EXPECT_EQ(UnitName(Unit::kYiYuan), "亿元");
  EXPECT_EQ(UnitName(Unit::kUgPerM3), "微克/立方米");
  Result<Unit> unknown = UnitFromName("斤");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("未知计量单位"), std::string::npos);
}

TEST(QuantityTest, ParsesNumberFollowedByUnit) {
  struct Case {
    std::string_view text;
    std::string_view value;
    Unit unit;
  };
  const Case cases[] = {
      {"258.4亿元", "258.4", Unit::kYiYuan},      {"4565万元", "4565", Unit::kWanYuan},
      {"17429.2元", "17429.2", Unit::kYuan},      {"12个", "12", Unit::kGe},
      {"-3.5%", "-3.5", Unit::kPercent},          {"1,234.5 万元", "1234.5", Unit::kWanYuan},
      {" 38 微克/立方米 ", "38", Unit::kUgPerM3}, {"2.1亿千瓦时", "2.1", Unit::kYiKwh},
  };
  for (const Case& c : cases) {
    Result<Quantity> q = ParseQuantity(c.text);
    ASSERT_TRUE(q.ok()) << c.text << ": " << q.status().message();
    EXPECT_EQ(q->value, D(c.value)) << c.text;
    EXPECT_EQ(q->unit, c.unit) << c.text;
  }
}

TEST(QuantityTest, RejectsMissingOrUnknownParts) {
  struct Case {
    std::string_view text;
    std::string_view message_part;
  };
  const Case cases[] = {
      {"258.4", "缺少计量单位"},
      {"亿元", "缺少数值"},
      {"", "缺少数值"},
      {"12斤", "未知计量单位"},
      {"1.2.3亿元", "不是有效的数值"},
      {"12个个", "未知计量单位"},
  };
  for (const Case& c : cases) {
    Result<Quantity> q = ParseQuantity(c.text);
    ASSERT_FALSE(q.ok()) << "accepted: " << c.text;
    EXPECT_NE(q.status().message().find(c.message_part), std::string::npos)
        << c.text << " → " << q.status().message();
  }
}

TEST(QuantityTest, ParsesYiYuanAndConvertsToWanYuanExactly) {
  Result<Quantity> q = ParseQuantity("258.4亿元");
  ASSERT_TRUE(q.ok());
  Result<Quantity> wan = q->ConvertTo(Unit::kWanYuan);
  ASSERT_TRUE(wan.ok());
  EXPECT_EQ(wan->unit, Unit::kWanYuan);
  EXPECT_EQ(wan->value, D("2584000"));
  EXPECT_EQ(wan->ToString(), "2584000万元");
}

TEST(QuantityTest, ConvertsWithinFamiliesExactly) {
  struct Case {
    std::string_view from;
    Unit to;
    std::string_view expected;
  };
  const Case cases[] = {
      {"4565万元", Unit::kYuan, "45650000元"},      {"4565万元", Unit::kYiYuan, "0.4565亿元"},
      {"17429.2元", Unit::kWanYuan, "1.74292万元"}, {"258.4亿元", Unit::kYuan, "25840000000元"},
      {"1.5万亿元", Unit::kYiYuan, "15000亿元"},    {"3.2万亩", Unit::kMu, "32000亩"},
      {"850亩", Unit::kWanMu, "0.085万亩"},         {"12.5万吨", Unit::kDun, "125000吨"},
      {"1.2万人", Unit::kRen, "12000人"},           {"12个", Unit::kGe, "12个"},
  };
  for (const Case& c : cases) {
    Result<Quantity> q = ParseQuantity(c.from);
    ASSERT_TRUE(q.ok()) << c.from;
    Result<Quantity> r = q->ConvertTo(c.to);
    ASSERT_TRUE(r.ok()) << c.from << ": " << r.status().message();
    EXPECT_EQ(r->ToString(), c.expected) << c.from;
  }
}

TEST(QuantityTest, RefusesInexactConversionUnlessRounded) {
  Quantity yuan = ParseQuantity("17429.2元").value_or(Quantity{});
  // 17429.2元 = 0.000174292亿元 needs 9 decimal places.
  Result<Quantity> exact = yuan.ConvertTo(Unit::kYiYuan);
  ASSERT_FALSE(exact.ok());
  EXPECT_NE(exact.status().message().find("超过6位小数"), std::string::npos);
  Result<Quantity> rounded = yuan.ConvertToRounded(Unit::kYiYuan);
  ASSERT_TRUE(rounded.ok());
  EXPECT_EQ(rounded->value, D("0.000174"));
  // Half away from zero: 50元 = 0.0000005亿元 → 0.000001亿元; -50元 → -0.000001亿元.
  EXPECT_EQ(Quantity({D("50"), Unit::kYuan}).ConvertToRounded(Unit::kYiYuan)->value, D("0.000001"));
  EXPECT_EQ(Quantity({D("-50"), Unit::kYuan}).ConvertToRounded(Unit::kYiYuan)->value,
            D("-0.000001"));
}

TEST(QuantityTest, RefusesConversionAcrossFamiliesAndOnOverflow) {
  struct Case {
    Unit from, to;
  };
  const Case cases[] = {
      {Unit::kYiYuan, Unit::kGe},
      {Unit::kWanYuan, Unit::kWanUsd},
      {Unit::kGe, Unit::kJia},
      {Unit::kMu, Unit::kDun},
      {Unit::kWanDun, Unit::kWanMu},
      {Unit::kPercent, Unit::kYuan},
      {Unit::kYuanPerPerson, Unit::kYuan},
  };
  for (const Case& c : cases) {
    EXPECT_FALSE(UnitsConvertible(c.from, c.to)) << UnitName(c.from) << "→" << UnitName(c.to);
    Result<Quantity> r = Quantity{D("1"), c.from}.ConvertTo(c.to);
    ASSERT_FALSE(r.ok()) << UnitName(c.from) << "→" << UnitName(c.to);
    EXPECT_NE(r.status().message().find("不能换算"), std::string::npos);
  }
  EXPECT_TRUE(UnitsConvertible(Unit::kYuan, Unit::kYiYuan));
  // 100000亿元 = 10^13元 is beyond the range of Decimal.
  EXPECT_FALSE(Quantity({D("100000"), Unit::kYiYuan}).ConvertTo(Unit::kYuan).ok());
}

TEST(QuantityTest, FormatsWithPlacesAndUnit) {
  Quantity q = ParseQuantity("258.4亿元").value_or(Quantity{});
  EXPECT_EQ(Format(q, 2), "258.40亿元");
  EXPECT_EQ(q.Format(0), "258亿元");
  EXPECT_EQ(Format(Quantity{D("-1.25"), Unit::kPercent}, 1), "-1.3%");
  EXPECT_EQ(Quantity({D("12"), Unit::kGe}).ToString(), "12个");
}

}  // namespace
}  // namespace tiaodu
