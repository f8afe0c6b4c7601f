// Validators for codes that Tiaodu stores: the unified social credit code of an enterprise or
// organisation (统一社会信用代码, GB 32100-2015), the organisation code embedded in it
// (组织机构代码, GB 11714), administrative division codes (行政区划代码, GB/T 2260) and the
// statistical township / village codes built on them (统计用区划代码).
//
// All functions are pure and thread-safe. They check structure and check characters only;
// they do not know whether a code has actually been issued. Input is taken as given: the
// caller trims whitespace and decides whether to upper-case; lower-case letters are errors.
// Error messages are Chinese and name what is wrong.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "base/status.h"

namespace tiaodu {

// ---- 统一社会信用代码 (GB 32100-2015) ----
//
// 18 characters from "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I, O, S, V, Z):
//   1     registration authority (登记管理部门代码)
//   2     organisation type (机构类别代码)
//   3-8   administrative division code (6 digits)
//   9-17  organisation code (主体标识码, GB 11714 form)
//   18    check character: weights 3^i mod 31, code = 31 − (sum mod 31), 31 → 0.
// Checked: length, character set, positions 3-8 are digits, the check character.
// Not checked: the meaning of positions 1-2 (the table of authorities has grown since 2015),
// whether positions 3-8 are a current GB/T 2260 code (codes of abolished divisions stay in
// issued USCCs), and the GB 11714 check of positions 9-17 (see ValidateOrgCode).
Status ValidateUscc(std::string_view uscc);
// The 18th character for the first 17; InvalidArgument if first17 is not 17 characters of
// the USCC alphabet.
Result<char> UsccCheckChar(std::string_view first17);

// ---- 组织机构代码 (GB 11714) ----
//
// 8 body characters (digits or upper-case letters; letter values A=10 .. Z=35) and a check
// character: weights 3,7,9,10,5,8,4,2, c = 11 − (sum mod 11), 10 → 'X', 11 → '0'.
// Accepts "MA1234567" or the printed form "MA123456-7".
Status ValidateOrgCode(std::string_view code);
Result<char> OrgCodeCheckChar(std::string_view first8);

// ---- 行政区划代码 (GB/T 2260) ----
//
// Six digits PPCCXX: PP a real province-level code (11 北京 … 65 新疆, 71 台湾, 81 香港,
// 82 澳门), CC the prefecture part, XX the county part; "PP0000" is a province, "PPCC00"
// (CC ≠ 00) a prefecture-level unit, anything else a county-level unit. A county part under
// a zero prefecture part ("410001") is rejected.
enum class DivisionLevel { kProvince, kPrefecture, kCounty };

Status ValidateGbt2260(std::string_view code);
Result<DivisionLevel> Gbt2260Level(std::string_view code);
// The code one level up: "411302" → "411300", "411300" → "410000". A province has no parent
// (FailedPrecondition). Purely structural: for 直辖市 districts the parent is "110100".
Result<std::string> Gbt2260Parent(std::string_view code);

// ---- 统计用区划代码 ----
//
// 9 digits (county code + 3-digit township) or 12 digits (+ 3-digit village/community).
// The first six digits must be a county-level GB/T 2260 code, the township part is not 000,
// and in the 12-digit form a village part of 000 denotes the township itself.
Status ValidateTownCode(std::string_view code);

}  // namespace tiaodu
