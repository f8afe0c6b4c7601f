#include "base/validators.h"

#include <string>
#include <string_view>

namespace tiaodu {

namespace {

constexpr std::string_view kUsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";  // 31 chars
constexpr int kUsccWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
constexpr int kOrgCodeWeights[8] = {3, 7, 9, 10, 5, 8, 4, 2};
constexpr int kProvinceCodes[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
                                  35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
                                  53, 54, 61, 62, 63, 64, 65, 71, 81, 82};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// Number of UTF-8 code points (so that "１２３" counts as 3 characters in messages).
size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

// The value of c in the USCC alphabet, or -1.
int UsccValue(char c) {
  size_t pos = kUsccAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

// Describes the first character of s that fails `ok`, 1-based, for messages.
std::string IllegalCharMessage(std::string_view what, std::string_view s, size_t index,
                               std::string_view rule) {
  std::string shown;
  unsigned char c = static_cast<unsigned char>(s[index]);
  if (c < 0x20 || c == 0x7F) {
    shown = "控制字符";
  } else {
    // Show the whole UTF-8 sequence starting at index.
    size_t end = index + 1;
    while (end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) ++end;
    shown = "“" + std::string(s.substr(index, end - index)) + "”";
  }
  return std::string(what) + "第" + std::to_string(CodePoints(s.substr(0, index)) + 1) +
         "位包含非法字符" + shown + "（" + std::string(rule) + "）";
}

bool IsProvinceCode(int pp) {
  for (int p : kProvinceCodes) {
    if (p == pp) return true;
  }
  return false;
}

}  // namespace

// ---- USCC ----

Result<char> UsccCheckChar(std::string_view first17) {
  if (first17.size() != 17) return InvalidArgument("计算校验位需要统一社会信用代码的前17位");
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    int v = UsccValue(first17[i]);
    if (v < 0) {
      return InvalidArgument(IllegalCharMessage("统一社会信用代码", first17, i,
                                                "应为数字或大写字母，不含I、O、S、V、Z"));
    }
    sum += v * kUsccWeights[i];
  }
  int code = 31 - sum % 31;
  if (code == 31) code = 0;
  return kUsccAlphabet[static_cast<size_t>(code)];
}

Status ValidateUscc(std::string_view uscc) {
  if (uscc.empty()) return InvalidArgument("统一社会信用代码不能为空");
  if (uscc.size() != 18) {
    return InvalidArgument("统一社会信用代码应为18位（当前为" + std::to_string(CodePoints(uscc)) +
                           "位）");
  }
  for (size_t i = 0; i < uscc.size(); ++i) {
    if (UsccValue(uscc[i]) < 0) {
      return InvalidArgument(
          IllegalCharMessage("统一社会信用代码", uscc, i, "应为数字或大写字母，不含I、O、S、V、Z"));
    }
  }
  if (!AllDigits(uscc.substr(2, 6))) {
    return InvalidArgument("统一社会信用代码第3-8位应为6位数字的行政区划代码");
  }
  Result<char> check = UsccCheckChar(uscc.substr(0, 17));
  if (!check.ok()) return check.status();
  if (*check != uscc[17]) return InvalidArgument("统一社会信用代码校验位错误，请核对");
  return Status::Ok();
}

// ---- GB 11714 organisation code ----

Result<char> OrgCodeCheckChar(std::string_view first8) {
  if (first8.size() != 8) return InvalidArgument("计算校验码需要组织机构代码的前8位");
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) {
    char c = first8[i];
    int v;
    if (IsDigit(c)) {
      v = c - '0';
    } else if (IsUpper(c)) {
      v = c - 'A' + 10;
    } else {
      return InvalidArgument(IllegalCharMessage("组织机构代码", first8, i, "应为数字或大写字母"));
    }
    sum += v * kOrgCodeWeights[i];
  }
  int c = 11 - sum % 11;
  if (c == 10) return 'X';
  if (c == 11) return '0';
  return static_cast<char>('0' + c);
}

Status ValidateOrgCode(std::string_view code) {
  std::string compact(code);
  if (code.size() == 10 && code[8] == '-') compact = std::string(code.substr(0, 8)) + code[9];
  if (compact.size() != 9) {
    return InvalidArgument("组织机构代码应为9位（当前为" + std::to_string(CodePoints(code)) +
                           "位）");
  }
  Result<char> check = OrgCodeCheckChar(std::string_view(compact).substr(0, 8));
  if (!check.ok()) return check.status();
  char last = compact[8];
  if (!IsDigit(last) && last != 'X') {
    return InvalidArgument(IllegalCharMessage("组织机构代码", compact, 8, "校验码应为数字或X"));
  }
  if (*check != last) return InvalidArgument("组织机构代码校验码错误，请核对");
  return Status::Ok();
}

// ---- GB/T 2260 ----

Status ValidateGbt2260(std::string_view code) {
  if (code.size() != 6 || !AllDigits(code)) {
    return InvalidArgument("行政区划代码应为6位数字");
  }
  int pp = (code[0] - '0') * 10 + (code[1] - '0');
  if (!IsProvinceCode(pp)) {
    return InvalidArgument("行政区划代码的省级代码“" + std::string(code.substr(0, 2)) + "”不存在");
  }
  if (code.substr(2, 2) == "00" && code.substr(4, 2) != "00") {
    return InvalidArgument("行政区划代码第3-4位为00时第5-6位也应为00");
  }
  return Status::Ok();
}

Result<DivisionLevel> Gbt2260Level(std::string_view code) {
  TIAODU_RETURN_IF_ERROR(ValidateGbt2260(code));
  if (code.substr(2) == "0000") return DivisionLevel::kProvince;
  if (code.substr(4) == "00") return DivisionLevel::kPrefecture;
  return DivisionLevel::kCounty;
}

Result<std::string> Gbt2260Parent(std::string_view code) {
  Result<DivisionLevel> level = Gbt2260Level(code);
  TIAODU_RETURN_IF_ERROR(level);
  switch (*level) {
    case DivisionLevel::kProvince:
      return FailedPrecondition("省级行政区划没有上级区划");
    case DivisionLevel::kPrefecture:
      return std::string(code.substr(0, 2)) + "0000";
    case DivisionLevel::kCounty:
      return std::string(code.substr(0, 4)) + "00";
  }
  return Internal("未知的区划级别");
}

// ---- 统计用区划代码 ----

Status ValidateTownCode(std::string_view code) {
  if ((code.size() != 9 && code.size() != 12) || !AllDigits(code)) {
    return InvalidArgument("统计用区划代码应为9位或12位数字");
  }
  Result<DivisionLevel> level = Gbt2260Level(code.substr(0, 6));
  if (!level.ok()) {
    return InvalidArgument("统计用区划代码前6位不是有效的行政区划代码：" +
                           level.status().message());
  }
  if (*level != DivisionLevel::kCounty) {
    return InvalidArgument("统计用区划代码前6位应为县级行政区划代码");
  }
  if (code.substr(6, 3) == "000") {
    return InvalidArgument("统计用区划代码第7-9位（乡级代码）不能为000");
  }
  return Status::Ok();
}

}  // namespace tiaodu
