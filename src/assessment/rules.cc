#include "assessment/rules.h"

#include <algorithm>
#include <charconv>
#include <numeric>

namespace tiaodu::assessment {
namespace {

constexpr int64_t kCent = 10000;  // 0.01 in Decimal raw units (millionths)

// a × b / c rounded half up to a multiple of kCent; a, b >= 0, c > 0.
int64_t MulDivCents(int64_t a, int64_t b, int64_t c) {
  __int128 v = static_cast<__int128>(a) * b;
  __int128 q = v / c;
  int64_t raw = static_cast<int64_t>(q);
  int64_t rem = raw % kCent;
  raw -= rem;
  if (rem * 2 >= kCent) raw += kCent;
  return raw;
}

bool IsKnownKind(std::string_view k) {
  return k == item_kind::kIndicatorGrowth || k == item_kind::kProjectCompletion || k == item_kind::kBatchRate ||
         k == item_kind::kInvestmentTarget || k == item_kind::kOnTimeRate;
}

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::vector<int> CompetitionRanks(const std::vector<std::optional<Decimal>>& measures, bool higher_is_better) {
  std::vector<int> ranks(measures.size(), 0);
  for (size_t i = 0; i < measures.size(); ++i) {
    if (!measures[i]) continue;
    int better = 0;
    for (const auto& other : measures) {
      if (!other) continue;
      if (higher_is_better ? *other > *measures[i] : *other < *measures[i]) ++better;
    }
    ranks[i] = better + 1;
  }
  return ranks;
}

Decimal PointsFor(const SchemeItem& item, int rank, int ranked) {
  if (rank <= 0 || ranked <= 0) return Decimal();
  const int64_t w = item.weight.raw();
  if (!item.points.empty()) {
    const int pct = item.points[std::min<size_t>(static_cast<size_t>(rank - 1), item.points.size() - 1)];
    return Decimal::FromRaw(MulDivCents(w, pct, 100));
  }
  if (ranked == 1) return Decimal::FromRaw(MulDivCents(w, 1, 1));
  const int64_t denom = 100LL * (ranked - 1);
  const int64_t numer = denom - 40LL * (rank - 1);
  return Decimal::FromRaw(MulDivCents(w, numer, denom));
}

std::vector<LeagueRow> ScoreLeague(const std::vector<SchemeItem>& items, const std::vector<UnitInput>& units,
                                   const std::vector<std::vector<std::optional<Decimal>>>& measures,
                                   const std::vector<bool>& lower_better, int red, int black) {
  std::vector<LeagueRow> rows(units.size());
  std::vector<bool> has_data(units.size(), false);
  for (size_t u = 0; u < units.size(); ++u) {
    rows[u].unit_id = units[u].unit_id;
    rows[u].unit_code = units[u].code;
    rows[u].unit_name = units[u].name;
    rows[u].items.resize(items.size());
  }
  for (size_t i = 0; i < items.size(); ++i) {
    const auto& m = measures[i];
    const bool lower = i < lower_better.size() && lower_better[i];
    std::vector<int> ranks = CompetitionRanks(m, !lower);
    const int ranked = static_cast<int>(std::count_if(m.begin(), m.end(), [](const auto& x) { return x.has_value(); }));
    for (size_t u = 0; u < units.size(); ++u) {
      ItemScore& s = rows[u].items[i];
      s.measure = m[u];
      s.rank = ranks[u];
      s.points = PointsFor(items[i], ranks[u], ranked);
      rows[u].total += s.points;
      if (m[u]) has_data[u] = true;
    }
  }
  std::vector<std::optional<Decimal>> totals(units.size());
  for (size_t u = 0; u < units.size(); ++u)
    if (has_data[u]) totals[u] = rows[u].total;
  std::vector<int> ranks = CompetitionRanks(totals, true);
  for (size_t u = 0; u < units.size(); ++u) {
    rows[u].rank = ranks[u];
    if (!has_data[u]) continue;
    int below = 0;
    for (size_t v = 0; v < units.size(); ++v)
      if (has_data[v] && rows[v].total < rows[u].total) ++below;
    if (rows[u].rank <= red) rows[u].flag = Flag::kRed;
    else if (below < black) rows[u].flag = Flag::kBlack;
  }
  std::stable_sort(rows.begin(), rows.end(), [](const LeagueRow& a, const LeagueRow& b) {
    const int ra = a.rank == 0 ? 1 << 30 : a.rank, rb = b.rank == 0 ? 1 << 30 : b.rank;
    if (ra != rb) return ra < rb;
    return a.unit_code < b.unit_code;
  });
  return rows;
}

const SchemeVersion* VersionFor(const Scheme& scheme, std::string_view period) {
  const SchemeVersion* best = nullptr;
  for (const SchemeVersion& v : scheme.versions) {
    if (v.effective_from > period) continue;
    if (!best || v.effective_from > best->effective_from ||
        (v.effective_from == best->effective_from && v.number > best->number))
      best = &v;
  }
  return best;
}

Status CheckItems(const std::vector<SchemeItem>& items) {
  std::vector<Detail> details;
  if (items.empty()) details.push_back({"items", "至少需要一个考评项目"});
  if (items.size() > 20) details.push_back({"items", "考评项目最多 20 个"});
  Decimal sum;
  for (size_t i = 0; i < items.size(); ++i) {
    const SchemeItem& it = items[i];
    const std::string at = "items[" + std::to_string(i) + "].";
    if (!IsKnownKind(it.kind)) details.push_back({at + "kind", "未知的考评项目类型：" + it.kind});
    const size_t len = Utf8Length(it.name);
    if (len == 0 || len > 50) details.push_back({at + "name", "名称应为 1–50 个字"});
    if (it.kind == item_kind::kIndicatorGrowth && it.indicator.empty())
      details.push_back({at + "indicator", "指标增速排名需指定指标"});
    if (it.kind == item_kind::kBatchRate && it.rate != "start" && it.rate != "produce" && it.rate != "effective")
      details.push_back({at + "rate", "应为 start（开工率）、produce（投产率）或 effective（达效率）"});
    if (it.weight.raw() <= 0 || it.weight > Decimal::FromInt(100))
      details.push_back({at + "weight", "权重应大于 0、不超过 100"});
    else
      sum += it.weight;
    if (it.points.size() > 200) details.push_back({at + "points", "名次得分表最多 200 项"});
    for (size_t k = 0; k < it.points.size(); ++k) {
      if (it.points[k] < 0 || it.points[k] > 100) {
        details.push_back({at + "points", "得分比例应在 0–100 之间"});
        break;
      }
      if (k > 0 && it.points[k] > it.points[k - 1]) {
        details.push_back({at + "points", "名次越后得分不能越高"});
        break;
      }
    }
  }
  if (!items.empty() && details.empty() && sum != Decimal::FromInt(100))
    details.push_back({"items", "各项权重之和应为 100，现为 " + sum.ToString()});
  if (!details.empty()) return InvalidArgument("考评方案有误", std::move(details));
  return Status::Ok();
}

Status CheckFlags(int red, int black) {
  std::vector<Detail> details;
  if (red < 0 || red > 50) details.push_back({"red_flags", "红旗数应为 0–50"});
  if (black < 0 || black > 50) details.push_back({"black_flags", "黑旗数应为 0–50"});
  if (!details.empty()) return InvalidArgument("红黑旗数有误", std::move(details));
  return Status::Ok();
}

std::string_view FlagCode(Flag f) {
  switch (f) {
    case Flag::kRed: return "red";
    case Flag::kBlack: return "black";
    default: return "none";
  }
}

Flag FlagFromCode(std::string_view code) {
  if (code == "red") return Flag::kRed;
  if (code == "black") return Flag::kBlack;
  return Flag::kNone;
}

std::string_view FlagName(Flag f) {
  switch (f) {
    case Flag::kRed: return "红旗";
    case Flag::kBlack: return "黑旗";
    default: return "";
  }
}

std::string_view ItemKindName(std::string_view kind) {
  if (kind == item_kind::kIndicatorGrowth) return "指标增速排名";
  if (kind == item_kind::kProjectCompletion) return "重点项目投资完成率";
  if (kind == item_kind::kBatchRate) return "三个一批完成率";
  if (kind == item_kind::kInvestmentTarget) return "招商引资目标完成率";
  if (kind == item_kind::kOnTimeRate) return "督办事项按时办结率";
  return "";
}

std::string PointsText(const std::vector<int>& points) {
  std::string out;
  for (size_t i = 0; i < points.size(); ++i) out += (i ? "," : "") + std::to_string(points[i]);
  return out;
}

std::optional<std::vector<int>> ParsePointsText(std::string_view text) {
  std::vector<int> out;
  if (text.empty()) return out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    int v = 0;
    auto [p, ec] = std::from_chars(text.data() + start, text.data() + end, v);
    if (ec != std::errc() || p != text.data() + end) return std::nullopt;
    out.push_back(v);
    start = end + 1;
  }
  return out;
}

}  // namespace tiaodu::assessment
