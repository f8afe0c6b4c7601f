#include "factcheck/numbers.h"

#include <array>
#include <unordered_map>
#include <vector>

namespace tiaodu::factcheck {

char32_t DecodeAt(std::string_view s, size_t i, size_t* len) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  *len = 1;
  if (b0 < 0x80) return b0;
  int n = 0;
  char32_t c = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 1;
    c = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 2;
    c = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 3;
    c = b0 & 0x07;
  } else {
    return 0xFFFD;
  }
  if (i + n >= s.size()) return 0xFFFD;
  for (int k = 1; k <= n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0xFFFD;
    c = (c << 6) | (b & 0x3F);
  }
  *len = static_cast<size_t>(n) + 1;
  return c;
}

size_t PrevStart(std::string_view s, size_t i) {
  size_t j = i - 1;
  int back = 0;
  while (j > 0 && back < 3 && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) {
    --j;
    ++back;
  }
  return j;
}

char32_t PrevChar(std::string_view s, size_t i) {
  if (i == 0) return 0;
  size_t j = PrevStart(s, i);
  size_t len = 0;
  char32_t c = DecodeAt(s, j, &len);
  return j + len == i ? c : 0xFFFD;
}

bool IsHan(char32_t c) { return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF); }

namespace {

// Digit value of a Chinese numeral digit, -1 otherwise.
int ChineseDigit(char32_t c) {
  switch (c) {
    case U'零':
    case U'〇':
      return 0;
    case U'一':
      return 1;
    case U'二':
    case U'两':
      return 2;
    case U'三':
      return 3;
    case U'四':
      return 4;
    case U'五':
      return 5;
    case U'六':
      return 6;
    case U'七':
      return 7;
    case U'八':
      return 8;
    case U'九':
      return 9;
    default:
      return -1;
  }
}

// Power of ten of a Chinese numeral multiplier, 0 otherwise.
int ChineseMultiplier(char32_t c) {
  switch (c) {
    case U'十':
      return 1;
    case U'百':
      return 2;
    case U'千':
      return 3;
    case U'万':
      return 4;
    case U'亿':
      return 8;
    default:
      return 0;
  }
}

}  // namespace

bool IsChineseNumeral(char32_t c) { return ChineseDigit(c) >= 0 || ChineseMultiplier(c) > 0; }

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    char32_t min;
    if ((b0 & 0xE0) == 0xC0) {
      len = 2;
      min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3;
      min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4;
      min = 0x10000;
    } else {
      return false;
    }
    if (i + len > n) return false;
    size_t got = 0;
    char32_t c = DecodeAt(s, i, &got);
    if (got != len || c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

std::optional<Number> ReadArabic(std::string_view s, size_t i) {
  auto digit = [&](size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '9'; };
  if (!digit(i)) return std::nullopt;
  int64_t mantissa = 0;
  int decimals = 0;
  int int_digits = 0;
  size_t k = i;
  bool grouped = false;
  while (k < s.size()) {
    if (digit(k)) {
      if (mantissa > (INT64_MAX / 10) - 10) return std::nullopt;
      mantissa = mantissa * 10 + (s[k] - '0');
      ++int_digits;
      ++k;
    } else if (s[k] == ',' && digit(k + 1) && digit(k + 2) && digit(k + 3) && !digit(k + 4) &&
               int_digits > 0 && (grouped || int_digits <= 3)) {
      grouped = true;
      int_digits = 0;
      ++k;
    } else {
      break;
    }
  }
  if (k < s.size() && s[k] == '.' && digit(k + 1)) {
    ++k;
    while (digit(k)) {
      if (decimals >= 6 || mantissa > (INT64_MAX / 10) - 10) return std::nullopt;
      mantissa = mantissa * 10 + (s[k] - '0');
      ++decimals;
      ++k;
    }
  }
  int64_t scale = 1;
  for (int d = decimals; d < Decimal::kScale; ++d) {
    if (mantissa > Decimal::kMaxRaw / 10 / scale) return std::nullopt;
    scale *= 10;
  }
  if (mantissa > Decimal::kMaxRaw / scale) return std::nullopt;
  Number n;
  n.value = Decimal::FromRaw(mantissa * scale);
  n.end = k;
  n.decimals = decimals;
  n.chars = static_cast<int>(k - i);
  return n;
}

std::optional<Number> ReadChinese(std::string_view s, size_t i) {
  // Positional: [digit] 十/百/千 ... with 万/亿 sections; 零 fills gaps. "十二" is 12.
  int64_t total = 0;    // completed 亿/万 sections
  int64_t section = 0;  // below 万
  int64_t digit = -1;   // pending digit
  bool any_digit = false;
  int last_mult = 9;  // the multiplier before (to keep 千 > 百 > 十 within a section)
  int chars = 0;
  size_t k = i;
  while (k < s.size()) {
    size_t len = 0;
    char32_t c = DecodeAt(s, k, &len);
    int d = ChineseDigit(c);
    int m = ChineseMultiplier(c);
    if (d >= 0) {
      if (digit >= 0 && digit != 0 && d != 0) return std::nullopt;  // "一二": not positional
      digit = d;
      any_digit = true;
    } else if (m >= 1 && m <= 3) {
      if (m >= last_mult) return std::nullopt;
      int64_t unit = m == 1 ? 10 : m == 2 ? 100 : 1000;
      section += (digit < 0 ? 1 : digit) * unit;
      if (digit < 0 && !(m == 1 && chars == 0))
        return std::nullopt;  // only a leading 十 stands alone
      digit = -1;
      last_mult = m;
    } else if (m == 4 || m == 8) {
      if (!any_digit && section == 0) break;
      // "八十六亿元": 亿 starts the unit, not the numeral.
      if (auto u = ReadUnit(s, k); u && u->unit.size() > 3 && k + 3 <= s.size() && u->end > k + 3)
        break;
      int64_t sec = section + (digit > 0 ? digit : 0);
      if (sec == 0 && total == 0) return std::nullopt;
      if (m == 4) {
        if (total % 100000000 != 0 && total != 0) return std::nullopt;
        total += sec * 10000;
      } else {
        total = (total + sec) * 100000000;
      }
      section = 0;
      digit = -1;
      last_mult = 9;
      if (total > 100'000'000'000'000LL) return std::nullopt;
    } else {
      break;
    }
    ++chars;
    k += len;
  }
  if (!any_digit && chars == 0) return std::nullopt;
  if (!any_digit && section == 0) return std::nullopt;
  int64_t v = total + section + (digit > 0 ? digit : 0);
  if (v > Decimal::kMaxInt) return std::nullopt;
  Number n;
  n.value = Decimal::FromInt(v);
  n.end = k;
  n.chinese = true;
  n.chars = chars;
  return n;
}

namespace {

struct UnitSpelling {
  std::string_view text;
  std::string_view canonical;
};

// Longest first within each shared prefix (the scan below takes the longest match).
constexpr std::array<UnitSpelling, 60> kUnits = {{
    {"个百分点", "个百分点"},
    {"百分点", "个百分点"},
    {"万亿元", "万亿元"},
    {"亿元", "亿元"},
    {"万元", "万元"},
    {"元", "元"},
    {"亿美元", "亿美元"},
    {"万美元", "万美元"},
    {"美元", "美元"},
    {"亿千瓦时", "亿千瓦时"},
    {"万千瓦时", "万千瓦时"},
    {"千瓦时", "千瓦时"},
    {"万千瓦", "万千瓦"},
    {"千瓦", "千瓦"},
    {"万吨", "万吨"},
    {"吨", "吨"},
    {"万亩", "万亩"},
    {"亩", "亩"},
    {"万人次", "万人次"},
    {"人次", "人次"},
    {"万人", "万人"},
    {"人", "人"},
    {"万户", "万户"},
    {"户", "户"},
    {"万头", "万头"},
    {"头", "头"},
    {"万只", "万只"},
    {"只", "只"},
    {"万株", "万株"},
    {"株", "株"},
    {"万平方米", "万平方米"},
    {"平方米", "平方米"},
    {"平方公里", "平方公里"},
    {"公里", "公里"},
    {"万套", "万套"},
    {"套", "套"},
    {"个", "个"},
    {"家", "家"},
    {"项", "项"},
    {"栋", "栋"},
    {"条", "条"},
    {"处", "处"},
    {"所", "所"},
    {"座", "座"},
    {"辆", "辆"},
    {"台", "台"},
    {"件", "件"},
    {"宗", "宗"},
    {"次", "次"},
    {"场", "场"},
    {"名", "名"},
    {"位", "位"},
    {"倍", "倍"},
    {"%", "%"},
    {"％", "%"},
    {"‰", "‰"},
    {"微克/立方米", "微克/立方米"},
    {"立方米", "立方米"},
    {"公顷", "公顷"},
    {"千米", "千米"},
}};

// Words that a unit character starts but that are not quantities ("3个月", "5人民币"?).
bool NotAQuantity(std::string_view unit, std::string_view rest) {
  auto starts = [&](std::string_view w) { return rest.substr(0, w.size()) == w; };
  if (unit == "个") return starts("月") || starts("工作日") || starts("小时") || starts("多月");
  if (unit == "人") return starts("民") || starts("员") || starts("才") || starts("口");
  if (unit == "家") return starts("庭") || starts("乡") || starts("园") || starts("属");
  if (unit == "名") return starts("单") || starts("称") || starts("义");
  if (unit == "位") return starts("于") || starts("置");
  if (unit == "次") return starts("年") || starts("日") || starts("月");
  if (unit == "条") return starts("件") || starts("例");
  if (unit == "台") return starts("阶");
  if (unit == "元") return starts("旦");
  if (unit == "所") return starts("有") || starts("在") || starts("以");
  if (unit == "处") return starts("理") || starts("置");
  if (unit == "场") return starts("景") || starts("所") || starts("地");
  if (unit == "项") return starts("目");
  return false;
}

}  // namespace

std::optional<UnitMatch> ReadUnit(std::string_view s, size_t i) {
  size_t k = i;
  while (k < s.size() && s[k] == ' ') ++k;
  bool approx = false;
  std::string_view rest = s.substr(k);
  for (std::string_view w : {std::string_view("余"), std::string_view("多")}) {
    if (rest.substr(0, w.size()) == w) {
      approx = true;
      k += w.size();
      rest = s.substr(k);
      break;
    }
  }
  // The spellings by their first character, so that a position is tried against a few only.
  static const std::unordered_map<char32_t, std::vector<const UnitSpelling*>> kByFirst = [] {
    std::unordered_map<char32_t, std::vector<const UnitSpelling*>> m;
    for (const UnitSpelling& u : kUnits) {
      size_t len = 0;
      m[DecodeAt(u.text, 0, &len)].push_back(&u);
    }
    return m;
  }();
  if (rest.empty()) return std::nullopt;
  size_t first_len = 0;
  auto it = kByFirst.find(DecodeAt(rest, 0, &first_len));
  if (it == kByFirst.end()) return std::nullopt;
  const UnitSpelling* best = nullptr;
  for (const UnitSpelling* u : it->second) {
    if (rest.substr(0, u->text.size()) == u->text && (!best || u->text.size() > best->text.size()))
      best = u;
  }
  if (!best) return std::nullopt;
  if (NotAQuantity(best->canonical, rest.substr(best->text.size()))) return std::nullopt;
  return UnitMatch{best->canonical, k + best->text.size(), approx};
}

std::optional<Decimal> ConvertUnits(Decimal v, std::string_view from, std::string_view to) {
  if (from == to) return v;
  constexpr std::string_view kWan = "万";
  if (from.size() > kWan.size() && from.substr(0, kWan.size()) == kWan &&
      from.substr(kWan.size()) == to) {
    auto r = v.Mul(Decimal::FromInt(10000));
    if (r.ok()) return *r;
    return std::nullopt;
  }
  if (to.size() > kWan.size() && to.substr(0, kWan.size()) == kWan &&
      to.substr(kWan.size()) == from) {
    auto r = v.Div(Decimal::FromInt(10000));
    if (r.ok()) return *r;
    return std::nullopt;
  }
  auto f = UnitFromName(from);
  auto t = UnitFromName(to);
  if (!f.ok() || !t.ok() || !UnitsConvertible(*f, *t)) return std::nullopt;
  auto q = Quantity{v, *f}.ConvertToRounded(*t);
  if (!q.ok()) return std::nullopt;
  return q->value;
}

bool IsCountUnit(std::string_view u) {
  static constexpr std::string_view kCounts[] = {"个", "家", "项", "户", "栋", "条", "处",  "所",
                                                 "座", "辆", "台", "件", "宗", "次", "场",  "名",
                                                 "位", "套", "头", "只", "株", "人", "人次"};
  for (std::string_view c : kCounts)
    if (u == c) return true;
  return false;
}

}  // namespace tiaodu::factcheck
