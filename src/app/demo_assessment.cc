#include "app/demo_assessment.h"

#include "base/period.h"

namespace tiaodu::app {

namespace {

assessment::SchemeItem Item(const char* kind, const char* name, const char* weight, const char* indicator = "",
                            const char* rate = "") {
  assessment::SchemeItem it;
  it.kind = kind;
  it.name = name;
  it.indicator = indicator;
  it.rate = rate;
  it.weight = *Decimal::Parse(weight);
  return it;
}

}  // namespace

Result<int64_t> LoadAssessmentDemo(Services& s) {
  const auth::Actor sys = SystemActor();
  namespace k = assessment::item_kind;
  int64_t id = 0;
  auto existing = s.assessment->ListSchemes(sys, true);
  if (!existing.ok()) return existing.status();
  for (const auto& scheme : *existing)
    if (scheme.parent_code == "411300") id = scheme.id;
  if (id == 0) {
    assessment::SchemeInput in;
    in.name = "南阳市县区经济工作月度考评";
    in.parent_code = "411300";
    in.items = std::vector<assessment::SchemeItem>{
        Item(k::kIndicatorGrowth, "规上工业增加值增速", "20", "industrial_va"),
        Item(k::kIndicatorGrowth, "固定资产投资增速", "15", "fixed_asset_investment"),
        Item(k::kIndicatorGrowth, "社会消费品零售总额增速", "15", "retail_sales"),
        Item(k::kIndicatorGrowth, "一般公共预算收入增速", "10", "budget_revenue"),
        Item(k::kProjectCompletion, "重点项目投资完成率", "20"),
        Item(k::kInvestmentTarget, "招商引资合同额完成率", "10"),
        Item(k::kOnTimeRate, "督办事项按时办结率", "10"),
    };
    in.red_flags = 3;
    in.black_flags = 3;
    in.note = "市委、市政府确定的县区经济工作月度考评办法";
    auto made = s.assessment->CreateScheme(sys, in);
    if (!made.ok()) return made.status();
    id = made->id;
  }
  for (int m = 2; m <= 12; ++m) {
    const std::string period = Period::Month(2024, m).ToString();
    auto league = s.assessment->GetLeague(sys, id, period);
    if (!league.ok()) return league.status();
    if (league->published) continue;
    auto published = s.assessment->Publish(sys, id, period);
    if (!published.ok()) return published.status();
  }
  return id;
}

Result<int64_t> LoadProvinceAssessment(Services& s, const std::string& root_code, const std::string& indicator) {
  namespace k = assessment::item_kind;
  assessment::SchemeInput in;
  in.name = "全省市县经济工作月度考评";
  in.parent_code = root_code;
  in.items = std::vector<assessment::SchemeItem>{
      Item(k::kIndicatorGrowth, "主要指标增速", "40", indicator.c_str()),
      Item(k::kProjectCompletion, "重点项目投资完成率", "30"),
      Item(k::kInvestmentTarget, "招商引资合同额完成率", "15"),
      Item(k::kOnTimeRate, "督办事项按时办结率", "15"),
  };
  in.red_flags = 3;
  in.black_flags = 3;
  auto made = s.assessment->CreateScheme(SystemActor(), in);
  if (!made.ok()) return made.status();
  return made->id;
}

}  // namespace tiaodu::app
