#include "indicators/service.h"

#include <algorithm>
#include <set>

#include "auth/audit.h"
#include "auth/rules.h"
#include "base/json_text.h"
#include "base/period.h"
#include "db/settings.h"
#include "indicators/figures.h"
#include "indicators/rules.h"

namespace tiaodu::indicators {
namespace {

constexpr const char* kSettingsKey = "indicators";

std::string KeyOf(const Period& p) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", p.year(), p.EndMonth());
  return buf;
}

std::string ValueSnapshot(const Value& v, const std::string& code) {
  JsonText j;
  j.Add("id", v.id).Add("unit_id", v.unit_id).Add("indicator", code).Add("period", v.period)
      .Add("value", v.value.ToString())
      .Add("reported_yoy", v.reported_yoy ? v.reported_yoy->ToString() : std::string())
      .Add("status", v.status).Add("note", v.note).Add("revision", v.revision)
      .Add("version", v.version);
  return j.Build();
}

std::string SheetId(const store::UnitRef& u, const std::string& period) {
  return u.code + "/" + period;
}

// The unit a path names: its last id ("/1/4/" → 4).
int64_t LastIdOfPath(const std::string& path) {
  if (path.size() < 2) return 0;
  size_t end = path.size() - 1;
  size_t start = path.rfind('/', end - 1);
  return std::stoll(path.substr(start + 1, end - start - 1));
}

Result<Decimal> ParseNumber(const std::string& text, const std::string& field,
                            std::vector<Detail>* details) {
  std::string t;
  for (char c : text)
    if (c != ' ') t.push_back(c);
  auto d = Decimal::Parse(t);
  if (!d.ok()) {
    details->push_back({field, "不是有效的数值：" + text});
    return d.status();
  }
  return *d;
}

std::string SettingsText(const Settings& s) {
  auto pts = [](Decimal share) { return share.Mul(Decimal::FromInt(100)).value_or(Decimal()).ToString(); };
  return "ahead_margin=" + pts(s.ahead_margin) + ";behind_margin=" + pts(s.behind_margin) +
         ";yoy_tolerance=" + s.yoy_tolerance.ToString() + ";swing_threshold=" +
         s.swing_threshold.ToString() + ";children_tolerance=" + s.children_tolerance.ToString();
}

Settings ParseSettings(const std::string& text) {
  Settings s;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(';', pos);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(pos, end - pos);
    size_t eq = item.find('=');
    if (eq != std::string::npos) {
      std::string k = item.substr(0, eq);
      auto v = Decimal::Parse(item.substr(eq + 1));
      if (v.ok()) {
        Decimal share = v->Div(Decimal::FromInt(100)).value_or(Decimal());
        if (k == "ahead_margin") s.ahead_margin = share;
        else if (k == "behind_margin") s.behind_margin = share;
        else if (k == "yoy_tolerance") s.yoy_tolerance = *v;
        else if (k == "swing_threshold") s.swing_threshold = *v;
        else if (k == "children_tolerance") s.children_tolerance = *v;
      }
    }
    pos = end + 1;
  }
  return s;
}

// The catalog, the rules and the thresholds are the whole installation's: only a user whose
// scope is a root of the unit tree (a city-level statistician) may change them.
Status NeedCityLevel(const auth::Actor& actor) {
  if (actor.system) return Status::Ok();
  if (std::count(actor.unit_path.begin(), actor.unit_path.end(), '/') == 2) return Status::Ok();
  return PermissionDenied("指标目录、校验规则和阈值由市级统计部门维护");
}

bool IsApprovedish(const std::string& status) { return status == kApproved || status == kPublished; }

// The sheet's unit: 404 when absent or outside the actor's scope.
Result<store::UnitRef> SheetUnit(db::Tx& tx, const auth::Actor& actor, const std::string& code) {
  if (code.empty()) return InvalidArgument("请选择单位", {{"unit", "必填"}});
  auto u = store::FindUnitByCode(tx, code);
  if (!u || !actor.InScope(u->path)) return NotFound("单位不存在或不在您的管理范围内：" + code);
  return *u;
}

// Approving is the level above's job: nobody approves their own unit's figures (the root's
// are approved by its departments, e.g. the city statistics bureau).
Status CheckApprover(const auth::Actor& actor, const store::UnitRef& unit) {
  if (!actor.system && unit.id == actor.unit_id)
    return PermissionDenied("本单位的数据须由上级单位审核");
  return Status::Ok();
}

}  // namespace

// Everything about one unit × period the sheet, validation and submission need.
struct SheetData {
  std::vector<Indicator> catalog;
  std::map<std::string, const Indicator*> by_code;
  std::map<int64_t, const Indicator*> by_id;
  std::map<std::pair<int64_t, std::string>, Value> values;  // (indicator id, period)
  std::vector<Rule> rules;
  Settings settings;
  std::map<int64_t, Decimal> children_sum;
  std::map<int64_t, int> children_count;
  int children_total = 0;

  const Value* Get(int64_t ind, const std::string& period) const {
    auto it = values.find({ind, period});
    return it == values.end() ? nullptr : &it->second;
  }
  std::optional<Decimal> Lookup(const std::string& code, const std::string& period, int depth = 0) const {
    auto it = by_code.find(code);
    if (it == by_code.end() || depth > 5) return std::nullopt;
    if (it->second->derived()) {
      auto e = Expr::Parse(it->second->formula);
      if (!e.ok()) return std::nullopt;
      return e->Eval([&](const std::string& c) { return Lookup(c, period, depth + 1); });
    }
    const Value* v = Get(it->second->id, period);
    if (!v) return std::nullopt;
    return v->value;
  }
};

namespace {

void IndexCatalog(SheetData& d) {
  for (const Indicator& i : d.catalog) {
    d.by_code[i.code] = &i;
    d.by_id[i.id] = &i;
  }
}

}  // namespace

Result<std::string> SheetKey(const std::string& input) {
  auto p = Period::Parse(input);
  if (!p.ok()) return InvalidArgument(p.status().message(), {{"period", p.status().message()}});
  return KeyOf(*p);
}

// Loads what the sheet of `unit` at `key` needs (inside a transaction).
static SheetData LoadSheetData(db::Tx& tx, const store::UnitRef& unit, const std::string& key,
                               const Settings& settings) {
  SheetData d;
  d.catalog = store::ListIndicators(tx, false);
  IndexCatalog(d);
  for (Value& v : store::ValuesOfUnit(tx, unit.id, PeriodsRead(d.catalog, key)))
    d.values[{v.indicator_id, v.period}] = std::move(v);
  d.rules = store::ListRules(tx);
  d.settings = settings;
  d.children_total = static_cast<int>(store::ReportingChildren(tx, unit.id).size());
  if (d.children_total > 0) store::ChildrenSums(tx, unit.id, key, &d.children_sum, &d.children_count);
  return d;
}

static std::vector<Finding> RunValidation(const SheetData& d, const std::string& key) {
  ValidationInput in;
  for (const Indicator& i : d.catalog) in.indicators[i.code] = i;
  in.period = key;
  in.rules = d.rules;
  in.children_total = d.children_total;
  const std::string ly = SameKeyLastYear(key);
  for (const Indicator& i : d.catalog) {
    if (!HasPeriod(i, key)) continue;
    if (i.derived()) {
      if (auto v = d.Lookup(i.code, key)) in.values[i.code] = *v;
      continue;
    }
    const Value* v = d.Get(i.id, key);
    if (!v) continue;
    in.values[i.code] = v->value;
    in.reported_yoy[i.code] = v->reported_yoy;
    std::string prev = PreviousKeyInYear(i, key);
    if (!prev.empty()) {
      if (const Value* pv = d.Get(i.id, prev)) {
        in.previous_ytd[i.code] = pv->value;
        std::optional<Decimal> computed;
        if (const Value* pl = d.Get(i.id, SameKeyLastYear(prev))) computed = ComputeYoy(pv->value, pl->value);
        Growth g = ChooseGrowth(i, pv->reported_yoy, computed);
        if (g.yoy) in.previous_growth[i.code] = *g.yoy;
      }
    }
    if (const Value* lv = d.Get(i.id, ly)) in.last_year[i.code] = lv->value;
    auto cs = d.children_sum.find(i.id);
    if (cs != d.children_sum.end()) {
      in.children_sum[i.code] = cs->second;
      in.children_count[i.code] = d.children_count.at(i.id);
    }
  }
  return Validate(in, d.settings);
}

static Sheet BuildSheet(const SheetData& d, const store::UnitRef& unit, const std::string& key) {
  Sheet s;
  s.unit = unit;
  s.period = key;
  for (const char* st : {kDraft, kSubmitted, kApproved, kPublished, "empty"}) s.counts[st] = 0;
  const std::string ly = SameKeyLastYear(key);
  for (const Indicator& i : d.catalog) {
    SheetRow row;
    row.indicator = i;
    row.applicable = HasPeriod(i, key);
    row.label = row.applicable ? KeyLabelZh(i, key) : "";
    if (row.applicable) {
      if (i.derived()) {
        row.derived_value = d.Lookup(i.code, key);
        if (row.derived_value) {
          if (auto lyv = d.Lookup(i.code, ly)) row.computed_yoy = ComputeYoy(*row.derived_value, *lyv);
        }
      } else {
        if (const Value* v = d.Get(i.id, key)) row.value = *v;
        std::string prev = PreviousKeyInYear(i, key);
        if (!prev.empty())
          if (const Value* pv = d.Get(i.id, prev)) row.previous_ytd = pv->value;
        if (const Value* lv = d.Get(i.id, ly)) row.last_year = lv->value;
        if (row.value) {
          if (i.accumulation == "ytd")
            row.monthly = MonthlyFromYtd(row.value->value, row.previous_ytd, prev.empty());
          if (row.last_year) row.computed_yoy = ComputeYoy(row.value->value, *row.last_year);
          s.counts[row.value->status]++;
        } else {
          s.counts["empty"]++;
        }
      }
    }
    s.rows.push_back(std::move(row));
  }
  s.findings = RunValidation(d, key);
  return s;
}

// ---------------------------------------------------------------------------------------
// Catalog

Result<std::vector<Indicator>> IndicatorService::ListIndicators(const auth::Actor& actor,
                                                                const std::string& q,
                                                                bool include_archived) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.read"));
  std::vector<Indicator> all;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    all = store::ListIndicators(tx, include_archived);
    return Status::Ok();
  }));
  if (q.empty()) return all;
  std::vector<Indicator> out;
  for (auto& i : all) {
    bool hit = i.code.find(q) != std::string::npos || i.name.find(q) != std::string::npos;
    for (const auto& a : i.aliases) hit = hit || a.find(q) != std::string::npos;
    if (hit) out.push_back(i);
  }
  return out;
}

Result<Indicator> IndicatorService::GetIndicator(const auth::Actor& actor, int64_t id) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.read"));
  std::optional<Indicator> i;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    i = store::FindIndicator(tx, id);
    return Status::Ok();
  }));
  if (!i) return NotFound("指标不存在");
  return *i;
}

static std::string IndicatorSnapshot(const Indicator& i) {
  std::string aliases;
  for (const auto& a : i.aliases) aliases += (aliases.empty() ? "" : "|") + a;
  return JsonText()
      .Add("id", i.id).Add("code", i.code).Add("name", i.name).Add("aliases", aliases)
      .Add("unit", i.unit).Add("periodicity", i.periodicity).Add("accumulation", i.accumulation)
      .Add("growth_basis", i.growth_basis).Add("direction", i.direction).Add("formula", i.formula)
      .Add("rank_by", i.rank_by).Add("additive", i.additive).Add("decimals", i.decimals)
      .Add("archived", i.archived).Add("version", i.version)
      .Build();
}

// Formulas may only name indicators of the catalog (and not themselves).
static Status CheckFormulaCodes(db::Tx& tx, const Indicator& ind) {
  if (!ind.derived()) return Status::Ok();
  auto e = Expr::Parse(ind.formula);
  if (!e.ok()) return InvalidArgument(e.status().message(), {{"formula", e.status().message()}});
  for (const std::string& c : e->codes()) {
    if (c == ind.code) return InvalidArgument("公式不能引用指标自身", {{"formula", "不能引用自身"}});
    if (!store::FindIndicatorByCode(tx, c))
      return InvalidArgument("公式引用了不存在的指标：" + c, {{"formula", "未知指标 " + c}});
  }
  return Status::Ok();
}

Result<Indicator> IndicatorService::CreateIndicator(const auth::Actor& actor, Indicator ind) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.approve"));
  TIAODU_RETURN_IF_ERROR(NeedCityLevel(actor));
  TIAODU_RETURN_IF_ERROR(CheckIndicator(ind));
  const int64_t now = clock_.NowMillis();
  Indicator out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    if (store::FindIndicatorByCode(tx, ind.code)) return Conflict("指标编码已存在：" + ind.code);
    TIAODU_RETURN_IF_ERROR(CheckFormulaCodes(tx, ind));
    int64_t id = store::InsertIndicator(tx, ind, now);
    out = *store::FindIndicator(tx, id);
    return auth::AppendAudit(tx, auth::MakeAudit(actor, now, "indicator.create", "indicator",
                                                 std::to_string(id), {}, IndicatorSnapshot(out)));
  }));
  return out;
}

Result<Indicator> IndicatorService::UpdateIndicator(const auth::Actor& actor, int64_t id,
                                                    const Indicator& patch) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.approve"));
  TIAODU_RETURN_IF_ERROR(NeedCityLevel(actor));
  const int64_t now = clock_.NowMillis();
  Indicator out;
  bool recompute = false;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto before = store::FindIndicator(tx, id);
    if (!before) return NotFound("指标不存在");
    if (!patch.code.empty() && patch.code != before->code)
      return InvalidArgument("指标编码不可修改", {{"code", "不可修改"}});
    if (patch.version != before->version) return StaleVersion();
    Indicator next = patch;
    next.id = id;
    next.code = before->code;
    next.archived = before->archived;
    TIAODU_RETURN_IF_ERROR(CheckIndicator(next));
    TIAODU_RETURN_IF_ERROR(CheckFormulaCodes(tx, next));
    if (before->derived() != next.derived() && store::CountValuesOfIndicator(tx, id) > 0)
      return FailedPrecondition("该指标已有填报数据，不能在填报指标与计算指标之间转换");
    if (!store::UpdateIndicator(tx, next, now)) return StaleVersion();
    out = *store::FindIndicator(tx, id);
    recompute = before->direction != out.direction || before->formula != out.formula ||
                before->periodicity != out.periodicity || before->growth_basis != out.growth_basis ||
                before->accumulation != out.accumulation;
    return auth::AppendAudit(tx, auth::MakeAudit(actor, now, "indicator.update", "indicator",
                                                 std::to_string(id), IndicatorSnapshot(*before),
                                                 IndicatorSnapshot(out)));
  }));
  if (recompute) TIAODU_RETURN_IF_ERROR(RecomputeAll());
  return out;
}

Result<Indicator> IndicatorService::SetIndicatorArchived(const auth::Actor& actor, int64_t id,
                                                         bool archived, int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.approve"));
  TIAODU_RETURN_IF_ERROR(NeedCityLevel(actor));
  const int64_t now = clock_.NowMillis();
  Indicator out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto before = store::FindIndicator(tx, id);
    if (!before) return NotFound("指标不存在");
    if (before->version != version) return StaleVersion();
    Indicator next = *before;
    next.archived = archived;
    if (!store::UpdateIndicator(tx, next, now)) return StaleVersion();
    out = *store::FindIndicator(tx, id);
    return auth::AppendAudit(tx, auth::MakeAudit(actor, now,
                                                 archived ? "indicator.archive" : "indicator.restore",
                                                 "indicator", std::to_string(id),
                                                 IndicatorSnapshot(*before), IndicatorSnapshot(out)));
  }));
  TIAODU_RETURN_IF_ERROR(RecomputeAll());
  return out;
}

Status IndicatorService::EnsureCatalog(const auth::Actor& system, const std::vector<Indicator>& catalog) {
  const int64_t now = clock_.NowMillis();
  return db_.Write([&](db::Tx& tx) -> Status {
    int inserted = 0;
    for (const Indicator& ind : catalog) {
      if (store::FindIndicatorByCode(tx, ind.code)) continue;
      TIAODU_RETURN_IF_ERROR(CheckIndicator(ind));
      store::InsertIndicator(tx, ind, now);
      ++inserted;
    }
    if (inserted == 0) return Status::Ok();
    return auth::AppendAudit(tx, auth::MakeAudit(system, now, "indicator.seed", "indicator", "*",
                                                 {}, JsonText().Add("inserted", inserted).Build()));
  });
}

// ---------------------------------------------------------------------------------------
// Settings

Result<Settings> IndicatorService::LoadSettings(db::Tx& tx) {
  auto row = db::GetSetting(tx, kSettingsKey);
  if (!row) return Settings();
  return ParseSettings(row->value);
}

Result<IndicatorService::SettingsView> IndicatorService::GetSettings(const auth::Actor& actor) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.read"));
  SettingsView v;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    auto row = db::GetSetting(tx, kSettingsKey);
    v.settings = row ? ParseSettings(row->value) : Settings();
    v.version = row ? row->version : 1;
    return Status::Ok();
  }));
  return v;
}

Result<IndicatorService::SettingsView> IndicatorService::PutSettings(const auth::Actor& actor,
                                                                     const Settings& s, int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.approve"));
  TIAODU_RETURN_IF_ERROR(NeedCityLevel(actor));
  std::vector<Detail> bad;
  auto check = [&](Decimal d, const char* field, Decimal max) {
    if (d.IsNegative() || d > max) bad.push_back({field, "超出允许范围（0–" + max.ToString() + "）"});
  };
  check(s.ahead_margin, "ahead_margin", Decimal::FromInt(1));
  check(s.behind_margin, "behind_margin", Decimal::FromInt(1));
  check(s.yoy_tolerance, "yoy_tolerance", Decimal::FromInt(100));
  check(s.swing_threshold, "swing_threshold", Decimal::FromInt(1000));
  check(s.children_tolerance, "children_tolerance", Decimal::FromInt(100));
  if (!bad.empty()) return InvalidArgument("配置有误", bad);
  const int64_t now = clock_.NowMillis();
  SettingsView out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto row = db::GetSetting(tx, kSettingsKey);
    int current = row ? row->version : 1;
    if (version != current) return StaleVersion();
    std::string before = row ? row->value : SettingsText(Settings());
    if (!db::PutSetting(tx, kSettingsKey, SettingsText(s), row ? row->version : 0, now))
      return StaleVersion();
    auto after = db::GetSetting(tx, kSettingsKey);
    out.settings = ParseSettings(after->value);
    out.version = after->version;
    return auth::AppendAudit(tx, auth::MakeAudit(actor, now, "indicator.settings", "settings",
                                                 kSettingsKey, JsonText().Add("value", before).Build(),
                                                 JsonText().Add("value", after->value).Build()));
  }));
  TIAODU_RETURN_IF_ERROR(RecomputeAll());
  return out;
}

// ---------------------------------------------------------------------------------------
// Figures

Status IndicatorService::RefreshLeague(db::Tx& tx, int64_t parent_id, const std::string& period,
                                       const std::vector<Indicator>& catalog, const Settings& settings) {
  std::vector<store::UnitRef> members = store::ReportingChildren(tx, parent_id);
  if (parent_id == 0) members = store::ReportingChildren(tx, 0);
  ValueMap values;
  for (Value& v : store::GroupValues(tx, parent_id, PeriodsRead(catalog, period)))
    values.emplace(ValueKey{v.unit_id, v.indicator_id, v.period}, std::move(v));
  std::vector<int64_t> ids;
  for (const auto& m : members) ids.push_back(m.id);
  TargetMap targets = store::TargetsOf(tx, ids, std::stoi(period.substr(0, 4)));
  LeagueInput in;
  in.parent_id = parent_id;
  in.period = period;
  in.unit_ids = ids;
  in.catalog = &catalog;
  in.values = &values;
  in.targets = &targets;
  in.settings = settings;
  store::ReplaceFigures(tx, parent_id, period, ComputeLeague(in));
  return Status::Ok();
}

Status IndicatorService::RefreshAround(db::Tx& tx, const store::UnitRef& unit, const std::string& period) {
  auto settings = LoadSettings(tx);
  if (!settings.ok()) return settings.status();
  std::vector<Indicator> catalog = store::ListIndicators(tx, false);
  auto p = Period::Parse(period);
  if (!p.ok()) return p.status();
  std::set<std::string> keys{period};
  // The months after `period` in its year read it (monthly values), and so does next year.
  for (int m = p->index() + 1; m <= 12 && m <= p->index() + 3; ++m) keys.insert(KeyOf(Period::Month(p->year(), m)));
  keys.insert(KeyOf(Period::Month(p->year() + 1, p->index())));
  for (const std::string& k : keys) TIAODU_RETURN_IF_ERROR(RefreshLeague(tx, unit.parent_id, k, catalog, *settings));
  return Status::Ok();
}

Status IndicatorService::RecomputePeriodTx(db::Tx& tx, const std::string& period,
                                           const std::vector<Indicator>& catalog,
                                           const Settings& settings,
                                           const std::vector<store::UnitRef>& units) {
  ValueMap values;
  for (Value& v : store::AllValuesAt(tx, PeriodsRead(catalog, period)))
    values.emplace(ValueKey{v.unit_id, v.indicator_id, v.period}, std::move(v));
  std::map<int64_t, std::vector<int64_t>> leagues;
  std::vector<int64_t> all_ids;
  for (const auto& u : units) {
    leagues[u.parent_id].push_back(u.id);
    all_ids.push_back(u.id);
  }
  TargetMap targets = store::TargetsOf(tx, all_ids, std::stoi(period.substr(0, 4)));
  std::vector<Figure> figures;
  for (auto& [parent, ids] : leagues) {
    LeagueInput in;
    in.parent_id = parent;
    in.period = period;
    in.unit_ids = ids;
    in.catalog = &catalog;
    in.values = &values;
    in.targets = &targets;
    in.settings = settings;
    auto f = ComputeLeague(in);
    figures.insert(figures.end(), std::make_move_iterator(f.begin()), std::make_move_iterator(f.end()));
  }
  store::ReplaceAllFigures(tx, period, figures);
  return Status::Ok();
}

Status IndicatorService::RecomputePeriod(const std::string& period) {
  return db_.Write([&](db::Tx& tx) -> Status {
    auto settings = LoadSettings(tx);
    if (!settings.ok()) return settings.status();
    auto catalog = store::ListIndicators(tx, false);
    return RecomputePeriodTx(tx, period, catalog, *settings, store::AllReportingUnits(tx));
  });
}

Status IndicatorService::RecomputeAll() {
  std::vector<std::string> periods;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    periods = store::ApprovedPeriods(tx);
    return Status::Ok();
  }));
  for (const std::string& p : periods) TIAODU_RETURN_IF_ERROR(RecomputePeriod(p));
  return Status::Ok();
}

Status IndicatorService::RecomputeLeagueTables(const std::string& period) {
  return db_.Write([&](db::Tx& tx) -> Status {
    auto catalog = store::ListIndicators(tx, false);
    std::map<int64_t, const Indicator*> by_id;
    for (const auto& i : catalog) by_id[i.id] = &i;
    std::vector<Figure> figures = store::FiguresOfPeriod(tx, period);
    std::map<int64_t, std::vector<Figure>> leagues;
    for (Figure& f : figures) leagues[f.parent_id].push_back(std::move(f));
    std::vector<Figure> changed;
    for (auto& [parent, list] : leagues) {
      std::vector<Figure> before = list;
      AssignRanks(list, by_id);
      for (size_t k = 0; k < list.size(); ++k)
        if (list[k].rank_value != before[k].rank_value || list[k].rank_growth != before[k].rank_growth)
          changed.push_back(list[k]);
    }
    store::UpdateRanks(tx, changed);
    return Status::Ok();
  });
}

Status IndicatorService::LoadValues(const auth::Actor& system, const std::vector<Value>& values) {
  if (!system.system) return PermissionDenied();
  std::set<std::string> periods;
  for (const Value& v : values) periods.insert(v.period);
  const int64_t now = clock_.NowMillis();
  return db_.Write([&](db::Tx& tx) -> Status {
    store::InsertValues(tx, values);
    auto settings = LoadSettings(tx);
    if (!settings.ok()) return settings.status();
    auto catalog = store::ListIndicators(tx, false);
    auto units = store::AllReportingUnits(tx);
    for (const std::string& p : periods)
      TIAODU_RETURN_IF_ERROR(RecomputePeriodTx(tx, p, catalog, *settings, units));
    return auth::AppendAudit(tx, auth::MakeAudit(system, now, "indicator.load", "indicator_value", "*",
                                                 {}, JsonText().Add("values", static_cast<int64_t>(values.size())).Build()));
  });
}

// ---------------------------------------------------------------------------------------
// The entry sheet

Result<Sheet> IndicatorService::GetSheet(const auth::Actor& actor, const std::string& unit_code,
                                         const std::string& period) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.read"));
  auto key = SheetKey(period);
  if (!key.ok()) return key.status();
  Sheet out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto unit = SheetUnit(tx, actor, unit_code);
    if (!unit.ok()) return unit.status();
    auto settings = LoadSettings(tx);
    if (!settings.ok()) return settings.status();
    out = BuildSheet(LoadSheetData(tx, *unit, *key, *settings), *unit, *key);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Finding>> IndicatorService::Validate(const auth::Actor& actor,
                                                        const std::string& unit_code,
                                                        const std::string& period) {
  auto sheet = GetSheet(actor, unit_code, period);
  if (!sheet.ok()) return sheet.status();
  return sheet->findings;
}

Result<Sheet> IndicatorService::SaveSheet(const auth::Actor& actor, const std::string& unit_code,
                                          const std::string& period,
                                          const std::vector<ValueEdit>& edits) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.write"));
  auto key = SheetKey(period);
  if (!key.ok()) return key.status();
  if (edits.empty()) return InvalidArgument("没有要保存的数据", {{"values", "不能为空"}});
  const int64_t now = clock_.NowMillis();
  Sheet out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto unit = SheetUnit(tx, actor, unit_code);
    if (!unit.ok()) return unit.status();
    auto settings = LoadSettings(tx);
    if (!settings.ok()) return settings.status();
    SheetData d = LoadSheetData(tx, *unit, *key, *settings);
    std::vector<Detail> bad;
    std::vector<Detail> locked;  // values whose state forbids the edit (422, not 400)
    std::set<std::string> seen;
    struct Planned {
      const Indicator* ind;
      std::optional<Value> existing;
      std::optional<Value> next;  // nullopt: delete
    };
    std::vector<Planned> plan;
    for (size_t k = 0; k < edits.size(); ++k) {
      const ValueEdit& e = edits[k];
      const std::string f = "values[" + std::to_string(k) + "].";
      auto it = d.by_code.find(e.indicator);
      if (it == d.by_code.end()) {
        bad.push_back({f + "indicator", "指标不存在：" + e.indicator});
        continue;
      }
      const Indicator& ind = *it->second;
      if (!seen.insert(ind.code).second) {
        bad.push_back({f + "indicator", "同一指标重复提交：" + ind.name});
        continue;
      }
      if (ind.derived()) {
        bad.push_back({f + "indicator", ind.name + "是计算指标，由系统计算，不能填报"});
        continue;
      }
      auto pk = PeriodKey(ind, *key);
      if (!pk.ok()) {
        bad.push_back({f + "indicator", pk.status().message()});
        continue;
      }
      const Value* existing = d.Get(ind.id, *key);
      if (existing) {
        if (existing->status == kSubmitted) {
          locked.push_back({f + "indicator", ind.name + "已报送，如需修改请先撤回"});
          continue;
        }
        if (IsApprovedish(existing->status)) {
          locked.push_back({f + "indicator", ind.name + "已审核，只能通过修订更改"});
          continue;
        }
        if (!e.version) {
          bad.push_back({f + "version", "修改已有数据须提供版本号"});
          continue;
        }
        if (*e.version != existing->version) return StaleVersion();
      }
      Planned pl{&ind, existing ? std::optional<Value>(*existing) : std::nullopt, std::nullopt};
      if (e.value_present && !e.value && !e.monthly) {
        if (!existing) continue;  // clearing an empty cell
        plan.push_back(pl);       // delete the draft
        continue;
      }
      Value v = existing ? *existing : Value();
      v.unit_id = unit->id;
      v.indicator_id = ind.id;
      v.period = *key;
      v.status = kDraft;
      if (e.value) {
        auto num = ParseNumber(*e.value, f + "value", &bad);
        if (!num.ok()) continue;
        v.value = *num;
      } else if (e.monthly) {
        auto num = ParseNumber(*e.monthly, f + "monthly", &bad);
        if (!num.ok()) continue;
        if (ind.accumulation != "ytd") {
          v.value = *num;
        } else {
          std::string prev = PreviousKeyInYear(ind, *key);
          const Value* pv = prev.empty() ? nullptr : d.Get(ind.id, prev);
          if (!prev.empty() && !pv) {
            bad.push_back({f + "monthly", "缺少上期累计数，无法由当月数推算累计数"});
            continue;
          }
          auto ytd = YtdFromMonthly(*num, pv ? std::optional<Decimal>(pv->value) : std::nullopt, prev.empty());
          if (!ytd.ok()) {
            bad.push_back({f + "monthly", ytd.status().message()});
            continue;
          }
          v.value = *ytd;
        }
      } else if (!existing) {
        bad.push_back({f + "value", "必填"});
        continue;
      }
      if (e.yoy_present) {
        if (e.reported_yoy && !e.reported_yoy->empty()) {
          auto num = ParseNumber(*e.reported_yoy, f + "reported_yoy", &bad);
          if (!num.ok()) continue;
          v.reported_yoy = *num;
        } else {
          v.reported_yoy.reset();
        }
      }
      if (e.note) {
        if (e.note->size() > 2000) {
          bad.push_back({f + "note", "说明过长（最多 2000 字节）"});
          continue;
        }
        v.note = *e.note;
      }
      v.updated_by = actor.user_id;
      v.updated_at = now;
      pl.next = v;
      plan.push_back(pl);
    }
    if (!bad.empty()) return InvalidArgument("填报数据有误，未保存", bad);
    if (!locked.empty())
      return Status(Code::kFailedPrecondition, "部分数据已报送或已审核，不能直接修改，未保存", locked);
    for (const Planned& pl : plan) {
      if (!pl.next) {
        if (!store::DeleteValue(tx, pl.existing->id, pl.existing->version)) return StaleVersion();
        TIAODU_RETURN_IF_ERROR(auth::AppendAudit(
            tx, auth::MakeAudit(actor, now, "indicator.value.delete", "indicator_value",
                                std::to_string(pl.existing->id), ValueSnapshot(*pl.existing, pl.ind->code), {})));
        continue;
      }
      Value v = *pl.next;
      if (pl.existing) {
        if (pl.existing->value == v.value && pl.existing->reported_yoy == v.reported_yoy &&
            pl.existing->note == v.note)
          continue;  // unchanged
        if (!store::UpdateValue(tx, v)) return StaleVersion();
      } else {
        v.id = store::InsertValue(tx, v);
      }
      auto after = store::FindValue(tx, v.id);
      TIAODU_RETURN_IF_ERROR(auth::AppendAudit(
          tx, auth::MakeAudit(actor, now, "indicator.value.save", "indicator_value",
                              std::to_string(v.id),
                              pl.existing ? ValueSnapshot(*pl.existing, pl.ind->code) : std::string(),
                              ValueSnapshot(*after, pl.ind->code))));
    }
    out = BuildSheet(LoadSheetData(tx, *unit, *key, *settings), *unit, *key);
    return Status::Ok();
  }));
  return out;
}

namespace {

// Changes the status of a sheet's values; `from` → `to`. Returns how many changed.
int ChangeStatus(db::Tx& tx, SheetData& d, const std::string& key, const char* from, const char* to,
                 const auth::Actor& actor, int64_t now, const std::string& note_append, bool* stale) {
  int n = 0;
  for (auto& [k, v] : d.values) {
    if (k.second != key || v.status != from) continue;
    Value next = v;
    next.status = to;
    if (std::string(to) == kSubmitted) next.submitted_at = now;
    if (std::string(to) == kApproved) {
      next.approved_at = now;
      next.approved_by = actor.user_id;
    }
    if (!note_append.empty()) next.note = v.note.empty() ? note_append : v.note + "；" + note_append;
    if (!store::UpdateValue(tx, next)) {
      *stale = true;
      return n;
    }
    v = next;
    v.version++;
    ++n;
  }
  return n;
}

std::vector<Detail> FindingDetails(const std::vector<Finding>& findings, const SheetData& d,
                                   bool errors_only) {
  std::vector<Detail> out;
  for (const Finding& f : findings) {
    if (errors_only && f.severity != "error") continue;
    std::string field = f.indicator.empty() ? f.rule : f.indicator;
    out.push_back({field, f.message});
  }
  (void)d;
  return out;
}

}  // namespace

Result<Sheet> IndicatorService::ChangeSheet(const auth::Actor& actor, const char* permission, bool approver,
                                            const std::string& unit_code, const std::string& period,
                                            const SheetChange& change) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, permission));
  auto key = SheetKey(period);
  if (!key.ok()) return key.status();
  const int64_t now = clock_.NowMillis();
  Sheet out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto unit = SheetUnit(tx, actor, unit_code);
    if (!unit.ok()) return unit.status();
    if (approver) TIAODU_RETURN_IF_ERROR(CheckApprover(actor, *unit));
    auto settings = LoadSettings(tx);
    if (!settings.ok()) return settings.status();
    SheetData d = LoadSheetData(tx, *unit, *key, *settings);
    TIAODU_RETURN_IF_ERROR(change(tx, *unit, *key, d, now));
    out = BuildSheet(LoadSheetData(tx, *unit, *key, *settings), *unit, *key);
    return Status::Ok();
  }));
  return out;
}

Result<Sheet> IndicatorService::Submit(const auth::Actor& actor, const std::string& unit_code,
                                       const std::string& period) {
  return ChangeSheet(actor, "indicator.write", false, unit_code, period,
                     [&](db::Tx& tx, const store::UnitRef& unit, const std::string& key, SheetData& d,
                         int64_t now) -> Status {
    int drafts = 0;
    for (const auto& [k, v] : d.values) drafts += k.second == key && v.status == kDraft;
    if (drafts == 0) return FailedPrecondition("没有待报送的草稿数据");
    std::vector<Finding> findings = RunValidation(d, key);
    if (HasErrors(findings))
      return Status(Code::kFailedPrecondition, "数据未通过校验，请先修正错误再报送",
                    FindingDetails(findings, d, true));
    std::vector<Detail> need_note;
    for (const Finding& f : findings) {
      if (f.severity != "warning" || f.indicator.empty()) continue;
      auto it = d.by_code.find(f.indicator);
      const Value* v = it == d.by_code.end() ? nullptr : d.Get(it->second->id, key);
      if (v && v->note.empty()) need_note.push_back({f.indicator, f.message + "（请填写说明）"});
    }
    if (!need_note.empty())
      return Status(Code::kFailedPrecondition, "存在预警的指标须填写说明后才能报送", need_note);
    bool stale = false;
    int n = ChangeStatus(tx, d, key, kDraft, kSubmitted, actor, now, "", &stale);
    if (stale) return StaleVersion();
    return auth::AppendAudit(tx, auth::MakeAudit(actor, now, "indicator.submit", "indicator_sheet",
                                                 SheetId(unit, key), {}, JsonText().Add("count", n).Build()));
  });
}

Result<Sheet> IndicatorService::Withdraw(const auth::Actor& actor, const std::string& unit_code,
                                         const std::string& period) {
  return ChangeSheet(actor, "indicator.write", false, unit_code, period,
                     [&](db::Tx& tx, const store::UnitRef& unit, const std::string& key, SheetData& d,
                         int64_t now) -> Status {
    bool stale = false;
    int n = ChangeStatus(tx, d, key, kSubmitted, kDraft, actor, now, "", &stale);
    if (stale) return StaleVersion();
    if (n == 0) return FailedPrecondition("没有已报送待审核的数据可撤回");
    return auth::AppendAudit(tx, auth::MakeAudit(actor, now, "indicator.withdraw", "indicator_sheet",
                                                 SheetId(unit, key), {}, JsonText().Add("count", n).Build()));
  });
}

Result<Sheet> IndicatorService::Approve(const auth::Actor& actor, const std::string& unit_code,
                                        const std::string& period) {
  return ChangeSheet(actor, "indicator.approve", true, unit_code, period,
                     [&](db::Tx& tx, const store::UnitRef& unit, const std::string& key, SheetData& d,
                         int64_t now) -> Status {
    std::vector<Finding> findings = RunValidation(d, key);
    if (HasErrors(findings))
      return Status(Code::kFailedPrecondition, "数据未通过校验，不能审核通过",
                    FindingDetails(findings, d, true));
    bool stale = false;
    int n = ChangeStatus(tx, d, key, kSubmitted, kApproved, actor, now, "", &stale);
    if (stale) return StaleVersion();
    if (n == 0) return FailedPrecondition("没有已报送待审核的数据");
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(
        tx, auth::MakeAudit(actor, now, "indicator.approve", "indicator_sheet", SheetId(unit, key), {},
                            JsonText().Add("count", n).Build())));
    return RefreshAround(tx, unit, key);
  });
}

Result<Sheet> IndicatorService::Return(const auth::Actor& actor, const std::string& unit_code,
                                       const std::string& period, const std::string& reason) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.approve"));
  if (reason.empty()) return InvalidArgument("请填写退回原因", {{"reason", "必填"}});
  return ChangeSheet(actor, "indicator.approve", true, unit_code, period,
                     [&](db::Tx& tx, const store::UnitRef& unit, const std::string& key, SheetData& d,
                         int64_t now) -> Status {
    bool stale = false;
    int n = ChangeStatus(tx, d, key, kSubmitted, kDraft, actor, now, "退回：" + reason, &stale);
    if (stale) return StaleVersion();
    if (n == 0) return FailedPrecondition("没有已报送待审核的数据可退回");
    return auth::AppendAudit(tx, auth::MakeAudit(actor, now, "indicator.return", "indicator_sheet",
                                                 SheetId(unit, key), {},
                                                 JsonText().Add("count", n).Add("reason", reason).Build()));
  });
}

Result<int64_t> IndicatorService::Publish(const auth::Actor& actor, const std::string& parent_code,
                                          const std::string& period) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.approve"));
  auto key = SheetKey(period);
  if (!key.ok()) return key.status();
  const int64_t now = clock_.NowMillis();
  int64_t n = 0;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto parent = SheetUnit(tx, actor, parent_code);
    if (!parent.ok()) return parent.status();
    std::vector<store::UnitRef> touched;
    n = store::PublishSubtree(tx, parent->path, *key, now, &touched);
    if (n == 0) return FailedPrecondition("该范围内没有已审核待发布的数据");
    std::set<int64_t> leagues;
    for (const auto& u : touched) leagues.insert(u.parent_id);
    auto settings = LoadSettings(tx);
    if (!settings.ok()) return settings.status();
    auto catalog = store::ListIndicators(tx, false);
    for (int64_t league : leagues) TIAODU_RETURN_IF_ERROR(RefreshLeague(tx, league, *key, catalog, *settings));
    return auth::AppendAudit(tx, auth::MakeAudit(actor, now, "indicator.publish", "indicator_sheet",
                                                 SheetId(*parent, *key), {},
                                                 JsonText().Add("count", n).Build()));
  }));
  return n;
}

Result<std::vector<QueueEntry>> IndicatorService::Queue(const auth::Actor& actor) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.approve"));
  std::vector<QueueEntry> out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto settings = LoadSettings(tx);
    if (!settings.ok()) return settings.status();
    for (auto& item : store::SubmittedSheets(tx, actor.system ? "/" : actor.unit_path)) {
      QueueEntry e;
      e.item = item;
      SheetData d = LoadSheetData(tx, item.unit, item.period, *settings);
      for (const Finding& f : RunValidation(d, item.period)) (f.severity == "error" ? e.errors : e.warnings)++;
      out.push_back(std::move(e));
    }
    return Status::Ok();
  }));
  return out;
}

// ---------------------------------------------------------------------------------------
// Values and revisions

Result<auth::Page<store::ValueRow>> IndicatorService::ListValues(const auth::Actor& actor,
                                                                 const std::string& unit_code,
                                                                 const std::string& indicator_code,
                                                                 store::ValueQuery q) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.read"));
  auth::Page<store::ValueRow> page;
  page.page = q.page;
  page.page_size = q.page_size;
  for (std::string* p : {&q.period, &q.from, &q.to}) {
    if (p->empty()) continue;
    auto k = SheetKey(*p);
    if (!k.ok()) return k.status();
    *p = *k;
  }
  if (!q.status.empty() && q.status != kDraft && q.status != kSubmitted && q.status != kApproved &&
      q.status != kPublished)
    return InvalidArgument("未知的状态：" + q.status, {{"status", "应为 draft/submitted/approved/published"}});
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    q.scope_path = actor.system ? "/" : actor.unit_path;
    if (!unit_code.empty()) {
      auto u = store::FindUnitByCode(tx, unit_code);
      if (!u) return Status::Ok();  // nothing matches
      q.unit_id = u->id;
    }
    if (!indicator_code.empty()) {
      auto i = store::FindIndicatorByCode(tx, indicator_code);
      if (!i) return Status::Ok();
      q.indicator_id = i->id;
    }
    page.items = store::ListValues(tx, q, &page.total);
    return Status::Ok();
  }));
  return page;
}

static std::optional<store::ValueRow> LoadValueRow(db::Tx& tx, int64_t id) {
  auto v = store::FindValue(tx, id);
  if (!v) return std::nullopt;
  store::ValueRow row;
  row.value = *v;
  if (auto u = store::FindUnitById(tx, v->unit_id)) {
    row.unit_code = u->code;
    row.unit_name = u->name;
  }
  if (auto i = store::FindIndicator(tx, v->indicator_id)) {
    row.indicator_code = i->code;
    row.indicator_name = i->name;
  }
  return row;
}

Result<store::ValueRow> IndicatorService::Revise(const auth::Actor& actor, int64_t value_id,
                                                 const std::string& value,
                                                 std::optional<std::string> reported_yoy,
                                                 bool yoy_present, const std::string& reason,
                                                 int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.approve"));
  std::vector<Detail> bad;
  auto num = ParseNumber(value, "value", &bad);
  std::optional<Decimal> yoy;
  if (yoy_present && reported_yoy && !reported_yoy->empty()) {
    auto y = ParseNumber(*reported_yoy, "reported_yoy", &bad);
    if (y.ok()) yoy = *y;
  }
  if (reason.empty()) bad.push_back({"reason", "修订必须填写原因"});
  if (!bad.empty()) return InvalidArgument("修订数据有误", bad);
  const int64_t now = clock_.NowMillis();
  store::ValueRow out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto v = store::FindValue(tx, value_id);
    if (!v) return NotFound("数据不存在");
    auto unit = store::FindUnitById(tx, v->unit_id);
    if (!unit || !actor.InScope(unit->path)) return PermissionDenied("该单位不在您的管理范围内");
    TIAODU_RETURN_IF_ERROR(CheckApprover(actor, *unit));
    if (!IsApprovedish(v->status))
      return FailedPrecondition("只有已审核或已发布的数据需要修订；草稿请直接修改");
    if (v->version != version) return StaleVersion();
    auto ind = store::FindIndicator(tx, v->indicator_id);
    Value next = *v;
    next.value = *num;
    if (yoy_present) next.reported_yoy = yoy;
    next.revision++;
    next.updated_at = now;
    next.updated_by = actor.user_id;
    if (next.value == v->value && next.reported_yoy == v->reported_yoy)
      return FailedPrecondition("修订后的数值与原值相同");
    if (!store::UpdateValue(tx, next)) return StaleVersion();
    store::Revision r;
    r.value_id = v->id;
    r.old_value = v->value;
    r.new_value = next.value;
    r.old_yoy = v->reported_yoy;
    r.new_yoy = next.reported_yoy;
    r.reason = reason;
    r.user_id = actor.user_id;
    r.username = actor.username;
    r.at = now;
    store::InsertRevision(tx, r);
    auto after = store::FindValue(tx, v->id);
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(
        tx, auth::MakeAudit(actor, now, "indicator.revise", "indicator_value", std::to_string(v->id),
                            ValueSnapshot(*v, ind->code),
                            JsonText().AddRaw("value", ValueSnapshot(*after, ind->code)).Add("reason", reason).Build())));
    TIAODU_RETURN_IF_ERROR(RefreshAround(tx, *unit, v->period));
    out = *LoadValueRow(tx, v->id);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<store::Revision>> IndicatorService::Revisions(const auth::Actor& actor,
                                                                 int64_t value_id) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.read"));
  std::vector<store::Revision> out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto v = store::FindValue(tx, value_id);
    auto unit = v ? store::FindUnitById(tx, v->unit_id) : std::nullopt;
    if (!unit || !actor.InScope(unit->path)) return NotFound("数据不存在");
    out = store::RevisionsOf(tx, value_id);
    return Status::Ok();
  }));
  return out;
}

// ---------------------------------------------------------------------------------------
// Import

Result<ImportResult> IndicatorService::Import(const auth::Actor& actor, const io::Table& table,
                                              bool dry_run) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.write"));
  const int c_unit = table.Column({"单位编码", "unit"});
  const int c_code = table.Column({"指标编码", "indicator"});
  const int c_name = table.Column({"指标名称", "指标"});
  const int c_period = table.Column({"期别", "period"});
  const int c_value = table.Column({"数值", "value", "本期累计", "累计值"});
  const int c_yoy = table.Column({"同比增长(%)", "同比增长（%）", "同比增长", "同比", "reported_yoy"});
  const int c_note = table.Column({"备注", "说明", "note"});
  std::vector<Detail> bad;
  auto header_missing = [&](int col, const char* name) {
    if (col < 0) bad.push_back({"第1行（表头）", std::string("缺少“") + name + "”列"});
  };
  header_missing(c_unit, "单位编码");
  if (c_code < 0 && c_name < 0) bad.push_back({"第1行（表头）", "缺少“指标编码”或“指标名称”列"});
  header_missing(c_period, "期别");
  header_missing(c_value, "数值");
  if (!bad.empty()) return InvalidArgument("导入失败：表头不完整，未写入任何数据", bad);
  if (table.rows.empty()) return InvalidArgument("导入失败：文件中没有数据行");
  if (table.rows.size() > 50000) return InvalidArgument("导入失败：一次最多导入 50000 行");

  auto where = [&](const io::Row& row, int col, const char* name) {
    return "第" + std::to_string(row.line) + "行 " + io::ColumnLetter(col) + "列（" + name + "）";
  };
  const int64_t now = clock_.NowMillis();
  ImportResult result;
  result.rows = static_cast<int>(table.rows.size());
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto settings = LoadSettings(tx);
    if (!settings.ok()) return settings.status();
    auto catalog = store::ListIndicators(tx, false);
    std::map<std::string, const Indicator*> by_name;
    std::map<std::string, const Indicator*> by_code;
    for (const auto& i : catalog) {
      by_code[i.code] = &i;
      by_name[i.name] = &i;
    }
    std::map<std::string, std::optional<store::UnitRef>> units;
    std::map<std::tuple<int64_t, int64_t, std::string>, int> seen;  // → first line
    struct Planned {
      Value next;
      std::optional<Value> existing;
      const Indicator* ind;
    };
    std::vector<Planned> plan;
    std::map<int64_t, std::map<std::pair<int64_t, std::string>, Value>> existing_by_unit;
    std::set<std::pair<int64_t, std::string>> sheets;
    for (const io::Row& row : table.rows) {
      if (bad.size() >= 200) break;
      const size_t before = bad.size();
      std::string ucode = io::Table::Cell(row, c_unit);
      std::optional<store::UnitRef> unit;
      if (ucode.empty()) {
        bad.push_back({where(row, c_unit, "单位编码"), "必填"});
      } else {
        auto it = units.find(ucode);
        if (it == units.end()) it = units.emplace(ucode, store::FindUnitByCode(tx, ucode)).first;
        if (!it->second || !actor.InScope(it->second->path))
          bad.push_back({where(row, c_unit, "单位编码"), "单位不存在或不在您的管理范围内：" + ucode});
        else
          unit = it->second;
      }
      const Indicator* ind = nullptr;
      std::string icode = c_code >= 0 ? io::Table::Cell(row, c_code) : "";
      std::string iname = c_name >= 0 ? io::Table::Cell(row, c_name) : "";
      if (!icode.empty()) {
        auto it = by_code.find(icode);
        if (it != by_code.end()) ind = it->second;
        else bad.push_back({where(row, c_code, "指标编码"), "指标不存在：" + icode});
      } else if (!iname.empty()) {
        auto it = by_name.find(iname);
        if (it != by_name.end()) ind = it->second;
        else bad.push_back({where(row, c_name, "指标名称"), "指标不存在：" + iname});
      } else {
        bad.push_back({where(row, c_code >= 0 ? c_code : c_name, "指标"), "必填"});
      }
      if (ind && ind->derived()) {
        bad.push_back({where(row, c_code >= 0 ? c_code : c_name, "指标"), ind->name + "是计算指标，不能导入"});
        ind = nullptr;
      }
      std::string key;
      std::string ptext = io::Table::Cell(row, c_period);
      // A spreadsheet may have turned "2024-06" into a date (2024-06-01): keep its month.
      if (ptext.size() >= 10 && ptext[4] == '-' && ptext[7] == '-' && ParseIsoDate(ptext.substr(0, 10)).ok())
        ptext = ptext.substr(0, 7);
      if (ptext.empty()) {
        bad.push_back({where(row, c_period, "期别"), "必填"});
      } else if (ind) {
        auto k = PeriodKey(*ind, ptext);
        if (!k.ok()) bad.push_back({where(row, c_period, "期别"), k.status().message()});
        else key = *k;
      }
      std::optional<Decimal> value, yoy;
      std::string vtext = io::Table::Cell(row, c_value);
      if (vtext.empty()) bad.push_back({where(row, c_value, "数值"), "必填"});
      else if (auto d = Decimal::Parse(vtext); d.ok()) value = *d;
      else bad.push_back({where(row, c_value, "数值"), "不是有效的数值：" + vtext});
      if (c_yoy >= 0) {
        std::string y = io::Table::Cell(row, c_yoy);
        if (!y.empty() && y.back() == '%') y.pop_back();
        if (!y.empty()) {
          if (auto d = Decimal::Parse(y); d.ok()) yoy = *d;
          else bad.push_back({where(row, c_yoy, "同比增长"), "不是有效的百分数：" + y});
        }
      }
      std::string note = c_note >= 0 ? io::Table::Cell(row, c_note) : "";
      if (note.size() > 2000) bad.push_back({where(row, c_note, "备注"), "过长（最多 2000 字节）"});
      if (bad.size() != before || !unit || !ind || !value) continue;
      auto dup = seen.emplace(std::tuple{unit->id, ind->id, key}, row.line);
      if (!dup.second) {
        bad.push_back({"第" + std::to_string(row.line) + "行", "与第" + std::to_string(dup.first->second) +
                                                                 "行重复（同一单位、指标、期别）"});
        continue;
      }
      auto& ex = existing_by_unit[unit->id];
      if (!sheets.count({unit->id, key})) {
        for (Value& v : store::ValuesOfUnit(tx, unit->id, {key})) ex[{v.indicator_id, v.period}] = v;
      }
      sheets.insert({unit->id, key});
      auto eit = ex.find({ind->id, key});
      std::optional<Value> existing;
      if (eit != ex.end()) existing = eit->second;
      bool same = existing && existing->value == *value && existing->reported_yoy == yoy &&
                  (note.empty() || existing->note == note);
      if (existing && existing->status != kDraft && !same) {
        bad.push_back({"第" + std::to_string(row.line) + "行",
                       ind->name + (existing->status == kSubmitted ? "已报送，如需修改请先撤回"
                                                                   : "已审核，只能通过修订更改")});
        continue;
      }
      if (same) {
        result.unchanged++;
        continue;
      }
      Value next = existing ? *existing : Value();
      next.unit_id = unit->id;
      next.indicator_id = ind->id;
      next.period = key;
      next.value = *value;
      next.reported_yoy = yoy;
      if (!note.empty()) next.note = note;
      next.status = kDraft;
      next.updated_by = actor.user_id;
      next.updated_at = now;
      (existing ? result.updated : result.inserted)++;
      plan.push_back({next, existing, ind});
    }
    if (!bad.empty()) {
      std::string msg = "导入失败：共 " + std::to_string(bad.size()) + (bad.size() >= 200 ? "+" : "") +
                        " 处错误，未写入任何数据";
      return InvalidArgument(msg, bad);
    }
    for (const Planned& p : plan) {
      if (dry_run) break;
      if (p.existing) {
        if (!store::UpdateValue(tx, p.next)) return StaleVersion();
      } else {
        store::InsertValue(tx, p.next);
      }
    }
    for (const auto& [unit_id, key] : sheets) {
      auto unit = store::FindUnitById(tx, unit_id);
      SheetData d = LoadSheetData(tx, *unit, key, *settings);
      auto findings = RunValidation(d, key);
      if (!findings.empty()) result.findings.push_back({*unit, key, findings});
    }
    if (dry_run) return Status::Ok();
    return auth::AppendAudit(tx, auth::MakeAudit(actor, now, "indicator.import", "indicator_value", "*", {},
                                                 JsonText()
                                                     .Add("rows", result.rows)
                                                     .Add("inserted", result.inserted)
                                                     .Add("updated", result.updated)
                                                     .Add("unchanged", result.unchanged)
                                                     .Build()));
  });
  if (!s.ok()) return s;
  return result;
}

// ---------------------------------------------------------------------------------------
// Targets

Result<std::vector<store::TargetRow>> IndicatorService::ListTargets(const auth::Actor& actor,
                                                                    const std::string& unit_code,
                                                                    const std::string& parent_code,
                                                                    std::optional<int> year) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.read"));
  std::vector<store::TargetRow> out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    store::TargetQuery q;
    q.scope_path = actor.system ? "/" : actor.unit_path;
    q.year = year;
    if (!unit_code.empty()) {
      auto u = store::FindUnitByCode(tx, unit_code);
      if (!u) return Status::Ok();
      q.unit_id = u->id;
    }
    if (!parent_code.empty()) {
      auto u = store::FindUnitByCode(tx, parent_code);
      if (!u) return Status::Ok();
      q.parent_id = u->id;
    }
    out = store::ListTargets(tx, q);
    return Status::Ok();
  }));
  return out;
}

Result<store::TargetRow> IndicatorService::PutTarget(const auth::Actor& actor, const TargetEdit& e) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.approve"));
  std::vector<Detail> bad;
  Target t;
  t.year = e.year;
  if (e.year < 2000 || e.year > 2100) bad.push_back({"year", "年份无效"});
  auto opt = [&](const std::optional<std::string>& text, const char* field) -> std::optional<Decimal> {
    if (!text || text->empty()) return std::nullopt;
    auto d = ParseNumber(*text, field, &bad);
    if (!d.ok()) return std::nullopt;
    return *d;
  };
  t.value = opt(e.value, "value");
  t.growth_floor = opt(e.growth_floor, "growth_floor");
  t.growth_stretch = opt(e.growth_stretch, "growth_stretch");
  if (t.value && t.value->Sign() <= 0) bad.push_back({"value", "目标值应大于零"});
  if (t.growth_floor && t.growth_stretch && *t.growth_stretch < *t.growth_floor)
    bad.push_back({"growth_stretch", "争取目标不能低于保底目标"});
  if (t.growth_stretch && !t.growth_floor) bad.push_back({"growth_floor", "设置争取目标时须同时设置保底目标"});
  if (!t.value && !t.growth_floor) bad.push_back({"value", "请至少设置目标值或增速目标"});
  if (!bad.empty()) return InvalidArgument("目标数据有误", bad);
  const int64_t now = clock_.NowMillis();
  store::TargetRow out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto unit = SheetUnit(tx, actor, e.unit);
    if (!unit.ok()) return unit.status();
    auto ind = store::FindIndicatorByCode(tx, e.indicator);
    if (!ind) return InvalidArgument("指标不存在：" + e.indicator, {{"indicator", "不存在"}});
    t.unit_id = unit->id;
    t.indicator_id = ind->id;
    t.updated_at = now;
    auto existing = store::FindTarget(tx, unit->id, ind->id, e.year);
    auto snap = [&](const Target& x) {
      return JsonText().Add("unit", unit->code).Add("indicator", ind->code).Add("year", x.year)
          .Add("value", x.value ? x.value->ToString() : "")
          .Add("growth_floor", x.growth_floor ? x.growth_floor->ToString() : "")
          .Add("growth_stretch", x.growth_stretch ? x.growth_stretch->ToString() : "")
          .Add("version", x.version).Build();
    };
    if (existing) {
      if (!e.version) return InvalidArgument("修改已有目标须提供版本号", {{"version", "必填"}});
      if (*e.version != existing->version) return StaleVersion();
      t.id = existing->id;
      t.version = existing->version;
      if (!store::UpdateTarget(tx, t, actor.user_id)) return StaleVersion();
    } else {
      t.id = store::InsertTarget(tx, t, actor.user_id);
    }
    auto after = store::FindTarget(tx, unit->id, ind->id, e.year);
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(
        tx, auth::MakeAudit(actor, now, "indicator.target", "indicator_target", std::to_string(t.id),
                            existing ? snap(*existing) : std::string(), snap(*after))));
    // Progress against the target is part of the figures of every month of that year.
    auto settings = LoadSettings(tx);
    if (!settings.ok()) return settings.status();
    auto catalog = store::ListIndicators(tx, false);
    for (int m = 1; m <= 12; ++m)
      TIAODU_RETURN_IF_ERROR(RefreshLeague(tx, unit->parent_id, KeyOf(Period::Month(e.year, m)), catalog, *settings));
    out.target = *after;
    out.unit_code = unit->code;
    out.unit_name = unit->name;
    out.indicator_code = ind->code;
    out.indicator_name = ind->name;
    return Status::Ok();
  }));
  return out;
}

// ---------------------------------------------------------------------------------------
// Rules

static const std::vector<RuleView>& BuiltinRules() {
  static const std::vector<RuleView> kRules = {
      {std::nullopt, "tax_le_budget", "tax_revenue <= budget_revenue", "error", "税收收入不得大于一般公共预算收入", true, true, 1},
      {std::nullopt, "ytd_not_decreasing", "", "error", "累计值在年内不得小于上期累计值", true, true, 1},
      {std::nullopt, "negative_value", "", "error", "总量指标不得为负数", true, true, 1},
      {std::nullopt, "yoy_mismatch", "", "warning", "现价指标上报增速与按上年同期计算的增速不一致", true, true, 1},
      {std::nullopt, "growth_swing", "", "warning", "增速较上期大幅波动", true, true, 1},
      {std::nullopt, "children_sum", "", "warning", "下级单位合计与本单位数据不一致", true, true, 1},
  };
  return kRules;
}

static RuleView ViewOf(const Rule& r) {
  return {r.id, "rule:" + std::to_string(r.id), r.expression, r.severity, r.message, r.enabled, false, r.version};
}

static Status CheckRule(db::Tx& tx, const Rule& r) {
  std::vector<Detail> bad;
  if (r.severity != "error" && r.severity != "warning") bad.push_back({"severity", "应为 error 或 warning"});
  if (r.message.empty()) bad.push_back({"message", "必填"});
  if (r.message.size() > 500) bad.push_back({"message", "过长"});
  auto c = Comparison::Parse(r.expression);
  if (!c.ok()) {
    bad.push_back({"expression", c.status().message()});
  } else {
    std::set<std::string> codes(c->left.codes().begin(), c->left.codes().end());
    codes.insert(c->right.codes().begin(), c->right.codes().end());
    if (codes.empty()) bad.push_back({"expression", "规则至少要引用一个指标"});
    for (const std::string& code : codes)
      if (!store::FindIndicatorByCode(tx, code)) bad.push_back({"expression", "未知指标：" + code});
  }
  if (!bad.empty()) return InvalidArgument("校验规则有误", bad);
  return Status::Ok();
}

static std::string RuleSnapshot(const Rule& r) {
  return JsonText().Add("id", r.id).Add("expression", r.expression).Add("severity", r.severity)
      .Add("message", r.message).Add("enabled", r.enabled).Add("version", r.version).Build();
}

Result<std::vector<RuleView>> IndicatorService::ListRules(const auth::Actor& actor) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.read"));
  std::vector<RuleView> out = BuiltinRules();
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    for (const Rule& r : store::ListRules(tx)) out.push_back(ViewOf(r));
    return Status::Ok();
  }));
  return out;
}

Result<RuleView> IndicatorService::CreateRule(const auth::Actor& actor, Rule rule) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.approve"));
  TIAODU_RETURN_IF_ERROR(NeedCityLevel(actor));
  const int64_t now = clock_.NowMillis();
  RuleView out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    TIAODU_RETURN_IF_ERROR(CheckRule(tx, rule));
    int64_t id = store::InsertRule(tx, rule, now);
    auto r = store::FindRule(tx, id);
    out = ViewOf(*r);
    return auth::AppendAudit(tx, auth::MakeAudit(actor, now, "indicator.rule.create", "indicator_rule",
                                                 std::to_string(id), {}, RuleSnapshot(*r)));
  }));
  return out;
}

Result<RuleView> IndicatorService::UpdateRule(const auth::Actor& actor, int64_t id, const Rule& patch) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.approve"));
  TIAODU_RETURN_IF_ERROR(NeedCityLevel(actor));
  const int64_t now = clock_.NowMillis();
  RuleView out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto before = store::FindRule(tx, id);
    if (!before) return NotFound("校验规则不存在");
    if (before->version != patch.version) return StaleVersion();
    Rule next = patch;
    next.id = id;
    TIAODU_RETURN_IF_ERROR(CheckRule(tx, next));
    if (!store::UpdateRule(tx, next, now)) return StaleVersion();
    auto r = store::FindRule(tx, id);
    out = ViewOf(*r);
    return auth::AppendAudit(tx, auth::MakeAudit(actor, now, "indicator.rule.update", "indicator_rule",
                                                 std::to_string(id), RuleSnapshot(*before), RuleSnapshot(*r)));
  }));
  return out;
}

// ---------------------------------------------------------------------------------------
// The board

static Result<store::UnitRef> BoardParent(db::Tx& tx, const auth::Actor& actor, const std::string& code) {
  if (code.empty()) {
    int64_t id = actor.system ? 0 : LastIdOfPath(actor.unit_path);
    std::optional<store::UnitRef> u;
    if (id) u = store::FindUnitById(tx, id);
    else {
      auto roots = store::ReportingChildren(tx, 0);
      if (!roots.empty()) u = roots.front();
    }
    if (!u) return NotFound("单位不存在");
    return *u;
  }
  return SheetUnit(tx, actor, code);
}

Result<Board> IndicatorService::GetBoard(const auth::Actor& actor, const std::string& parent_code,
                                         const std::string& period,
                                         const std::vector<std::string>& codes) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.read"));
  Board b;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto parent = BoardParent(tx, actor, parent_code);
    if (!parent.ok()) return parent.status();
    b.parent = *parent;
    if (period.empty()) {
      auto periods = store::FigurePeriods(tx, parent->id);
      if (periods.empty()) b.period = "";
      else b.period = periods.front();
    } else {
      auto k = SheetKey(period);
      if (!k.ok()) return k.status();
      b.period = *k;
    }
    auto catalog = store::ListIndicators(tx, false);
    std::set<std::string> wanted(codes.begin(), codes.end());
    for (const std::string& c : codes) {
      bool known = false;
      for (const auto& i : catalog) known = known || i.code == c;
      if (!known) return InvalidArgument("未知指标：" + c, {{"indicators", "未知指标 " + c}});
    }
    for (const auto& i : catalog)
      if ((wanted.empty() || wanted.count(i.code)) && (b.period.empty() || HasPeriod(i, b.period)))
        b.indicators.push_back(i);
    b.units = store::ReportingChildren(tx, parent->id);
    if (b.period.empty()) return Status::Ok();
    std::set<int64_t> ids;
    for (const auto& i : b.indicators) ids.insert(i.id);
    std::vector<int64_t> unit_ids{parent->id};
    for (const auto& u : b.units) unit_ids.push_back(u.id);
    TargetMap targets = store::TargetsOf(tx, unit_ids, std::stoi(b.period.substr(0, 4)));
    auto cell = [&](Figure f) {
      BoardCell c;
      auto t = targets.find({f.unit_id, f.indicator_id});
      if (t != targets.end()) c.target = t->second;
      c.figure = std::move(f);
      return c;
    };
    for (Figure& f : store::FiguresOfGroup(tx, parent->id, b.period))
      if (ids.count(f.indicator_id)) b.cells.push_back(cell(std::move(f)));
    for (Figure& f : store::FiguresOfUnit(tx, parent->id, b.period))
      if (ids.count(f.indicator_id)) b.total.push_back(cell(std::move(f)));
    return Status::Ok();
  }));
  return b;
}

Result<IndicatorService::SeriesResult> IndicatorService::GetSeries(const auth::Actor& actor,
                                                                   const std::string& unit_code,
                                                                   const std::string& indicator_code,
                                                                   const std::string& from,
                                                                   const std::string& to) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.read"));
  std::string kfrom = "0000-00", kto = "9999-99";
  if (!from.empty()) {
    auto k = SheetKey(from);
    if (!k.ok()) return k.status();
    kfrom = *k;
  }
  if (!to.empty()) {
    auto k = SheetKey(to);
    if (!k.ok()) return k.status();
    kto = *k;
  }
  SeriesResult out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto unit = SheetUnit(tx, actor, unit_code);
    if (!unit.ok()) return unit.status();
    auto ind = store::FindIndicatorByCode(tx, indicator_code);
    if (!ind) return InvalidArgument("未知指标：" + indicator_code, {{"indicator", "未知指标"}});
    out.unit = *unit;
    out.indicator = *ind;
    out.points = store::Series(tx, unit->id, ind->id, kfrom, kto);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<std::string>> IndicatorService::Periods(const auth::Actor& actor,
                                                           const std::string& parent_code) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "indicator.read"));
  std::vector<std::string> out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto parent = BoardParent(tx, actor, parent_code);
    if (!parent.ok()) return parent.status();
    out = store::FigurePeriods(tx, parent->id);
    return Status::Ok();
  }));
  return out;
}

}  // namespace tiaodu::indicators
