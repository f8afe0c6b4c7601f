// Numbers and units as report texts write them: Arabic numerals with decimals and thousands
// separators ("1,234.5", "10.8"), with a 万/亿/千 multiplier ("1.2万个"), Chinese numerals
// ("三十二", "两千", "一百零五"), and the units that follow them ("亿元", "万吨", "个百分点",
// "%"). Pure functions on UTF-8 text; no allocation on the hot path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "base/decimal.h"

namespace tiaodu::factcheck {

// The code point starting at s[i] and its length in bytes (1 for an invalid byte, whose value
// is then 0xFFFD). i < s.size().
char32_t DecodeAt(std::string_view s, size_t i, size_t* len);
// The start of the code point that ends just before byte i (i > 0).
size_t PrevStart(std::string_view s, size_t i);
// The code point ending just before byte i, or 0 at the start.
char32_t PrevChar(std::string_view s, size_t i);
// Whether c is a CJK ideograph (the basic block and extension A).
bool IsHan(char32_t c);
// Whether c is a Chinese numeral character (零〇一二两三四五六七八九十百千万亿).
bool IsChineseNumeral(char32_t c);
// Whether the text is valid UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool ValidUtf8(std::string_view s);

// A number read from the text.
struct Number {
  Decimal value;
  size_t end = 0;        // byte offset just after the number (before any unit)
  int decimals = 0;      // digits written after the point
  bool chinese = false;  // written in Chinese numerals
  int chars = 0;         // characters the numeral takes (三十二 → 3)
};

// Reads an Arabic number at s[i] ("216", "10.8", "1,234.5"); none if s[i] is not a digit or
// the number does not fit. Grouping commas must group thousands.
std::optional<Number> ReadArabic(std::string_view s, size_t i);
// Reads a Chinese numeral at s[i] ("三十二" = 32, "两千" = 2000, "一百零五" = 105, "十一" =
// 11); none when the run is not a well-formed positional numeral or holds no digit.
std::optional<Number> ReadChinese(std::string_view s, size_t i);

// A unit read just after a number.
struct UnitMatch {
  std::string_view unit;     // canonical spelling ("%" for "％")
  size_t end = 0;            // byte offset just after the unit
  bool approximate = false;  // "余" / "多" between the number and the unit ("5500余户")
};

// Reads the unit at s[i] (spaces and 余/多 allowed before it); the longest unit wins ("个百分点"
// over "个", "万吨" over "万"). None if no known unit follows, or the unit starts a longer word
// that is not a quantity ("个月", "个工作日").
std::optional<UnitMatch> ReadUnit(std::string_view s, size_t i);

// `v` in unit `from` expressed in unit `to`, exactly where base/decimal.h knows both units or
// where one is the other with 万 before it (万头 → 头, 万套 → 套); none otherwise.
std::optional<Decimal> ConvertUnits(Decimal v, std::string_view from, std::string_view to);

// Whether a unit counts things (个, 家, 项, 户 ...), as opposed to amounts and percentages.
bool IsCountUnit(std::string_view unit);

}  // namespace tiaodu::factcheck
