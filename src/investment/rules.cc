#include "investment/rules.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "base/period.h"
#include "base/validators.h"

namespace tiaodu::investment {

namespace {

constexpr size_t kMinNameBytes = 2;
constexpr size_t kMaxNameBytes = 200;
constexpr size_t kMaxOriginBytes = 100;
constexpr size_t kMaxChainNameBytes = 100;
// More than 1万亿元 is absurd for one project: a typing error in the unit (元 for 亿元).
constexpr int64_t kMaxAmountYi = 10000;

struct NamePair {
  const char* id;
  const char* zh;
};

constexpr NamePair kStageNames[] = {{"clue", "线索"},           {"contact", "接洽"},
                                    {"inspection", "考察"},     {"negotiation", "实质性谈判"},
                                    {"signed", "签约"},         {"registered", "注册"},
                                    {"started", "开工"},        {"producing", "投产"}};
constexpr NamePair kSourceNames[] = {{"business", "以商招商"}, {"resident", "驻外招商"},
                                     {"fund", "基金招商"},     {"platform", "平台招商"},
                                     {"other", "其他"}};
constexpr NamePair kPositionNames[] = {
    {"upstream", "上游"}, {"midstream", "中游"}, {"downstream", "下游"}};
constexpr NamePair kContractKindNames[] = {{"framework", "框架协议"}, {"formal", "正式合同"}};

// The Chinese name of `id` in `table`, or `id` itself when it is unknown (so that a bad
// value still shows as what was stored rather than as nothing).
template <size_t N>
std::string_view Lookup(const NamePair (&table)[N], std::string_view id) {
  for (const NamePair& p : table) {
    if (id == p.id) return p.zh;
  }
  return id;
}

template <size_t N>
bool Known(const NamePair (&table)[N], std::string_view id) {
  for (const NamePair& p : table) {
    if (id == p.id) return true;
  }
  return false;
}

template <size_t N>
int IndexIn(const NamePair (&table)[N], std::string_view id) {
  for (size_t i = 0; i < N; ++i) {
    if (id == table[i].id) return static_cast<int>(i);
  }
  return -1;
}

constexpr std::string_view kIdeographicSpace = "\u3000";  // 3 bytes in UTF-8

// Whether `s` is empty or only ASCII blanks and ideographic spaces (U+3000).
bool IsBlank(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == ' ' || s[i] == '\t') {
      ++i;
    } else if (s.substr(i, kIdeographicSpace.size()) == kIdeographicSpace) {
      i += kIdeographicSpace.size();
    } else {
      return false;
    }
  }
  return true;
}

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Quote(std::string_view s) { return "“" + std::string(s) + "”"; }
std::string Iso(const CivilDate& d) { return FormatIsoDate(d); }
std::string Yi(Decimal v) { return v.ToString() + "亿元"; }
std::string Bytes(size_t n) { return std::to_string(n) + "字节"; }

bool Before(const CivilDate& a, const CivilDate& b) { return CompareDates(a, b) < 0; }
bool Within(const CivilDate& d, const CivilDate& from, const CivilDate& to) {
  return !Before(d, from) && !Before(to, d);
}

// "线索、接洽、…、投产": the stage names for messages.
std::string StageList() {
  std::string out;
  for (int i = 0; i < kLeadStageCount; ++i) {
    if (i > 0) out += "、";
    out += kStageNames[i].zh;
  }
  return out;
}

// count × 100 ÷ target as a percentage with 6 places; nullopt on overflow.
std::optional<Decimal> PercentOf(Decimal value, Decimal target) {
  const Decimal hundred = Decimal::FromInt(100);
  Result<Decimal> scaled = Decimal::CheckedMul(value, hundred);
  if (scaled.ok()) {
    Result<Decimal> share = scaled->Div(target);
    if (share.ok()) return *share;
    return std::nullopt;
  }
  // The product overflows: divide first (loses nothing that matters at such magnitudes).
  Result<Decimal> share = value.Div(target);
  if (!share.ok()) return std::nullopt;
  Result<Decimal> pct = share->Mul(hundred);
  if (!pct.ok()) return std::nullopt;
  return *pct;
}

// Sort rank of a segment position: upstream, midstream, downstream, then unknown ones.
int PositionRank(std::string_view position) {
  int i = IndexIn(kPositionNames, position);
  return i < 0 ? static_cast<int>(std::size(kPositionNames)) : i;
}

}  // namespace

// ---- Companies ----

std::string NormalizeCompanyName(std::string_view name) {
  // Byte-wise work is safe on UTF-8: ASCII bytes never occur inside a multi-byte sequence,
  // and a complete encoded character can only match at a character boundary.
  struct Replacement {
    std::string_view from;
    std::string_view to;
  };
  static constexpr Replacement kReplacements[] = {
      {"\u3000", ""},   // ideographic space
      {"（", "("}, {"）", ")"}, {"【", "("}, {"】", ")"},
  };
  std::string out;
  out.reserve(name.size());
  size_t i = 0;
  while (i < name.size()) {
    char c = name[i];
    if (c == ' ' || c == '\t') {
      ++i;
      continue;
    }
    bool replaced = false;
    for (const Replacement& r : kReplacements) {
      if (name.substr(i, r.from.size()) == r.from) {
        out += r.to;
        i += r.from.size();
        replaced = true;
        break;
      }
    }
    if (replaced) continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    ++i;
  }
  // "有限责任公司" → "有限公司" (after spaces are gone, so "有限 责任公司" is caught too).
  // "股份有限公司" does not contain "有限责任公司" and is kept as is.
  static constexpr std::string_view kLlc = "有限责任公司";
  static constexpr std::string_view kLtd = "有限公司";
  for (size_t pos = out.find(kLlc); pos != std::string::npos;
       pos = out.find(kLlc, pos + kLtd.size())) {
    out.replace(pos, kLlc.size(), kLtd);
  }
  return out;
}

const std::vector<std::string>& KnownCompanyTags() {
  static const std::vector<std::string> kTags = {
      "央企", "国企", "上市", "500强", "专精特新", "高新技术企业", "外资", "民营", "独角兽"};
  return kTags;
}

Status CheckCompany(const Company& c) {
  std::vector<Detail> bad;
  auto add = [&](std::string field, std::string reason) {
    bad.push_back({std::move(field), std::move(reason)});
  };

  if (IsBlank(c.name)) {
    add("name", "企业名称不能为空");
  } else if (c.name.size() < kMinNameBytes) {
    add("name", "企业名称过短：" + Quote(c.name));
  } else if (c.name.size() > kMaxNameBytes) {
    add("name", "企业名称最长200字节（约66个汉字），现为" + Bytes(c.name.size()));
  }

  if (!c.uscc.empty()) {
    if (Status s = ValidateUscc(c.uscc); !s.ok()) add("uscc", s.message() + "：" + c.uscc);
  }

  const std::vector<std::string>& known = KnownCompanyTags();
  for (const std::string& tag : c.tags) {
    if (std::find(known.begin(), known.end(), tag) == known.end()) {
      add("tags", "未知的企业标签" + Quote(tag) +
                      "，应为央企、国企、上市、500强、专精特新、高新技术企业、外资、民营或独角兽");
    }
  }

  if (c.origin.size() > kMaxOriginBytes) {
    add("origin", "企业来源地最长100字节（约33个汉字），现为" + Bytes(c.origin.size()));
  }

  if (!bad.empty()) return InvalidArgument("企业信息有误", std::move(bad));
  return Status::Ok();
}

std::vector<DuplicateHit> FindDuplicates(const Company& c, const std::vector<Company>& others) {
  std::vector<DuplicateHit> hits;
  // Computed from the name rather than taken from normalized_name, which may be stale.
  const std::string normalized = NormalizeCompanyName(c.name);
  for (const Company& o : others) {
    if (o.id == c.id || o.merged_into.has_value()) continue;
    if (!c.uscc.empty() && o.uscc == c.uscc) {
      hits.push_back({o.id, "统一社会信用代码相同"});
    } else if (!normalized.empty() && NormalizeCompanyName(o.name) == normalized) {
      hits.push_back({o.id, "名称相同（忽略括号、空格和“有限责任公司/有限公司”的差别）"});
    }
  }
  return hits;
}

// ---- Amounts ----

Result<Decimal> ParseAmountYi(std::string_view text, const std::string& field) {
  std::string_view s = TrimAscii(text);
  auto bad = [&](std::string reason) {
    return InvalidArgument("金额有误：" + Quote(s), {{field, std::move(reason)}});
  };
  if (s.empty()) return bad("金额不能为空");

  Decimal yi;
  if (Result<Decimal> plain = Decimal::Parse(s); plain.ok()) {
    yi = *plain;  // a bare number is in 亿元
  } else {
    Result<Quantity> q = ParseQuantity(s);
    if (!q.ok()) {
      // Tell a bad unit from a bad number: a number followed by anything else is a unit.
      size_t split = 0;
      while (split < s.size() && ((s[split] >= '0' && s[split] <= '9') || s[split] == '.' ||
                                  s[split] == ',' || s[split] == '+' || s[split] == '-' ||
                                  s[split] == ' ')) {
        ++split;
      }
      bool number_ok = split > 0 && Decimal::Parse(s.substr(0, split)).ok();
      if (number_ok) return bad("金额单位应为元、万元或亿元，" + Quote(s) + "的单位无法识别");
      return bad("金额应为数字，可带单位元、万元或亿元，如12.5或125000万元");
    }
    if (q->unit != Unit::kYuan && q->unit != Unit::kWanYuan && q->unit != Unit::kYiYuan) {
      return bad("金额单位应为元、万元或亿元，不能为" + std::string(UnitName(q->unit)));
    }
    // Exact where possible; amounts in 元 finer than 0.000001亿元 (100元) are rounded to it.
    Result<Quantity> converted = q->ConvertTo(Unit::kYiYuan);
    if (!converted.ok()) converted = q->ConvertToRounded(Unit::kYiYuan);
    if (!converted.ok()) return bad("金额无法换算为亿元：" + converted.status().message());
    yi = converted->value;
  }

  if (yi.IsNegative()) return bad("金额不能为负数，现为" + Yi(yi));
  if (yi > Decimal::FromInt(kMaxAmountYi)) {
    return bad("金额" + Yi(yi) + "超过10000亿元，请核对单位");
  }
  return yi;
}

// ---- Leads ----

int LeadStageIndex(std::string_view stage) {
  for (int i = 0; i < kLeadStageCount; ++i) {
    if (stage == kLeadStages[i]) return i;
  }
  return -1;
}

std::string_view LeadStageName(std::string_view stage) { return Lookup(kStageNames, stage); }
std::string_view SourceName(std::string_view source) { return Lookup(kSourceNames, source); }

Status CheckLead(const Lead& l) {
  std::vector<Detail> bad;
  auto add = [&](std::string field, std::string reason) {
    bad.push_back({std::move(field), std::move(reason)});
  };

  if (IsBlank(l.project_name)) {
    add("project_name", "项目名称不能为空");
  } else if (l.project_name.size() < kMinNameBytes) {
    add("project_name", "项目名称过短：" + Quote(l.project_name));
  } else if (l.project_name.size() > kMaxNameBytes) {
    add("project_name", "项目名称最长200字节（约66个汉字），现为" + Bytes(l.project_name.size()));
  }

  if (l.amount.Sign() <= 0) {
    add("amount", "意向投资额应大于0亿元，现为" + Yi(l.amount));
  } else if (l.amount > Decimal::FromInt(kMaxAmountYi)) {
    add("amount", "意向投资额" + Yi(l.amount) + "超过10000亿元，请核对单位是否为亿元");
  }

  if (!Known(kSourceNames, l.source)) {
    add("source",
        "招商方式" + Quote(l.source) + "无效，应为以商招商、驻外招商、基金招商、平台招商或其他");
  }
  if (LeadStageIndex(l.stage) < 0) {
    add("stage", "线索阶段" + Quote(l.stage) + "无效，应为" + StageList());
  }

  if (!bad.empty()) return InvalidArgument("招商线索信息有误", std::move(bad));
  return Status::Ok();
}

Status CheckLeadStageChange(const Lead& l, std::string_view to, const CivilDate& date,
                            const std::vector<Contract>& contracts, const CivilDate& today) {
  int to_index = LeadStageIndex(to);
  if (to_index < 0) {
    return InvalidArgument("未知的线索阶段" + Quote(to), {{"stage", "应为" + StageList()}});
  }
  if (l.lost) {
    return FailedPrecondition("线索已流失" +
                              (l.lost_reason.empty() ? std::string() : "（" + l.lost_reason + "）") +
                              "，须先重新激活才能推进到" + Quote(LeadStageName(to)));
  }
  int from_index = LeadStageIndex(l.stage);
  if (from_index < 0) {
    return FailedPrecondition("线索当前阶段" + Quote(l.stage) + "无效，无法推进");
  }
  if (to_index == from_index) {
    return FailedPrecondition("线索已处于" + Quote(LeadStageName(to)) + "阶段");
  }
  if (to_index < from_index) {
    return FailedPrecondition("线索已处于" + Quote(LeadStageName(l.stage)) + "阶段，不能退回" +
                              Quote(LeadStageName(to)) + "阶段");
  }
  if (to_index > from_index + 1) {
    return FailedPrecondition("不能从" + Quote(LeadStageName(l.stage)) + "直接到" +
                              Quote(LeadStageName(to)) + "，须逐级推进（下一阶段为" +
                              Quote(kStageNames[from_index + 1].zh) + "）");
  }

  if (!IsValidDate(date)) {
    return InvalidArgument("阶段日期无效", {{"date", "不是有效日期"}});
  }
  if (Before(today, date)) {
    return InvalidArgument("阶段日期不能晚于今天",
                           {{"date", "日期" + Iso(date) + "晚于今天" + Iso(today)}});
  }
  // The latest date of the stages reached so far (normally the current stage's date).
  const std::string* latest_stage = nullptr;
  const CivilDate* latest = nullptr;
  for (const auto& [stage, d] : l.stage_dates) {
    int i = LeadStageIndex(stage);
    if (i < 0 || i > from_index) continue;
    if (latest == nullptr || Before(*latest, d)) {
      latest = &d;
      latest_stage = &stage;
    }
  }
  if (latest != nullptr && Before(date, *latest)) {
    return InvalidArgument("阶段日期早于上一阶段日期",
                           {{"date", Quote(LeadStageName(to)) + "日期" + Iso(date) + "早于" +
                                         Quote(LeadStageName(*latest_stage)) + "日期" +
                                         Iso(*latest)}});
  }

  if (to == "signed") {
    const Contract* earliest = nullptr;
    for (const Contract& c : contracts) {
      if (c.lead_id != l.id) continue;
      if (earliest == nullptr || Before(c.date, earliest->date)) earliest = &c;
    }
    if (earliest == nullptr) {
      return FailedPrecondition("推进到“签约”须先登记合同（框架协议或正式合同），线索" +
                                Quote(l.project_name) + "尚无合同");
    }
    if (Before(date, earliest->date)) {
      return FailedPrecondition("签约日期" + Iso(date) + "早于最早的合同日期" +
                                Iso(earliest->date) + "，须有不晚于签约日期的合同");
    }
  }
  return Status::Ok();
}

Status CheckLose(const Lead& l, const std::string& reason) {
  if (l.lost) {
    return FailedPrecondition("线索" + Quote(l.project_name) + "已于" +
                              (l.lost_date ? Iso(*l.lost_date) : std::string("此前")) +
                              "标记为流失");
  }
  if (l.stage == "producing") {
    return FailedPrecondition("线索" + Quote(l.project_name) + "已投产，不能标记为流失");
  }
  if (IsBlank(reason)) {
    return InvalidArgument("标记流失须填写原因", {{"reason", "流失原因不能为空"}});
  }
  return Status::Ok();
}

Status CheckReopen(const Lead& l) {
  if (!l.lost) {
    return FailedPrecondition("线索" + Quote(l.project_name) + "未流失，无需重新激活");
  }
  return Status::Ok();
}

Status CheckContract(const Contract& c, const CivilDate& today) {
  std::vector<Detail> bad;
  if (!IsValidDate(c.date)) {
    bad.push_back({"date", "合同日期不是有效日期"});
  } else if (Before(today, c.date)) {
    bad.push_back({"date", "合同日期" + Iso(c.date) + "晚于今天" + Iso(today)});
  }
  if (c.amount.Sign() <= 0) {
    bad.push_back({"amount", "合同金额应大于0亿元，现为" + Yi(c.amount)});
  }
  if (!Known(kContractKindNames, c.kind)) {
    bad.push_back({"kind", "合同类型" + Quote(c.kind) + "无效，应为框架协议或正式合同"});
  }
  if (!bad.empty()) return InvalidArgument("合同信息有误", std::move(bad));
  return Status::Ok();
}

// ---- Statistics ----

SigningStats ComputeSigningStats(const std::vector<Lead>& leads,
                                 const std::vector<Contract>& contracts, const CivilDate& from,
                                 const CivilDate& to) {
  SigningStats stats;
  const Decimal one = Decimal::FromInt(1);
  for (const Lead& l : leads) {
    auto it = l.stage_dates.find("signed");
    if (it == l.stage_dates.end() || !Within(it->second, from, to)) continue;
    ++stats.signed_projects;
    // The lead's contracts as known at the end of the range, so that a past range's figures
    // do not change when later contracts are recorded.
    Decimal total;
    for (const Contract& c : contracts) {
      if (c.lead_id != l.id || Before(to, c.date)) continue;
      Result<Decimal> next = Decimal::CheckedAdd(total, c.amount);
      if (!next.ok()) break;
      total = *next;
    }
    if (total >= one) ++stats.projects_100m;
  }
  for (const Contract& c : contracts) {
    if (!Within(c.date, from, to)) continue;
    Result<Decimal> next = Decimal::CheckedAdd(stats.contract_amount, c.amount);
    if (!next.ok()) break;  // beyond any real figure; keep what was summed
    stats.contract_amount = *next;
  }
  return stats;
}

TargetProgress ComputeTargetProgress(const Target& t, const SigningStats& ytd,
                                     const CivilDate& as_of) {
  TargetProgress out;
  const Decimal hundred = Decimal::FromInt(100);
  if (as_of.year < t.year) {
    out.elapsed = Decimal();
  } else if (as_of.year > t.year) {
    out.elapsed = hundred;
  } else {
    // Day of year × 100 ÷ days in year, rounded once to 6 places.
    out.elapsed = Decimal::FromInt(int64_t{DayOfYear(as_of)} * 100)
                      .Div(Decimal::FromInt(DaysInYear(as_of.year)))
                      .value();
  }
  if (t.projects_100m > 0) {
    out.count_share = PercentOf(Decimal::FromInt(ytd.projects_100m), Decimal::FromInt(t.projects_100m));
  }
  if (t.contract_amount.Sign() > 0) {
    out.amount_share = PercentOf(ytd.contract_amount, t.contract_amount);
  }

  const Decimal behind_line = out.elapsed - Decimal::FromInt(10);
  bool any = false, all_ahead = true, any_behind = false;
  for (const std::optional<Decimal>& share : {out.count_share, out.amount_share}) {
    if (!share) continue;
    any = true;
    if (*share < out.elapsed) all_ahead = false;
    if (*share < behind_line) any_behind = true;
  }
  if (!any) {
    out.status = "on_track";  // no target set: nothing to be ahead of or behind
  } else if (any_behind) {
    out.status = "behind";
  } else if (all_ahead) {
    out.status = "ahead";
  } else {
    out.status = "on_track";
  }
  return out;
}

// ---- Chains ----

std::string_view PositionName(std::string_view position) {
  return Lookup(kPositionNames, position);
}

std::vector<const Segment*> Gaps(const Chain& chain) {
  std::vector<const Segment*> gaps;
  for (const Segment& s : chain.segments) {
    if (s.local_firms.empty()) gaps.push_back(&s);
  }
  // The chain's order: upstream → midstream → downstream, by seq within a position.
  std::stable_sort(gaps.begin(), gaps.end(), [](const Segment* a, const Segment* b) {
    int ra = PositionRank(a->position), rb = PositionRank(b->position);
    if (ra != rb) return ra < rb;
    return a->seq < b->seq;
  });
  return gaps;
}

Status CheckChain(const Chain& chain) {
  std::vector<Detail> bad;
  auto add = [&](std::string field, std::string reason) {
    bad.push_back({std::move(field), std::move(reason)});
  };

  if (IsBlank(chain.name)) {
    add("name", "产业链名称不能为空");
  } else if (chain.name.size() > kMaxChainNameBytes) {
    add("name", "产业链名称最长100字节（约33个汉字），现为" + Bytes(chain.name.size()));
  }

  for (size_t i = 0; i < chain.segments.size(); ++i) {
    const Segment& s = chain.segments[i];
    const std::string prefix = "segments." + std::to_string(i);
    const std::string label =
        IsBlank(s.name) ? "第" + std::to_string(i + 1) + "个环节" : "环节" + Quote(s.name);
    if (!Known(kPositionNames, s.position)) {
      add(prefix + ".position",
          label + "的位置" + Quote(s.position) + "无效，应为上游、中游或下游");
    }
    if (IsBlank(s.name)) {
      add(prefix + ".name", label + "的名称不能为空");
    }
    for (int64_t firm : s.local_firms) {
      if (std::find(s.target_firms.begin(), s.target_firms.end(), firm) != s.target_firms.end()) {
        add(prefix + ".target_firms", label + "中企业（编号" + std::to_string(firm) +
                                          "）已是本地企业，不能同时列为目标企业");
      }
    }
  }

  if (!bad.empty()) return InvalidArgument("产业链信息有误", std::move(bad));
  return Status::Ok();
}

}  // namespace tiaodu::investment
