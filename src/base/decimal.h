// Decimal: an exact decimal number for money and indicator values, and Quantity: a Decimal
// with an explicit unit (亿元, 万元, 元, 个, 万吨 ...).
//
// Representation: a signed 64-bit integer counting millionths (6 implied decimal places,
// scale 10^6). The range is ±9,223,372,036,854.775807 (about ±9.2万亿 in the value's own
// unit); the most negative int64 is never a valid value, so negation cannot overflow.
// Sums and differences are exact; products and quotients are rounded to 6 places, half away
// from zero, and say so in their names. Rounding for display happens once, in Format().
//
// Overflow: the Checked*/Mul/Div functions return an error Result; the operators + and -
// assert that no overflow happens (use them when the operands are known to be small, e.g.
// sums of a few reported values; use CheckedAdd when summing untrusted input).
//
// Decimal and Quantity are small values: copy them freely. Not thread-safe to mutate
// concurrently (like any value); all functions are pure.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace tiaodu {

class Decimal {
 public:
  static constexpr int kScale = 6;            // implied decimal places
  static constexpr int64_t kOne = 1'000'000;  // raw value of 1
  static constexpr int64_t kMaxRaw = INT64_MAX;
  static constexpr int64_t kMinRaw = -INT64_MAX;  // INT64_MIN is not a valid value
  // The largest integer part that FromInt accepts.
  static constexpr int64_t kMaxInt = kMaxRaw / kOne;

  constexpr Decimal() = default;  // zero

  // The value raw / 10^6. raw must not be INT64_MIN.
  static constexpr Decimal FromRaw(int64_t raw) { return Decimal(raw); }
  // An integer; asserts |v| <= kMaxInt (use CheckedFromInt for untrusted input).
  static Decimal FromInt(int64_t v);
  static Result<Decimal> CheckedFromInt(int64_t v);

  // Parses "258.4", "-1.25", "+3", "1,234.5" (commas must group thousands correctly),
  // "0.000001". Surrounding ASCII spaces are ignored. At most 6 decimal places that are not
  // zero ("1.2500000" is fine, "1.2345678" is rejected as inexact). Rejects empty input,
  // exponents, "1.", ".5", stray characters and values out of range with InvalidArgument.
  static Result<Decimal> Parse(std::string_view text);

  int64_t raw() const { return raw_; }
  bool IsZero() const { return raw_ == 0; }
  bool IsNegative() const { return raw_ < 0; }
  // -1, 0 or 1.
  int Sign() const { return (raw_ > 0) - (raw_ < 0); }
  Decimal Abs() const { return Decimal(raw_ < 0 ? -raw_ : raw_); }

  // Shortest exact text: "258.4", "-1.25", "0", "1000". No thousands separators.
  std::string ToString() const;
  // Rounded to `places` decimal places (half away from zero), always showing exactly
  // `places` digits after the point: Format(1) of 1.25 is "1.3", of -1.25 "-1.3",
  // Format(2) of 258.4 is "258.40". A value that rounds to zero prints without a sign.
  // places >= 0; places above 6 pad with zeros.
  std::string Format(int places) const;
  // For charts only: never feed the result back into a computation.
  double ToDouble() const;

  static Result<Decimal> CheckedAdd(Decimal a, Decimal b);
  static Result<Decimal> CheckedSub(Decimal a, Decimal b);
  // a × b, rounded to 6 places half away from zero. Error on overflow.
  static Result<Decimal> CheckedMul(Decimal a, Decimal b);
  // a ÷ b, rounded to 6 places half away from zero. Error on b == 0 or overflow.
  static Result<Decimal> CheckedDiv(Decimal a, Decimal b);
  // Member spellings of CheckedMul / CheckedDiv.
  Result<Decimal> Mul(Decimal other) const { return CheckedMul(*this, other); }
  Result<Decimal> Div(Decimal other) const { return CheckedDiv(*this, other); }

  // Assert on overflow.
  friend Decimal operator+(Decimal a, Decimal b);
  friend Decimal operator-(Decimal a, Decimal b);
  Decimal operator-() const { return Decimal(-raw_); }
  Decimal& operator+=(Decimal b) { return *this = *this + b; }
  Decimal& operator-=(Decimal b) { return *this = *this - b; }

  friend constexpr bool operator==(Decimal, Decimal) = default;
  friend constexpr std::strong_ordering operator<=>(Decimal, Decimal) = default;

 private:
  explicit constexpr Decimal(int64_t raw) : raw_(raw) {}
  int64_t raw_ = 0;
};

// Units of money and measure. Units of one family convert exactly into each other by powers
// of ten; units of different families never convert.
enum class Unit {
  // money, RMB: 元 = 1, 万元 = 10^4, 亿元 = 10^8, 万亿元 = 10^12
  kYuan,
  kWanYuan,
  kYiYuan,
  kWanYiYuan,
  // money, US dollars
  kWanUsd,  // 万美元
  // counts (each its own family: 12个 is not 12家)
  kGe,     // 个
  kJia,    // 家
  kXiang,  // 项
  kHu,     // 户
  kTou,    // 头
  // persons: 人 = 1, 万人 = 10^4
  kRen,
  kWanRen,
  // weight: 吨 = 1, 万吨 = 10^4
  kDun,
  kWanDun,
  // area: 亩 = 1, 万亩 = 10^4
  kMu,
  kWanMu,
  kPercent,        // %
  kYiKwh,          // 亿千瓦时
  kUgPerM3,        // 微克/立方米
  kYuanPerPerson,  // 元/人
};

// The canonical Chinese name, e.g. "亿元", "%", "微克/立方米".
std::string_view UnitName(Unit unit);
// The unit of a canonical name or a known alias ("％", "μg/m³", "ug/m3", "元每人").
// Unknown names are InvalidArgument ("未知计量单位：…").
Result<Unit> UnitFromName(std::string_view name);
// Whether a value in `from` can be expressed in `to` (same family, e.g. 亿元 and 元).
bool UnitsConvertible(Unit from, Unit to);

struct Quantity {
  Decimal value;
  Unit unit = Unit::kYuan;

  // The same amount in `to`, exactly: 258.4亿元 → 2584000万元. Errors: units of different
  // families (亿元 → 个), overflow, or a result that needs more than 6 decimal places
  // (17429.2元 → 亿元 is 0.000174292); use ConvertToRounded for the latter.
  Result<Quantity> ConvertTo(Unit to) const;
  // Like ConvertTo, but rounds the result to 6 places half away from zero.
  Result<Quantity> ConvertToRounded(Unit to) const;

  // "258.4亿元", "12个".
  std::string ToString() const;
  // Value rounded to `places` (see Decimal::Format) followed by the unit: "258.40亿元".
  std::string Format(int places) const;

  friend bool operator==(const Quantity&, const Quantity&) = default;
};

// Parses a number followed by a unit name: "258.4亿元", "4565万元", "17429.2元", "12个",
// "-3.5%", "1,234.5 万元" (spaces between number and unit are allowed).
Result<Quantity> ParseQuantity(std::string_view text);

// Free spelling of Quantity::Format.
std::string Format(const Quantity& q, int places);

}  // namespace tiaodu
