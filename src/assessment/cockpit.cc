#include "assessment/cockpit.h"

#include <algorithm>
#include <cctype>

#include "assessment/rules.h"
#include "assessment/store.h"
#include "auth/rules.h"
#include "base/period.h"
#include "http/json.h"

namespace tiaodu::assessment {
namespace {

constexpr int kBeijingMinutes = 480;  // the 13710 clock's day ends (supervision settings default)

// A web route with its query, values percent-encoded (UTF-8 bytes).
std::string Link(const std::string& path, const std::vector<std::pair<std::string, std::string>>& query) {
  static const char* hex = "0123456789ABCDEF";
  std::string out = path;
  char sep = '?';
  for (const auto& [k, v] : query) {
    if (v.empty()) continue;
    out += sep;
    sep = '&';
    out += k + "=";
    for (unsigned char c : v) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
      else {
        out += '%';
        out += hex[c >> 4];
        out += hex[c & 15];
      }
    }
  }
  return out;
}

bool Can(const auth::Actor& actor, const char* permission) { return auth::Need(actor, permission).ok(); }

bool Under(const std::string& path, const std::string& root) { return path.compare(0, root.size(), root) == 0; }

std::optional<Decimal> Percent(Decimal part, Decimal whole) {
  if (whole.raw() <= 0) return std::nullopt;
  auto times = Decimal::CheckedMul(part, Decimal::FromInt(100));
  if (!times.ok()) return std::nullopt;
  auto q = Decimal::CheckedDiv(*times, whole);
  if (!q.ok()) return std::nullopt;
  return *q;
}

// The indicators a leader reads first (DESIGN 4.1; the bulletin's order); others follow in
// catalog order up to kIndicatorTiles.
constexpr const char* kKeyIndicators[] = {"gdp",          "industrial_va",  "fixed_asset_investment",
                                          "retail_sales", "budget_revenue", "contract_investment"};
constexpr size_t kIndicatorTiles = 6;

const char* StageName(const std::string& s) {
  static const std::map<std::string, const char*> names = {
      {"clue", "线索"},       {"contact", "接洽"},    {"inspection", "考察"}, {"negotiation", "实质性谈判"},
      {"signed", "签约"},     {"registered", "注册"}, {"started", "开工"},    {"producing", "投产"}};
  auto it = names.find(s);
  return it == names.end() ? "" : it->second;
}
constexpr const char* kStages[] = {"clue", "contact", "inspection", "negotiation", "signed", "registered", "started", "producing"};

const char* LightName(const std::string& l) { return l == "red" ? "红灯" : l == "yellow" ? "黄灯" : "绿灯"; }

}  // namespace

Result<Cockpit> CockpitService::Get(const auth::Actor& actor, const std::string& period_text,
                                    const std::string& unit_code) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "assessment.read"));
  const int64_t now = assessment_.clock().NowMillis();
  std::string period_key = period_text.empty() ? Period::MonthOf(ToCivil(now, kBeijingMinutes)).ToString() : period_text;
  auto month = Period::Parse(period_key);
  if (!month.ok() || month->kind() != PeriodKind::kMonth)
    return InvalidArgument("期别无效：应为月份，如 2026-06", {{"period", "应为 YYYY-MM"}});
  period_key = month->ToString();
  // What the answer depends on: the scope, the role's permissions, the unit and the month.
  const std::string key = (actor.system ? std::string("*") : actor.unit_path) + "|" + actor.role + "|" + unit_code + "|" + period_key;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = fresh_.find(key);
    if (it != fresh_.end()) {
      const int64_t age = now - it->second.cockpit.computed_at;
      if ((age >= 0 && age < kFreshMillis) || it->second.refreshing) return it->second.cockpit;
      it->second.refreshing = true;
    }
  }
  auto c = Read(actor, period_key, unit_code);
  std::lock_guard<std::mutex> lock(mu_);
  if (!c.ok()) {
    fresh_.erase(key);
    return c;
  }
  if (fresh_.size() > 2000) fresh_.clear();  // many scopes at once: start over rather than grow
  fresh_[key] = Entry{*c, false};
  return c;
}

Result<Cockpit> CockpitService::Read(const auth::Actor& actor, const std::string& period_key,
                                     const std::string& unit_code) {
  const int64_t now = assessment_.clock().NowMillis();
  const CivilDate today = ToCivil(now, kBeijingMinutes);
  auto month = Period::Parse(period_key);
  if (!month.ok()) return month.status();

  // The default scheme is looked up before the read (it opens its own).
  std::optional<Scheme> scheme;
  {
    auto s = assessment_.DefaultScheme(actor);
    if (s.ok()) scheme = std::move(*s);
    else if (s.status().code() != Code::kNotFound) return s.status();
  }

  Cockpit c;
  c.computed_at = now;
  c.period = period_key;
  c.year = month->year();
  const std::string year = std::to_string(c.year);
  TIAODU_RETURN_IF_ERROR(assessment_.database().Read([&](db::Tx& tx) -> Status {
    std::optional<store::UnitRef> unit =
        unit_code.empty() ? store::FindUnitByPath(tx, actor.unit_path) : store::FindUnitByCode(tx, unit_code);
    if (!unit || (!actor.system && actor.unit_path.empty()) || !actor.InScope(unit->path))
      return NotFound("单位不存在或不在您的管理范围内：" + unit_code);
    c.unit_id = unit->id;
    c.unit_code = unit->code;
    c.unit_name = unit->name;
    const std::string& code = unit->code;

    if (Can(actor, "indicator.read")) {
      c.has_indicators = true;
      c.indicator_period = store::LatestFigurePeriod(tx, unit->id, period_key);
      // The board of the unit's parent ranks it among its siblings; above the caller's scope,
      // the unit's own board (its children) is what they may open.
      std::string board_parent = code;
      if (unit->parent_id) {
        auto parent = store::FindUnit(tx, unit->parent_id);
        if (parent && actor.InScope(parent->path)) board_parent = parent->code;
      }
      c.indicators_link = Link("/indicators/board", {{"parent", board_parent}, {"period", c.indicator_period}});
      if (!c.indicator_period.empty()) {
        std::vector<store::FigureRow> rows = store::UnitFigures(tx, unit->id, c.indicator_period);
        std::vector<const store::FigureRow*> chosen;
        for (const char* k : kKeyIndicators)
          for (const auto& r : rows)
            if (r.code == k) chosen.push_back(&r);
        for (const auto& r : rows) {
          if (chosen.size() >= kIndicatorTiles) break;
          if (std::find(chosen.begin(), chosen.end(), &r) == chosen.end()) chosen.push_back(&r);
        }
        if (chosen.size() > kIndicatorTiles) chosen.resize(kIndicatorTiles);
        for (const store::FigureRow* r : chosen) {
          CockpitIndicator i;
          i.code = r->code;
          i.name = r->name;
          i.unit = r->unit;
          i.direction = r->direction;
          i.decimals = r->decimals;
          i.value = r->value;
          i.yoy = r->yoy;
          i.target = r->target_value;
          i.progress = r->progress;
          i.elapsed = r->elapsed;
          i.progress_status = r->progress_status;
          i.siblings = r->siblings;
          if (r->siblings > 1) {
            i.rank_value = r->rank_value;
            i.rank_growth = r->rank_growth;
          }
          i.link = Link("/indicators/board", {{"parent", board_parent},
                                              {"period", c.indicator_period},
                                              {"indicators", r->code},
                                              {"chart", r->code},
                                              {"unit", board_parent == code ? "" : code}});
          c.indicators.push_back(std::move(i));
        }
      }
    }

    if (Can(actor, "project.read")) {
      c.has_projects = true;
      Decimal plan, ytd;
      for (const char* status : {"正常", "滞后", "严重滞后"}) {
        CockpitCount k{status, status, 0, Decimal(), Decimal(), ""};
        k.link = Link("/projects/list", {{"unit", code}, {"status", status}, {"year", year}});
        c.projects_by_status.push_back(k);
      }
      for (const store::StatusSums& s : store::ProjectsByStatus(tx, unit->path, c.year)) {
        plan += s.plan;
        ytd += s.ytd;
        c.projects_total.count += s.count;
        for (CockpitCount& k : c.projects_by_status) {
          if (k.key != s.status) continue;
          k.count = s.count;
          k.plan = s.plan;
          k.amount = s.ytd;
        }
      }
      c.projects_total.key = "all";
      c.projects_total.name = "全部";
      c.projects_total.plan = plan;
      c.projects_total.amount = ytd;
      c.projects_total.link = Link("/projects/list", {{"unit", code}, {"year", year}});
    }

    if (Can(actor, "investment.read")) {
      c.has_investment = true;
      const std::string board = Link("/investment/board", {{"unit", code}});
      std::map<std::string, store::StageSums> by_stage;
      for (auto& s : store::OpenLeadsByStage(tx, unit->path)) by_stage[s.stage] = s;
      Decimal open_amount;
      for (const char* stage : kStages) {
        const store::StageSums& s = by_stage[stage];
        c.stages.push_back(CockpitCount{stage, StageName(stage), s.count, s.amount, std::nullopt, board});
        c.open_leads.count += s.count;
        open_amount += s.amount;
      }
      c.open_leads.key = "open";
      c.open_leads.name = "在谈线索";
      c.open_leads.amount = open_amount;
      c.open_leads.link = board;
      // As the targets page counts the year: to today in the current year, to its end before.
      const CivilDate as_of = today.year == c.year ? today : (today.year > c.year ? CivilDate{c.year, 12, 31} : CivilDate{c.year, 1, 1});
      c.signed_as_of = FormatIsoDate(as_of);
      if (today.year >= c.year) {
        auto [n, amount] = store::ContractsUnder(tx, unit->path, year + "-01-01", c.signed_as_of);
        c.signed_contracts = n;
        c.signed_amount = amount;
      }
      if (auto t = store::InvestmentTargetOf(tx, unit->id, c.year)) c.target_amount = t->first;
      c.signed_link = Link("/investment/targets", {{"year", year}, {"unit", code}});
    }

    if (Can(actor, "task.read")) {
      c.has_tasks = true;
      auto lights = store::OpenTasksByLight(tx, unit->path);
      for (const char* l : {"red", "yellow", "green"}) {
        const int64_t n = lights.count(l) ? lights[l] : 0;
        c.lights.push_back(CockpitCount{l, LightName(l), n, std::nullopt, std::nullopt,
                                        Link("/supervision/board", {{"unit", code}, {"light", l}})});
        c.open_tasks.count += n;
      }
      c.open_tasks.key = "open";
      c.open_tasks.name = "在办任务";
      c.open_tasks.link = Link("/supervision/board", {{"unit", code}});
      c.overdue_tasks.key = "overdue";
      c.overdue_tasks.name = "逾期任务";
      c.overdue_tasks.count = store::OverdueTasks(tx, unit->path, FormatIsoDate(today));
      c.overdue_tasks.link = Link("/supervision/board", {{"unit", code}, {"overdue", "1"}});
      // The on-time rate of the month, as GET /tasks/on-time counts it: a task counts once its
      // deadline has passed or it was reported; on time = reported before its deadline's day ended.
      for (const auto& [due_text, reported_at] : store::TasksDue(tx, unit->path, FormatIsoDate(month->StartDate()),
                                                                 FormatIsoDate(month->EndDate()))) {
        auto due = ParseIsoDate(due_text);
        if (!due.ok()) continue;
        const bool passed = CompareDates(*due, today) < 0;
        if (!reported_at && !passed) continue;
        ++c.due;
        const int64_t day_end = (DaysFromCivil(*due) + 1) * 86400000LL - kBeijingMinutes * 60000LL;
        if (reported_at && *reported_at < day_end) ++c.on_time;
      }
      c.on_time_link = Link("/supervision/board", {{"unit", code}, {"board", code}});
    }

    c.has_league = true;
    if (scheme) {
      c.scheme_id = scheme->id;
      c.scheme_name = scheme->name;
      c.league_period = store::LatestPublishedUpTo(tx, scheme->id, period_key);
      c.league_link = Link("/assessment/league",
                           {{"period", c.league_period.empty() ? period_key : c.league_period}, {"scheme", std::to_string(scheme->id)}});
      if (!c.league_period.empty()) {
        for (const SchemeVersion& v : scheme->versions)
          if (v.effective_from <= c.league_period) {
            c.red_flags = v.red_flags;
            c.black_flags = v.black_flags;
          }
        auto lp = Period::Parse(c.league_period);
        const int y = lp->year(), m = lp->index();
        const std::string prev = Period::Month(m == 1 ? y - 1 : y, m == 1 ? 12 : m - 1).ToString();
        std::map<int64_t, int> previous;
        for (const LeagueRow& r : store::LoadPublishedRows(tx, scheme->id, prev, 0)) previous[r.unit_id] = r.rank;
        std::map<int64_t, std::string> paths;
        for (const store::UnitRef& u : store::RankedUnits(tx, scheme->parent_id)) paths[u.id] = u.path;
        auto parent = store::FindUnit(tx, scheme->parent_id);
        const bool whole = parent && actor.InScope(parent->path);
        for (const LeagueRow& r : store::LoadPublishedRows(tx, scheme->id, c.league_period, 0)) {
          if (r.rank > 0) ++c.ranked;
          const std::string& path = paths[r.unit_id];
          CockpitLeagueRow row{r.unit_id, r.unit_code, r.unit_name, r.total, r.rank,
                               previous.count(r.unit_id) ? previous[r.unit_id] : 0, r.flag};
          if (!path.empty() && Under(unit->path, path)) c.own = row;
          if (whole || (!path.empty() && actor.InScope(path))) c.league_rows.push_back(std::move(row));
        }
      }
    }
    return Status::Ok();
  }));
  return c;
}

namespace {

void WriteCount(http::JsonWriter& w, const CockpitCount& k) {
  w.BeginObject().Field("key", k.key).Field("name", k.name).Field("count", k.count);
  if (k.amount) w.OptDecimal("amount", k.amount);
  if (k.plan) {
    w.OptDecimal("plan", k.plan);
    auto pct = k.amount ? Percent(*k.amount, *k.plan) : std::nullopt;
    w.Key("completion");
    if (pct) w.String(pct->Format(1));
    else w.Null();
  }
  w.Field("link", k.link).EndObject();
}

void WriteLeagueRow(http::JsonWriter& w, const CockpitLeagueRow& r, const std::string& period, int64_t scheme) {
  w.BeginObject()
      .Key("unit")
      .BeginObject()
      .Field("id", r.unit_id)
      .Field("code", r.code)
      .Field("name", r.name)
      .EndObject()
      .Field("total", r.total.Format(2))
      .Field("rank", r.rank)
      .Field("previous_rank", r.previous_rank)
      .Field("flag", FlagCode(r.flag))
      .Field("flag_name", FlagName(r.flag))
      .Field("link", Link("/assessment/league", {{"period", period}, {"scheme", std::to_string(scheme)}, {"unit", r.code}}))
      .EndObject();
}

std::string WriteCockpit(const Cockpit& c) {
  http::JsonWriter w;
  auto p = Period::Parse(c.period);
  w.BeginObject()
      .Key("unit")
      .BeginObject()
      .Field("id", c.unit_id)
      .Field("code", c.unit_code)
      .Field("name", c.unit_name)
      .EndObject()
      .Field("period", c.period)
      .Field("period_name", p.ok() ? p->FormatZh() : c.period)
      .Field("year", c.year)
      .Field("computed_at", FormatIsoUtc(c.computed_at));

  if (c.has_indicators) {
    auto ip = Period::Parse(c.indicator_period);
    w.Key("indicators").BeginObject().Key("period");
    if (c.indicator_period.empty()) w.Null();
    else w.String(c.indicator_period);
    w.Field("period_name", ip.ok() ? ip->FormatZh() : "").Field("link", c.indicators_link).Key("items").BeginArray();
    for (const CockpitIndicator& i : c.indicators) {
      w.BeginObject()
          .Field("code", i.code)
          .Field("name", i.name)
          .Field("unit", i.unit)
          .Field("direction", i.direction)
          .Field("decimals", i.decimals)
          .Field("value", i.value.Format(i.decimals))
          .Key("yoy");
      if (i.yoy) w.String(i.yoy->Format(1));
      else w.Null();
      w.OptInt("rank_value", i.rank_value).OptInt("rank_growth", i.rank_growth).Field("siblings", i.siblings).Key("target");
      if (i.target || i.progress) {
        w.BeginObject().OptDecimal("value", i.target).Key("progress");
        if (i.progress) w.String(i.progress->Format(1));
        else w.Null();
        w.Key("elapsed");
        if (i.elapsed) w.String(i.elapsed->Format(1));
        else w.Null();
        w.Field("status", i.progress_status).EndObject();
      } else {
        w.Null();
      }
      w.Field("link", i.link).EndObject();
    }
    w.EndArray().EndObject();
  }

  if (c.has_projects) {
    w.Key("projects").BeginObject().Field("year", c.year).Key("total");
    WriteCount(w, c.projects_total);
    w.Key("by_status").BeginArray();
    for (const CockpitCount& k : c.projects_by_status) WriteCount(w, k);
    w.EndArray();
    // The lagging figures a leader clicks first.
    for (const CockpitCount& k : c.projects_by_status) {
      if (k.key == "滞后") {
        w.Key("lagging");
        WriteCount(w, k);
      }
      if (k.key == "严重滞后") {
        w.Key("seriously_lagging");
        WriteCount(w, k);
      }
    }
    w.EndObject();
  }

  if (c.has_investment) {
    w.Key("investment").BeginObject().Key("stages").BeginArray();
    for (const CockpitCount& k : c.stages) WriteCount(w, k);
    w.EndArray().Key("open");
    WriteCount(w, c.open_leads);
    w.Key("signed")
        .BeginObject()
        .Field("year", c.year)
        .Field("as_of", c.signed_as_of)
        .Field("contracts", c.signed_contracts)
        .Field("amount", c.signed_amount.ToString())
        .OptDecimal("target", c.target_amount)
        .Key("progress");
    auto pct = c.target_amount ? Percent(c.signed_amount, *c.target_amount) : std::nullopt;
    if (pct) w.String(pct->Format(1));
    else w.Null();
    w.Field("link", c.signed_link).EndObject().EndObject();
  }

  if (c.has_tasks) {
    w.Key("tasks").BeginObject().Key("lights").BeginArray();
    for (const CockpitCount& k : c.lights) WriteCount(w, k);
    w.EndArray().Key("open");
    WriteCount(w, c.open_tasks);
    w.Key("overdue");
    WriteCount(w, c.overdue_tasks);
    w.Key("on_time").BeginObject().Field("period", c.period).Field("due", c.due).Field("on_time", c.on_time).Key("rate");
    auto rate = Percent(Decimal::FromInt(c.on_time), Decimal::FromInt(c.due));
    if (rate) w.String(rate->Format(1));
    else w.Null();
    w.Field("link", c.on_time_link).EndObject().EndObject();
  }

  if (c.has_league) {
    w.Key("league");
    if (!c.scheme_id) {
      w.Null();
    } else {
      auto lp = Period::Parse(c.league_period);
      w.BeginObject()
          .Key("scheme")
          .BeginObject()
          .Field("id", *c.scheme_id)
          .Field("name", c.scheme_name)
          .EndObject()
          .Key("period");
      if (c.league_period.empty()) w.Null();
      else w.String(c.league_period);
      w.Field("period_name", lp.ok() ? lp->FormatZh() : "")
          .Field("red_flags", c.red_flags)
          .Field("black_flags", c.black_flags)
          .Field("ranked", c.ranked)
          .Field("link", c.league_link);
      for (const char* kind : {"red", "black"}) {
        w.Key(kind).BeginArray();
        for (const CockpitLeagueRow& r : c.league_rows)
          if (FlagCode(r.flag) == kind) WriteLeagueRow(w, r, c.league_period, *c.scheme_id);
        w.EndArray();
      }
      w.Key("own");
      if (c.own) WriteLeagueRow(w, *c.own, c.league_period, *c.scheme_id);
      else w.Null();
      // Every row the caller may see when they are few; the top and bottom 15 of a long table.
      w.Key("rows").BeginArray();
      const size_t n = c.league_rows.size();
      for (size_t i = 0; i < n; ++i)
        if (n <= 30 || i < 15 || i >= n - 15) WriteLeagueRow(w, c.league_rows[i], c.league_period, *c.scheme_id);
      w.EndArray().EndObject();
    }
  }
  w.EndObject();
  return w.Take();
}

}  // namespace

http::Route CockpitRoute(std::shared_ptr<CockpitService> cockpit) {
  return {"GET", "/api/v1/cockpit", http::Access::kPermission, "assessment.read", "", [cockpit](http::RouteContext& ctx) {
            auto c = cockpit->Get(*ctx.actor, ctx.req.Query("period"), ctx.req.Query("unit"));
            if (!c.ok()) return http::ErrorResponse(c.status());
            return http::JsonResponse(200, WriteCockpit(*c));
          }};
}

}  // namespace tiaodu::assessment
