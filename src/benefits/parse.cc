// The rule language's lexer, parser and printer (see rules.h for the grammar).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "benefits/rules.h"
#include "benefits/rules_internal.h"

namespace tiaodu::benefits {
namespace internal {

namespace {

struct NameEntry {
  const char* name;
  const char* canonical;
};

// Attribute and figure names, with their Chinese aliases.
constexpr NameEntry kAttributeNames[] = {
    {"industry", "industry"},
    {"行业", "industry"},
    {"scale", "scale"},
    {"规模", "scale"},
    {"certifications", "certifications"},
    {"资质", "certifications"},
    {"unit", "unit"},
    {"所属单位", "unit"},
    {"founded", "founded"},
    {"成立日期", "founded"},
};
constexpr NameEntry kFigureNames[] = {
    {"revenue", "revenue"},     {"营业收入", "revenue"},        {"tax_paid", "tax_paid"},
    {"纳税额", "tax_paid"},     {"rd_spending", "rd_spending"}, {"研发投入", "rd_spending"},
    {"employees", "employees"}, {"从业人员", "employees"},
};
constexpr NameEntry kFunctionNames[] = {
    {"growth", "growth"}, {"增速", "growth"}, {"min", "min"},
    {"max", "max"},       {"tiers", "tiers"}, {"if", "if"},
};

const char* Lookup(const NameEntry* table, size_t n, std::string_view name) {
  for (size_t i = 0; i < n; ++i) {
    if (name == table[i].name) return table[i].canonical;
  }
  return nullptr;
}

// Levenshtein distance over bytes, for "did you mean".
int Distance(std::string_view a, std::string_view b) {
  std::vector<int> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    int prev = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      int cur = row[j];
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, prev + cost});
      prev = cur;
    }
  }
  return row[b.size()];
}

std::string Suggest(std::string_view name) {
  std::string best;
  int best_d = 3;
  auto consider = [&](const NameEntry* t, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      int d = Distance(name, t[i].name);
      if (d < best_d) {
        best_d = d;
        best = t[i].name;
      }
    }
  };
  consider(kAttributeNames, std::size(kAttributeNames));
  consider(kFigureNames, std::size(kFigureNames));
  return best;
}

enum class Tok { kEnd, kNumber, kText, kDate, kName, kSymbol };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;  // name, symbol, or text literal content
  Decimal number;
  CivilDate date{0, 0, 0};
  int begin = 0;
  int end = 0;
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsNameStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
bool IsNameChar(unsigned char c) { return IsNameStart(c) || IsDigit(static_cast<char>(c)); }

constexpr std::string_view kWan = "万";
constexpr std::string_view kYi = "亿";
constexpr std::string_view kOpenQuote = "“";
constexpr std::string_view kCloseQuote = "”";

// Length of the UTF-8 sequence starting at s[i] (1 for a stray byte).
int Utf8Len(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  return i + n <= s.size() ? n : 1;
}

// Whether the character at s[i] is one a name may contain: ASCII letters/digits/_ and CJK
// ideographs (U+4E00..U+9FFF), not Chinese punctuation.
bool NameCharAt(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return IsNameChar(c);
  if (Utf8Len(s, i) != 3) return false;
  unsigned cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
  return cp >= 0x4E00 && cp <= 0x9FFF;
}

bool StartsWith(std::string_view s, size_t i, std::string_view p) {
  return s.substr(i, p.size()) == p;
}

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}

  // The next token, or an error.
  bool Next(Token& t, ParseError& err) {
    while (pos_ < src_.size() &&
           (src_[pos_] == ' ' || src_[pos_] == '\t' || src_[pos_] == '\n' || src_[pos_] == '\r')) {
      ++pos_;
    }
    t = Token();
    t.begin = static_cast<int>(pos_);
    if (pos_ >= src_.size()) {
      t.kind = Tok::kEnd;
      t.end = t.begin;
      return true;
    }
    char c = src_[pos_];
    if (IsDigit(c)) return Number(t, err);
    if (c == '"' || StartsWith(src_, pos_, kOpenQuote)) return Text(t, err);
    if (NameCharAt(src_, pos_)) {
      size_t start = pos_;
      while (pos_ < src_.size() && NameCharAt(src_, pos_)) pos_ += Utf8Len(src_, pos_);
      t.kind = Tok::kName;
      t.text = std::string(src_.substr(start, pos_ - start));
      t.end = static_cast<int>(pos_);
      return true;
    }
    static constexpr std::string_view kTwo[] = {"<=", ">=", "!=", "==", "&&", "||"};
    for (std::string_view op : kTwo) {
      if (StartsWith(src_, pos_, op)) {
        t.kind = Tok::kSymbol;
        t.text = std::string(op);
        pos_ += 2;
        t.end = static_cast<int>(pos_);
        return true;
      }
    }
    if (std::string_view("=<>+-*/()[],!").find(c) != std::string_view::npos) {
      t.kind = Tok::kSymbol;
      t.text = std::string(1, c);
      ++pos_;
      t.end = static_cast<int>(pos_);
      return true;
    }
    int n = Utf8Len(src_, pos_);
    std::string ch(src_.substr(pos_, n));
    err = {t.begin, t.begin + n, fmt::format("无法识别的字符“{}”{}", ch, Hint(ch))};
    return false;
  }

 private:
  static std::string Hint(const std::string& ch) {
    if (ch == "（" || ch == "）" || ch == "，" || ch == "【" || ch == "】" || ch == "＝" ||
        ch == "＞" || ch == "＜" || ch == "；") {
      return "，请使用半角（英文）符号";
    }
    return "";
  }

  bool Number(Token& t, ParseError& err) {
    size_t start = pos_;
    while (pos_ < src_.size() && IsDigit(src_[pos_])) ++pos_;
    // A date: exactly four digits, then -MM-DD with no spaces.
    if (pos_ - start == 4 && pos_ + 6 <= src_.size() && src_[pos_] == '-' &&
        IsDigit(src_[pos_ + 1]) && IsDigit(src_[pos_ + 2]) && src_[pos_ + 3] == '-' &&
        IsDigit(src_[pos_ + 4]) && IsDigit(src_[pos_ + 5]) &&
        (pos_ + 6 == src_.size() || !IsDigit(src_[pos_ + 6]))) {
      int y = std::stoi(std::string(src_.substr(start, 4)));
      int m = (src_[pos_ + 1] - '0') * 10 + (src_[pos_ + 2] - '0');
      int d = (src_[pos_ + 4] - '0') * 10 + (src_[pos_ + 5] - '0');
      pos_ += 6;
      t.end = static_cast<int>(pos_);
      if (!ValidDate(y, m, d)) {
        err = {t.begin, t.end, fmt::format("日期“{}”不存在", src_.substr(start, pos_ - start))};
        return false;
      }
      t.kind = Tok::kDate;
      t.date = CivilDate{y, m, d};
      return true;
    }
    if (pos_ < src_.size() && src_[pos_] == '.') {
      ++pos_;
      if (pos_ >= src_.size() || !IsDigit(src_[pos_])) {
        err = {t.begin, static_cast<int>(pos_), "小数点后应有数字"};
        return false;
      }
      while (pos_ < src_.size() && IsDigit(src_[pos_])) ++pos_;
    }
    std::string_view digits = src_.substr(start, pos_ - start);
    Result<Decimal> value = Decimal::Parse(digits);
    if (!value.ok()) {
      err = {t.begin, static_cast<int>(pos_),
             fmt::format("数字“{}”无效（最多6位小数，不超过约9.2万亿）", digits)};
      return false;
    }
    Decimal v = *value;
    if (StartsWith(src_, pos_, kWan) || StartsWith(src_, pos_, kYi)) {
      bool wan = StartsWith(src_, pos_, kWan);
      pos_ += 3;
      Result<Decimal> scaled = v.Mul(Decimal::FromInt(wan ? 10000 : 100000000));
      if (!scaled.ok()) {
        err = {t.begin, static_cast<int>(pos_), "数字超出范围"};
        return false;
      }
      v = *scaled;
    }
    t.end = static_cast<int>(pos_);
    if (pos_ < src_.size() && NameCharAt(src_, pos_)) {
      int n = Utf8Len(src_, pos_);
      err = {t.begin, static_cast<int>(pos_) + n,
             fmt::format("数字后不能紧跟“{}”（数字只可带“万”或“亿”，金额单位为元）",
                         src_.substr(pos_, n))};
      return false;
    }
    t.kind = Tok::kNumber;
    t.number = v;
    return true;
  }

  bool Text(Token& t, ParseError& err) {
    bool chinese = !(src_[pos_] == '"');
    pos_ += chinese ? kOpenQuote.size() : 1;
    size_t start = pos_;
    while (pos_ < src_.size()) {
      if (!chinese && src_[pos_] == '"') break;
      if (chinese && StartsWith(src_, pos_, kCloseQuote)) break;
      if (src_[pos_] == '"' || StartsWith(src_, pos_, kOpenQuote) ||
          StartsWith(src_, pos_, kCloseQuote) || src_[pos_] == '\n') {
        break;
      }
      pos_ += Utf8Len(src_, pos_);
    }
    bool closed =
        pos_ < src_.size() && (chinese ? StartsWith(src_, pos_, kCloseQuote) : src_[pos_] == '"');
    if (!closed) {
      err = {t.begin, static_cast<int>(pos_), "引号没有配对（文本应写在一对引号中）"};
      return false;
    }
    t.kind = Tok::kText;
    t.text = std::string(src_.substr(start, pos_ - start));
    pos_ += chinese ? kCloseQuote.size() : 1;
    t.end = static_cast<int>(pos_);
    return true;
  }

  std::string_view src_;
  size_t pos_ = 0;
};

// The deepest tree the parser builds (each grammar level and each operator of a chain counts
// one; a pair of parentheses costs about 8), so that checking, printing and destroying a tree
// never recurse deeper than this. Rules typed by people stay far below it.
constexpr int kMaxDepth = 400;
// The longest rule text accepted.
constexpr size_t kMaxText = 20000;

class Parser {
 public:
  explicit Parser(std::string_view src) : src_(src), lexer_(src) {}

  bool Parse(Expr& out, ParseError& err) {
    if (src_.size() > kMaxText) {
      err = {0, 0, fmt::format("规则过长（最多{}个字节）", kMaxText)};
      return false;
    }
    if (!Advance(err)) return false;
    if (tok_.kind == Tok::kEnd) {
      err = {0, 0, "表达式为空"};
      return false;
    }
    if (!Or(out, err, 0)) return false;
    if (tok_.kind != Tok::kEnd) {
      err = {tok_.begin, tok_.end, fmt::format("“{}”前缺少 and / or 或运算符", TokenText())};
      return false;
    }
    // The parser's own depth checks bound its recursion; this bounds the tree's height
    // exactly (long chains inside parentheses add up), for the recursive checker and printer.
    if (const Expr* deep = TooDeep(out)) {
      err = {deep->begin, deep->end, "表达式嵌套过深"};
      return false;
    }
    return true;
  }

  // A node deeper than kMaxDepth, or nullptr. Iterative.
  static const Expr* TooDeep(const Expr& root) {
    std::vector<std::pair<const Expr*, int>> stack{{&root, 0}};
    while (!stack.empty()) {
      auto [e, d] = stack.back();
      stack.pop_back();
      if (d > kMaxDepth) return e;
      for (const Expr& a : e->args) stack.emplace_back(&a, d + 1);
    }
    return nullptr;
  }

 private:
  std::string TokenText() const {
    return std::string(src_.substr(tok_.begin, tok_.end - tok_.begin));
  }
  bool Advance(ParseError& err) { return lexer_.Next(tok_, err); }
  bool IsSymbol(std::string_view s) const { return tok_.kind == Tok::kSymbol && tok_.text == s; }
  bool IsKeyword(std::string_view k) const {
    if (tok_.kind != Tok::kName) return false;
    std::string lower = tok_.text;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower == k;
  }
  bool Expect(std::string_view s, ParseError& err, std::string_view what) {
    if (!IsSymbol(s)) {
      err = Unexpected(what);
      return false;
    }
    return Advance(err);
  }
  ParseError Unexpected(std::string_view wanted) const {
    if (tok_.kind == Tok::kEnd) {
      return {tok_.begin, tok_.end, fmt::format("表达式不完整，此处缺少{}", wanted)};
    }
    return {tok_.begin, tok_.end, fmt::format("此处应为{}，而不是“{}”", wanted, TokenText())};
  }
  bool Deeper(int depth, ParseError& err) const {
    if (depth <= kMaxDepth) return true;
    err = {tok_.begin, tok_.end, "表达式嵌套过深"};
    return false;
  }

  static Expr Binary(Op op, Expr l, Expr r) {
    Expr e;
    e.kind = ExprKind::kBinary;
    e.op = op;
    e.begin = l.begin;
    e.end = r.end;
    e.args.push_back(std::move(l));
    e.args.push_back(std::move(r));
    return e;
  }

  bool Or(Expr& out, ParseError& err, int depth) {
    if (!Deeper(depth, err) || !And(out, err, depth + 1)) return false;
    int chain = 0;
    while (IsKeyword("or") || IsSymbol("||")) {
      if (!Deeper(depth + ++chain, err) || !Advance(err)) return false;
      Expr r;
      if (!And(r, err, depth + chain + 1)) return false;
      out = Binary(Op::kOr, std::move(out), std::move(r));
    }
    return true;
  }
  bool And(Expr& out, ParseError& err, int depth) {
    if (!Deeper(depth, err) || !Not(out, err, depth + 1)) return false;
    int chain = 0;
    while (IsKeyword("and") || IsSymbol("&&")) {
      if (!Deeper(depth + ++chain, err) || !Advance(err)) return false;
      Expr r;
      if (!Not(r, err, depth + chain + 1)) return false;
      out = Binary(Op::kAnd, std::move(out), std::move(r));
    }
    return true;
  }
  bool Not(Expr& out, ParseError& err, int depth) {
    if (!Deeper(depth, err)) return false;
    if (IsKeyword("not") || IsSymbol("!")) {
      int begin = tok_.begin;
      if (!Advance(err)) return false;
      Expr inner;
      if (!Not(inner, err, depth + 1)) return false;
      out = Expr();
      out.kind = ExprKind::kUnary;
      out.op = Op::kNot;
      out.begin = begin;
      out.end = inner.end;
      out.args.push_back(std::move(inner));
      return true;
    }
    return Comparison(out, err, depth + 1);
  }
  bool Comparison(Expr& out, ParseError& err, int depth) {
    if (!Deeper(depth, err) || !Sum(out, err, depth + 1)) return false;
    Op op = Op::kNone;
    if (IsSymbol("=") || IsSymbol("=="))
      op = Op::kEq;
    else if (IsSymbol("!="))
      op = Op::kNe;
    else if (IsSymbol("<"))
      op = Op::kLt;
    else if (IsSymbol("<="))
      op = Op::kLe;
    else if (IsSymbol(">"))
      op = Op::kGt;
    else if (IsSymbol(">="))
      op = Op::kGe;
    else if (IsKeyword("in"))
      op = Op::kIn;
    if (op == Op::kNone) return true;
    if (!Advance(err)) return false;
    Expr r;
    if (!Sum(r, err, depth + 1)) return false;
    out = Binary(op, std::move(out), std::move(r));
    if (IsSymbol("=") || IsSymbol("==") || IsSymbol("!=") || IsSymbol("<") || IsSymbol("<=") ||
        IsSymbol(">") || IsSymbol(">=") || IsKeyword("in")) {
      err = {tok_.begin, tok_.end, "比较不能连写（如 a < b < c），请用 and 连接两个比较"};
      return false;
    }
    return true;
  }
  bool Sum(Expr& out, ParseError& err, int depth) {
    if (!Deeper(depth, err) || !Product(out, err, depth + 1)) return false;
    int chain = 0;
    while (IsSymbol("+") || IsSymbol("-")) {
      Op op = IsSymbol("+") ? Op::kAdd : Op::kSub;
      if (!Deeper(depth + ++chain, err) || !Advance(err)) return false;
      Expr r;
      if (!Product(r, err, depth + chain + 1)) return false;
      out = Binary(op, std::move(out), std::move(r));
    }
    return true;
  }
  bool Product(Expr& out, ParseError& err, int depth) {
    if (!Deeper(depth, err) || !Unary(out, err, depth + 1)) return false;
    int chain = 0;
    while (IsSymbol("*") || IsSymbol("/")) {
      Op op = IsSymbol("*") ? Op::kMul : Op::kDiv;
      if (!Deeper(depth + ++chain, err) || !Advance(err)) return false;
      Expr r;
      if (!Unary(r, err, depth + chain + 1)) return false;
      out = Binary(op, std::move(out), std::move(r));
    }
    return true;
  }
  bool Unary(Expr& out, ParseError& err, int depth) {
    if (!Deeper(depth, err)) return false;
    if (IsSymbol("-")) {
      int begin = tok_.begin;
      if (!Advance(err)) return false;
      Expr inner;
      if (!Unary(inner, err, depth + 1)) return false;
      out = Expr();
      out.kind = ExprKind::kUnary;
      out.op = Op::kNeg;
      out.begin = begin;
      out.end = inner.end;
      out.args.push_back(std::move(inner));
      return true;
    }
    return Primary(out, err, depth + 1);
  }

  bool Primary(Expr& out, ParseError& err, int depth) {
    if (!Deeper(depth, err)) return false;
    out = Expr();
    out.begin = tok_.begin;
    out.end = tok_.end;
    switch (tok_.kind) {
      case Tok::kNumber:
        out.kind = ExprKind::kNumber;
        out.number = tok_.number;
        return Advance(err);
      case Tok::kText:
        out.kind = ExprKind::kText;
        out.text = tok_.text;
        return Advance(err);
      case Tok::kDate:
        out.kind = ExprKind::kDate;
        out.date = tok_.date;
        return Advance(err);
      case Tok::kName:
        return Name(out, err, depth);
      case Tok::kEnd:
        err = Unexpected("一个值（属性、数字、文本或括号）");
        return false;
      case Tok::kSymbol:
        break;
    }
    if (IsSymbol("(")) {
      int begin = tok_.begin;
      if (!Advance(err)) return false;
      if (!Or(out, err, depth + 1)) return false;
      if (!IsSymbol(")")) {
        err = Unexpected("右括号“)”");
        return false;
      }
      out.begin = begin;
      out.end = tok_.end;
      return Advance(err);
    }
    if (IsSymbol("[")) {
      out.kind = ExprKind::kList;
      if (!Advance(err)) return false;
      if (!IsSymbol("]")) {
        for (;;) {
          Expr item;
          if (!Or(item, err, depth + 1)) return false;
          out.args.push_back(std::move(item));
          if (IsSymbol(",")) {
            if (!Advance(err)) return false;
            continue;
          }
          if (!IsSymbol("]")) {
            err = Unexpected("逗号“,”或右方括号“]”");
            return false;
          }
          break;
        }
      }
      out.end = tok_.end;
      return Advance(err);
    }
    err = Unexpected("一个值（属性、数字、文本或括号）");
    return false;
  }

  bool Name(Expr& out, ParseError& err, int depth) {
    std::string name = tok_.text;
    int begin = tok_.begin;
    int end = tok_.end;
    for (std::string_view k : {"and", "or", "not", "in"}) {
      if (IsKeyword(k)) {
        err = Unexpected("一个值（属性、数字、文本或括号）");
        return false;
      }
    }
    if (!Advance(err)) return false;
    if (IsSymbol("(")) {
      const char* fn = Lookup(kFunctionNames, std::size(kFunctionNames), name);
      if (fn == nullptr) {
        err = {begin, end, fmt::format("未知函数“{}”（可用：growth、min、max、tiers、if）", name)};
        return false;
      }
      out.kind = ExprKind::kCall;
      out.text = fn;
      if (!Advance(err)) return false;
      if (!IsSymbol(")")) {
        for (;;) {
          Expr arg;
          if (!Or(arg, err, depth + 1)) return false;
          out.args.push_back(std::move(arg));
          if (IsSymbol(",")) {
            if (!Advance(err)) return false;
            continue;
          }
          if (!IsSymbol(")")) {
            err = Unexpected("逗号“,”或右括号“)”");
            return false;
          }
          break;
        }
      }
      out.end = tok_.end;
      return Advance(err);
    }
    if (const char* fig = Lookup(kFigureNames, std::size(kFigureNames), name)) {
      out.kind = ExprKind::kFigure;
      out.text = fig;
      if (IsSymbol("[")) {
        if (!Advance(err)) return false;
        if (tok_.kind != Tok::kNumber || tok_.number.raw() % Decimal::kOne != 0) {
          err = Unexpected("年份（如 2024）");
          return false;
        }
        int64_t y = tok_.number.raw() / Decimal::kOne;
        out.year = y > 9999 ? 9999 : static_cast<int>(y);
        if (out.year == 0) out.year = -1;  // never the base-year marker; the checker refuses it
        if (!Advance(err)) return false;
        if (!IsSymbol("]")) {
          err = Unexpected("右方括号“]”");
          return false;
        }
        out.end = tok_.end;
        return Advance(err);
      }
      return true;
    }
    if (const char* attr = Lookup(kAttributeNames, std::size(kAttributeNames), name)) {
      out.kind = ExprKind::kAttribute;
      out.text = attr;
      if (IsSymbol("[")) {
        err = {tok_.begin, tok_.end, fmt::format("“{}”不是年度数据，不能带年份", name)};
        return false;
      }
      return true;
    }
    std::string hint = Suggest(name);
    err = {begin, end,
           hint.empty() ? fmt::format("未知属性“{}”（可用：industry、scale、certifications、unit、"
                                      "founded、revenue、tax_paid、rd_spending、employees）",
                                      name)
                        : fmt::format("未知属性“{}”，是否为“{}”？", name, hint)};
    return false;
  }

  std::string_view src_;
  Lexer lexer_;
  Token tok_;
};

// Printing precedence: or 1, and 2, not 3, comparison 4, + - 5, * / 6, unary - 7, primary 8.
int Precedence(const Expr& e) {
  if (e.kind == ExprKind::kUnary) return e.op == Op::kNot ? 3 : 7;
  if (e.kind != ExprKind::kBinary) return 8;
  switch (e.op) {
    case Op::kOr:
      return 1;
    case Op::kAnd:
      return 2;
    case Op::kAdd:
    case Op::kSub:
      return 5;
    case Op::kMul:
    case Op::kDiv:
      return 6;
    default:
      return 4;
  }
}

void PrintTo(const Expr& e, std::string& out);

void PrintChild(const Expr& e, int min_prec, std::string& out) {
  if (Precedence(e) < min_prec) {
    out += '(';
    PrintTo(e, out);
    out += ')';
  } else {
    PrintTo(e, out);
  }
}

void PrintTo(const Expr& e, std::string& out) {
  switch (e.kind) {
    case ExprKind::kNumber:
      out += e.number.ToString();
      return;
    case ExprKind::kText:
      out += '"';
      out += e.text;
      out += '"';
      return;
    case ExprKind::kDate:
      out += fmt::format("{:04d}-{:02d}-{:02d}", e.date.year, e.date.month, e.date.day);
      return;
    case ExprKind::kList:
    case ExprKind::kCall:
      if (e.kind == ExprKind::kCall) out += e.text;
      out += e.kind == ExprKind::kCall ? '(' : '[';
      for (size_t i = 0; i < e.args.size(); ++i) {
        if (i > 0) out += ", ";
        PrintTo(e.args[i], out);
      }
      out += e.kind == ExprKind::kCall ? ')' : ']';
      return;
    case ExprKind::kAttribute:
      out += e.text;
      return;
    case ExprKind::kFigure:
      out += e.text;
      if (e.year != 0) out += fmt::format("[{}]", e.year);
      return;
    case ExprKind::kUnary:
      out += e.op == Op::kNot ? "not " : "-";
      PrintChild(e.args[0], e.op == Op::kNot ? 3 : 7, out);
      return;
    case ExprKind::kBinary: {
      int p = Precedence(e);
      // Left-associative: the left operand may share the level, the right may not;
      // comparisons do not chain, so both sides must bind tighter.
      PrintChild(e.args[0], p == 4 ? 5 : p, out);
      out += ' ';
      out += OpText(e.op);
      out += ' ';
      PrintChild(e.args[1], p + 1, out);
      return;
    }
  }
}

}  // namespace

const char* OpText(Op op) {
  switch (op) {
    case Op::kOr:
      return "or";
    case Op::kAnd:
      return "and";
    case Op::kNot:
      return "not";
    case Op::kEq:
      return "=";
    case Op::kNe:
      return "!=";
    case Op::kLt:
      return "<";
    case Op::kLe:
      return "<=";
    case Op::kGt:
      return ">";
    case Op::kGe:
      return ">=";
    case Op::kIn:
      return "in";
    case Op::kAdd:
      return "+";
    case Op::kSub:
    case Op::kNeg:
      return "-";
    case Op::kMul:
      return "*";
    case Op::kDiv:
      return "/";
    case Op::kNone:
      return "?";
  }
  return "?";
}

bool ValidDate(int y, int m, int d) {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int max = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  return d <= max;
}

bool Parse(std::string_view text, Expr& out, ParseError& err) {
  Parser p(text);
  return p.Parse(out, err);
}

std::string Positioned(std::string_view text, int offset, std::string_view message) {
  TextPos p = PositionOf(text, offset);
  return fmt::format("第{}行第{}列：{}", p.line, p.column, message);
}

}  // namespace internal

TextPos PositionOf(std::string_view text, int byte_offset) {
  TextPos p;
  size_t end = std::min(text.size(), static_cast<size_t>(std::max(byte_offset, 0)));
  for (size_t i = 0; i < end; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++p.line;
      p.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++p.column;
    }
  }
  return p;
}

Result<Expr> ParseExpression(std::string_view text) {
  Expr e;
  internal::ParseError err;
  if (!internal::Parse(text, e, err)) {
    return InvalidArgument(internal::Positioned(text, err.begin, err.message));
  }
  return e;
}

std::string Print(const Expr& e) {
  std::string out;
  internal::PrintTo(e, out);
  return out;
}

bool SameTree(const Expr& a, const Expr& b) {
  if (a.kind != b.kind || a.op != b.op || a.text != b.text || a.number != b.number ||
      a.date.year != b.date.year || a.date.month != b.date.month || a.date.day != b.date.day ||
      a.year != b.year || a.args.size() != b.args.size()) {
    return false;
  }
  for (size_t i = 0; i < a.args.size(); ++i) {
    if (!SameTree(a.args[i], b.args[i])) return false;
  }
  return true;
}

}  // namespace tiaodu::benefits
