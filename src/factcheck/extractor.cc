#include "factcheck/extractor.h"

#include <algorithm>
#include <array>
#include <map>
#include <unordered_map>

#include "factcheck/numbers.h"

namespace tiaodu::factcheck {

// ---- Catalog ----

Catalog::Catalog(std::vector<CatalogEntry> entries) : entries_(std::move(entries)) {
  for (size_t e = 0; e < entries_.size(); ++e) {
    std::vector<std::string> names = entries_[e].aliases;
    names.push_back(entries_[e].name);
    for (const std::string& n : names) {
      if (n.empty()) continue;
      size_t len = 0;
      const char32_t c = DecodeAt(n, 0, &len);
      auto& list = by_first_char_[c];
      bool dup = false;
      for (const auto& [have, idx] : list) dup = dup || have == n;
      if (!dup) list.emplace_back(n, static_cast<int>(e));
      if (c < first_.size()) first_.set(c);
    }
  }
  for (auto& [c, list] : by_first_char_)
    std::stable_sort(list.begin(), list.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

std::optional<Catalog::Match> Catalog::MatchAt(std::string_view s, size_t i) const {
  if (i >= s.size()) return std::nullopt;
  size_t len = 0;
  return MatchAt(s, i, DecodeAt(s, i, &len));
}

std::optional<Catalog::Match> Catalog::MatchAt(std::string_view s, size_t i, char32_t c) const {
  if (i >= s.size()) return std::nullopt;
  if (c < first_.size() && !first_.test(c)) return std::nullopt;
  auto it = by_first_char_.find(c);
  if (it == by_first_char_.end()) return std::nullopt;
  for (const auto& [name, idx] : it->second) {
    if (s.size() - i >= name.size() && s.compare(i, name.size(), name) == 0) {
      // An ASCII alias ("GDP") must not be part of a longer ASCII word.
      if (static_cast<unsigned char>(name.back()) < 0x80 && i + name.size() < s.size() &&
          std::isalnum(static_cast<unsigned char>(s[i + name.size()])))
        continue;
      return Match{idx, name.size()};
    }
  }
  return std::nullopt;
}

const CatalogEntry* Catalog::Find(std::string_view code) const {
  for (const CatalogEntry& e : entries_)
    if (e.code == code) return &e;
  return nullptr;
}

namespace {

bool At(std::string_view s, size_t i, std::string_view w) {
  return i <= s.size() && s.size() - i >= w.size() && s.compare(i, w.size(), w) == 0;
}

// Whether s[lo, e) ends with w.
bool EndsAt(std::string_view s, size_t lo, size_t e, std::string_view w) {
  return e >= lo + w.size() && s.compare(e - w.size(), w.size(), w) == 0;
}

// A set of words looked up by their first character: which word, if any, starts at s[i].
class WordIndex {
 public:
  WordIndex(std::initializer_list<std::string_view> words) {
    for (std::string_view w : words) {
      size_t len = 0;
      const char32_t c = DecodeAt(w, 0, &len);
      by_first_[c].push_back(w);
      if (c < first_.size()) first_.set(c);
    }
  }
  // The first listed word that starts at s[i], whose first character is c; empty if none.
  std::string_view At(std::string_view s, size_t i, char32_t c) const {
    if (c < first_.size() && !first_.test(c)) return {};
    auto it = by_first_.find(c);
    if (it == by_first_.end()) return {};
    for (std::string_view w : it->second)
      if (tiaodu::factcheck::At(s, i, w)) return w;
    return {};
  }

 private:
  std::unordered_map<char32_t, std::vector<std::string_view>> by_first_;
  std::bitset<65536> first_;
};

// Removes any of `words` from the end of s[lo, e) repeatedly; returns the new end.
size_t StripEnd(std::string_view s, size_t lo, size_t e,
                std::initializer_list<std::string_view> words) {
  bool again = true;
  while (again) {
    again = false;
    while (e > lo && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
    for (std::string_view w : words) {
      if (EndsAt(s, lo, e, w)) {
        e -= w.size();
        again = true;
        break;
      }
    }
  }
  return e;
}

// Removes any of `words` from the start of s[b, e) repeatedly; returns the new start.
size_t StripStart(std::string_view s, size_t b, size_t e,
                  std::initializer_list<std::string_view> words) {
  bool again = true;
  while (again && b < e) {
    again = false;
    while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
    for (std::string_view w : words) {
      if (e - b >= w.size() && s.compare(b, w.size(), w) == 0) {
        b += w.size();
        again = true;
        break;
      }
    }
    // A year or a month span: "2023年", "1-6月", "6月份".
    size_t k = b;
    while (k < e && std::isdigit(static_cast<unsigned char>(s[k]))) ++k;
    if (k > b) {
      size_t j = k;
      if (j < e && (s[j] == '-' || s[j] == '~')) {
        ++j;
        while (j < e && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      }
      for (std::string_view w :
           {std::string_view("年"), std::string_view("月份"), std::string_view("月")}) {
        if (At(s, j, w) && j + w.size() <= e) {
          b = j + w.size();
          again = true;
          break;
        }
      }
    }
  }
  return b;
}

// Words that scope a statement to the document's own region or period, and filler verbs: what
// may stand before an indicator's name in a headline statement, or around a value.
const std::initializer_list<std::string_view> kScopeWords = {
    "全区",   "全市",     "全县",     "全省",     "全镇",     "全乡",   "全旗",   "全州",
    "我区",   "我市",     "我县",     "我镇",     "本区",     "本市",   "本县",   "全年",
    "今年",   "去年",     "上年",     "其中",     "累计",     "一季度", "二季度", "三季度",
    "四季度", "第一季度", "第二季度", "第三季度", "第四季度", "上半年", "下半年", "前三季度",
    "年内",   "当年",     "完成",     "实现",     "以来",     "，",     ",",      "、",
    "：",     ":",        "“",        "”",        "的",       "　"};

const std::initializer_list<std::string_view> kFillerEnd = {
    "完成", "实现", "达到",   "达",   "为",   "是",     "有",     "累计",   "共",     "约",
    "近",   "分别", "突破",   "超过", "逾",   "增至",   "增加到", "提高到", "不低于", "不少于",
    "至少", "力争", "确保",   "争取", "预计", "要",     "总额",   "了",     "，",     ",",
    "、",   "：",   ":",      "“",    "”",    "的",     "和",     "及",     "与",     "全年",
    "年内", "其中", "再谋划", "谋划", "新增", "新培育", "培育",   "招引",   "引进"};

// Words stripped from the start of a label: plan words and verbs of effort.
const std::initializer_list<std::string_view> kLabelStart = {
    "要",   "力争", "确保", "争取", "预计", "尤其要", "加快推进", "加快", "全力", "实现",
    "持续", "推进", "着力", "累计", "共",   "为",     "对",       "在",   "除已", "除"};

// Growth words and comparisons stripped from the end of a growth's label.
const std::initializer_list<std::string_view> kGrowthWords = {
    "同比增长", "比上年增长", "增长",   "增速",   "提高", "提升", "上升", "增加", "回升", "攀升",
    "增幅",     "增",         "下降",   "减少",   "降低", "回落", "下滑", "收窄", "下跌", "降幅",
    "降",       "同比",       "比上年", "较上年", "分别", "均",   "了",   "为",   "达"};

// Target markers: what makes the rest of a sentence a plan rather than a result.
bool TargetMarkerAt(std::string_view s, size_t i, char32_t c, size_t sentence_begin) {
  static constexpr std::u32string_view kFirst = U"力确目预争拟至不计要保";
  if (kFirst.find(c) == std::u32string_view::npos) return false;
  static constexpr std::string_view kMarkers[] = {
      "力争", "确保", "目标", "预计", "争取", "力求", "预期", "拟", "至少要", "不低于", "计划到"};
  for (std::string_view m : kMarkers)
    if (At(s, i, m)) return true;
  if (At(s, i, "计划")) {
    // 计划 as a verb or a plan figure (计划投资, 计划完成), not a programme's name (…培育计划，)
    // nor a completion (完成年度计划的…).
    size_t n = i + std::string_view("计划").size();
    if (n >= s.size()) return false;
    size_t len = 0;
    char32_t c = DecodeAt(s, n, &len);
    return IsHan(c) && c != U'的' && c != U'书' && c != U'单' && c != U'生';
  }
  if (At(s, i, "要")) {
    char32_t p = PrevChar(s, i);
    size_t len = 0;
    char32_t n = i + 3 < s.size() ? DecodeAt(s, i + 3, &len) : 0;
    static constexpr std::u32string_view kBefore = U"主重需只必纲摘概首要紧扼想";
    static constexpr std::u32string_view kAfter = U"素求点是闻害件务领员";
    return kBefore.find(p) == std::u32string_view::npos &&
           kAfter.find(n) == std::u32string_view::npos;
  }
  // 保8争9: a growth band.
  if (At(s, i, "保") && i + 3 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 3])))
    return true;
  return false;
}

// Whether a figure in `unit` can be a value of an indicator kept in `catalog_unit`: the same
// unit, units that convert (万元 and 元), or counts (个 and 家 both count enterprises).
bool UnitsFit(const std::string& catalog_unit, const std::string& unit) {
  if (catalog_unit.empty() || catalog_unit == unit) return true;
  if (IsCountUnit(catalog_unit) && IsCountUnit(unit)) return true;
  return ConvertUnits(Decimal::FromInt(1), unit, catalog_unit).has_value();
}

bool IsSentenceEnd(char32_t c) {
  return c == U'。' || c == U'！' || c == U'？' || c == U'；' || c == U'!' || c == U'?' ||
         c == U';' || c == U'\n';
}

// Clause separators inside a sentence (the ASCII comma only when not a thousands separator).
bool IsClauseSep(std::string_view s, size_t i, char32_t c) {
  if (c == U'，' || c == U'：' || c == U'（' || c == U'）' || c == U'(' || c == U')') return true;
  if (c == U',' || c == U':') {
    bool digit_before = i > 0 && std::isdigit(static_cast<unsigned char>(s[i - 1]));
    bool digit_after = i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]));
    return !(digit_before && digit_after);
  }
  return false;
}

}  // namespace

// ---- Lines ----

LineKind ClassifyLine(std::string_view line) {
  size_t han = 0, ascii_alpha = 0, chars = 0, punct = 0;
  for (size_t i = 0; i < line.size();) {
    size_t len = 0;
    char32_t c = DecodeAt(line, i, &len);
    ++chars;
    if (IsHan(c)) ++han;
    if (c < 0x80 && std::isalpha(static_cast<int>(c))) ++ascii_alpha;
    if (c == U'。' || c == U'，' || c == U'；' || c == U'！' || c == U'？' || c == U'、' ||
        (c == U',' &&
         !(i > 0 && i + 1 < line.size() && std::isdigit(static_cast<unsigned char>(line[i - 1])) &&
           std::isdigit(static_cast<unsigned char>(line[i + 1])))))
      ++punct;
    i += len;
  }
  if (han == 0) return ascii_alpha > 0 ? LineKind::kNoise : LineKind::kHeading;
  // Links and paths, server warnings (mostly ASCII words), breadcrumbs; site chrome: copyright
  // and disclaimer lines, ads, "share to", page counters, bylines. One pass over the line.
  static const WordIndex kLinky = {"://", "www.", ".html", ".htm", ".shtml", ".php", ".asp", ".jsp",
                                   " > ", "＞",   ">>",    "»",    " | ",    "｜",   "@"};
  static const WordIndex kChrome = {
      "版权所有", "Copyright", "copyright", "©",        "ICP备",    "备案号",   "公网安备",
      "本站",     "转载",      "侵权",      "免责声明", "网站地图", "联系我们", "关于我们",
      "扫一扫",   "扫码",      "二维码",    "分享到",   "上一篇",   "下一篇",   "相关阅读",
      "推荐阅读", "热点推荐",  "责任编辑",  "打印本页", "关闭窗口", "浏览次数", "阅读次数",
      "点击量",   "广告",      "立即咨询",  "免费领取", "点击进入", "点击查看", "验证码",
      "条评论",   "留言",      "登录",      "注册",     "首页",     "字号",     "来源：",
      "来源:",    "发布时间",  "作者：",    "限时",     "优惠券",   "抢购",     "特价",
      "秒杀",     "包邮",      "咨询热线",  "加盟",     "下单",     "折扣",     "热门"};
  std::string_view seen[2];
  int chrome = 0;
  for (size_t i = 0; i < line.size();) {
    size_t len = 0;
    const char32_t c = DecodeAt(line, i, &len);
    if (!kLinky.At(line, i, c).empty()) return LineKind::kNoise;
    std::string_view w = kChrome.At(line, i, c);
    if (!w.empty() && chrome < 2 && (chrome == 0 || seen[0] != w)) seen[chrome++] = w;
    i += len;
  }
  if (ascii_alpha * 2 > chars) return LineKind::kNoise;
  if (chrome >= 2 || (chrome >= 1 && punct == 0)) return LineKind::kNoise;
  if (punct == 0) return chars <= 60 ? LineKind::kHeading : LineKind::kNoise;
  return LineKind::kContent;
}

namespace {

// One clause of a sentence.
struct Clause {
  size_t b, e;
};

// An alias found in a sentence.
struct AliasHit {
  size_t b, e;
  int entry;
};

struct TimeTag {
  std::string year;  // "2023"
  int month = 0;     // the last month of a cumulative span (1-6月 → 6), 0 if none
  std::string sub;   // the span as written ("1-6月", "上半年")
};

// The time a sentence speaks of: its first year and cumulative span.
TimeTag ReadTime(std::string_view s, size_t b, size_t e) {
  TimeTag t;
  for (size_t i = b; i < e; ++i) {
    if (t.year.empty() && i + 4 < e + 1 && std::isdigit(static_cast<unsigned char>(s[i])) &&
        (i == b || !std::isdigit(static_cast<unsigned char>(s[i - 1])))) {
      size_t k = i;
      while (k < e && std::isdigit(static_cast<unsigned char>(s[k]))) ++k;
      if (k - i == 4 && At(s, k, "年") && (s[i] == '1' || s[i] == '2')) {
        t.year = std::string(s.substr(i, 4));
        // 2024年6月 (a month, not the date 2024年3月6日)
        size_t m = k + 3, me = m;
        while (me < e && std::isdigit(static_cast<unsigned char>(s[me]))) ++me;
        if (me > m && me - m <= 2 && At(s, me, "月") && t.sub.empty()) {
          size_t d = me + 3;
          while (d < e && std::isdigit(static_cast<unsigned char>(s[d]))) ++d;
          if (!(d > me + 3 && (At(s, d, "日") || At(s, d, "号")))) {
            t.month = std::stoi(std::string(s.substr(m, me - m)));
            t.sub = std::string(s.substr(m, me + 3 - m));
          }
        }
      }
      if (t.sub.empty() && k - i <= 2 && k < e) {
        // 1-6月, 1—6月, 1至6月
        size_t j = k;
        for (std::string_view dash :
             {std::string_view("-"), std::string_view("—"), std::string_view("~"),
              std::string_view("～"), std::string_view("至")}) {
          if (At(s, j, dash)) {
            j += dash.size();
            size_t m = j;
            while (m < e && std::isdigit(static_cast<unsigned char>(s[m]))) ++m;
            if (m > j && m - j <= 2 && At(s, m, "月")) {
              t.month = std::stoi(std::string(s.substr(j, m - j)));
              t.sub = std::string(s.substr(i, m + 3 - i));
            }
            break;
          }
        }
      }
    }
  }
  if (t.sub.empty()) {
    static constexpr std::pair<std::string_view, int> kSpans[] = {
        {"前三季度", 9}, {"一季度", 3}, {"第一季度", 3}, {"上半年", 6},
        {"二季度", 6},   {"三季度", 9}, {"四季度", 12},  {"全年", 12}};
    static const WordIndex kSpanWords = {"前三季度", "一季度", "第一季度", "上半年",
                                         "二季度",   "三季度", "四季度",   "全年"};
    unsigned seen = 0;  // bit i: kSpans[i] occurs
    for (size_t i = b; i < e;) {
      size_t len = 0;
      const char32_t c = DecodeAt(s, i, &len);
      std::string_view w = kSpanWords.At(s, i, c);
      if (!w.empty())
        for (size_t k = 0; k < std::size(kSpans); ++k)
          if (kSpans[k].first == w) seen |= 1u << k;
      // 第一季度 also holds 一季度; 前三季度 also 三季度: the list order decides.
      i += len;
    }
    for (size_t k = 0; k < std::size(kSpans); ++k) {
      if (seen & (1u << k)) {
        t.sub = std::string(kSpans[k].first);
        t.month = kSpans[k].second;
        break;
      }
    }
  }
  if (t.month < 0 || t.month > 12) t.month = 0;
  return t;
}

// Reads one document.
class Reader {
 public:
  Reader(std::string_view text, const Catalog& catalog) : s_(text), catalog_(catalog) {}

  Document Run(const ExtractOptions& options);

 private:
  void Sentence(size_t b, size_t e);
  void RegionCandidates(size_t b, size_t e);
  // A title line: its time counts double, and a place name at its start is a region.
  void Title(size_t b, size_t e);
  std::string PickRegion() const;
  std::string PickPeriod() const;

  // The label of a figure from the text before it: the words since the last separator,
  // stripped of filler, at most 12 characters.
  std::string LabelBefore(size_t lo, size_t p) const;
  bool OnlyFiller(size_t lo, size_t p) const;

  std::string_view s_;
  const Catalog& catalog_;
  Document doc_;
  int sentence_index_ = 0;
  // The paragraph (line) being read turned to plans: a sentence opened with 要, 下一步 or 明年
  // ("要重点办好两件实事：…") makes the rest of its paragraph targets.
  bool paragraph_plan_ = false;
  int clause_index_ = 0;
  std::map<std::string, int> years_;
  std::map<int, int> months_;
  std::map<std::string, std::pair<int, size_t>> regions_;  // name → (count, first offset)
  std::map<std::string, std::pair<int, size_t>> cities_;
};

bool Reader::OnlyFiller(size_t lo, size_t p) const {
  size_t e = StripEnd(s_, lo, p, kFillerEnd);
  size_t b = StripStart(s_, lo, e, kScopeWords);
  e = StripEnd(s_, b, e, kFillerEnd);
  return b >= e;
}

std::string Reader::LabelBefore(size_t lo, size_t p) const {
  size_t e = StripEnd(s_, lo, p, kFillerEnd);
  size_t b = lo;
  // From the last separator.
  for (size_t i = lo; i < e;) {
    size_t len = 0;
    char32_t c = DecodeAt(s_, i, &len);
    if (c == U'、' || c == U'，' || c == U',' || c == U'：' || c == U'“' || c == U'”' || c == U'"')
      b = i + len;
    i += len;
  }
  b = StripStart(s_, b, e, kScopeWords);
  b = StripStart(s_, b, e, kLabelStart);
  // 较2023年 (a comparison) ends a growth's label.
  for (size_t cmp = s_.substr(b, e - b).rfind("较"); cmp != std::string_view::npos;) {
    size_t at = b + cmp;
    size_t k = at + 3;
    while (k < e && std::isdigit(static_cast<unsigned char>(s_[k]))) ++k;
    if (k > at + 3 && At(s_, k, "年")) e = at;
    break;
  }
  // At most 12 characters, counted from the end.
  size_t start = e;
  int n = 0;
  while (start > b && n < 12) {
    start = PrevStart(s_, start);
    ++n;
  }
  if (start < b) start = b;
  return std::string(s_.substr(start, e - start));
}

void Reader::RegionCandidates(size_t b, size_t e) {
  static constexpr std::string_view kLongSuffix[] = {"示范区", "开发区", "高新区", "新区",
                                                     "经开区", "自治县", "自治州"};
  static constexpr std::u32string_view kShortSuffix = U"区县市旗镇乡州";
  static constexpr std::u32string_view kStop =
      U"是的在了和与对向为由到从将据经自进走欢全我本该各各城辖园";
  static constexpr std::u32string_view kStopLong = U"是的在了和与对向为由到从将据经自进走欢";
  static const WordIndex kOrganIndex = {"人民政府", "政府",       "党工委", "管委会",
                                        "党委",     "人大常委会", "统计局", "发展和改革委员会",
                                        "发改委"};
  auto candidate = [&](size_t at, std::string_view organ) {
    if (at == b) return;
    std::string name;
    bool city = false;
    bool sub_of_city = false;
    const std::string_view* long_suffix = nullptr;
    for (const std::string_view& ls : kLongSuffix)
      if (EndsAt(s_, b, at, ls)) long_suffix = &ls;
    if (long_suffix) {
      size_t spec_end = at - long_suffix->size();
      size_t k = spec_end;
      int n = 0;
      while (k > b && n < 6) {
        char32_t c = PrevChar(s_, k);
        if (!IsHan(c) || kStopLong.find(c) != std::u32string_view::npos || c == U'市' ||
            c == U'县' || c == U'区')
          break;
        k = PrevStart(s_, k);
        ++n;
      }
      if (n == 0) return;
      name = std::string(s_.substr(k, at - k));
      char32_t before = PrevChar(s_, k);
      if (before == U'市' || before == U'县' || before == U'区') {
        size_t pk = PrevStart(s_, k);
        // The parent's own name: two characters before its suffix.
        size_t q = pk;
        int m = 0;
        while (q > b && m < 2 && IsHan(PrevChar(s_, q)) &&
               kStop.find(PrevChar(s_, q)) == std::u32string_view::npos) {
          q = PrevStart(s_, q);
          ++m;
        }
        if (m == 2)
          name = std::string(s_.substr(q, at - q));
        else
          sub_of_city = before == U'市';
      }
    } else {
      char32_t suffix = PrevChar(s_, at);
      if (kShortSuffix.find(suffix) == std::u32string_view::npos) return;
      size_t k = PrevStart(s_, at);
      int n = 0;
      while (k > b && n < 2 && IsHan(PrevChar(s_, k)) &&
             kStop.find(PrevChar(s_, k)) == std::u32string_view::npos) {
        k = PrevStart(s_, k);
        ++n;
      }
      if (n < 2) return;
      name = std::string(s_.substr(k, at - k));
      city = suffix == U'市';
    }
    if (sub_of_city) name = "\x01" + name;  // completed with the city in PickRegion
    auto& slot = (city ? cities_ : regions_)[name];
    if (slot.first == 0) slot.second = at;
    ++slot.first;
  };
  for (size_t at = b; at < e;) {
    size_t len = 0;
    const char32_t c = DecodeAt(s_, at, &len);
    std::string_view organ = kOrganIndex.At(s_, at, c);
    if (organ.empty() || at + organ.size() > e) {
      at += len;
      continue;
    }
    candidate(at, organ);
    at += organ.size();
  }
}

void Reader::Title(size_t b, size_t e) {
  TimeTag t = ReadTime(s_, b, e);
  if (!t.year.empty()) years_[t.year] += 2;
  if (t.month > 0) months_[t.month] += 2;
  // Skip a leading year and period ("2024年前三季度宛城区…").
  size_t k = StripStart(s_, b, e, {"前三季度", "一季度", "上半年", "第一季度", "全年", " ", "　"});
  static constexpr std::u32string_view kSuffix = U"区县市旗镇乡";
  static constexpr std::u32string_view kStop = U"是的在了和与对向为由到从将据经自我全本该各";
  size_t q = k;
  for (int n = 0; n < 4 && q < e; ++n) {
    size_t len = 0;
    char32_t c = DecodeAt(s_, q, &len);
    if (!IsHan(c) || (n == 0 && kStop.find(c) != std::u32string_view::npos)) return;
    if (n >= 2 && kSuffix.find(c) != std::u32string_view::npos) {
      std::string name(s_.substr(k, q + len - k));
      auto& slot = (c == U'市' ? cities_ : regions_)[name];
      if (slot.first == 0) slot.second = k;
      ++slot.first;
      return;
    }
    q += len;
  }
}

std::string Reader::PickRegion() const {
  auto best = [](const std::map<std::string, std::pair<int, size_t>>& m) {
    const std::pair<const std::string, std::pair<int, size_t>>* pick = nullptr;
    for (const auto& kv : m)
      if (!pick || kv.second.first > pick->second.first ||
          (kv.second.first == pick->second.first && kv.second.second < pick->second.second))
        pick = &kv;
    return pick;
  };
  auto region = best(regions_);
  auto city = best(cities_);
  if (region && (!city || region->second.first >= city->second.first)) {
    std::string name = region->first;
    if (!name.empty() && name[0] == '\x01')
      name = (city ? city->first : std::string("市")) + name.substr(1);
    return name;
  }
  return city ? city->first : "";
}

std::string Reader::PickPeriod() const {
  std::string year;
  int count = 0;
  for (const auto& [y, n] : years_)
    if (n > count) {
      year = y;
      count = n;
    }
  if (year.empty()) return "";
  int month = 0;
  int mcount = 0;
  for (const auto& [m, n] : months_)
    if (n > mcount) {
      month = m;
      mcount = n;
    }
  if (month > 0 && month < 12) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "-%02d", month);
    return year + buf;
  }
  return year;
}

Document Reader::Run(const ExtractOptions& options) {
  // Lines and their kinds first: a short line of text between two noise lines is part of the
  // noise block (an advertisement's slogan between a menu and a banner).
  struct Line {
    size_t b, e;
    LineKind kind;
  };
  std::vector<Line> lines;
  for (size_t i = 0; i < s_.size();) {
    size_t nl = s_.find('\n', i);
    size_t e = nl == std::string_view::npos ? s_.size() : nl;
    // Blank lines do not separate a block.
    bool blank = true;
    for (size_t k = i; k < e && blank; ++k) blank = std::isspace(static_cast<unsigned char>(s_[k]));
    if (!blank) lines.push_back({i, e, ClassifyLine(s_.substr(i, e - i))});
    i = e + 1;
  }
  for (size_t n = 1; n + 1 < lines.size(); ++n) {
    Line& l = lines[n];
    if (l.kind == LineKind::kContent && l.e - l.b < 48 && lines[n - 1].kind == LineKind::kNoise &&
        lines[n + 1].kind == LineKind::kNoise)
      l.kind = LineKind::kNoise;
  }
  for (const Line& l : lines) {
    if (l.kind != LineKind::kNoise) RegionCandidates(l.b, l.e);
    if (l.kind == LineKind::kHeading) Title(l.b, l.e);
    paragraph_plan_ = false;
    if (l.kind != LineKind::kContent) continue;
    // Sentences.
    size_t sb = l.b;
    for (size_t k = l.b; k < l.e;) {
      size_t len = 0;
      char32_t c = DecodeAt(s_, k, &len);
      k += len;
      if (IsSentenceEnd(c) || k >= l.e) {
        if (k > sb) Sentence(sb, k);
        sb = k;
      }
    }
  }
  doc_.region = options.region.empty() ? PickRegion() : options.region;
  doc_.period = options.period.empty() ? PickPeriod() : options.period;
  return std::move(doc_);
}

enum class Kind { kValue, kGrowth, kPoints };

void Reader::Sentence(size_t sb, size_t se) {
  const int sentence = sentence_index_++;
  // Trimmed quote.
  size_t qb = sb, qe = se;
  while (qb < qe && (s_[qb] == ' ' || s_[qb] == '\t' || s_[qb] == '\r' || At(s_, qb, "　")))
    qb += At(s_, qb, "　") ? 3 : 1;
  while (qe > qb && (s_[qe - 1] == '\r' || s_[qe - 1] == '\n' || s_[qe - 1] == ' ')) --qe;
  // A sentence states a figure only with a digit, a Chinese numeral before a unit, 第 before a
  // numeral (a rank) or 首位: most sentences of a report have none and stop here.
  bool any = false;
  for (size_t k = sb; k < se && !any;) {
    const auto b = static_cast<unsigned char>(s_[k]);
    if (b < 0x80) {
      any = b >= '0' && b <= '9';
      ++k;
      continue;
    }
    size_t len = 0;
    const char32_t c = DecodeAt(s_, k, &len);
    if (c == U'第' || c == U'首') {
      size_t l2 = 0;
      any = k + len < se && (IsChineseNumeral(DecodeAt(s_, k + len, &l2)) || At(s_, k, "首位"));
    } else if (IsChineseNumeral(c)) {
      size_t e = k + len;
      while (e < se) {
        size_t l2 = 0;
        if (!IsChineseNumeral(DecodeAt(s_, e, &l2))) break;
        e += l2;
      }
      any = ReadUnit(s_, e).has_value() || ReadUnit(s_, k + len).has_value();
      k = e;
      continue;
    }
    k += len;
  }
  if (!paragraph_plan_) {
    size_t len = 0;
    if (qb < qe && ((DecodeAt(s_, qb, &len) == U'要' && TargetMarkerAt(s_, qb, U'要', sb)) ||
                    At(s_, qb, "下一步") || At(s_, qb, "明年")))
      paragraph_plan_ = true;
  }
  TimeTag time = ReadTime(s_, sb, se);
  if (!time.year.empty()) ++years_[time.year];
  if (!any) return;
  std::string time_key = time.year + "|" + time.sub;

  // Clauses and aliases.
  std::vector<Clause> clauses;
  std::vector<AliasHit> aliases;
  size_t target_from = std::string_view::npos;
  size_t qizhong_at = std::string_view::npos;
  {
    size_t cb = sb;
    for (size_t k = sb; k < se;) {
      size_t len = 0;
      const char32_t c = DecodeAt(s_, k, &len);
      if (target_from == std::string_view::npos && TargetMarkerAt(s_, k, c, sb)) target_from = k;
      if (auto m = catalog_.MatchAt(s_, k, c)) {
        aliases.push_back({k, k + m->len, m->entry});
        k += m->len;
        continue;
      }
      if (qizhong_at == std::string_view::npos && c == U'其' && At(s_, k, "其中")) qizhong_at = k;
      if (IsClauseSep(s_, k, c)) {
        if (k > cb) clauses.push_back({cb, k});
        cb = k + len;
      }
      k += len;
    }
    if (se > cb) clauses.push_back({cb, se});
  }

  const size_t first_fact = doc_.facts.size();
  int last_value = -1;  // index in doc_.facts of the last fact with a value in this sentence
  int last_any = -1;    // the last fact of this sentence (a value or a growth alone)
  size_t alias_cursor = 0;

  bool intro_ok = true;  // the clauses so far introduce the sentence or state headline figures
  for (const Clause& cl : clauses) {
    const int clause = clause_index_++;
    int clause_first = static_cast<int>(doc_.facts.size());
    size_t from = cl.b;  // end of the previous figure in this clause
    auto last_alias = [&](size_t lo, size_t hi) -> const AliasHit* {
      const AliasHit* hit = nullptr;
      for (size_t a = alias_cursor; a < aliases.size() && aliases[a].b < hi; ++a)
        if (aliases[a].b >= lo && aliases[a].e <= hi) hit = &aliases[a];
      // A name before an enumeration comma belongs to the figure before it.
      if (hit && s_.substr(hit->e, hi - hit->e).find("、") != std::string_view::npos) hit = nullptr;
      return hit;
    };
    for (size_t k = cl.b; k < cl.e;) {
      size_t len = 0;
      char32_t c = DecodeAt(s_, k, &len);
      // ---- Rank: 第N (after 排名/居/位列 or a 全市/全省 scope, or as 第N位/名), 首位 ----
      if (c == U'第' || (c == U'首' && At(s_, k, "首位"))) {
        std::optional<int> rank;
        size_t after = k + len;
        bool ordinal = false;
        if (c == U'第') {
          std::optional<Number> n = ReadArabic(s_, after);
          if (!n) n = ReadChinese(s_, after);
          if (n) {
            ordinal = true;
            size_t ne = n->end;
            size_t flen = 0;
            char32_t f = ne < s_.size() ? DecodeAt(s_, ne, &flen) : 0;
            bool pos_word = f == U'位' || f == U'名';
            bool ends = ne >= cl.e || !IsHan(f);
            static constexpr std::string_view kRankBefore[] = {
                "排名", "排",   "居",   "位居", "位列", "名列", "列",       "位于",
                "全市", "全省", "全国", "全区", "全县", "全州", "同类县区", "同类地区"};
            bool keyword = false;
            for (std::string_view w : kRankBefore) keyword = keyword || EndsAt(s_, cl.b, k, w);
            if ((pos_word && (!At(s_, ne + flen, "次") && !At(s_, ne + flen, "置"))) ||
                (keyword && ends)) {
              int64_t v = n->value.raw() / Decimal::kOne;
              if (n->decimals == 0 && v >= 1 && v <= 10000) rank = static_cast<int>(v);
              after = pos_word ? ne + flen : ne;
            } else {
              after = ne;
            }
          }
        } else {
          static constexpr std::string_view kTop[] = {"居",   "位居", "排名", "列",  "全市",
                                                      "全省", "全国", "全区", "全县"};
          bool keyword = false;
          for (std::string_view w : kTop) keyword = keyword || EndsAt(s_, cl.b, k, w);
          after = k + std::string_view("首位").size();
          if (keyword) rank = 1;
        }
        if (rank) {
          // Attach to the figure just before in the sentence when this clause names nothing else.
          bool attach = false;
          if (last_any >= 0 && !doc_.facts[last_any].rank && doc_.facts[last_any].unit != "%") {
            size_t lo = static_cast<int>(doc_.facts.size()) > clause_first ? from : cl.b;
            size_t e2 =
                StripEnd(s_, lo, k, {"排名",     "排",       "居",   "位居", "位列", "名列", "列",
                                     "位于",     "全市",     "全省", "全国", "全区", "全县", "全州",
                                     "同类县区", "同类地区", "增速", "增幅", "总量", "位次"});
            attach = OnlyFiller(lo, e2);
          }
          if (attach) {
            doc_.facts[last_any].rank = rank;
          } else {
            Fact f;
            size_t e2 = StripEnd(s_, cl.b, k,
                                 {"排名", "排", "居", "位居", "位列", "名列", "列", "位于", "全市",
                                  "全省", "全国", "全区", "全县", "全州", "同类县区", "同类地区"});
            if (const AliasHit* a = last_alias(cl.b, k)) {
              f.indicator = catalog_.entries()[a->entry].code;
              f.label = std::string(s_.substr(a->b, a->e - a->b));
            } else {
              f.label = LabelBefore(cl.b, e2);
              if (f.label.empty() && &cl != &clauses.front()) {
                const Clause& prev = *(&cl - 1);
                f.label = LabelBefore(prev.b, prev.e);
                size_t suffix = f.label.rfind("中");
                if (suffix != std::string::npos && suffix + 3 == f.label.size())
                  f.label.resize(suffix);
              }
            }
            f.rank = rank;
            f.target = target_from < k || paragraph_plan_;
            f.offset = k;
            f.end = after;
            f.sentence = sentence;
            f.clause = clause;
            f.time = time_key;
            doc_.facts.push_back(std::move(f));
          }
          from = after;
        }
        k = ordinal || rank ? std::max(after, k + len) : k + len;
        continue;
      }
      // ---- 保8争9: a growth band (floor, stretch) ----
      if (c == U'保' && k + 3 < cl.e && std::isdigit(static_cast<unsigned char>(s_[k + 3]))) {
        auto floor = ReadArabic(s_, k + 3);
        if (floor && At(s_, floor->end, "争")) {
          auto stretch = ReadArabic(s_, floor->end + 3);
          if (stretch) {
            Fact f;
            f.label = std::string(s_.substr(k, stretch->end - k));
            f.growth_pct = floor->value;
            f.target = true;
            f.offset = k;
            f.end = stretch->end;
            f.sentence = sentence;
            f.clause = clause;
            f.time = time_key;
            if (const AliasHit* a = last_alias(sb, k))
              f.indicator = catalog_.entries()[a->entry].code;
            doc_.facts.push_back(std::move(f));
            k = stretch->end;
            from = k;
            continue;
          }
        }
      }
      // ---- A number ----
      const bool digit = c >= '0' && c <= '9';
      const bool han_numeral = !digit && IsChineseNumeral(c);
      if (!digit && !han_numeral) {
        k += len;
        continue;
      }
      char32_t prev = PrevChar(s_, k);
      if (digit && k > 0 &&
          (std::isalnum(static_cast<unsigned char>(s_[k - 1])) || s_[k - 1] == '.')) {
        k += len;
        continue;
      }
      if (han_numeral &&
          (IsChineseNumeral(prev) || prev == U'第' || prev == U'星' || prev == U'周')) {
        k += len;
        continue;
      }
      std::optional<Number> num = digit ? ReadArabic(s_, k) : ReadChinese(s_, k);
      if (!num) {
        k += len;
        continue;
      }
      const size_t p = k;
      k = std::max(num->end, k + len);
      // The end of a range ("20-30亿元") is not a figure of its own.
      if (digit && (prev == U'-' || prev == U'—' || prev == U'~' || prev == U'～' ||
                    prev == U'至' || prev == U'到')) {
        size_t pp = PrevStart(s_, p);
        if (pp > 0 && std::isdigit(static_cast<unsigned char>(s_[pp - 1]))) continue;
      }
      // A year, a date, a version: followed by 年/月/日 or by digits' own punctuation.
      std::optional<UnitMatch> unit = ReadUnit(s_, num->end);
      Decimal value = num->value;
      int decimals = num->decimals;
      if (!unit && digit && num->end < s_.size()) {
        size_t mlen = 0;
        char32_t m = DecodeAt(s_, num->end, &mlen);
        int64_t factor = m == U'万' ? 10000 : m == U'亿' ? 100000000 : m == U'千' ? 1000 : 0;
        if (factor) {
          unit = ReadUnit(s_, num->end + mlen);
          if (unit) {
            auto scaled = value.Mul(Decimal::FromInt(factor));
            if (!scaled.ok())
              unit.reset();
            else {
              value = *scaled;
              decimals = std::max(0, decimals - (factor == 10000 ? 4 : factor == 1000 ? 3 : 8));
            }
          }
        }
      }
      if (!unit || unit->end > cl.e) continue;
      k = unit->end;
      Fact f;
      f.value = value;
      f.unit = std::string(unit->unit);
      f.decimals = decimals;
      f.approximate = unit->approximate;
      f.offset = p;
      f.end = unit->end;
      f.sentence = sentence;
      f.clause = clause;
      f.time = time_key;
      f.target = target_from < p || paragraph_plan_;
      // After the unit: 左右, 以上, 以内.
      for (;;) {
        if (At(s_, k, "左右")) {
          f.approximate = true;
          k += 6;
        } else if (At(s_, k, "以上") || At(s_, k, "多")) {
          f.bound = 1;
          k += At(s_, k, "多") ? 3 : 6;
        } else if (At(s_, k, "以内") || At(s_, k, "以下")) {
          f.bound = -1;
          k += 6;
        } else {
          break;
        }
      }
      // Before the number: 约, 超过, 不低于 ...
      {
        static constexpr std::string_view kApprox[] = {"约", "近", "大约", "接近"};
        static constexpr std::string_view kLower[] = {"超过",   "逾",   "突破", "不低于",
                                                      "不少于", "至少", "达到"};
        for (std::string_view w : kApprox)
          if (EndsAt(s_, from, p, w)) f.approximate = true;
        for (std::string_view w : kLower)
          if (EndsAt(s_, from, p, w) && w != "达到") f.bound = 1;
        if (EndsAt(s_, from, p, "不超过") || EndsAt(s_, from, p, "控制在")) f.bound = -1;
      }
      // What kind of figure.
      Kind kind = Kind::kValue;
      bool down = false;
      size_t pre_end = StripEnd(
          s_, from, p,
          {"了", "为", "达到", "达", "均", "分别", "约", "超过", "突破", "逾", "近", "至少"});
      if (f.unit == "%" || f.unit == "个百分点") {
        static constexpr std::string_view kUp[] = {"增长", "增速", "提高", "提升", "上升",
                                                   "增加", "回升", "攀升", "增幅", "增"};
        static constexpr std::string_view kDown[] = {"下降", "减少", "降低", "回落", "下滑",
                                                     "收窄", "下跌", "降幅", "降"};
        for (std::string_view w : kUp)
          if (EndsAt(s_, from, pre_end, w)) kind = f.unit == "%" ? Kind::kGrowth : Kind::kPoints;
        for (std::string_view w : kDown)
          if (EndsAt(s_, from, pre_end, w)) {
            kind = f.unit == "%" ? Kind::kGrowth : Kind::kPoints;
            down = true;
          }
      }
      if (f.unit == "%" && kind == Kind::kValue) {
        // Share (占比, 占…的, 占…比重) or plan completion (完成年度计划的, 占年度计划的, 完成率).
        std::string_view pre = s_.substr(cl.b, p - cl.b);
        size_t zhan = pre.rfind("占");
        if (EndsAt(s_, cl.b, pre_end, "占比") || EndsAt(s_, cl.b, pre_end, "比重")) {
          f.share = true;
          if (zhan != std::string_view::npos && !EndsAt(s_, cl.b, cl.b + zhan + 6, "占比")) {
            size_t wb = cl.b + zhan + 3;
            size_t we = StripEnd(s_, wb, pre_end, {"比重", "的", "占比"});
            f.share_of = std::string(s_.substr(wb, we - wb));
          }
        } else if (zhan != std::string_view::npos && EndsAt(s_, cl.b, pre_end, "的")) {
          f.share = true;
          size_t wb = cl.b + zhan + 3;
          size_t we = pre_end - 3;
          f.share_of = std::string(s_.substr(wb, we - wb));
        } else if (EndsAt(s_, cl.b, pre_end, "计划的") || EndsAt(s_, cl.b, pre_end, "完成率") ||
                   (s_.substr(cl.b, p - cl.b).find("完成") != std::string_view::npos &&
                    (EndsAt(s_, cl.b, pre_end, "目标的") || EndsAt(s_, cl.b, pre_end, "任务的")))) {
          f.completion = true;
        }
        // "完成年度目标任务800亿元的76.6%": a percentage of the plan figure just before.
        if (!f.share && !f.completion && static_cast<int>(doc_.facts.size()) > clause_first &&
            s_.substr(from, p - from) == "的") {
          std::string_view head = s_.substr(cl.b, doc_.facts.back().offset - cl.b);
          if (head.find("完成") != std::string_view::npos &&
              (head.find("计划") != std::string_view::npos ||
               head.find("目标") != std::string_view::npos ||
               head.find("任务") != std::string_view::npos))
            f.completion = true;
        }
        if (f.share && f.share_of.find("计划") != std::string::npos) {
          f.share = false;
          f.completion = true;
        }
        if (f.completion) f.target = false;
      }
      {
        static constexpr std::string_view kTotal[] = {"总数", "总计", "合计", "共计", "一共",
                                                      "总共", "共有", "共",   "总量"};
        size_t te = StripEnd(s_, from, p,
                             {"超过", "达到", "达", "为", "有", "逾", "突破", "约", "近", "至少"});
        for (std::string_view w : kTotal)
          if (EndsAt(s_, from, te, w) && !(w == "共" && EndsAt(s_, from, te, "公共")))
            f.sum_total = true;
      }
      if (qizhong_at != std::string_view::npos && qizhong_at < p) {
        f.after_qizhong = true;
        f.qizhong_at = qizhong_at;
        f.qizhong_opens = qizhong_at == qb;
      }
      // Label and indicator.
      // The noun right after a count ("60个左右项目", "584家企业").
      std::string noun_after;
      if (IsCountUnit(f.unit)) {
        size_t a = k;
        size_t nb = a;
        int n = 0;
        while (a < cl.e && n < 8) {
          size_t l2 = 0;
          char32_t c2 = DecodeAt(s_, a, &l2);
          static constexpr std::u32string_view kVerbs =
              U"的和与及兑实完开建投签落入获参达已全均在于将被共";
          if (!IsHan(c2) || kVerbs.find(c2) != std::u32string_view::npos || IsChineseNumeral(c2))
            break;
          a += l2;
          ++n;
        }
        if (n >= 2) noun_after = std::string(s_.substr(nb, a - nb));
      }
      const AliasHit* alias = last_alias(from, p);
      AliasHit after_hit{0, 0, -1};  // a name just after a count: "14个省重点项目"
      if (!alias && IsCountUnit(f.unit)) {
        size_t a = unit->end;
        if (At(s_, a, "的")) a += 3;
        if (auto m = catalog_.MatchAt(s_, a)) {
          after_hit = {a, a + m->len, m->entry};
          alias = &after_hit;
        }
      }
      // A name whose catalog unit does not fit the figure's unit only labels it
      // ("规上工业企业32家").
      bool label_only =
          alias && kind == Kind::kValue && !UnitsFit(catalog_.entries()[alias->entry].unit, f.unit);
      if (label_only && alias == &after_hit) {
        alias = nullptr;
        label_only = false;
      }
      if (label_only) {
        f.label = LabelBefore(from, pre_end);
        alias = nullptr;
      } else if (alias) {
        f.indicator = catalog_.entries()[alias->entry].code;
        f.label = std::string(s_.substr(alias->b, alias->e - alias->b));
        if (alias->b < p) {
          // The region's own figure: the name opens its clause, and the clauses before in the
          // sentence are an introduction ("1-6月，", "一年来，") or headline statements too.
          size_t hb = StripStart(s_, cl.b, alias->b, kScopeWords);
          f.headline = hb >= alias->b && intro_ok;
          std::string_view between = s_.substr(alias->e, p - alias->e);
          for (std::string_view v :
               {"完成", "实现", "达到", "达", "为", "累计", "共计", "合计", "增至"})
            if (between.find(v) != std::string_view::npos) f.result_verb = true;
        }
        if (alias == &after_hit) k = std::max(k, after_hit.e);
      } else if (!noun_after.empty() && OnlyFiller(from, p)) {
        f.label = noun_after;
      } else if (OnlyFiller(from, p)) {
        // Continues the figure before: "分别完成投资32.2亿元、134.8亿元", "…，力争突破100亿元".
        int prev_fact = -1;
        if (static_cast<int>(doc_.facts.size()) > clause_first)
          prev_fact = static_cast<int>(doc_.facts.size()) - 1;
        else if (kind == Kind::kValue)
          prev_fact = last_value;
        if (prev_fact >= 0 && kind == Kind::kValue) {
          const Fact& pf = doc_.facts[prev_fact];
          if (pf.value && pf.unit == f.unit) {
            f.indicator = pf.indicator;
            f.label = pf.label;
          }
        }
      } else {
        f.label = LabelBefore(from, pre_end);
      }
      // A single Chinese numeral counting what follows ("三个方面", "两件实事") says nothing; one
      // that ends its clause after a noun ("新建卫生室三所") is a figure.
      if (num->chinese && num->chars == 1 && !f.indicator && IsCountUnit(f.unit)) {
        size_t l2 = 0;
        bool clause_ends = k >= cl.e || !IsHan(DecodeAt(s_, k, &l2));
        if (!clause_ends || f.label.empty()) continue;
      }
      if (num->chinese && f.unit == "%") continue;

      if (kind == Kind::kGrowth) {
        Decimal g = down ? -value : value;
        // Attach to the figure just before when this clause names nothing else.
        bool attach = false;
        if (!alias && last_value >= 0 && !doc_.facts[last_value].growth_pct &&
            doc_.facts[last_value].unit != "%") {
          size_t lo = static_cast<int>(doc_.facts.size()) > clause_first ? from : cl.b;
          size_t e2 = StripEnd(
              s_, lo, pre_end,
              {"同比增长", "比上年增长", "增长", "增速", "提高",   "提升",   "上升", "增加", "回升",
               "攀升",     "增幅",       "增",   "下降", "减少",   "降低",   "回落", "下滑", "收窄",
               "下跌",     "降幅",       "降",   "同比", "比上年", "较上年", "分别"});
          attach = OnlyFiller(lo, e2) || e2 <= lo;
        }
        if (attach) {
          doc_.facts[last_value].growth_pct = g;
          last_any = last_value;
          from = k;
          continue;
        }
        f.growth_pct = g;
        f.value.reset();
        f.unit.clear();
        if (!alias) f.label = LabelBefore(from, StripEnd(s_, from, pre_end, kGrowthWords));
        doc_.facts.push_back(std::move(f));
        last_any = static_cast<int>(doc_.facts.size()) - 1;
        from = k;
        continue;
      }
      if (kind == Kind::kPoints) {
        // "城镇化率46.3%，比上年提高2.1个百分点": the change of the percentage before.
        std::string word = down ? "下降" : "提高";
        size_t e2 = StripEnd(s_, from, pre_end, kGrowthWords);
        if (last_any >= 0 && doc_.facts[last_any].unit == "%" && OnlyFiller(from, e2))
          f.label = doc_.facts[last_any].label + word;
        else if (f.label.empty())
          f.label = word;
      }
      doc_.facts.push_back(std::move(f));
      last_any = static_cast<int>(doc_.facts.size()) - 1;
      if (kind == Kind::kValue) last_value = last_any;
      from = k;
    }
    while (alias_cursor < aliases.size() && aliases[alias_cursor].e <= cl.e) ++alias_cursor;
    if (static_cast<int>(doc_.facts.size()) == clause_first) {
      // A clause without figures keeps the sentence headline only when it is a short opening.
      int chars = 0;
      for (size_t i = StripStart(s_, cl.b, cl.e, kScopeWords); i < cl.e;) {
        size_t len = 0;
        DecodeAt(s_, i, &len);
        i += len;
        ++chars;
      }
      if (chars > 6) intro_ok = false;
    } else {
      for (size_t i = clause_first; i < doc_.facts.size(); ++i)
        if (!doc_.facts[i].headline && !doc_.facts[i].share && !doc_.facts[i].completion)
          intro_ok = false;
    }
  }
  if (doc_.facts.size() > first_fact) {
    std::string quote(s_.substr(qb, qe - qb));
    for (size_t f = first_fact; f < doc_.facts.size(); ++f) {
      doc_.facts[f].quote = quote;
      if (!time.sub.empty() && time.month > 0) ++months_[time.month];
    }
  }
}

}  // namespace

Document Extract(std::string_view text, const Catalog& catalog, const ExtractOptions& options) {
  return Reader(text, catalog).Run(options);
}

}  // namespace tiaodu::factcheck
