#include "indicators/figures.h"

#include <set>

#include "indicators/rules.h"

namespace tiaodu::indicators {

std::vector<std::string> PeriodsRead(const std::vector<Indicator>& catalog, const std::string& period) {
  std::set<std::string> keys{period, SameKeyLastYear(period)};
  for (const Indicator& ind : catalog) {
    std::string prev = PreviousKeyInYear(ind, period);
    if (!prev.empty()) {
      keys.insert(prev);
      keys.insert(SameKeyLastYear(prev));
    }
  }
  return {keys.begin(), keys.end()};
}

namespace {

const Value* Find(const ValueMap& m, int64_t unit, int64_t ind, const std::string& period) {
  auto it = m.find(ValueKey{unit, ind, period});
  return it == m.end() ? nullptr : &it->second;
}

// The value of any indicator (derived ones evaluated) of a unit at a period.
std::optional<Decimal> Lookup(const LeagueInput& in, const std::map<std::string, const Indicator*>& by_code,
                              int64_t unit, const std::string& code, const std::string& period,
                              int depth = 0) {
  auto it = by_code.find(code);
  if (it == by_code.end() || depth > 5) return std::nullopt;
  const Indicator& ind = *it->second;
  if (ind.derived()) {
    auto expr = Expr::Parse(ind.formula);
    if (!expr.ok()) return std::nullopt;
    return expr->Eval([&](const std::string& c) { return Lookup(in, by_code, unit, c, period, depth + 1); });
  }
  const Value* v = Find(*in.values, unit, ind.id, period);
  if (!v) return std::nullopt;
  return v->value;
}

// The weakest status among a derived figure's inputs (published only if all are).
std::string InputsStatus(const LeagueInput& in, const std::map<std::string, const Indicator*>& by_code,
                         int64_t unit, const Expr& expr, const std::string& period) {
  std::string status = kPublished;
  for (const std::string& c : expr.codes()) {
    auto it = by_code.find(c);
    if (it == by_code.end()) continue;
    const Value* v = Find(*in.values, unit, it->second->id, period);
    if (v && v->status != kPublished) status = kApproved;
  }
  return status;
}

}  // namespace

std::vector<Figure> ComputeLeague(const LeagueInput& in) {
  std::map<std::string, const Indicator*> by_code;
  std::map<int64_t, const Indicator*> by_id;
  for (const Indicator& ind : *in.catalog) {
    by_code[ind.code] = &ind;
    by_id[ind.id] = &ind;
  }
  const std::string last_year = SameKeyLastYear(in.period);
  const int year = std::stoi(in.period.substr(0, 4));
  const Decimal elapsed = ElapsedShare(in.period);
  std::vector<Figure> out;
  for (int64_t unit : in.unit_ids) {
    for (const Indicator& ind : *in.catalog) {
      if (!HasPeriod(ind, in.period)) continue;
      Figure f;
      f.unit_id = unit;
      f.indicator_id = ind.id;
      f.period = in.period;
      f.parent_id = in.parent_id;
      std::optional<Decimal> reported;
      if (ind.derived()) {
        auto value = Lookup(in, by_code, unit, ind.code, in.period);
        if (!value) continue;
        f.value = *value;
        auto expr = Expr::Parse(ind.formula);
        f.status = expr.ok() ? InputsStatus(in, by_code, unit, *expr, in.period) : kApproved;
      } else {
        const Value* v = Find(*in.values, unit, ind.id, in.period);
        if (!v) continue;
        f.value = v->value;
        f.status = v->status;
        reported = v->reported_yoy;
        if (ind.accumulation == "ytd") {
          std::string prev = PreviousKeyInYear(ind, in.period);
          const Value* pv = prev.empty() ? nullptr : Find(*in.values, unit, ind.id, prev);
          f.monthly = MonthlyFromYtd(v->value, pv ? std::optional<Decimal>(pv->value) : std::nullopt,
                                     prev.empty());
        }
      }
      std::optional<Decimal> computed;
      if (auto ly = Lookup(in, by_code, unit, ind.code, last_year)) computed = ComputeYoy(f.value, *ly);
      Growth g = ChooseGrowth(ind, reported, computed);
      f.yoy = g.yoy;
      f.yoy_source = g.source;
      auto t = in.targets->find({unit, ind.id});
      if (t != in.targets->end() && t->second.year == year) {
        const Target& target = t->second;
        f.target_value = target.value;
        if (target.value && target.value->Sign() > 0) {
          auto share = f.value.Div(*target.value);
          if (share.ok()) {
            auto pct = share->Mul(Decimal::FromInt(100));
            if (pct.ok()) f.progress = *pct;
            f.elapsed = elapsed.Mul(Decimal::FromInt(100)).value_or(Decimal());
            f.progress_status = ProgressStatus(*share, elapsed, in.settings);
          }
        } else if (target.growth_floor && f.yoy) {
          f.progress_status = GrowthTargetStatus(*f.yoy, target.growth_floor, target.growth_stretch,
                                                 ind.direction);
        }
      }
      out.push_back(std::move(f));
    }
  }
  AssignRanks(out, by_id);
  return out;
}

void AssignRanks(std::vector<Figure>& figures, const std::map<int64_t, const Indicator*>& by_id) {
  std::map<int64_t, std::vector<Figure*>> per_indicator;
  for (Figure& f : figures) per_indicator[f.indicator_id].push_back(&f);
  for (auto& [id, list] : per_indicator) {
    auto it = by_id.find(id);
    const std::string direction = it == by_id.end() ? "none" : it->second->direction;
    std::vector<std::optional<Decimal>> values, growth;
    for (Figure* f : list) {
      values.push_back(f->value);
      growth.push_back(f->yoy);
    }
    auto rv = Rank(values, direction);
    auto rg = Rank(growth, direction);
    for (size_t k = 0; k < list.size(); ++k) {
      list[k]->rank_value = rv[k];
      list[k]->rank_growth = rg[k];
    }
  }
}

}  // namespace tiaodu::indicators
