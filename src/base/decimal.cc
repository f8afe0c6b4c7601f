#include "base/decimal.h"

#include <cassert>
#include <cstdint>
#include <string>
#include <string_view>

namespace tiaodu {

namespace {

__extension__ typedef __int128 Int128;  // GCC/Clang; silences -Wpedantic

constexpr int64_t kPow10[] = {1,
                              10,
                              100,
                              1'000,
                              10'000,
                              100'000,
                              1'000'000,
                              10'000'000,
                              100'000'000,
                              1'000'000'000,
                              10'000'000'000,
                              100'000'000'000,
                              1'000'000'000'000,
                              10'000'000'000'000,
                              100'000'000'000'000};

bool InRange(Int128 v) { return v >= Decimal::kMinRaw && v <= Decimal::kMaxRaw; }

// num / den rounded half away from zero; den > 0.
Int128 RoundDiv(Int128 num, Int128 den) {
  Int128 q = num / den;
  Int128 r = num % den;
  if (r < 0) r = -r;
  if (2 * r >= den) q += (num < 0 ? -1 : 1);
  return q;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Quoted(std::string_view s) { return "“" + std::string(s) + "”"; }

Status OverflowError() { return InvalidArgument("数值超出可表示范围（约±9.2万亿）"); }

// Unsigned magnitude with `places` digits after the point; places may exceed 6 (zero padded
// on the caller's side).
std::string FormatMagnitude(bool negative, Int128 units, int places) {
  // units counts 10^-places.
  Int128 pow = 1;
  for (int i = 0; i < places; ++i) pow *= 10;
  Int128 int_part = units / pow;
  Int128 frac_part = units % pow;
  std::string digits;
  if (int_part == 0) digits = "0";
  while (int_part > 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(int_part % 10)));
    int_part /= 10;
  }
  std::string out = negative ? "-" : "";
  out += digits;
  if (places > 0) {
    std::string frac(static_cast<size_t>(places), '0');
    for (int i = places - 1; i >= 0; --i) {
      frac[static_cast<size_t>(i)] = static_cast<char>('0' + static_cast<int>(frac_part % 10));
      frac_part /= 10;
    }
    out += '.';
    out += frac;
  }
  return out;
}

}  // namespace

Decimal Decimal::FromInt(int64_t v) {
  assert(v >= -kMaxInt && v <= kMaxInt && "Decimal::FromInt out of range");
  return Decimal(v * kOne);
}

Result<Decimal> Decimal::CheckedFromInt(int64_t v) {
  if (v < -kMaxInt || v > kMaxInt) return OverflowError();
  return Decimal(v * kOne);
}

Result<Decimal> Decimal::Parse(std::string_view text) {
  std::string_view s = TrimSpaces(text);
  if (s.empty()) return InvalidArgument("数值不能为空");
  const std::string_view original = s;
  bool negative = false;
  if (s.front() == '+' || s.front() == '-') {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  // Integer part: digits, optionally grouped by commas in threes.
  Int128 int_part = 0;
  size_t i = 0;
  size_t group_len = 0;  // digits since the last comma (or the start)
  bool seen_comma = false;
  size_t int_digits = 0;
  for (; i < s.size() && (IsDigit(s[i]) || s[i] == ','); ++i) {
    if (s[i] == ',') {
      if (group_len == 0 || (seen_comma && group_len != 3) || (!seen_comma && group_len > 3)) {
        return InvalidArgument("千分位逗号位置不正确：" + Quoted(original));
      }
      seen_comma = true;
      group_len = 0;
      continue;
    }
    ++group_len;
    ++int_digits;
    int_part = int_part * 10 + (s[i] - '0');
    if (int_part > kMaxInt + 1) return OverflowError();  // keep the accumulator small
  }
  if (int_digits == 0) return InvalidArgument("不是有效的数值：" + Quoted(original));
  if (seen_comma && group_len != 3) {
    return InvalidArgument("千分位逗号位置不正确：" + Quoted(original));
  }
  // Fraction.
  Int128 frac = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t frac_digits = 0;
    for (; i < s.size() && IsDigit(s[i]); ++i, ++frac_digits) {
      if (frac_digits < static_cast<size_t>(kScale)) {
        frac = frac * 10 + (s[i] - '0');
      } else if (s[i] != '0') {
        return InvalidArgument("小数位数超过6位，无法精确表示：" + Quoted(original));
      }
    }
    if (frac_digits == 0) return InvalidArgument("不是有效的数值：" + Quoted(original));
    for (size_t k = frac_digits; k < static_cast<size_t>(kScale); ++k) frac *= 10;
  }
  if (i != s.size()) return InvalidArgument("不是有效的数值：" + Quoted(original));
  Int128 raw = int_part * kOne + frac;
  if (negative) raw = -raw;
  if (!InRange(raw)) return OverflowError();
  return Decimal(static_cast<int64_t>(raw));
}

std::string Decimal::ToString() const {
  int64_t mag = raw_ < 0 ? -raw_ : raw_;
  int places = kScale;
  while (places > 0 && mag % 10 == 0) {
    mag /= 10;
    --places;
  }
  return FormatMagnitude(raw_ < 0, mag, places);
}

std::string Decimal::Format(int places) const {
  assert(places >= 0);
  if (places < 0) places = 0;
  if (places >= kScale) {
    Int128 mag = raw_ < 0 ? -static_cast<Int128>(raw_) : static_cast<Int128>(raw_);
    for (int k = kScale; k < places; ++k) mag *= 10;
    return FormatMagnitude(raw_ < 0, mag, places);
  }
  Int128 q = RoundDiv(raw_, kPow10[kScale - places]);
  return FormatMagnitude(q < 0, q < 0 ? -q : q, places);
}

double Decimal::ToDouble() const { return static_cast<double>(raw_) / static_cast<double>(kOne); }

Result<Decimal> Decimal::CheckedAdd(Decimal a, Decimal b) {
  Int128 r = static_cast<Int128>(a.raw_) + b.raw_;
  if (!InRange(r)) return OverflowError();
  return Decimal(static_cast<int64_t>(r));
}

Result<Decimal> Decimal::CheckedSub(Decimal a, Decimal b) {
  Int128 r = static_cast<Int128>(a.raw_) - b.raw_;
  if (!InRange(r)) return OverflowError();
  return Decimal(static_cast<int64_t>(r));
}

Result<Decimal> Decimal::CheckedMul(Decimal a, Decimal b) {
  Int128 r = RoundDiv(static_cast<Int128>(a.raw_) * b.raw_, kOne);
  if (!InRange(r)) return OverflowError();
  return Decimal(static_cast<int64_t>(r));
}

Result<Decimal> Decimal::CheckedDiv(Decimal a, Decimal b) {
  if (b.raw_ == 0) return InvalidArgument("除数不能为零");
  Int128 num = static_cast<Int128>(a.raw_) * kOne;
  Int128 den = b.raw_;
  if (den < 0) {
    num = -num;
    den = -den;
  }
  Int128 r = RoundDiv(num, den);
  if (!InRange(r)) return OverflowError();
  return Decimal(static_cast<int64_t>(r));
}

Decimal operator+(Decimal a, Decimal b) {
  Result<Decimal> r = Decimal::CheckedAdd(a, b);
  assert(r.ok() && "Decimal addition overflow");
  return r.value_or(Decimal());
}

Decimal operator-(Decimal a, Decimal b) {
  Result<Decimal> r = Decimal::CheckedSub(a, b);
  assert(r.ok() && "Decimal subtraction overflow");
  return r.value_or(Decimal());
}

// ---------------------------------------------------------------------------------------
// Units

namespace {

enum class Family {
  kRmb,
  kUsd,
  kGe,
  kJia,
  kXiang,
  kHu,
  kTou,
  kPersons,
  kWeight,
  kArea,
  kPercent,
  kElectricity,
  kConcentration,
  kPerCapitaRmb
};

struct UnitInfo {
  Unit unit;
  std::string_view name;
  Family family;
  int pow10;  // the unit is 10^pow10 base units of its family
};

constexpr UnitInfo kUnits[] = {
    {Unit::kYuan, "元", Family::kRmb, 0},
    {Unit::kWanYuan, "万元", Family::kRmb, 4},
    {Unit::kYiYuan, "亿元", Family::kRmb, 8},
    {Unit::kWanYiYuan, "万亿元", Family::kRmb, 12},
    {Unit::kWanUsd, "万美元", Family::kUsd, 0},
    {Unit::kGe, "个", Family::kGe, 0},
    {Unit::kJia, "家", Family::kJia, 0},
    {Unit::kXiang, "项", Family::kXiang, 0},
    {Unit::kHu, "户", Family::kHu, 0},
    {Unit::kTou, "头", Family::kTou, 0},
    {Unit::kRen, "人", Family::kPersons, 0},
    {Unit::kWanRen, "万人", Family::kPersons, 4},
    {Unit::kDun, "吨", Family::kWeight, 0},
    {Unit::kWanDun, "万吨", Family::kWeight, 4},
    {Unit::kMu, "亩", Family::kArea, 0},
    {Unit::kWanMu, "万亩", Family::kArea, 4},
    {Unit::kPercent, "%", Family::kPercent, 0},
    {Unit::kYiKwh, "亿千瓦时", Family::kElectricity, 0},
    {Unit::kUgPerM3, "微克/立方米", Family::kConcentration, 0},
    {Unit::kYuanPerPerson, "元/人", Family::kPerCapitaRmb, 0},
};

struct Alias {
  std::string_view name;
  Unit unit;
};

constexpr Alias kAliases[] = {
    {"％", Unit::kPercent},           {"μg/m³", Unit::kUgPerM3}, {"µg/m³", Unit::kUgPerM3},
    {"ug/m3", Unit::kUgPerM3},        {"μg/m3", Unit::kUgPerM3}, {"微克每立方米", Unit::kUgPerM3},
    {"元每人", Unit::kYuanPerPerson},
};

const UnitInfo& Info(Unit unit) {
  for (const UnitInfo& u : kUnits) {
    if (u.unit == unit) return u;
  }
  assert(false && "Unit missing from kUnits");
  return kUnits[0];
}

Result<Quantity> Convert(const Quantity& q, Unit to, bool round) {
  const UnitInfo& from_info = Info(q.unit);
  const UnitInfo& to_info = Info(to);
  if (from_info.family != to_info.family) {
    return InvalidArgument("计量单位“" + std::string(from_info.name) + "”不能换算为“" +
                           std::string(to_info.name) + "”");
  }
  int shift = from_info.pow10 - to_info.pow10;
  Int128 raw = q.value.raw();
  if (shift >= 0) {
    raw *= kPow10[shift];
  } else {
    Int128 den = kPow10[-shift];
    if (round) {
      raw = RoundDiv(raw, den);
    } else {
      if (raw % den != 0) {
        return InvalidArgument(q.ToString() + "换算为" + std::string(to_info.name) +
                               "需要超过6位小数，无法精确表示");
      }
      raw /= den;
    }
  }
  if (!InRange(raw)) return OverflowError();
  return Quantity{Decimal::FromRaw(static_cast<int64_t>(raw)), to};
}

}  // namespace

std::string_view UnitName(Unit unit) { return Info(unit).name; }

Result<Unit> UnitFromName(std::string_view name) {
  for (const UnitInfo& u : kUnits) {
    if (u.name == name) return u.unit;
  }
  for (const Alias& a : kAliases) {
    if (a.name == name) return a.unit;
  }
  if (name.empty()) return InvalidArgument("缺少计量单位");
  return InvalidArgument("未知计量单位：" + Quoted(name));
}

bool UnitsConvertible(Unit from, Unit to) { return Info(from).family == Info(to).family; }

Result<Quantity> Quantity::ConvertTo(Unit to) const { return Convert(*this, to, false); }

Result<Quantity> Quantity::ConvertToRounded(Unit to) const { return Convert(*this, to, true); }

std::string Quantity::ToString() const { return value.ToString() + std::string(UnitName(unit)); }

std::string Quantity::Format(int places) const {
  return value.Format(places) + std::string(UnitName(unit));
}

std::string Format(const Quantity& q, int places) { return q.Format(places); }

Result<Quantity> ParseQuantity(std::string_view text) {
  std::string_view s = TrimSpaces(text);
  size_t split = 0;
  while (split < s.size() && (IsDigit(s[split]) || s[split] == '.' || s[split] == ',' ||
                              s[split] == '+' || s[split] == '-' || s[split] == ' ')) {
    ++split;
  }
  std::string_view number = TrimSpaces(s.substr(0, split));
  std::string_view unit_name = TrimSpaces(s.substr(split));
  if (number.empty()) return InvalidArgument("缺少数值：" + Quoted(text));
  if (unit_name.empty()) return InvalidArgument("缺少计量单位：" + Quoted(text));
  Result<Decimal> value = Decimal::Parse(number);
  TIAODU_RETURN_IF_ERROR(value);
  Result<Unit> unit = UnitFromName(unit_name);
  TIAODU_RETURN_IF_ERROR(unit);
  return Quantity{*value, *unit};
}

}  // namespace tiaodu
