#include "indicators/rules.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <utility>

#include "base/period.h"

namespace tiaodu::indicators {

namespace {

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsCodeSyntax(std::string_view s) {
  if (s.empty() || s.size() > 64 || !IsLower(s[0])) return false;
  for (char c : s) {
    if (!IsLower(c) && !IsDigit(c) && c != '_') return false;
  }
  return true;
}

bool OneOf(const std::string& v, std::initializer_list<const char*> options) {
  for (const char* o : options) {
    if (v == o) return true;
  }
  return false;
}

std::string Quote(std::string_view s) { return "“" + std::string(s) + "”"; }

// The indicator as users name it: its Chinese name, or its code when it has none.
std::string NameOf(const Indicator& ind) { return ind.name.empty() ? ind.code : ind.name; }

// A value with the indicator's places and unit: "12.50亿元".
std::string Amount(const Indicator& ind, Decimal v) {
  int places = std::clamp(ind.decimals, 0, 6);
  return v.Format(places) + ind.unit;
}

// A growth rate as bulletins print it: one decimal, percent.
std::string Pct(Decimal v) { return v.Format(1) + "%"; }

// Percentage points: two decimals, trailing zeros dropped ("1.5", "12", "0.05").
std::string Points(Decimal v) {
  std::string s = v.Format(2);
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  return s;
}

// A month key "YYYY-MM" (exactly that form) as a month Period.
std::optional<Period> ParseKey(const std::string& key) {
  if (key.size() != 7 || key[4] != '-') return std::nullopt;
  Result<Period> p = Period::Parse(key);
  if (!p.ok() || p->kind() != PeriodKind::kMonth) return std::nullopt;
  return *p;
}

std::string MonthKey(int year, int month) { return Period::Month(year, month).ToString(); }

const Indicator* FindIndicator(const ValidationInput& in, const std::string& code) {
  auto it = in.indicators.find(code);
  return it == in.indicators.end() ? nullptr : &it->second;
}

template <typename Map>
auto Lookup(const Map& m, const std::string& code) -> const typename Map::mapped_type* {
  auto it = m.find(code);
  return it == m.end() ? nullptr : &it->second;
}

// |a − b|, or nullopt on overflow.
std::optional<Decimal> AbsDiff(Decimal a, Decimal b) {
  Result<Decimal> d = Decimal::CheckedSub(a, b);
  if (!d.ok()) return std::nullopt;
  return d->Abs();
}

}  // namespace

// ---- Expressions ----

struct Expr::Node {
  enum class Kind { kNumber, kCode, kNeg, kAdd, kSub, kMul, kDiv };
  Kind kind = Kind::kNumber;
  Decimal number;
  std::string code;
  std::shared_ptr<const Node> left;
  std::shared_ptr<const Node> right;
};

namespace {

constexpr std::size_t kMaxExprChars = 200;

// Characters (code points) of UTF-8 text.
std::size_t CharCount(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}
constexpr int kMaxExprDepth = 20;

using NodePtr = std::shared_ptr<const Expr::Node>;

// Recursive descent over:  expr := term (('+'|'-') term)*
//                          term := unary (('*'|'/') unary)*
//                          unary := '-' unary | '+' unary | primary
//                          primary := number | code | '(' expr ')'
// Accepts the Unicode spellings − × ÷ （ ） as well.
class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  Result<NodePtr> ParseAll() {
    Result<NodePtr> root = ParseSum();
    TIAODU_RETURN_IF_ERROR(root);
    SkipSpaces();
    if (pos_ < s_.size()) {
      if (At(")") || At("）")) return Error("右括号多余");
      return Error("多余的内容");
    }
    return root;
  }

  std::set<std::string> codes;

 private:
  Status Error(const std::string& what) const {
    return InvalidArgument(
        "表达式" + Quote(s_) + "有误：第" + std::to_string(pos_ + 1) + "个字符处" + what,
        {{"expression", what}});
  }

  void SkipSpaces() {
    while (pos_ < s_.size()) {
      if (s_[pos_] == ' ' || s_[pos_] == '\t') {
        ++pos_;
      } else if (At("\u3000")) {
        pos_ += 3;
      } else {
        break;
      }
    }
  }

  bool At(std::string_view token) const { return s_.substr(pos_).starts_with(token); }

  // Consumes one of the spellings of an operator; returns its ASCII form or 0.
  char TakeOperator(std::initializer_list<std::pair<const char*, char>> spellings) {
    SkipSpaces();
    for (const auto& [text, op] : spellings) {
      if (At(text)) {
        pos_ += std::string_view(text).size();
        return op;
      }
    }
    return 0;
  }

  Result<NodePtr> ParseSum() {
    Result<NodePtr> left = ParseTerm();
    TIAODU_RETURN_IF_ERROR(left);
    NodePtr node = *left;
    while (char op = TakeOperator({{"+", '+'}, {"-", '-'}, {"\u2212", '-'}})) {
      Result<NodePtr> right = ParseTerm();
      TIAODU_RETURN_IF_ERROR(right);
      auto n = std::make_shared<Expr::Node>();
      n->kind = op == '+' ? Expr::Node::Kind::kAdd : Expr::Node::Kind::kSub;
      n->left = node;
      n->right = *right;
      node = n;
    }
    return node;
  }

  Result<NodePtr> ParseTerm() {
    Result<NodePtr> left = ParseUnary();
    TIAODU_RETURN_IF_ERROR(left);
    NodePtr node = *left;
    while (char op = TakeOperator({{"*", '*'}, {"/", '/'}, {"\u00d7", '*'}, {"\u00f7", '/'}})) {
      Result<NodePtr> right = ParseUnary();
      TIAODU_RETURN_IF_ERROR(right);
      auto n = std::make_shared<Expr::Node>();
      n->kind = op == '*' ? Expr::Node::Kind::kMul : Expr::Node::Kind::kDiv;
      n->left = node;
      n->right = *right;
      node = n;
    }
    return node;
  }

  Result<NodePtr> ParseUnary() {
    char op = TakeOperator({{"-", '-'}, {"\u2212", '-'}, {"+", '+'}});
    if (op == 0) return ParsePrimary();
    if (++depth_ > kMaxExprDepth)
      return Error("嵌套过深（最多" + std::to_string(kMaxExprDepth) + "层）");
    Result<NodePtr> operand = ParseUnary();
    --depth_;
    TIAODU_RETURN_IF_ERROR(operand);
    if (op == '+') return operand;
    auto n = std::make_shared<Expr::Node>();
    n->kind = Expr::Node::Kind::kNeg;
    n->left = *operand;
    return NodePtr(n);
  }

  Result<NodePtr> ParsePrimary() {
    SkipSpaces();
    if (pos_ >= s_.size()) return Error("缺少数值或指标编码");
    if (At("(") || At("（")) {
      pos_ += At("(") ? 1 : 3;
      if (++depth_ > kMaxExprDepth) {
        return Error("括号嵌套过深（最多" + std::to_string(kMaxExprDepth) + "层）");
      }
      Result<NodePtr> inner = ParseSum();
      TIAODU_RETURN_IF_ERROR(inner);
      SkipSpaces();
      if (At(")")) {
        pos_ += 1;
      } else if (At("）")) {
        pos_ += 3;
      } else {
        return Error("缺少右括号");
      }
      --depth_;
      return inner;
    }
    char c = s_[pos_];
    if (IsDigit(c)) {
      std::size_t start = pos_;
      while (pos_ < s_.size() && (IsDigit(s_[pos_]) || s_[pos_] == '.')) ++pos_;
      std::string_view literal = s_.substr(start, pos_ - start);
      Result<Decimal> d = Decimal::Parse(literal);
      if (!d.ok()) {
        pos_ = start;
        return Error("数值" + Quote(literal) + "无效");
      }
      auto n = std::make_shared<Expr::Node>();
      n->kind = Expr::Node::Kind::kNumber;
      n->number = *d;
      return NodePtr(n);
    }
    if (IsLower(c)) {
      std::size_t start = pos_;
      while (pos_ < s_.size() && (IsLower(s_[pos_]) || IsDigit(s_[pos_]) || s_[pos_] == '_')) {
        ++pos_;
      }
      if (pos_ < s_.size() && s_[pos_] >= 'A' && s_[pos_] <= 'Z') {
        return Error("指标编码只能包含小写字母、数字和下划线");
      }
      auto n = std::make_shared<Expr::Node>();
      n->kind = Expr::Node::Kind::kCode;
      n->code = std::string(s_.substr(start, pos_ - start));
      codes.insert(n->code);
      return NodePtr(n);
    }
    if (c >= 'A' && c <= 'Z') return Error("指标编码只能包含小写字母、数字和下划线");
    if (At(")") || At("）")) return Error("缺少数值或指标编码");
    return Error("无法识别的字符");
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  int depth_ = 0;
};

using LookupFn = std::function<std::optional<Decimal>(const std::string&)>;

std::optional<Decimal> EvalNode(const Expr::Node& n, const LookupFn& lookup) {
  using Kind = Expr::Node::Kind;
  switch (n.kind) {
    case Kind::kNumber:
      return n.number;
    case Kind::kCode:
      return lookup(n.code);
    case Kind::kNeg: {
      std::optional<Decimal> v = EvalNode(*n.left, lookup);
      if (!v) return std::nullopt;
      return -*v;
    }
    case Kind::kAdd:
    case Kind::kSub:
    case Kind::kMul:
    case Kind::kDiv: {
      std::optional<Decimal> a = EvalNode(*n.left, lookup);
      if (!a) return std::nullopt;
      std::optional<Decimal> b = EvalNode(*n.right, lookup);
      if (!b) return std::nullopt;
      Result<Decimal> r = n.kind == Kind::kAdd   ? Decimal::CheckedAdd(*a, *b)
                          : n.kind == Kind::kSub ? Decimal::CheckedSub(*a, *b)
                          : n.kind == Kind::kMul ? Decimal::CheckedMul(*a, *b)
                                                 : Decimal::CheckedDiv(*a, *b);
      if (!r.ok()) return std::nullopt;
      return *r;
    }
  }
  return std::nullopt;
}

}  // namespace

Result<Expr> Expr::Parse(std::string_view text) {
  if (CharCount(text) > kMaxExprChars) {
    return InvalidArgument("表达式过长（最多" + std::to_string(kMaxExprChars) + "个字符）",
                           {{"expression", "表达式过长"}});
  }
  Parser parser(text);
  Result<NodePtr> root = parser.ParseAll();
  TIAODU_RETURN_IF_ERROR(root);
  Expr e;
  e.root_ = *root;
  e.codes_.assign(parser.codes.begin(), parser.codes.end());
  e.text_ = std::string(text);
  return e;
}

std::optional<Decimal> Expr::Eval(const LookupFn& lookup) const {
  if (!root_) return std::nullopt;
  return EvalNode(*root_, lookup);
}

Result<Comparison> Comparison::Parse(std::string_view text) {
  if (CharCount(text) > kMaxExprChars) {
    return InvalidArgument("校验表达式过长（最多" + std::to_string(kMaxExprChars) + "个字符）",
                           {{"expression", "表达式过长"}});
  }
  // Longer spellings first, so that "<=" is not read as "<".
  static const std::pair<const char*, const char*> kOps[] = {
      {"<=", "<="},     {">=", ">="},     {"!=", "!="}, {"==", "="}, {"\u2264", "<="},
      {"\u2265", ">="}, {"\u2260", "!="}, {"<", "<"},   {">", ">"},  {"=", "="},
  };
  std::size_t at = std::string_view::npos;
  std::size_t len = 0;
  std::string op;
  int count = 0;
  for (std::size_t i = 0; i < text.size();) {
    bool matched = false;
    for (const auto& [spelling, canonical] : kOps) {
      std::string_view sp(spelling);
      if (text.substr(i).starts_with(sp)) {
        if (count++ == 0) {
          at = i;
          len = sp.size();
          op = canonical;
        }
        i += sp.size();
        matched = true;
        break;
      }
    }
    if (!matched) ++i;
  }
  if (count == 0) {
    return InvalidArgument("校验表达式" + Quote(text) + "缺少比较运算符（<=、>=、<、>、=、!=）",
                           {{"expression", "缺少比较运算符"}});
  }
  if (count > 1) {
    return InvalidArgument("校验表达式" + Quote(text) + "只能包含一个比较运算符",
                           {{"expression", "比较运算符多于一个"}});
  }
  Result<Expr> left = Expr::Parse(text.substr(0, at));
  TIAODU_RETURN_IF_ERROR(left);
  Result<Expr> right = Expr::Parse(text.substr(at + len));
  TIAODU_RETURN_IF_ERROR(right);
  return Comparison{*left, op, *right};
}

std::optional<bool> Comparison::Holds(const LookupFn& lookup) const {
  std::optional<Decimal> a = left.Eval(lookup);
  if (!a) return std::nullopt;
  std::optional<Decimal> b = right.Eval(lookup);
  if (!b) return std::nullopt;
  if (op == "<=") return *a <= *b;
  if (op == ">=") return *a >= *b;
  if (op == "<") return *a < *b;
  if (op == ">") return *a > *b;
  if (op == "=") return *a == *b;
  if (op == "!=") return *a != *b;
  return std::nullopt;
}

// ---- Catalog ----

Status CheckIndicator(const Indicator& ind) {
  std::vector<Detail> bad;
  if (!IsCodeSyntax(ind.code)) {
    bad.push_back({"code", "编码须以小写字母开头，只含小写字母、数字和下划线，最多64个字符"});
  }
  if (ind.name.empty() || ind.name.size() > 300) {
    bad.push_back({"name", "名称不能为空，且不超过100个汉字"});
  }
  if (Result<Unit> u = UnitFromName(ind.unit); !u.ok()) {
    bad.push_back({"unit", u.status().message()});
  }
  if (!OneOf(ind.periodicity, {"month", "quarter", "year"})) {
    bad.push_back({"periodicity", "频度须为 month（月度）、quarter（季度）或 year（年度）"});
  }
  if (!OneOf(ind.accumulation, {"ytd", "annual", "point"})) {
    bad.push_back({"accumulation", "累计方式须为 ytd（累计）、annual（全年）或 point（时点）"});
  }
  if (!OneOf(ind.growth_basis, {"comparable", "nominal", "none"})) {
    bad.push_back(
        {"growth_basis", "增速口径须为 comparable（可比价）、nominal（现价）或 none（无）"});
  }
  if (!OneOf(ind.direction, {"up", "down", "none"})) {
    bad.push_back({"direction", "方向须为 up（越大越好）、down（越小越好）或 none"});
  }
  if (!OneOf(ind.rank_by, {"value", "growth"})) {
    bad.push_back({"rank_by", "排名依据须为 value（总量）或 growth（增速）"});
  }
  if (ind.decimals < 0 || ind.decimals > 6) {
    bad.push_back({"decimals", "小数位数须在0到6之间"});
  }
  for (std::size_t i = 0; i < ind.aliases.size(); ++i) {
    if (ind.aliases[i].empty() || ind.aliases[i].size() > 300) {
      bad.push_back({"aliases[" + std::to_string(i) + "]", "别名不能为空，且不超过100个汉字"});
    }
  }
  if (ind.derived()) {
    Result<Expr> e = Expr::Parse(ind.formula);
    if (!e.ok()) {
      bad.push_back({"formula", e.status().message()});
    } else if (std::binary_search(e->codes().begin(), e->codes().end(), ind.code)) {
      bad.push_back({"formula", "计算公式不能引用指标自身"});
    } else if (e->codes().empty()) {
      bad.push_back({"formula", "计算公式须引用至少一个指标"});
    }
  }
  if (!bad.empty()) {
    return InvalidArgument("指标" + Quote(ind.name.empty() ? ind.code : ind.name) + "的信息有误",
                           std::move(bad));
  }
  return Status::Ok();
}

// ---- Periods ----

Result<std::string> PeriodKey(const Indicator& ind, std::string_view input) {
  const std::string who = NameOf(ind);
  Result<Period> parsed = Period::Parse(input);
  if (!parsed.ok()) {
    return InvalidArgument(who + "：" + parsed.status().message(),
                           {{"period", parsed.status().message()}});
  }
  const Period p = *parsed;
  auto refuse = [&](const std::string& reason) -> Result<std::string> {
    return InvalidArgument(who + "：" + reason, {{"period", reason}});
  };
  if (ind.periodicity == "month") {
    if (p.kind() != PeriodKind::kMonth) {
      return refuse("按月填报，期别须为月份（如2024-06），不能是" + Quote(p.ToString()));
    }
    if (p.index() == 1 && ind.accumulation == "ytd") {
      return refuse("1月数据不单独发布，请填报1-2月累计数（期别" + MonthKey(p.year(), 2) + "）");
    }
    return p.ToString();
  }
  if (ind.periodicity == "quarter") {
    if (p.kind() == PeriodKind::kQuarter) return MonthKey(p.year(), p.EndMonth());
    if (p.kind() == PeriodKind::kMonth && p.index() % 3 == 0) return p.ToString();
    return refuse("按季填报，期别须为季度（如2024Q2）或季末月份（3、6、9、12月），不能是" +
                  Quote(p.ToString()));
  }
  if (ind.periodicity == "year") {
    if (p.kind() == PeriodKind::kYear) return MonthKey(p.year(), 12);
    if (p.kind() == PeriodKind::kMonth && p.index() == 12) return p.ToString();
    return refuse("按年填报，期别须为年份（如2024）或12月，不能是" + Quote(p.ToString()));
  }
  return refuse("频度" + Quote(ind.periodicity) + "未知");
}

bool HasPeriod(const Indicator& ind, const std::string& key) {
  std::optional<Period> p = ParseKey(key);
  if (!p) return false;
  int m = p->index();
  if (ind.periodicity == "month") return !(m == 1 && ind.accumulation == "ytd");
  if (ind.periodicity == "quarter") return m % 3 == 0;
  if (ind.periodicity == "year") return m == 12;
  return false;
}

std::string PreviousKeyInYear(const Indicator& ind, const std::string& key) {
  std::optional<Period> p = ParseKey(key);
  if (!p || !HasPeriod(ind, key)) return "";
  int m = p->index();
  int prev = 0;
  if (ind.periodicity == "month") {
    prev = m - 1;
    if (prev == 1 && ind.accumulation == "ytd") prev = 0;
  } else if (ind.periodicity == "quarter") {
    prev = m - 3;
  }
  if (prev < 1) return "";
  return MonthKey(p->year(), prev);
}

std::string SameKeyLastYear(const std::string& key) {
  std::optional<Period> p = ParseKey(key);
  if (!p || p->year() <= Period::kMinYear) return "";
  return MonthKey(p->year() - 1, p->index());
}

std::string KeyLabelZh(const Indicator& ind, const std::string& key) {
  std::optional<Period> p = ParseKey(key);
  if (!p) return key;
  const int y = p->year();
  const int m = p->index();
  if (ind.periodicity == "year" || ind.accumulation == "annual") return Period::Year(y).FormatZh();
  if (ind.accumulation == "ytd") {
    if (ind.periodicity == "quarter" && m % 3 == 0) return Period::Quarter(y, m / 3).FormatYtdZh();
    return p->FormatYtdZh();
  }
  if (ind.periodicity == "quarter" && m % 3 == 0) return Period::Quarter(y, m / 3).FormatZh();
  return p->FormatZh();
}

// ---- YTD and monthly ----

std::optional<Decimal> MonthlyFromYtd(Decimal ytd, std::optional<Decimal> previous_ytd,
                                      bool first_of_year) {
  if (first_of_year) return ytd;
  if (!previous_ytd) return std::nullopt;
  Result<Decimal> d = Decimal::CheckedSub(ytd, *previous_ytd);
  if (!d.ok()) return std::nullopt;
  return *d;
}

Result<Decimal> YtdFromMonthly(Decimal monthly, std::optional<Decimal> previous_ytd,
                               bool first_of_year) {
  if (first_of_year) return monthly;
  if (!previous_ytd) {
    return InvalidArgument("缺少上期累计数，无法由当月数推算累计数；请直接填报累计数",
                           {{"monthly", "缺少上期累计数"}});
  }
  return Decimal::CheckedAdd(*previous_ytd, monthly);
}

// ---- Growth ----

std::optional<Decimal> ComputeYoy(Decimal current, Decimal last_year) {
  if (last_year.raw() <= 0) return std::nullopt;
  // (c − l) / l × 100 in millionths: raw = (c_raw − l_raw) × 100 × 10^6 / l_raw, rounded
  // once, half away from zero. 128-bit intermediates: no overflow, no double.
  __int128 num = (static_cast<__int128>(current.raw()) - last_year.raw()) * 100 * Decimal::kOne;
  __int128 den = last_year.raw();
  __int128 q = num / den;
  __int128 r = num % den;
  if (r < 0) r = -r;
  if (2 * r >= den) q += num < 0 ? -1 : 1;
  if (q > Decimal::kMaxRaw || q < Decimal::kMinRaw) return std::nullopt;
  return Decimal::FromRaw(static_cast<int64_t>(q));
}

Growth ChooseGrowth(const Indicator& ind, std::optional<Decimal> reported,
                    std::optional<Decimal> computed) {
  if (ind.growth_basis == "comparable") {
    if (reported) return {reported, "reported"};
    return {std::nullopt, ""};
  }
  if (computed) return {computed, "computed"};
  if (reported) return {reported, "reported"};
  return {std::nullopt, ""};
}

// ---- League tables ----

std::vector<std::optional<int>> Rank(const std::vector<std::optional<Decimal>>& keys,
                                     const std::string& direction) {
  std::vector<std::optional<int>> ranks(keys.size());
  if (direction != "up" && direction != "down") return ranks;
  std::vector<Decimal> sorted;
  for (const auto& k : keys) {
    if (k) sorted.push_back(*k);
  }
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (!keys[i]) continue;
    // 1 + the number of entries strictly better.
    std::size_t better =
        direction == "up"
            ? sorted.end() - std::upper_bound(sorted.begin(), sorted.end(), *keys[i])
            : std::lower_bound(sorted.begin(), sorted.end(), *keys[i]) - sorted.begin();
    ranks[i] = static_cast<int>(better) + 1;
  }
  return ranks;
}

// ---- Targets and time progress ----

std::string ProgressStatus(Decimal reached_share, Decimal elapsed_share, const Settings& s) {
  Result<Decimal> d = Decimal::CheckedSub(reached_share, elapsed_share);
  if (!d.ok()) return reached_share > elapsed_share ? "ahead" : "behind";
  if (*d >= s.ahead_margin) return "ahead";
  if (*d < -s.behind_margin) return "behind";
  return "on_track";
}

std::string GrowthTargetStatus(Decimal yoy, std::optional<Decimal> floor,
                               std::optional<Decimal> stretch, const std::string& direction) {
  if (!floor && !stretch) return "";
  const bool down = direction == "down";
  auto meets = [&](Decimal bar) { return down ? yoy <= bar : yoy >= bar; };
  if (stretch && meets(*stretch)) return "ahead";
  if (floor && meets(*floor)) return "on_track";
  return "behind";
}

Decimal ElapsedShare(const std::string& key) {
  Result<Period> p = Period::Parse(key);
  if (!p.ok()) return Decimal();
  return ElapsedShareOfYear(*p);
}

// ---- Validation ----

std::vector<Finding> CheckTaxWithinBudget(const ValidationInput& in) {
  std::vector<Finding> out;
  const Indicator* tax = FindIndicator(in, "tax_revenue");
  const Indicator* budget = FindIndicator(in, "budget_revenue");
  if (!tax || !budget || tax->derived() || budget->derived()) return out;
  const Decimal* t = Lookup(in.values, "tax_revenue");
  const Decimal* b = Lookup(in.values, "budget_revenue");
  if (!t || !b) return out;
  // Compare in the budget's unit when the catalog spells them differently (万元 vs 亿元).
  Decimal t_in_budget_unit = *t;
  if (tax->unit != budget->unit) {
    Result<Unit> tu = UnitFromName(tax->unit);
    Result<Unit> bu = UnitFromName(budget->unit);
    if (!tu.ok() || !bu.ok() || !UnitsConvertible(*tu, *bu)) return out;
    Result<Quantity> q = Quantity{*t, *tu}.ConvertToRounded(*bu);
    if (!q.ok()) return out;
    t_in_budget_unit = q->value;
  }
  if (t_in_budget_unit > *b) {
    out.push_back({"tax_le_budget", "error", "tax_revenue",
                   NameOf(*tax) + "（" + Amount(*tax, *t) + "）大于" + NameOf(*budget) + "（" +
                       Amount(*budget, *b) + "）：税收收入是一般公共预算收入的一部分，不能超过它"});
  }
  return out;
}

std::vector<Finding> CheckYtdNotDecreasing(const ValidationInput& in) {
  std::vector<Finding> out;
  for (const auto& [code, value] : in.values) {
    const Indicator* ind = FindIndicator(in, code);
    if (!ind || ind->derived() || !ind->additive || ind->accumulation != "ytd") continue;
    const std::string prev_key = PreviousKeyInYear(*ind, in.period);
    if (prev_key.empty()) continue;  // the first release of the year: nothing to compare
    const Decimal* prev = Lookup(in.previous_ytd, code);
    if (!prev || value >= *prev) continue;
    out.push_back({"ytd_not_decreasing", "error", code,
                   NameOf(*ind) + KeyLabelZh(*ind, in.period) + "累计数（" + Amount(*ind, value) +
                       "）小于" + KeyLabelZh(*ind, prev_key) + "累计数（" + Amount(*ind, *prev) +
                       "）：累计数在年内不应减少"});
  }
  return out;
}

std::vector<Finding> CheckNotNegative(const ValidationInput& in) {
  std::vector<Finding> out;
  for (const auto& [code, value] : in.values) {
    const Indicator* ind = FindIndicator(in, code);
    if (!ind || ind->derived() || ind->unit == "%" || !value.IsNegative()) continue;
    out.push_back({"negative_value", "error", code,
                   NameOf(*ind) + "（" + Amount(*ind, value) + "）为负数：金额和数量不能小于零"});
  }
  return out;
}

std::vector<Finding> CheckYoyMatches(const ValidationInput& in, const Settings& s) {
  std::vector<Finding> out;
  for (const auto& [code, value] : in.values) {
    const Indicator* ind = FindIndicator(in, code);
    if (!ind || ind->derived() || ind->growth_basis != "nominal") continue;
    const std::optional<Decimal>* reported = Lookup(in.reported_yoy, code);
    const Decimal* last = Lookup(in.last_year, code);
    if (!reported || !*reported || !last) continue;
    std::optional<Decimal> computed = ComputeYoy(value, *last);
    if (!computed) continue;
    std::optional<Decimal> diff = AbsDiff(**reported, *computed);
    if (!diff || *diff <= s.yoy_tolerance) continue;
    out.push_back({"yoy_mismatch", "warning", code,
                   NameOf(*ind) + "填报的同比增长（" + Pct(**reported) + "）与按上年同期数（" +
                       Amount(*ind, *last) + "）计算的同比增长（" + Pct(*computed) + "）相差" +
                       Points(*diff) + "个百分点，超过允许误差" + Points(s.yoy_tolerance) +
                       "个百分点，请核实"});
  }
  return out;
}

std::vector<Finding> CheckGrowthSwing(const ValidationInput& in, const Settings& s) {
  std::vector<Finding> out;
  for (const auto& [code, value] : in.values) {
    const Indicator* ind = FindIndicator(in, code);
    if (!ind || ind->derived() || ind->growth_basis == "none") continue;
    const Decimal* previous = Lookup(in.previous_growth, code);
    if (!previous) continue;
    std::optional<Decimal> growth;
    if (ind->growth_basis == "comparable") {
      if (const std::optional<Decimal>* r = Lookup(in.reported_yoy, code)) growth = *r;
    } else if (const Decimal* last = Lookup(in.last_year, code)) {
      growth = ComputeYoy(value, *last);
    }
    if (!growth) continue;
    std::optional<Decimal> diff = AbsDiff(*growth, *previous);
    if (!diff || *diff <= s.swing_threshold) continue;
    out.push_back({"growth_swing", "warning", code,
                   NameOf(*ind) + "同比增长由上期的" + Pct(*previous) + "变为" + Pct(*growth) +
                       "，变动" + Points(*diff) + "个百分点，超过" + Points(s.swing_threshold) +
                       "个百分点，请核实并在备注中说明原因"});
  }
  return out;
}

std::vector<Finding> CheckChildrenSum(const ValidationInput& in, const Settings& s) {
  std::vector<Finding> out;
  if (in.children_total <= 0) return out;
  for (const auto& [code, value] : in.values) {
    const Indicator* ind = FindIndicator(in, code);
    if (!ind || ind->derived() || !ind->additive) continue;
    const int* count = Lookup(in.children_count, code);
    const Decimal* sum = Lookup(in.children_sum, code);
    if (!count || *count != in.children_total || !sum) continue;
    std::optional<Decimal> diff = AbsDiff(*sum, value);
    if (!diff) continue;
    Result<Decimal> tolerance = value.Abs().Mul(s.children_tolerance);
    if (!tolerance.ok()) continue;
    tolerance = tolerance->Div(Decimal::FromInt(100));
    if (!tolerance.ok() || *diff <= *tolerance) continue;
    out.push_back({"children_sum", "warning", code,
                   "各下级单位" + NameOf(*ind) + "合计（" + Amount(*ind, *sum) +
                       "）与本单位填报数（" + Amount(*ind, value) + "）相差" + Amount(*ind, *diff) +
                       "，超过允许误差" + Points(s.children_tolerance) + "%，请核实"});
  }
  return out;
}

std::vector<Finding> CheckCustomRules(const ValidationInput& in) {
  std::vector<Finding> out;
  // A value by code: the entered one, or a derived indicator's formula over entered ones.
  std::function<std::optional<Decimal>(const std::string&, int)> value_of =
      [&](const std::string& code, int depth) -> std::optional<Decimal> {
    if (const Decimal* v = Lookup(in.values, code)) return *v;
    const Indicator* ind = FindIndicator(in, code);
    if (!ind || !ind->derived() || depth > 8) return std::nullopt;
    Result<Expr> e = Expr::Parse(ind->formula);
    if (!e.ok()) return std::nullopt;
    return e->Eval([&](const std::string& c) { return value_of(c, depth + 1); });
  };
  auto lookup = [&](const std::string& code) { return value_of(code, 0); };
  for (const Rule& rule : in.rules) {
    if (!rule.enabled) continue;
    Result<Comparison> cmp = Comparison::Parse(rule.expression);
    if (!cmp.ok()) continue;  // rules are checked when saved; a broken one cannot judge
    std::optional<bool> holds = cmp->Holds(lookup);
    if (!holds || *holds) continue;
    std::string indicator;
    if (!cmp->left.codes().empty()) {
      indicator = cmp->left.codes().front();
    } else if (!cmp->right.codes().empty()) {
      indicator = cmp->right.codes().front();
    }
    std::set<std::string> codes(cmp->left.codes().begin(), cmp->left.codes().end());
    codes.insert(cmp->right.codes().begin(), cmp->right.codes().end());
    std::string figures;
    for (const std::string& c : codes) {
      std::optional<Decimal> v = lookup(c);
      if (!v) continue;
      if (!figures.empty()) figures += "，";
      const Indicator* ind = FindIndicator(in, c);
      figures += ind ? NameOf(*ind) + Amount(*ind, *v) : c + " " + v->ToString();
    }
    std::string message =
        rule.message.empty() ? "校验规则" + Quote(rule.expression) + "不成立" : rule.message;
    if (!figures.empty()) message += "（" + figures + "）";
    out.push_back({"rule:" + std::to_string(rule.id),
                   rule.severity == "warning" ? "warning" : "error", indicator, message});
  }
  return out;
}

std::vector<Finding> Validate(const ValidationInput& in, const Settings& s) {
  std::vector<Finding> all;
  auto add = [&](std::vector<Finding> f) {
    for (Finding& x : f) all.push_back(std::move(x));
  };
  add(CheckTaxWithinBudget(in));
  add(CheckYtdNotDecreasing(in));
  add(CheckNotNegative(in));
  add(CheckYoyMatches(in, s));
  add(CheckGrowthSwing(in, s));
  add(CheckChildrenSum(in, s));
  add(CheckCustomRules(in));
  std::stable_partition(all.begin(), all.end(),
                        [](const Finding& f) { return f.severity == "error"; });
  return all;
}

bool HasErrors(const std::vector<Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& f) { return f.severity == "error"; });
}

}  // namespace tiaodu::indicators
