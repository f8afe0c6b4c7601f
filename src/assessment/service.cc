#include "assessment/service.h"

#include <algorithm>
#include <map>
#include <set>

#include "assessment/rules.h"
#include "auth/audit.h"
#include "auth/rules.h"
#include "base/json_text.h"
#include "base/period.h"
#include "projects/rules.h"
#include "projects/service.h"
#include "supervision/service.h"

namespace tiaodu::assessment {
namespace {

bool UnderPath(const std::string& path, const std::string& root) { return path.compare(0, root.size(), root) == 0; }

// Whether the caller may read a scheme ranking the units under `parent_path`: it is in their
// scope, or they work in one of the units it ranks (the table is published to them).
bool MayRead(const auth::Actor& actor, const std::string& parent_path) {
  return actor.InScope(parent_path) || (!actor.unit_path.empty() && UnderPath(actor.unit_path, parent_path));
}

Result<Period> ParseMonth(const std::string& text, const char* field = "period") {
  auto p = Period::Parse(text);
  if (!p.ok() || p->kind() != PeriodKind::kMonth)
    return InvalidArgument("期别无效：应为月份，如 2026-06", {{field, "应为 YYYY-MM"}});
  return *p;
}

std::string MonthKey(const Period& p) { return p.ToString(); }

// a / b × 100, exact to the Decimal's places; nullopt when b is not positive.
std::optional<Decimal> Percent(Decimal a, Decimal b) {
  if (b.raw() <= 0) return std::nullopt;
  auto times = Decimal::CheckedMul(a, Decimal::FromInt(100));
  if (!times.ok()) return std::nullopt;
  auto q = Decimal::CheckedDiv(*times, b);
  if (!q.ok()) return std::nullopt;
  return *q;
}

// Sums the entries of `by_path` whose path lies under `root` (map keys are sorted, so the
// subtree is one contiguous run).
template <typename T, typename Add>
void SumUnder(const std::map<std::string, T>& by_path, const std::string& root, Add&& add) {
  for (auto it = by_path.lower_bound(root); it != by_path.end() && UnderPath(it->first, root); ++it) add(it->second);
}

std::string SchemeSnapshot(const Scheme& s, const SchemeVersion* v) {
  JsonText j;
  j.Add("name", s.name).Add("parent", s.parent_code).Add("archived", s.archived);
  if (v) {
    std::string items = "[";
    for (size_t i = 0; i < v->items.size(); ++i) {
      const SchemeItem& it = v->items[i];
      JsonText ji;
      ji.Add("kind", it.kind).Add("name", it.name).Add("indicator", it.indicator).Add("rate", it.rate)
          .Add("weight", it.weight.ToString()).Add("points", PointsText(it.points));
      items += (i ? "," : "") + ji.Build();
    }
    items += "]";
    j.Add("version", v->number).Add("effective_from", v->effective_from).Add("red_flags", v->red_flags)
        .Add("black_flags", v->black_flags).AddRaw("items", items);
  }
  return j.Build();
}

// What the month's figures from other services are, gathered before the league's
// transaction (each service reads in its own).
struct External {
  std::map<int64_t, std::pair<int, int>> on_time;  // unit id → (on time, due)
  std::vector<projects::BatchView> batches;  // of the year, due by the month's end
  std::map<int64_t, std::string> project_paths;  // project id → its unit's path
};

}  // namespace

std::string AssessmentService::CurrentMonth() const {
  return Period::MonthOf(ToCivil(clock_.NowMillis())).ToString();
}

// ---- Schemes ----

Result<Scheme> AssessmentService::LoadReadable(db::Tx& tx, const auth::Actor& actor, int64_t id) {
  auto s = store::LoadScheme(tx, id);
  if (!s) return NotFound("考评方案不存在");
  auto parent = store::FindUnit(tx, s->parent_id);
  if (!parent || !MayRead(actor, parent->path)) return NotFound("考评方案不存在");
  return *s;
}

Result<std::vector<Scheme>> AssessmentService::ListSchemes(const auth::Actor& actor, bool include_archived) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "assessment.read"));
  std::vector<Scheme> out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    for (const Scheme& s : store::ListSchemes(tx, actor.system ? "" : actor.unit_path, include_archived)) {
      auto full = store::LoadScheme(tx, s.id);
      if (full) out.push_back(std::move(*full));
    }
    return Status::Ok();
  }));
  return out;
}

Result<Scheme> AssessmentService::GetScheme(const auth::Actor& actor, int64_t id) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "assessment.read"));
  Result<Scheme> out = NotFound("");
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    out = LoadReadable(tx, actor, id);
    return out.status();
  }));
  return out;
}

Status AssessmentService::CheckIndicators(db::Tx& tx, const std::vector<SchemeItem>& items) {
  std::vector<Detail> details;
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].kind != item_kind::kIndicatorGrowth) continue;
    if (!store::FindIndicator(tx, items[i].indicator))
      details.push_back({"items[" + std::to_string(i) + "].indicator", "指标不存在：" + items[i].indicator});
  }
  if (!details.empty()) return InvalidArgument("考评方案有误", std::move(details));
  return Status::Ok();
}

Result<Scheme> AssessmentService::CreateScheme(const auth::Actor& actor, const SchemeInput& in) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "assessment.manage"));
  std::vector<Detail> details;
  const size_t name_len = in.name.size();
  if (name_len == 0 || name_len > 300) details.push_back({"name", "名称必填，最多 100 个字"});
  if (!in.items) details.push_back({"items", "必填"});
  if (!details.empty()) return InvalidArgument("考评方案有误", std::move(details));
  TIAODU_RETURN_IF_ERROR(CheckItems(*in.items));
  SchemeVersion v;
  v.number = 1;
  v.items = *in.items;
  v.red_flags = in.red_flags.value_or(3);
  v.black_flags = in.black_flags.value_or(3);
  TIAODU_RETURN_IF_ERROR(CheckFlags(v.red_flags, v.black_flags));
  // The first version scores every month before it too (there is nothing earlier to keep).
  v.effective_from = "2000-01";
  if (!in.effective_from.empty()) {
    auto p = ParseMonth(in.effective_from, "effective_from");
    if (!p.ok()) return p.status();
    v.effective_from = MonthKey(*p);
  }
  v.note = in.note;
  v.created_by = actor.username;
  const int64_t now = clock_.NowMillis();
  v.created_at = now;
  int64_t id = 0;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto parent = store::FindUnitByCode(tx, in.parent_code);
    if (!parent || !actor.InScope(parent->path))
      return InvalidArgument("考评方案有误", {{"parent", "单位不存在或不在您的管辖范围内：" + in.parent_code}});
    if (store::RankedUnits(tx, parent->id).empty())
      return InvalidArgument("考评方案有误", {{"parent", "该单位没有可排名的下级单位"}});
    TIAODU_RETURN_IF_ERROR(CheckIndicators(tx, v.items));
    Scheme s;
    s.name = in.name;
    s.parent_id = parent->id;
    s.parent_code = parent->code;
    id = store::InsertScheme(tx, s, now);
    store::InsertVersion(tx, id, v);
    s.id = id;
    return auth::AppendAudit(tx, auth::MakeAudit(actor, now, "assessment.scheme.create", "assessment_scheme",
                                                 std::to_string(id), {}, SchemeSnapshot(s, &v)));
  }));
  return GetScheme(actor, id);
}

Result<Scheme> AssessmentService::UpdateScheme(const auth::Actor& actor, int64_t id, const SchemeInput& in,
                                               int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "assessment.manage"));
  if (in.items) TIAODU_RETURN_IF_ERROR(CheckItems(*in.items));
  if (in.red_flags || in.black_flags) TIAODU_RETURN_IF_ERROR(CheckFlags(in.red_flags.value_or(0), in.black_flags.value_or(0)));
  if (!in.name.empty() && in.name.size() > 300) return InvalidArgument("考评方案有误", {{"name", "最多 100 个字"}});
  const int64_t now = clock_.NowMillis();
  const std::string current = CurrentMonth();
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto loaded = LoadReadable(tx, actor, id);
    if (!loaded.ok()) return loaded.status();
    Scheme s = *loaded;
    auto parent = store::FindUnit(tx, s.parent_id);
    if (!actor.InScope(parent->path)) return PermissionDenied("只有方案所属单位的考评管理员可以修改");
    if (s.version != version) return StaleVersion();
    const SchemeVersion* last = s.versions.empty() ? nullptr : &s.versions.back();
    const std::string before = SchemeSnapshot(s, last);
    std::optional<SchemeVersion> added;
    if (in.items || in.red_flags || in.black_flags) {
      SchemeVersion v;
      v.number = last ? last->number + 1 : 1;
      v.items = in.items ? *in.items : (last ? last->items : std::vector<SchemeItem>{});
      v.red_flags = in.red_flags.value_or(last ? last->red_flags : 3);
      v.black_flags = in.black_flags.value_or(last ? last->black_flags : 3);
      v.effective_from = current;
      if (!in.effective_from.empty()) {
        auto p = ParseMonth(in.effective_from, "effective_from");
        if (!p.ok()) return p.status();
        v.effective_from = MonthKey(*p);
      }
      const std::string published = store::LastPublished(tx, id);
      if (!published.empty() && v.effective_from <= published)
        return InvalidArgument("考评方案有误", {{"effective_from", published + " 及以前的月份已发布，考评结果已冻结，新版本只能从以后的月份起用"}});
      TIAODU_RETURN_IF_ERROR(CheckIndicators(tx, v.items));
      v.note = in.note;
      v.created_by = actor.username;
      v.created_at = now;
      store::InsertVersion(tx, id, v);
      added = v;
    }
    if (!in.name.empty()) s.name = in.name;
    if (in.archived) s.archived = *in.archived;
    if (!store::UpdateScheme(tx, s, now)) return StaleVersion();
    return auth::AppendAudit(tx, auth::MakeAudit(actor, now, "assessment.scheme.update", "assessment_scheme",
                                                 std::to_string(id), before, SchemeSnapshot(s, added ? &*added : last)));
  }));
  return GetScheme(actor, id);
}

Result<Scheme> AssessmentService::FindDefault(db::Tx& tx, const auth::Actor& actor) {
  std::optional<Scheme> best;
  size_t best_len = 0;
  for (const Scheme& s : store::ListSchemes(tx, "", false)) {
    auto parent = store::FindUnit(tx, s.parent_id);
    if (!parent || !MayRead(actor, parent->path)) continue;
    // Nearest ancestor (or own unit) first; else the first scheme within scope.
    const bool ancestor = !actor.unit_path.empty() && UnderPath(actor.unit_path, parent->path);
    const size_t score = ancestor ? parent->path.size() + 1 : 0;
    if (!best || score > best_len) {
      best = s;
      best_len = score;
    }
  }
  if (!best) return NotFound("没有可用的考评方案");
  auto full = store::LoadScheme(tx, best->id);
  if (!full) return NotFound("没有可用的考评方案");
  return *full;
}

Result<Scheme> AssessmentService::DefaultScheme(const auth::Actor& actor) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "assessment.read"));
  Result<Scheme> out = NotFound("");
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    out = FindDefault(tx, actor);
    return out.status();
  }));
  return out;
}

// ---- League tables ----

Result<League> AssessmentService::LeagueInTx(db::Tx& tx, const Scheme& scheme, const std::string& period) {
  if (auto pub = store::FindPublished(tx, scheme.id, period)) {
    League league;
    league.scheme_id = scheme.id;
    league.scheme_name = scheme.name;
    league.period = period;
    league.scheme_version = pub->scheme_version;
    for (const SchemeVersion& v : scheme.versions) {
      if (v.number != pub->scheme_version) continue;
      league.items = v.items;
      league.red_flags = v.red_flags;
      league.black_flags = v.black_flags;
    }
    league.rows = store::LoadPublishedRows(tx, scheme.id, period, league.items.size());
    league.published = true;
    league.published_at = pub->published_at;
    TIAODU_RETURN_IF_ERROR(FillPrevious(tx, scheme, league));
    return league;
  }
  auto league = ComputeLeague(tx, scheme, period);
  if (!league.ok()) return league.status();
  TIAODU_RETURN_IF_ERROR(FillPrevious(tx, scheme, *league));
  return league;
}

Result<League> AssessmentService::ComputeLeague(db::Tx& tx, const Scheme& scheme, const std::string& period) {
  auto month = ParseMonth(period);
  if (!month.ok()) return month.status();
  const SchemeVersion* v = VersionFor(scheme, period);
  if (!v) return InvalidArgument("该月份没有适用的考评方案版本", {{"period", "方案自 " + scheme.versions.front().effective_from + " 起适用"}});
  League league;
  league.scheme_id = scheme.id;
  league.scheme_name = scheme.name;
  league.period = period;
  league.scheme_version = v->number;
  league.items = v->items;
  league.red_flags = v->red_flags;
  league.black_flags = v->black_flags;

  const std::vector<store::UnitRef> units = store::RankedUnits(tx, scheme.parent_id);
  const int year = month->year();
  const std::string year_start = std::to_string(year) + "-01-01";
  const std::string month_end = FormatIsoDate(month->EndDate());

  // Figures other services define, read through them in this transaction.
  External ext;
  for (const SchemeItem& it : v->items) {
    if (it.kind == item_kind::kOnTimeRate && ext.on_time.empty()) {
      auto parent = store::FindUnit(tx, scheme.parent_id);
      if (!parent) return NotFound("考评方案的单位不存在");
      auto rep = supervision_.OnTimeInTx(
          tx, supervision::UnitRef{parent->id, parent->code, parent->name, parent->path, parent->parent_id}, period);
      if (!rep.ok()) return rep.status();
      for (const auto& row : rep->rows) ext.on_time[row.unit.id] = {row.on_time, row.due};
    }
    if (it.kind == item_kind::kBatchRate && ext.batches.empty()) {
      for (auto& b : projects_.BatchesInTx(tx)) {
        const std::string deadline = FormatIsoDate(b.batch.deadline);
        if (deadline < year_start || deadline > month_end) continue;
        for (const auto& p : b.projects) {
          if (ext.project_paths.count(p.id)) continue;
          auto u = store::FindUnit(tx, p.unit_id);
          ext.project_paths[p.id] = u ? u->path : "";
        }
        ext.batches.push_back(std::move(b));
      }
    }
  }

  std::vector<UnitInput> inputs;
  for (const auto& u : units) inputs.push_back(UnitInput{u.id, u.code, u.name});
  std::vector<std::vector<std::optional<Decimal>>> measures(v->items.size(),
                                                             std::vector<std::optional<Decimal>>(units.size()));
  std::vector<std::vector<std::string>> bases(v->items.size(), std::vector<std::string>(units.size()));
  std::vector<bool> lower_better(v->items.size(), false);

  std::optional<std::map<std::string, store::Amounts>> project_amounts;
  std::optional<std::map<std::string, Decimal>> contracts;
  std::optional<std::map<int64_t, Decimal>> targets;
  for (size_t i = 0; i < v->items.size(); ++i) {
    const SchemeItem& it = v->items[i];
    if (it.kind == item_kind::kIndicatorGrowth) {
      auto ind = store::FindIndicator(tx, it.indicator);
      if (!ind) continue;  // removed from the catalog since: nobody scores
      lower_better[i] = ind->lower_better;
      auto growth = store::IndicatorGrowth(tx, ind->id, period);
      for (size_t u = 0; u < units.size(); ++u) {
        auto g = growth.find(units[u].id);
        if (g == growth.end()) continue;
        measures[i][u] = g->second;
        bases[i][u] = ind->name + "增长 " + g->second.Format(1) + "%";
      }
    } else if (it.kind == item_kind::kProjectCompletion) {
      if (!project_amounts) project_amounts = store::ProjectAmountsByPath(tx, year, period);
      for (size_t u = 0; u < units.size(); ++u) {
        store::Amounts sum;
        SumUnder(*project_amounts, units[u].path, [&](const store::Amounts& a) {
          sum.done += a.done;
          sum.plan += a.plan;
        });
        measures[i][u] = Percent(sum.done, sum.plan);
        if (measures[i][u]) bases[i][u] = "完成 " + sum.done.Format(2) + " / 计划 " + sum.plan.Format(2) + " 亿元";
      }
    } else if (it.kind == item_kind::kInvestmentTarget) {
      if (!contracts) contracts = store::ContractsByPath(tx, year_start, month_end);
      if (!targets) targets = store::InvestmentTargets(tx, year);
      for (size_t u = 0; u < units.size(); ++u) {
        auto t = targets->find(units[u].id);
        if (t == targets->end()) continue;
        Decimal signed_amount;
        SumUnder(*contracts, units[u].path, [&](const Decimal& d) { signed_amount += d; });
        measures[i][u] = Percent(signed_amount, t->second);
        if (measures[i][u])
          bases[i][u] = "签约 " + signed_amount.Format(2) + " / 目标 " + t->second.Format(2) + " 亿元";
      }
    } else if (it.kind == item_kind::kOnTimeRate) {
      for (size_t u = 0; u < units.size(); ++u) {
        auto o = ext.on_time.find(units[u].id);
        if (o == ext.on_time.end() || o->second.second == 0) continue;
        measures[i][u] = Percent(Decimal::FromInt(o->second.first), Decimal::FromInt(o->second.second));
        bases[i][u] = "按时办结 " + std::to_string(o->second.first) + " / 到期 " + std::to_string(o->second.second) + " 件";
      }
    } else if (it.kind == item_kind::kBatchRate) {
      const std::string list = it.rate == "start" ? "start" : "produce";
      for (size_t u = 0; u < units.size(); ++u) {
        int64_t entries = 0;
        Decimal weighted;  // Σ rate × n
        for (const auto& view : ext.batches) {
          projects::Batch mine = view.batch;
          mine.entries.clear();
          for (const auto& e : view.batch.entries) {
            auto path = ext.project_paths.find(e.project_id);
            if (path != ext.project_paths.end() && UnderPath(path->second, units[u].path)) mine.entries.push_back(e);
          }
          int64_t n = std::count_if(mine.entries.begin(), mine.entries.end(),
                                    [&](const projects::Batch::Entry& e) { return e.list == list; });
          if (n == 0) continue;
          projects::BatchRates rates = projects::ComputeBatchRates(mine, view.projects);
          std::optional<Decimal> rate = it.rate == "start"     ? rates.start_rate
                                        : it.rate == "produce" ? rates.produce_rate
                                                               : rates.effective_rate;
          if (!rate) continue;
          auto w = Decimal::CheckedMul(*rate, Decimal::FromInt(n));
          if (!w.ok()) continue;
          weighted += *w;
          entries += n;
        }
        if (entries == 0) continue;
        auto q = Decimal::CheckedDiv(weighted, Decimal::FromInt(entries));
        if (!q.ok()) continue;
        measures[i][u] = *q;
        bases[i][u] = "列入 " + std::to_string(entries) + " 个项目";
      }
    }
  }
  league.rows = ScoreLeague(v->items, inputs, measures, lower_better, v->red_flags, v->black_flags);
  // Carry the bases over (rows are re-ordered by rank).
  std::map<int64_t, size_t> index;
  for (size_t u = 0; u < units.size(); ++u) index[units[u].id] = u;
  for (LeagueRow& row : league.rows)
    for (size_t i = 0; i < row.items.size(); ++i) row.items[i].basis = bases[i][index[row.unit_id]];
  return league;
}

Status AssessmentService::FillPrevious(db::Tx& tx, const Scheme& scheme, League& league) {
  auto month = ParseMonth(league.period);
  if (!month.ok()) return month.status();
  const int y = month->year(), m = month->index();
  const std::string prev = Period::Month(m == 1 ? y - 1 : y, m == 1 ? 12 : m - 1).ToString();
  std::vector<LeagueRow> rows;
  if (store::FindPublished(tx, scheme.id, prev)) {
    rows = store::LoadPublishedRows(tx, scheme.id, prev, 0);
  } else if (VersionFor(scheme, prev)) {
    auto computed = ComputeLeague(tx, scheme, prev);
    if (computed.ok()) rows = std::move(computed->rows);
  }
  std::map<int64_t, const LeagueRow*> by_unit;
  for (const LeagueRow& r : rows) by_unit[r.unit_id] = &r;
  for (LeagueRow& r : league.rows) {
    auto it = by_unit.find(r.unit_id);
    if (it == by_unit.end()) continue;
    r.previous_rank = it->second->rank;
    r.previous_flag = it->second->flag;
  }
  return Status::Ok();
}

void AssessmentService::KeepRowsInScope(db::Tx& tx, const auth::Actor& actor, const Scheme& scheme,
                                        std::vector<LeagueRow>& rows) {
  auto parent = store::FindUnit(tx, scheme.parent_id);
  if (parent && actor.InScope(parent->path)) return;
  std::erase_if(rows, [&](const LeagueRow& r) {
    auto u = store::FindUnit(tx, r.unit_id);
    return !u || !actor.InScope(u->path);
  });
}

Result<League> AssessmentService::GetLeague(const auth::Actor& actor, int64_t scheme_id, const std::string& period) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "assessment.read"));
  auto month = ParseMonth(period);
  if (!month.ok()) return month.status();
  Result<League> out = NotFound("");
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto scheme = scheme_id ? LoadReadable(tx, actor, scheme_id) : FindDefault(tx, actor);
    if (!scheme.ok()) return scheme.status();
    out = LeagueInTx(tx, *scheme, MonthKey(*month));
    if (!out.ok()) return out.status();
    KeepRowsInScope(tx, actor, *scheme, out->rows);
    return Status::Ok();
  }));
  return out;
}

Result<League> AssessmentService::Publish(const auth::Actor& actor, int64_t scheme_id, const std::string& period) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "assessment.manage"));
  auto month = ParseMonth(period);
  if (!month.ok()) return month.status();
  const std::string key = MonthKey(*month);
  if (key > CurrentMonth()) return InvalidArgument("不能发布未来月份的考评结果", {{"period", "不能晚于本月"}});
  const int64_t now = clock_.NowMillis();
  Result<League> out = NotFound("");
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto scheme = scheme_id ? LoadReadable(tx, actor, scheme_id) : FindDefault(tx, actor);
    if (!scheme.ok()) return scheme.status();
    auto parent = store::FindUnit(tx, scheme->parent_id);
    if (!actor.InScope(parent->path)) return PermissionDenied("只有方案所属单位的考评管理员可以发布");
    if (store::FindPublished(tx, scheme->id, key)) return Conflict(key + " 的考评结果已发布");
    auto league = ComputeLeague(tx, *scheme, key);
    if (!league.ok()) return league.status();
    store::InsertPublished(tx, scheme->id, key, *league, now, actor.username);
    std::string red, black;
    for (const LeagueRow& r : league->rows) {
      if (r.flag == Flag::kRed) red += (red.empty() ? "" : ",") + r.unit_code;
      if (r.flag == Flag::kBlack) black += (black.empty() ? "" : ",") + r.unit_code;
    }
    JsonText after;
    after.Add("period", key).Add("scheme_version", league->scheme_version).Add("red", red).Add("black", black);
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "assessment.league.publish",
                                                                 "assessment_scheme", std::to_string(scheme->id), {},
                                                                 after.Build())));
    out = LeagueInTx(tx, *scheme, key);
    return out.status();
  }));
  return out;
}

Result<FlagBoard> AssessmentService::Flags(const auth::Actor& actor, int64_t scheme_id, int year,
                                           const std::string& unit_code) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "assessment.read"));
  Result<FlagBoard> out = NotFound("");
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto scheme = scheme_id ? LoadReadable(tx, actor, scheme_id) : FindDefault(tx, actor);
    if (!scheme.ok()) return scheme.status();
    FlagBoard board;
    board.scheme = *scheme;
    const std::string from = std::to_string(year) + "-01", to = std::to_string(year) + "-12";
    auto cells = store::FlagsBetween(tx, scheme->id, from, to);
    std::set<std::string> periods;
    for (const auto& c : cells) periods.insert(c.period);
    board.periods.assign(periods.begin(), periods.end());
    auto parent = store::FindUnit(tx, scheme->parent_id);
    const bool whole = parent && actor.InScope(parent->path);
    for (const auto& u : store::RankedUnits(tx, scheme->parent_id)) {
      if (!whole && !actor.InScope(u.path)) continue;
      if (!unit_code.empty() && u.code != unit_code) continue;
      FlagBoard::Row row;
      row.unit = u;
      for (const std::string& p : board.periods) {
        store::FlagCell cell{u.id, p, 0, Flag::kNone};
        for (const auto& c : cells)
          if (c.unit_id == u.id && c.period == p) cell = c;
        row.red += cell.flag == Flag::kRed;
        row.black += cell.flag == Flag::kBlack;
        row.cells.push_back(cell);
      }
      board.rows.push_back(std::move(row));
    }
    out = std::move(board);
    return Status::Ok();
  }));
  return out;
}

}  // namespace tiaodu::assessment

// ---- The monthly bulletin ----

namespace tiaodu::assessment {
namespace {

// The catalog's main indicators, in the order a bulletin reports them; the scheme's own
// indicator items follow when they are not among them.
constexpr const char* kBulletinIndicators[] = {"gdp", "industrial_va", "fixed_asset_investment",
                                               "retail_sales", "budget_revenue", "tax_revenue"};

// The last millisecond of the month (Beijing time).
int64_t MonthEndMillis(const Period& month) {
  const CivilDate end = month.EndDate();
  return (DaysFromCivil(end) + 1) * 86'400'000LL - 8 * 3'600'000LL - 1;
}

}  // namespace

Result<BulletinData> AssessmentService::Bulletin(const auth::Actor& actor, int64_t scheme_id,
                                                 const std::string& period) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "assessment.read"));
  auto month = ParseMonth(period);
  if (!month.ok()) return month.status();
  Result<BulletinData> out = NotFound("");
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto scheme = scheme_id ? LoadReadable(tx, actor, scheme_id) : FindDefault(tx, actor);
    if (!scheme.ok()) return scheme.status();
    auto parent = store::FindUnit(tx, scheme->parent_id);
    if (!parent) return NotFound("考评方案的单位不存在");
    BulletinData d;
    d.scheme_id = scheme->id;
    d.scheme_name = scheme->name;
    d.unit = BulletinUnit{parent->id, parent->code, parent->name};
    FillBulletinHeading(d, parent->name, MonthKey(*month));
    auto league = LeagueInTx(tx, *scheme, d.period);
    if (!league.ok()) return league.status();
    d.league = std::move(*league);
    // Decision 0017: below the scheme's unit, only one's own rows.
    d.scoped = !actor.InScope(parent->path);
    TIAODU_RETURN_IF_ERROR(FillBulletin(tx, *scheme, *parent,
                                        [&](const std::string& path) { return !d.scoped || actor.InScope(path); }, d));
    if (d.scoped) KeepRowsInScope(tx, actor, *scheme, d.league.rows);
    out = std::move(d);
    return Status::Ok();
  }));
  return out;
}

Status AssessmentService::FillBulletin(db::Tx& tx, const Scheme& scheme, const store::UnitRef& parent,
                                       const std::function<bool(const std::string&)>& visible, BulletinData& d) {
  auto month = ParseMonth(d.period);
  if (!month.ok()) return month.status();
  const int year = month->year();
  // The rows a caller may see: every ranked unit, or (below the scheme's unit) those in scope.
  // Totals count every unit.
  std::vector<store::UnitRef> all_units = store::RankedUnits(tx, scheme.parent_id), units;
  for (const auto& u : all_units)
    if (visible(u.path)) units.push_back(u);
  std::map<int64_t, const store::UnitRef*> ranked;
  for (const auto& u : units) ranked[u.id] = &u;

  // (一) Indicators.
  std::vector<std::string> codes(std::begin(kBulletinIndicators), std::end(kBulletinIndicators));
  for (const SchemeVersion& v : scheme.versions)
    for (const SchemeItem& it : v.items)
      if (it.kind == item_kind::kIndicatorGrowth && std::find(codes.begin(), codes.end(), it.indicator) == codes.end())
        codes.push_back(it.indicator);
  for (const store::IndicatorInfo& ind : store::IndicatorsByCode(tx, codes)) {
    auto own = store::UnitFigure(tx, parent.id, ind.id, d.period);
    if (!own) continue;  // no approved figure of the scheme's unit this month (GDP outside quarter ends)
    BulletinIndicator bi;
    bi.code = ind.code;
    bi.name = ind.name;
    bi.measure_unit = ind.unit;
    bi.decimals = ind.decimals;
    bi.comparable = ind.growth_basis == "comparable";
    bi.value = own->value;
    bi.yoy = own->yoy;
    for (const store::UnitFigureRow& f : store::ChildFigures(tx, parent.id, ind.id, d.period)) {
      if (!ranked.count(f.unit_id)) continue;
      bi.rows.push_back(BulletinIndicator::Row{BulletinUnit{f.unit_id, f.unit_code, f.unit_name}, f.value, f.yoy,
                                               f.rank_value, f.rank_growth});
    }
    std::stable_sort(bi.rows.begin(), bi.rows.end(), [](const auto& a, const auto& b) {
      const int ra = a.rank_growth ? a.rank_growth : 1 << 30, rb = b.rank_growth ? b.rank_growth : 1 << 30;
      return ra != rb ? ra < rb : a.unit.code < b.unit.code;
    });
    d.indicators.push_back(std::move(bi));
  }

  // (二) Key projects, with their status as of the month's end (projects' own rule).
  const std::string settings_text = store::ProjectSettingsText(tx);
  const projects::Settings settings =
      settings_text.empty() ? projects::DefaultSettings() : projects::SettingsFromText(settings_text);
  const Decimal elapsed_share = ElapsedShareOfYear(*month);
  d.projects.elapsed = Decimal::FromRaw(elapsed_share.raw() * 100);
  for (const auto& u : units) d.projects.units.push_back(BulletinProjectUnit{BulletinUnit{u.id, u.code, u.name}});
  for (const store::PlannedProject& p : store::PlannedProjects(tx, parent.path, year, d.period)) {
    projects::StatusInput in;
    in.annual_plan = p.plan;
    in.ytd = p.done;
    in.elapsed_share = elapsed_share;
    in.milestones = p.milestones;
    in.today = month->EndDate();
    const projects::StatusResult st = projects::ComputeStatus(in, settings);
    const bool lagging = st.status == projects::kLagging, serious = st.status == projects::kSeriouslyLagging;
    ++d.projects.count;
    d.projects.plan += p.plan;
    d.projects.done += p.done;
    d.projects.lagging += lagging;
    d.projects.serious += serious;
    d.projects.normal += !lagging && !serious;
    for (size_t i = 0; i < units.size(); ++i) {
      if (!UnderPath(p.unit_path, units[i].path)) continue;
      BulletinProjectUnit& pu = d.projects.units[i];
      ++pu.count;
      pu.lagging += lagging;
      pu.serious += serious;
      pu.plan += p.plan;
      pu.done += p.done;
      break;
    }
    if ((lagging || serious) && visible(p.unit_path))
      d.projects.lagging_list.push_back(
          BulletinProject{p.code, p.name, p.unit_name, st.status, st.reason, p.plan, p.done, st.completion});
  }
  d.projects.completion = Percent(d.projects.done, d.projects.plan);
  for (BulletinProjectUnit& pu : d.projects.units) pu.completion = Percent(pu.done, pu.plan);
  std::stable_sort(d.projects.lagging_list.begin(), d.projects.lagging_list.end(),
                   [](const BulletinProject& a, const BulletinProject& b) {
                     const bool sa = a.status == projects::kSeriouslyLagging, sb = b.status == projects::kSeriouslyLagging;
                     if (sa != sb) return sa;
                     const Decimal ca = a.completion.value_or(Decimal()), cb = b.completion.value_or(Decimal());
                     return ca != cb ? ca < cb : a.code < b.code;
                   });

  // (三) Investment: the year's targets against contracts signed January..month.
  const auto contracts = store::ContractsByPath(tx, std::to_string(year) + "-01-01", FormatIsoDate(month->EndDate()));
  const auto targets = store::InvestmentTargets(tx, year);
  for (const auto& u : all_units) {
    BulletinInvestmentRow row;
    row.unit = BulletinUnit{u.id, u.code, u.name};
    if (auto t = targets.find(u.id); t != targets.end()) row.target = t->second;
    SumUnder(contracts, u.path, [&](const Decimal& a) { row.signed_amount += a; });
    if (row.target) row.completion = Percent(row.signed_amount, *row.target);
    d.investment.target += row.target.value_or(Decimal());
    d.investment.signed_amount += row.signed_amount;
    if (visible(u.path)) d.investment.rows.push_back(std::move(row));
  }
  d.investment.completion = Percent(d.investment.signed_amount, d.investment.target);

  // (四) Supervised tasks with a yellow or red light.
  for (const auto& u : units) d.tasks.units.push_back(BulletinTaskUnit{BulletinUnit{u.id, u.code, u.name}});
  for (const store::LitTask& t : store::LitOpenTasks(tx, parent.path, MonthEndMillis(*month))) {
    const bool red = t.light == "red";
    d.tasks.red += red;
    d.tasks.yellow += !red;
    for (size_t i = 0; i < units.size(); ++i) {
      if (!UnderPath(t.owner_path, units[i].path)) continue;
      (red ? d.tasks.units[i].red : d.tasks.units[i].yellow)++;
      break;
    }
    if (red && visible(t.owner_path)) d.tasks.red_list.push_back(BulletinTask{t.code, t.title, t.owner_name, t.light, t.light_reason, t.due});
  }
  return Status::Ok();
}

}  // namespace tiaodu::assessment
