// Checker, compiler, evaluator and budget cap of the benefit rule language (see rules.h and
// docs/decisions/0019-benefit-rule-language.md). The parser and printer are in parse.cc.
//
// A compiled expression is a program for a small stack machine. Every value on the stack is an
// int64 (a Decimal's raw millionths, a text id, a Scale, days since 1970-01-01, or 0/1) with a
// state: known, missing (a figure the enterprise has not reported) or error (÷0, overflow).
// Types are checked at compile time, so the machine never looks at types or names.
#include "benefits/rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "benefits/rules_internal.h"

namespace tiaodu::benefits {

using internal::ParseError;

namespace {

// ---- Instructions ----

enum OpCode : uint8_t {
  kConst,     // push b
  kFig,       // push figure slot a
  kGrowth,    // push growth of slot a over slot b, percent
  kIndustry,  // push the industry's text id
  kUnit,      // push the unit's text id
  kScale,     // push the scale
  kFounded,   // push the founding day
  kHasCert,   // push whether certification bit a is set
  kAdd,
  kSub,
  kMul,
  kDiv,
  kNeg,
  kMin,
  kMax,  // of the top a values
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kInSet,  // whether the top is in sets[a]
  kAnd,
  kOr,
  kNot,
  kIf,     // c, x, y -> c ? x : y
  kTiers,  // x -> tier_tables[a](x)
  kUnitIs,  // push whether the unit is text id a or under it
  kUnitIn,  // push whether the unit is, or is under, a unit of sets[a]
};

// Stack effect of each instruction (pushes minus pops); kMin/kMax pop a and push 1.
int StackEffect(const Instr& in) {
  switch (in.op) {
    case kConst:
    case kFig:
    case kGrowth:
    case kIndustry:
    case kUnit:
    case kScale:
    case kFounded:
    case kHasCert:
    case kUnitIs:
    case kUnitIn:
      return 1;
    case kNeg:
    case kNot:
    case kInSet:
    case kTiers:
      return 0;
    case kMin:
    case kMax:
      return 1 - in.a;
    case kIf:
      return -2;
    default:
      return -1;
  }
}

// Missing-attribute codes besides figure slots (>= 0).
constexpr int32_t kMissingIndustry = -1;
constexpr int32_t kMissingUnit = -2;
constexpr int32_t kMissingScale = -3;
constexpr int32_t kMissingFounded = -4;

// Data-error kinds.
enum ErrorKind { kNoError, kDivZero, kOverflow, kGrowthZero, kNegativeAmount };
const char* ErrorText(int kind) {
  switch (kind) {
    case kDivZero:
      return "除数为0";
    case kOverflow:
      return "数值超出范围";
    case kGrowthZero:
      return "上年数值为0，无法计算增速";
    case kNegativeAmount:
      return "金额为负数";
    default:
      return "无法计算";
  }
}

constexpr int kMaxStack = 64;

int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

const char* FigureName(Figure f) {
  switch (f) {
    case Figure::kRevenue:
      return "revenue";
    case Figure::kTaxPaid:
      return "tax_paid";
    case Figure::kRdSpending:
      return "rd_spending";
    case Figure::kEmployees:
      return "employees";
  }
  return "?";
}

Figure FigureOf(std::string_view name) {
  if (name == "tax_paid") return Figure::kTaxPaid;
  if (name == "rd_spending") return Figure::kRdSpending;
  if (name == "employees") return Figure::kEmployees;
  return Figure::kRevenue;
}

const std::optional<Decimal>& FigureValue(const YearFigures& y, Figure f) {
  switch (f) {
    case Figure::kRevenue:
      return y.revenue;
    case Figure::kTaxPaid:
      return y.tax_paid;
    case Figure::kRdSpending:
      return y.rd_spending;
    case Figure::kEmployees:
      return y.employees;
  }
  return y.revenue;
}

// Rounds n / d half away from zero; false on overflow of int64 or INT64_MIN.
bool DivRound(__int128 n, __int128 d, int64_t& out) {
  __int128 q = n / d;
  __int128 r = n % d;
  __int128 abs_r = r < 0 ? -r : r;
  __int128 abs_d = d < 0 ? -d : d;
  if (2 * abs_r >= abs_d) q += ((n < 0) != (d < 0)) ? -1 : 1;
  if (q > INT64_MAX || q <= INT64_MIN) return false;
  out = static_cast<int64_t>(q);
  return true;
}

// ---- Types ----

enum class Type { kNumber, kText, kDate, kBool, kSet, kList };
enum class Domain { kLiteral, kIndustry, kScale, kUnit };

const char* TypeName(Type t) {
  switch (t) {
    case Type::kNumber:
      return "数值";
    case Type::kText:
      return "文本";
    case Type::kDate:
      return "日期";
    case Type::kBool:
      return "条件（真/假）";
    case Type::kSet:
      return "资质集合";
    case Type::kList:
      return "列表";
  }
  return "?";
}

struct Typed {
  Type type = Type::kNumber;
  Domain domain = Domain::kLiteral;
  std::optional<int64_t> constant;  // a number known at compile time (raw)
};

class Compiler {
 public:
  Compiler(std::string_view src, std::string_view field, int base_year, Layout& layout,
           Policy& policy, const CheckOptions& options)
      : src_(src),
        field_(field),
        base_year_(base_year),
        layout_(layout),
        policy_(policy),
        options_(options) {}

  // Compiles e, expecting `want`; false with err set on the first error.
  bool CompileTop(const Expr& e, Type want, std::vector<Instr>& code, ParseError& err) {
    Typed t;
    if (!Emit(e, code, t, err)) return false;
    if (t.type != want) {
      err = {
          e.begin, e.end,
          want == Type::kBool
              ? fmt::format("资格条件应为条件（如 revenue >= 1000万），这里是{}", TypeName(t.type))
              : fmt::format("金额公式应为数值（元），这里是{}", TypeName(t.type))};
      return false;
    }
    int depth = 0;
    int max = 0;
    for (const Instr& in : code) {
      depth += StackEffect(in);
      max = std::max(max, depth);
    }
    if (max > kMaxStack) {
      err = {e.begin, e.end, "表达式过于复杂，请拆分"};
      return false;
    }
    policy_.max_stack = std::max(policy_.max_stack, max);
    return true;
  }

 private:
  std::string Src(const Expr& e) const {
    if (e.end <= e.begin) return Print(e);
    return std::string(src_.substr(e.begin, e.end - e.begin));
  }

  int SpanOf(const Expr& e) {
    policy_.spans.emplace_back(Src(e), std::string(field_));
    return static_cast<int>(policy_.spans.size()) - 1;
  }

  static Instr I(uint8_t op, int32_t a = 0, int64_t b = 0, int32_t node = -1) {
    Instr in;
    in.op = op;
    in.a = a;
    in.b = b;
    in.node = node;
    return in;
  }

  bool Fail(ParseError& err, const Expr& e, std::string message) {
    err = {e.begin, e.end, std::move(message)};
    return false;
  }

  bool Emit(const Expr& e, std::vector<Instr>& code, Typed& t, ParseError& err) {
    t = Typed();
    switch (e.kind) {
      case ExprKind::kNumber:
        t.type = Type::kNumber;
        t.constant = e.number.raw();
        code.push_back(I(kConst, 0, e.number.raw()));
        return true;
      case ExprKind::kDate:
        t.type = Type::kDate;
        code.push_back(I(kConst, 0, DaysFromCivil(e.date.year, e.date.month, e.date.day)));
        return true;
      case ExprKind::kText:
        // A text alone: as a literal (its domain is decided by what it is compared with).
        t.type = Type::kText;
        code.push_back(I(kConst, 0, layout_.TextId(e.text)));
        return true;
      case ExprKind::kList:
        return Fail(err, e, "列表 [...] 只能写在 in 的右边或 tiers 中");
      case ExprKind::kAttribute:
        if (e.text == "industry") {
          t = {Type::kText, Domain::kIndustry, {}};
          code.push_back(I(kIndustry));
        } else if (e.text == "scale") {
          t = {Type::kText, Domain::kScale, {}};
          code.push_back(I(kScale));
        } else if (e.text == "unit") {
          t = {Type::kText, Domain::kUnit, {}};
          code.push_back(I(kUnit));
        } else if (e.text == "founded") {
          t.type = Type::kDate;
          code.push_back(I(kFounded));
        } else if (e.text == "certifications") {
          return Fail(err, e,
                      "certifications 只能写在 in 的右边，如 \"专精特新\" in certifications");
        } else {
          return Fail(err, e, fmt::format("未知属性“{}”", e.text));
        }
        return true;
      case ExprKind::kFigure: {
        int slot;
        if (!FigureSlot(e, 0, slot, err)) return false;
        t.type = Type::kNumber;
        code.push_back(I(kFig, slot));
        return true;
      }
      case ExprKind::kCall:
        return Call(e, code, t, err);
      case ExprKind::kUnary: {
        Typed a;
        if (!Emit(e.args[0], code, a, err)) return false;
        if (e.op == Op::kNot) {
          if (a.type != Type::kBool) {
            return Fail(
                err, e.args[0],
                fmt::format("not 后面应为条件，“{}”是{}", Src(e.args[0]), TypeName(a.type)));
          }
          t.type = Type::kBool;
          code.push_back(I(kNot));
          return true;
        }
        if (a.type != Type::kNumber) {
          return Fail(err, e.args[0],
                      fmt::format("负号后面应为数值，“{}”是{}", Src(e.args[0]), TypeName(a.type)));
        }
        t.type = Type::kNumber;
        if (a.constant) {
          code.pop_back();
          t.constant = -*a.constant;
          code.push_back(I(kConst, 0, *t.constant));
        } else {
          code.push_back(I(kNeg));
        }
        return true;
      }
      case ExprKind::kBinary:
        switch (e.op) {
          case Op::kAnd:
          case Op::kOr:
            return Logic(e, code, t, err);
          case Op::kAdd:
          case Op::kSub:
          case Op::kMul:
          case Op::kDiv:
            return Arithmetic(e, code, t, err);
          case Op::kIn:
            return In(e, code, t, err);
          default:
            return Compare(e, code, t, err);
        }
    }
    return Fail(err, e, "无法识别的表达式");
  }

  bool FigureSlot(const Expr& e, int offset, int& slot, ParseError& err) {
    int year = e.year;
    if (year == 0) {
      if (base_year_ <= 0) {
        return Fail(err, e, fmt::format("政策未设定基准年度，请写明年份，如 {}[2024]", e.text));
      }
      year = base_year_;
    }
    if (year < options_.min_year || year > options_.max_year) {
      return Fail(err, e,
                  fmt::format("年份{}超出范围（{}—{}）", e.year == 0 ? year : e.year,
                              options_.min_year, options_.max_year));
    }
    slot = layout_.FigureSlot(FigureOf(e.text), year - offset);
    if (std::find(policy_.slots.begin(), policy_.slots.end(), slot) == policy_.slots.end())
      policy_.slots.push_back(slot);
    return true;
  }

  bool Logic(const Expr& e, std::vector<Instr>& code, Typed& t, ParseError& err) {
    for (const Expr& side : e.args) {
      Typed s;
      if (!Emit(side, code, s, err)) return false;
      if (s.type != Type::kBool) {
        return Fail(err, side,
                    fmt::format("{} 的两边应为条件，“{}”是{}", internal::OpText(e.op), Src(side),
                                TypeName(s.type)));
      }
    }
    t.type = Type::kBool;
    code.push_back(I(e.op == Op::kAnd ? kAnd : kOr));
    return true;
  }

  bool Arithmetic(const Expr& e, std::vector<Instr>& code, Typed& t, ParseError& err) {
    Typed s[2];
    size_t starts[2];
    for (int i = 0; i < 2; ++i) {
      starts[i] = code.size();
      if (!Emit(e.args[i], code, s[i], err)) return false;
      if (s[i].type != Type::kNumber) {
        return Fail(err, e.args[i],
                    fmt::format("“{}”两边应为数值，“{}”是{}", internal::OpText(e.op),
                                Src(e.args[i]), TypeName(s[i].type)));
      }
    }
    t.type = Type::kNumber;
    if (e.op == Op::kDiv && s[1].constant && *s[1].constant == 0) {
      return Fail(err, e.args[1], fmt::format("除数为0：“{}”", Src(e)));
    }
    if (s[0].constant && s[1].constant) {
      int64_t a = *s[0].constant;
      int64_t b = *s[1].constant;
      int64_t r = 0;
      bool ok = true;
      __int128 wide;
      switch (e.op) {
        case Op::kAdd:
          wide = static_cast<__int128>(a) + b;
          ok = wide <= INT64_MAX && wide > INT64_MIN;
          r = static_cast<int64_t>(wide);
          break;
        case Op::kSub:
          wide = static_cast<__int128>(a) - b;
          ok = wide <= INT64_MAX && wide > INT64_MIN;
          r = static_cast<int64_t>(wide);
          break;
        case Op::kMul:
          ok = DivRound(static_cast<__int128>(a) * b, Decimal::kOne, r);
          break;
        default:
          ok = DivRound(static_cast<__int128>(a) * Decimal::kOne, b, r);
          break;
      }
      if (!ok) return Fail(err, e, fmt::format("常量运算超出范围：“{}”", Src(e)));
      code.resize(starts[0]);
      code.push_back(I(kConst, 0, r));
      t.constant = r;
      return true;
    }
    static constexpr uint8_t kOps[] = {kAdd, kSub, kMul, kDiv};
    int idx = e.op == Op::kAdd ? 0 : e.op == Op::kSub ? 1 : e.op == Op::kMul ? 2 : 3;
    code.push_back(I(kOps[idx], 0, 0, SpanOf(e)));
    return true;
  }

  // A text literal converted for comparison with a value of `domain`.
  bool TextConstant(const Expr& lit, Domain domain, int64_t& id, ParseError& err) {
    const std::string& s = lit.text;
    switch (domain) {
      case Domain::kScale:
        for (int i = 0; i < kScaleCount; ++i) {
          if (s == kScaleCodes[i] || s == kScaleNames[i]) {
            id = i;
            return true;
          }
        }
        return Fail(err, lit, fmt::format("未知企业规模“{}”（可选：规上、限上、小微）", s));
      case Domain::kIndustry: {
        bool ok = s.size() == 3 && s[0] >= 'A' && s[0] <= 'T' && s[1] >= '0' && s[1] <= '9' &&
                  s[2] >= '0' && s[2] <= '9';
        if (!ok) {
          return Fail(
              err, lit,
              fmt::format("行业代码“{}”应为门类字母加两位大类代码，如“C39”（GB/T 4754）", s));
        }
        id = layout_.TextId(s);
        return true;
      }
      case Domain::kUnit:
        if (s.empty()) return Fail(err, lit, "单位编码不能为空");
        id = layout_.TextId(s);
        return true;
      case Domain::kLiteral:
        id = layout_.TextId(s);
        return true;
    }
    return false;
  }

  static uint8_t CompareOp(Op op) {
    switch (op) {
      case Op::kEq:
        return kEq;
      case Op::kNe:
        return kNe;
      case Op::kLt:
        return kLt;
      case Op::kLe:
        return kLe;
      case Op::kGt:
        return kGt;
      default:
        return kGe;
    }
  }

  bool Compare(const Expr& e, std::vector<Instr>& code, Typed& t, ParseError& err) {
    const Expr& l = e.args[0];
    const Expr& r = e.args[1];
    t.type = Type::kBool;
    bool l_lit = l.kind == ExprKind::kText;
    bool r_lit = r.kind == ExprKind::kText;
    Typed lt, rt;
    if (l_lit || r_lit) {
      const Expr& other = l_lit ? r : l;
      const Expr& lit = l_lit ? l : r;
      std::vector<Instr> other_code;
      Typed ot;
      if (!Emit(other, other_code, ot, err)) return false;
      if (ot.type != Type::kText) {
        return Fail(err, e,
                    fmt::format("类型不符：“{}”是{}，“{}”是文本，不能比较", Src(other),
                                TypeName(ot.type), Src(lit)));
      }
      if (e.op != Op::kEq && e.op != Op::kNe) {
        return Fail(
            err, e,
            fmt::format("文本只能比较是否相等（= 或 !=），不能用“{}”", internal::OpText(e.op)));
      }
      Domain d = (l_lit && r_lit) ? Domain::kLiteral : ot.domain;
      int64_t id;
      if (!TextConstant(lit, d, id, err)) return false;
      if (d == Domain::kUnit) {
        // `unit` is the only value of this domain: a subtree test, not a text equality.
        code.push_back(I(kUnitIs, static_cast<int32_t>(id)));
        if (e.op == Op::kNe) code.push_back(I(kNot));
        return true;
      }
      if (l_lit) {
        code.push_back(I(kConst, 0, id));
        code.insert(code.end(), other_code.begin(), other_code.end());
      } else {
        code.insert(code.end(), other_code.begin(), other_code.end());
        code.push_back(I(kConst, 0, id));
      }
      code.push_back(I(CompareOp(e.op)));
      return true;
    }
    if (!Emit(l, code, lt, err) || !Emit(r, code, rt, err)) return false;
    if (lt.type != rt.type) {
      return Fail(err, e,
                  fmt::format("类型不符：“{}”是{}，“{}”是{}，不能比较", Src(l), TypeName(lt.type),
                              Src(r), TypeName(rt.type)));
    }
    if (lt.type == Type::kBool) {
      return Fail(err, e, "条件之间不能比较大小，请用 and / or / not 组合");
    }
    if (lt.type == Type::kText) {
      if (e.op != Op::kEq && e.op != Op::kNe) {
        return Fail(
            err, e,
            fmt::format("文本只能比较是否相等（= 或 !=），不能用“{}”", internal::OpText(e.op)));
      }
      if (lt.domain != rt.domain) {
        return Fail(err, e, fmt::format("“{}”与“{}”不是同一种属性，不能比较", Src(l), Src(r)));
      }
    }
    code.push_back(I(CompareOp(e.op)));
    return true;
  }

  bool In(const Expr& e, std::vector<Instr>& code, Typed& t, ParseError& err) {
    const Expr& l = e.args[0];
    const Expr& r = e.args[1];
    t.type = Type::kBool;
    if (r.kind == ExprKind::kAttribute && r.text == "certifications") {
      if (l.kind != ExprKind::kText) {
        return Fail(err, l, "资质名称应为文本，如 \"专精特新\" in certifications");
      }
      std::vector<std::string> known = options_.certifications;
      if (known.empty()) {
        for (const char* c : kKnownCertifications) known.emplace_back(c);
      }
      if (std::find(known.begin(), known.end(), l.text) == known.end()) {
        std::string list;
        for (const std::string& k : known) list += (list.empty() ? "" : "、") + k;
        return Fail(err, l, fmt::format("未知资质“{}”（可选：{}）", l.text, list));
      }
      int bit = layout_.CertificationBit(l.text);
      if (bit < 0) return Fail(err, l, "规则中用到的资质种类过多（最多64种）");
      code.push_back(I(kHasCert, bit));
      return true;
    }
    if (r.kind != ExprKind::kList) {
      return Fail(err, r, "in 的右边应为列表（如 [\"C39\", \"C40\"]）或 certifications");
    }
    if (r.args.empty()) return Fail(err, r, "列表为空");
    Typed lt;
    if (!Emit(l, code, lt, err)) return false;
    // `unit in [...]` tests the subtree of each listed unit (kUnitIn reads the facts itself).
    const bool unit = lt.type == Type::kText && lt.domain == Domain::kUnit;
    if (unit) code.pop_back();
    std::vector<int64_t> set;
    for (const Expr& item : r.args) {
      if (lt.type == Type::kText) {
        if (item.kind != ExprKind::kText) {
          return Fail(err, item,
                      fmt::format("类型不符：“{}”是文本，列表中的“{}”不是文本", Src(l), Src(item)));
        }
        int64_t id;
        if (!TextConstant(item, lt.domain, id, err)) return false;
        set.push_back(id);
      } else if (lt.type == Type::kNumber) {
        std::vector<Instr> scratch;
        Typed it;
        if (!Emit(item, scratch, it, err)) return false;
        if (it.type != Type::kNumber || !it.constant) {
          return Fail(
              err, item,
              fmt::format("类型不符：“{}”是数值，列表中的“{}”应为数字常量", Src(l), Src(item)));
        }
        set.push_back(*it.constant);
      } else {
        return Fail(err, l,
                    fmt::format("in 的左边应为文本或数值，“{}”是{}", Src(l), TypeName(lt.type)));
      }
    }
    std::sort(set.begin(), set.end());
    set.erase(std::unique(set.begin(), set.end()), set.end());
    policy_.sets.push_back(std::move(set));
    code.push_back(I(unit ? kUnitIn : kInSet, static_cast<int32_t>(policy_.sets.size() - 1)));
    return true;
  }

  bool NumberArg(const Expr& arg, std::vector<Instr>& code, Typed& t, std::string_view fn,
                 ParseError& err) {
    if (!Emit(arg, code, t, err)) return false;
    if (t.type != Type::kNumber) {
      return Fail(err, arg,
                  fmt::format("{} 的参数应为数值，“{}”是{}", fn, Src(arg), TypeName(t.type)));
    }
    return true;
  }

  bool Call(const Expr& e, std::vector<Instr>& code, Typed& t, ParseError& err) {
    const std::string& fn = e.text;
    t.type = Type::kNumber;
    if (fn == "growth") {
      if (e.args.size() != 1 || e.args[0].kind != ExprKind::kFigure) {
        return Fail(err, e, "growth 的参数应为一项年度数据，如 growth(revenue)");
      }
      int cur, prev;
      if (!FigureSlot(e.args[0], 0, cur, err) || !FigureSlot(e.args[0], 1, prev, err)) {
        return false;
      }
      code.push_back(I(kGrowth, cur, prev, SpanOf(e)));
      return true;
    }
    if (fn == "min" || fn == "max") {
      if (e.args.size() < 2) {
        return Fail(err, e, fmt::format("{} 至少需要两个参数，如 {}(a, b)", fn, fn));
      }
      size_t start = code.size();
      std::optional<int64_t> folded;
      bool all_constant = true;
      for (const Expr& arg : e.args) {
        Typed a;
        if (!NumberArg(arg, code, a, fn, err)) return false;
        if (!a.constant) {
          all_constant = false;
        } else if (!folded || (fn == "min" ? *a.constant < *folded : *a.constant > *folded)) {
          folded = a.constant;
        }
      }
      if (all_constant) {
        code.resize(start);
        code.push_back(I(kConst, 0, *folded));
        t.constant = folded;
        return true;
      }
      code.push_back(I(fn == "min" ? kMin : kMax, static_cast<int32_t>(e.args.size())));
      return true;
    }
    if (fn == "if") {
      if (e.args.size() != 3) return Fail(err, e, "if 需要三个参数：if(条件, 值1, 值2)");
      Typed c;
      if (!Emit(e.args[0], code, c, err)) return false;
      if (c.type != Type::kBool) {
        return Fail(
            err, e.args[0],
            fmt::format("if 的第一个参数应为条件，“{}”是{}", Src(e.args[0]), TypeName(c.type)));
      }
      Typed a, b;
      if (!NumberArg(e.args[1], code, a, fn, err) || !NumberArg(e.args[2], code, b, fn, err)) {
        return false;
      }
      code.push_back(I(kIf));
      return true;
    }
    // tiers(x, [[from, amount], ...])
    if (e.args.size() != 2 || e.args[1].kind != ExprKind::kList || e.args[1].args.empty()) {
      return Fail(err, e,
                  "tiers 的写法为 tiers(数值, [[起点, 金额], [起点, 金额], ...])，起点递增");
    }
    Typed x;
    if (!NumberArg(e.args[0], code, x, fn, err)) return false;
    std::vector<std::pair<int64_t, int64_t>> table;
    for (const Expr& tier : e.args[1].args) {
      if (tier.kind != ExprKind::kList || tier.args.size() != 2) {
        return Fail(err, tier, "每一档应写为 [起点, 金额]");
      }
      int64_t v[2];
      for (int i = 0; i < 2; ++i) {
        std::vector<Instr> scratch;
        Typed it;
        if (!Emit(tier.args[i], scratch, it, err)) return false;
        if (it.type != Type::kNumber || !it.constant) {
          return Fail(err, tier.args[i], "档位的起点和金额应为数字常量");
        }
        v[i] = *it.constant;
      }
      if (!table.empty() && v[0] <= table.back().first) {
        return Fail(err, tier.args[0], "档位的起点应严格递增");
      }
      table.emplace_back(v[0], v[1]);
    }
    policy_.tier_tables.push_back(std::move(table));
    code.push_back(I(kTiers, static_cast<int32_t>(policy_.tier_tables.size() - 1)));
    return true;
  }

  std::string_view src_;
  std::string_view field_;
  int base_year_;
  Layout& layout_;
  Policy& policy_;
  const CheckOptions& options_;
};

// The operands of the outermost `and`s, left to right.
void Conjuncts(const Expr& e, std::vector<const Expr*>& out) {
  if (e.kind == ExprKind::kBinary && e.op == Op::kAnd) {
    Conjuncts(e.args[0], out);
    Conjuncts(e.args[1], out);
  } else {
    out.push_back(&e);
  }
}

bool Blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

RuleError MakeError(std::string_view field, std::string_view text, const ParseError& pe) {
  RuleError r;
  r.field = std::string(field);
  r.begin = pe.begin;
  r.end = pe.end;
  r.pos = PositionOf(text, pe.begin);
  r.message = pe.message;
  return r;
}

// Checks and compiles into `policy`; the first error of each field goes to `errors`.
void CompileInto(const PolicyRules& rules, Layout& layout, const CheckOptions& options,
                 Policy& policy, std::vector<RuleError>& errors) {
  // Eligibility.
  if (!Blank(rules.eligibility)) {
    Expr tree;
    ParseError pe;
    if (!internal::Parse(rules.eligibility, tree, pe)) {
      errors.push_back(MakeError("eligibility", rules.eligibility, pe));
    } else {
      std::vector<const Expr*> parts;
      Conjuncts(tree, parts);
      if (parts.size() > 64) {
        errors.push_back(
            MakeError("eligibility", rules.eligibility,
                      {parts[64]->begin, parts[64]->end, "并列条件过多（最多64个），请合并"}));
      } else {
        Compiler c(rules.eligibility, "eligibility", rules.base_year, layout, policy, options);
        for (const Expr* part : parts) {
          Policy::Condition cond;
          cond.text = rules.eligibility.substr(part->begin, part->end - part->begin);
          if (!c.CompileTop(*part, Type::kBool, cond.code, pe)) {
            errors.push_back(MakeError("eligibility", rules.eligibility, pe));
            break;
          }
          policy.conditions.push_back(std::move(cond));
        }
      }
    }
  }
  // Amount.
  if (Blank(rules.amount)) {
    errors.push_back(MakeError("amount", rules.amount, {0, 0, "金额公式不能为空"}));
  } else {
    Expr tree;
    ParseError pe;
    if (!internal::Parse(rules.amount, tree, pe)) {
      errors.push_back(MakeError("amount", rules.amount, pe));
    } else {
      Compiler c(rules.amount, "amount", rules.base_year, layout, policy, options);
      if (!c.CompileTop(tree, Type::kNumber, policy.amount, pe)) {
        errors.push_back(MakeError("amount", rules.amount, pe));
      }
      policy.amount_text = rules.amount.substr(tree.begin, tree.end - tree.begin);
    }
  }
  policy.figure_slots = layout.figure_slots();
  policy.layout = &layout;
}

Status ErrorsToStatus(const std::vector<RuleError>& errors) {
  std::vector<Detail> details;
  for (const RuleError& e : errors) {
    details.push_back({e.field, fmt::format("{}第{}行第{}列：{}",
                                            e.field == "eligibility" ? "资格条件" : "金额公式",
                                            e.pos.line, e.pos.column, e.message)});
  }
  return InvalidArgument("规则有误", std::move(details));
}

// ---- The machine ----

struct Val {
  int64_t v;
  uint8_t st;  // 0 known, 1 missing, 2 error
};

struct Ctx {
  int32_t missing[16];
  int nmissing = 0;
  int error_kind = kNoError;
  int32_t error_node = -1;

  void Missing(int32_t code) {
    if (nmissing < 16) missing[nmissing++] = code;
  }
  Val Error(int kind, int32_t node) {
    if (error_kind == kNoError) {
      error_kind = kind;
      error_node = node;
    }
    return {0, 2};
  }
};

Val Run(const std::vector<Instr>& code, const Policy& p, const Facts& f, Ctx& ctx) {
  Val st[kMaxStack];
  int sp = 0;
  for (const Instr& in : code) {
    switch (in.op) {
      case kConst:
        st[sp++] = {in.b, 0};
        break;
      case kFig:
        if (f.known[in.a]) {
          st[sp++] = {f.figures[in.a], 0};
        } else {
          ctx.Missing(in.a);
          st[sp++] = {0, 1};
        }
        break;
      case kGrowth: {
        bool cur = f.known[in.a];
        bool prev = f.known[in.b];
        if (!cur) ctx.Missing(in.a);
        if (!prev) ctx.Missing(static_cast<int32_t>(in.b));
        if (!cur || !prev) {
          st[sp++] = {0, 1};
          break;
        }
        int64_t c = f.figures[in.a];
        int64_t b = f.figures[in.b];
        if (b == 0) {
          st[sp++] = ctx.Error(kGrowthZero, in.node);
          break;
        }
        int64_t r;
        if (!DivRound((static_cast<__int128>(c) - b) * 100 * Decimal::kOne, b, r)) {
          st[sp++] = ctx.Error(kOverflow, in.node);
          break;
        }
        st[sp++] = {r, 0};
        break;
      }
      case kIndustry:
        if (f.industry == -2) {
          ctx.Missing(kMissingIndustry);
          st[sp++] = {0, 1};
        } else {
          st[sp++] = {f.industry, 0};
        }
        break;
      case kUnit:
        if (f.unit == -2) {
          ctx.Missing(kMissingUnit);
          st[sp++] = {0, 1};
        } else {
          st[sp++] = {f.unit, 0};
        }
        break;
      case kUnitIs:
      case kUnitIn:
        if (f.unit == -2) {
          ctx.Missing(kMissingUnit);
          st[sp++] = {0, 1};
        } else {
          bool in_tree = false;
          for (int32_t id : f.units) {
            in_tree = in.op == kUnitIs ? id == in.a
                                       : std::binary_search(p.sets[in.a].begin(),
                                                            p.sets[in.a].end(), int64_t{id});
            if (in_tree) break;
          }
          st[sp++] = {in_tree ? 1 : 0, 0};
        }
        break;
      case kScale:
        if (f.scale < 0) {
          ctx.Missing(kMissingScale);
          st[sp++] = {0, 1};
        } else {
          st[sp++] = {f.scale, 0};
        }
        break;
      case kFounded:
        if (!f.founded_known) {
          ctx.Missing(kMissingFounded);
          st[sp++] = {0, 1};
        } else {
          st[sp++] = {f.founded, 0};
        }
        break;
      case kHasCert:
        st[sp++] = {static_cast<int64_t>((f.certifications >> in.a) & 1), 0};
        break;
      case kAdd:
      case kSub:
      case kMul:
      case kDiv: {
        Val b = st[--sp];
        Val& a = st[sp - 1];
        if (a.st | b.st) {
          a = {0, std::max(a.st, b.st)};
          break;
        }
        __int128 r;
        int64_t out = 0;
        bool ok = true;
        if (in.op == kAdd) {
          r = static_cast<__int128>(a.v) + b.v;
          ok = r <= INT64_MAX && r > INT64_MIN;
          out = static_cast<int64_t>(r);
        } else if (in.op == kSub) {
          r = static_cast<__int128>(a.v) - b.v;
          ok = r <= INT64_MAX && r > INT64_MIN;
          out = static_cast<int64_t>(r);
        } else if (in.op == kMul) {
          ok = DivRound(static_cast<__int128>(a.v) * b.v, Decimal::kOne, out);
        } else {
          if (b.v == 0) {
            a = ctx.Error(kDivZero, in.node);
            break;
          }
          ok = DivRound(static_cast<__int128>(a.v) * Decimal::kOne, b.v, out);
        }
        a = ok ? Val{out, 0} : ctx.Error(kOverflow, in.node);
        break;
      }
      case kNeg:
        if (st[sp - 1].st == 0) st[sp - 1].v = -st[sp - 1].v;
        break;
      case kMin:
      case kMax: {
        int n = in.a;
        Val r = st[sp - n];
        for (int i = sp - n + 1; i < sp; ++i) {
          const Val& x = st[i];
          if (r.st | x.st) {
            r.st = std::max(r.st, x.st);
          } else if (in.op == kMin ? x.v < r.v : x.v > r.v) {
            r.v = x.v;
          }
        }
        sp -= n;
        st[sp++] = r;
        break;
      }
      case kEq:
      case kNe:
      case kLt:
      case kLe:
      case kGt:
      case kGe: {
        Val b = st[--sp];
        Val& a = st[sp - 1];
        if (a.st | b.st) {
          a = {0, std::max(a.st, b.st)};
          break;
        }
        bool r = in.op == kEq   ? a.v == b.v
                 : in.op == kNe ? a.v != b.v
                 : in.op == kLt ? a.v < b.v
                 : in.op == kLe ? a.v <= b.v
                 : in.op == kGt ? a.v > b.v
                                : a.v >= b.v;
        a = {r ? 1 : 0, 0};
        break;
      }
      case kInSet: {
        Val& a = st[sp - 1];
        if (a.st == 0) {
          const std::vector<int64_t>& set = p.sets[in.a];
          a.v = std::binary_search(set.begin(), set.end(), a.v) ? 1 : 0;
        }
        break;
      }
      case kAnd: {
        Val b = st[--sp];
        Val& a = st[sp - 1];
        if ((a.st == 0 && a.v == 0) || (b.st == 0 && b.v == 0)) {
          a = {0, 0};
        } else {
          a = {1, std::max(a.st, b.st)};
        }
        break;
      }
      case kOr: {
        Val b = st[--sp];
        Val& a = st[sp - 1];
        if ((a.st == 0 && a.v != 0) || (b.st == 0 && b.v != 0)) {
          a = {1, 0};
        } else {
          a = {0, std::max(a.st, b.st)};
        }
        break;
      }
      case kNot:
        if (st[sp - 1].st == 0) st[sp - 1].v = !st[sp - 1].v;
        break;
      case kIf: {
        Val y = st[--sp];
        Val x = st[--sp];
        Val& c = st[sp - 1];
        if (c.st == 0) c = c.v ? x : y;
        break;
      }
      case kTiers: {
        Val& x = st[sp - 1];
        if (x.st == 0) {
          const auto& table = p.tier_tables[in.a];
          // The last tier whose start is <= x; 0 below the first.
          auto it = std::upper_bound(
              table.begin(), table.end(), x.v,
              [](int64_t v, const std::pair<int64_t, int64_t>& t) { return v < t.first; });
          x.v = it == table.begin() ? 0 : std::prev(it)->second;
        }
        break;
      }
    }
  }
  assert(sp == 1);
  return st[0];
}

void AddMissing(const Policy& p, const Ctx& ctx, std::vector<std::string>& out) {
  for (int i = 0; i < ctx.nmissing; ++i) {
    int32_t code = ctx.missing[i];
    std::string name = code >= 0                  ? p.layout->SlotName(code)
                       : code == kMissingIndustry ? "industry"
                       : code == kMissingUnit     ? "unit"
                       : code == kMissingScale    ? "scale"
                                                  : "founded";
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
  }
}

std::string ErrorMessage(const Policy& p, const Ctx& ctx) {
  if (ctx.error_node < 0) return ErrorText(ctx.error_kind);
  return fmt::format("{}：{}", ErrorText(ctx.error_kind), p.spans[ctx.error_node].first);
}

}  // namespace

// ---- Layout ----

int Layout::FigureSlot(Figure f, int year) {
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].figure == f && slots_[i].year == year) return static_cast<int>(i);
  }
  slots_.push_back({f, year});
  return static_cast<int>(slots_.size()) - 1;
}

int Layout::TextId(std::string_view text) {
  auto [it, inserted] = texts_.emplace(std::string(text), static_cast<int>(texts_.size()));
  return it->second;
}

int Layout::CertificationBit(std::string_view name) {
  for (size_t i = 0; i < certifications_.size(); ++i) {
    if (certifications_[i] == name) return static_cast<int>(i);
  }
  if (certifications_.size() >= 64) return -1;
  certifications_.emplace_back(name);
  return static_cast<int>(certifications_.size()) - 1;
}

std::string Layout::SlotName(int slot) const {
  return fmt::format("{}[{}]", FigureName(slots_[slot].figure), slots_[slot].year);
}

Facts Layout::Flatten(const Enterprise& e) const {
  Facts f;
  auto id_of = [&](const std::string& s) -> int32_t {
    if (s.empty()) return -2;
    auto it = texts_.find(s);
    return it == texts_.end() ? -1 : it->second;
  };
  f.industry = id_of(e.industry);
  f.unit = id_of(e.unit_code);
  if (f.unit >= 0) f.units.push_back(f.unit);
  if (f.unit != -2) {
    for (const std::string& code : e.unit_ancestors) {
      int32_t id = id_of(code);
      if (id >= 0) f.units.push_back(id);
    }
  }
  f.scale = e.scale ? static_cast<int32_t>(*e.scale) : -1;
  if (e.founded) {
    f.founded_known = true;
    f.founded = DaysFromCivil(e.founded->year, e.founded->month, e.founded->day);
  }
  for (size_t i = 0; i < certifications_.size(); ++i) {
    if (e.certifications.count(certifications_[i])) f.certifications |= uint64_t{1} << i;
  }
  f.figures.assign(slots_.size(), 0);
  f.known.assign(slots_.size(), 0);
  for (size_t i = 0; i < slots_.size(); ++i) {
    auto it = e.years.find(slots_[i].year);
    if (it == e.years.end()) continue;
    const std::optional<Decimal>& v = FigureValue(it->second, slots_[i].figure);
    if (v) {
      f.figures[i] = v->raw();
      f.known[i] = 1;
    }
  }
  return f;
}

// ---- Checking and compiling ----

std::vector<RuleError> DiagnosePolicyRules(const PolicyRules& rules, const CheckOptions& options) {
  Layout layout;
  Policy policy;
  std::vector<RuleError> errors;
  CompileInto(rules, layout, options, policy, errors);
  return errors;
}

Status CheckPolicyRules(const PolicyRules& rules, const CheckOptions& options) {
  std::vector<RuleError> errors = DiagnosePolicyRules(rules, options);
  if (errors.empty()) return Status::Ok();
  return ErrorsToStatus(errors);
}

Result<Policy> CompilePolicy(const PolicyRules& rules, Layout& layout,
                             const CheckOptions& options) {
  Policy policy;
  std::vector<RuleError> errors;
  CompileInto(rules, layout, options, policy, errors);
  if (!errors.empty()) return ErrorsToStatus(errors);
  return policy;
}

// ---- Evaluation ----

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kMatched:
      return "matched";
    case Outcome::kNearMiss:
      return "near_miss";
    case Outcome::kNotMatched:
      return "not_matched";
    case Outcome::kDataMissing:
      return "data_missing";
    case Outcome::kDataError:
      return "data_error";
  }
  return "?";
}

const char* OutcomeLabel(Outcome o) {
  switch (o) {
    case Outcome::kMatched:
      return "符合";
    case Outcome::kNearMiss:
      return "差一项";
    case Outcome::kNotMatched:
      return "不符合";
    case Outcome::kDataMissing:
      return "数据缺失";
    case Outcome::kDataError:
      return "数据有误";
  }
  return "?";
}

void Evaluate(const Policy& policy, const Facts& facts, Evaluation& out) {
  assert(static_cast<int>(facts.figures.size()) >= policy.figure_slots &&
         "Facts flattened before the policy was compiled into the layout");
  out.met = out.failed = out.missing = out.errored = 0;
  out.amount_missing = false;
  out.amount.reset();
  out.missing_attributes.clear();
  out.error.clear();
  int failed = 0;
  Ctx ctx;
  const size_t n = policy.conditions.size();
  for (size_t i = 0; i < n; ++i) {
    ctx.nmissing = 0;
    ctx.error_kind = kNoError;
    ctx.error_node = -1;
    Val v = Run(policy.conditions[i].code, policy, facts, ctx);
    uint64_t bit = uint64_t{1} << i;
    if (v.st == 0) {
      if (v.v) {
        out.met |= bit;
      } else {
        out.failed |= bit;
        if (++failed >= 2) {
          out.outcome = Outcome::kNotMatched;
          return;
        }
      }
    } else if (v.st == 1) {
      out.missing |= bit;
      AddMissing(policy, ctx, out.missing_attributes);
    } else {
      out.errored |= bit;
      if (out.error.empty()) out.error = ErrorMessage(policy, ctx);
    }
  }
  if (failed == 1) {
    out.outcome = (out.missing | out.errored) ? Outcome::kNotMatched : Outcome::kNearMiss;
  } else if (out.errored) {
    out.outcome = Outcome::kDataError;
  } else if (out.missing) {
    out.outcome = Outcome::kDataMissing;
  } else {
    out.outcome = Outcome::kMatched;
  }
  std::sort(out.missing_attributes.begin(), out.missing_attributes.end());
  if (out.outcome != Outcome::kMatched && out.outcome != Outcome::kNearMiss) return;
  // The amount: for matches, and (when computable) for near-misses.
  Ctx actx;
  Val a = Run(policy.amount, policy, facts, actx);
  if (a.st == 0 && a.v < 0) a = actx.Error(kNegativeAmount, -1);
  if (a.st == 0) {
    int64_t rounded;
    DivRound(a.v, 10000, rounded);
    out.amount = Decimal::FromRaw(rounded * 10000);
    return;
  }
  if (out.outcome == Outcome::kNearMiss) return;
  if (a.st == 1) {
    out.outcome = Outcome::kDataMissing;
    out.amount_missing = true;
    AddMissing(policy, actx, out.missing_attributes);
    std::sort(out.missing_attributes.begin(), out.missing_attributes.end());
  } else {
    out.outcome = Outcome::kDataError;
    out.error = actx.error_kind == kNegativeAmount
                    ? fmt::format("{}：{}", ErrorText(kNegativeAmount), policy.amount_text)
                    : ErrorMessage(policy, actx);
  }
}

std::vector<std::string> ConditionTexts(const Policy& policy, uint64_t mask) {
  std::vector<std::string> out;
  for (size_t i = 0; i < policy.conditions.size(); ++i) {
    if (mask & (uint64_t{1} << i)) out.push_back(policy.conditions[i].text);
  }
  return out;
}

std::string AttributeLabel(std::string_view name) {
  struct Label {
    const char* name;
    const char* label;
  };
  static constexpr Label kLabels[] = {
      {"industry", "行业"},    {"scale", "企业规模"},       {"unit", "所属单位"},
      {"founded", "成立日期"}, {"certifications", "资质"},  {"revenue", "营业收入"},
      {"tax_paid", "纳税额"},  {"rd_spending", "研发投入"}, {"employees", "从业人员"},
  };
  size_t bracket = name.find('[');
  std::string_view base = name.substr(0, bracket);
  for (const Label& l : kLabels) {
    if (base != l.name) continue;
    if (bracket == std::string_view::npos) return fmt::format("{}（{}）", l.label, name);
    std::string_view year = name.substr(bracket + 1, name.size() - bracket - 2);
    return fmt::format("{}年{}（{}）", year, l.label, name);
  }
  return std::string(name);
}

// ---- Budget cap ----

std::vector<Award> ApplyBudget(const std::vector<AwardRequest>& requests,
                               std::optional<Decimal> budget, BudgetMode mode) {
  std::vector<Award> awards;
  awards.reserve(requests.size());
  for (const AwardRequest& r : requests) awards.push_back({r.enterprise_id, r.amount, r.amount});
  std::sort(awards.begin(), awards.end(), [](const Award& a, const Award& b) {
    if (a.requested != b.requested) return a.requested > b.requested;
    return a.enterprise_id < b.enterprise_id;
  });
  if (!budget) return awards;
  constexpr int64_t kFen = Decimal::kOne / 100;
  // Whole 分 throughout (requests are rounded to 分 by Evaluate; anything finer is cut off).
  int64_t budget_fen = std::max<int64_t>(budget->raw(), 0) / kFen;
  __int128 total_fen = 0;
  for (const Award& a : awards) total_fen += a.requested.raw() / kFen;
  if (total_fen <= budget_fen) return awards;
  if (mode == BudgetMode::kOrder) {
    int64_t left = budget_fen;
    for (Award& a : awards) {
      int64_t g = std::min(a.requested.raw() / kFen, left);
      a.granted = Decimal::FromRaw(g * kFen);
      left -= g;
    }
    return awards;
  }
  std::vector<__int128> remainder(awards.size());
  int64_t given = 0;
  for (size_t i = 0; i < awards.size(); ++i) {
    __int128 n = static_cast<__int128>(awards[i].requested.raw() / kFen) * budget_fen;
    int64_t share = static_cast<int64_t>(n / total_fen);
    remainder[i] = n % total_fen;
    awards[i].granted = Decimal::FromRaw(share * kFen);
    given += share;
  }
  std::vector<size_t> order(awards.size());
  std::iota(order.begin(), order.end(), 0);
  // Stable: among equal remainders the kOrder order (larger request, smaller id) wins.
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return remainder[a] > remainder[b]; });
  for (int64_t k = 0; k < budget_fen - given; ++k) {
    Award& a = awards[order[k]];
    a.granted = Decimal::FromRaw(a.granted.raw() + kFen);
  }
  return awards;
}

}  // namespace tiaodu::benefits
