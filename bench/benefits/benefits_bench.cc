// Benchmark of the benefit rule engine (issue 10): 100 policies matched against 100,000
// generated enterprises (eligibility, near-misses, missing data and amounts), on one core.
//
//   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DTIAODU_BENCH=ON
//   cmake --build build-bench --target benefits_bench
//   build-bench/bench/benefits/benefits_bench --benchmark_repetitions=5
//
// The data are deterministic (a fixed seed), so every run matches the same enterprises.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "benefits/rules.h"

namespace tiaodu::benefits {
namespace {

constexpr int kPolicies = 100;
constexpr int kEnterprises = 100000;

const char* kIndustries[] = {"C13", "C14", "C26", "C27", "C30", "C33", "C34", "C35", "C36",
                             "C38", "C39", "C40", "F51", "F52", "I65", "M73", "G54", "H61"};
const char* kUnits[] = {"411302", "411303", "411321", "411322", "411323", "411324", "411325",
                        "411326", "411327", "411328", "411329", "411330", "411381"};
const char* kCerts[] = {"专精特新",       "高新技术企业",   "科技型中小企业",
                        "创新型中小企业", "专精特新小巨人", "瞪羚企业"};

std::vector<Enterprise> MakeEnterprises(int n) {
  std::mt19937_64 rng(20261125);
  auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<uint64_t>(k)); };
  std::vector<Enterprise> out;
  out.reserve(n);
  for (int i = 0; i < n; ++i) {
    Enterprise e;
    e.id = i + 1;
    e.industry = pick(50) == 0 ? "" : kIndustries[pick(std::size(kIndustries))];
    int s = pick(10);
    if (s < 3)
      e.scale = Scale::kAboveDesignated;
    else if (s < 4)
      e.scale = Scale::kAboveQuota;
    else if (s < 9)
      e.scale = Scale::kSmallMicro;
    for (const char* c : kCerts) {
      if (pick(6) == 0) e.certifications.insert(c);
    }
    e.unit_code = kUnits[pick(std::size(kUnits))];
    if (pick(40) != 0) e.founded = CivilDate{1995 + pick(30), 1 + pick(12), 1 + pick(28)};
    int64_t base = 1'000'000 + static_cast<int64_t>(rng() % 300'000'000);
    for (int y = 2021; y <= 2024; ++y) {
      YearFigures f;
      int64_t revenue = base + static_cast<int64_t>(rng() % (base / 2 + 1)) - base / 5;
      if (pick(20) != 0) f.revenue = Decimal::FromInt(revenue);
      if (pick(20) != 0) f.tax_paid = Decimal::FromInt(revenue / (15 + pick(30)));
      if (pick(10) != 0) f.rd_spending = Decimal::FromInt(revenue / (10 + pick(90)));
      if (pick(30) != 0) f.employees = Decimal::FromInt(5 + pick(800));
      e.years[y] = f;
    }
    out.push_back(std::move(e));
  }
  return out;
}

// 100 policies from six realistic shapes with varying parameters.
std::vector<PolicyRules> MakePolicies() {
  std::mt19937_64 rng(7);
  auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<uint64_t>(k)); };
  std::vector<PolicyRules> out;
  for (int i = 0; i < kPolicies; ++i) {
    PolicyRules p;
    p.base_year = 2024;
    std::string ind1 = kIndustries[pick(12)], ind2 = kIndustries[pick(12)],
                ind3 = kIndustries[pick(std::size(kIndustries))];
    switch (i % 6) {
      case 0:
        p.eligibility =
            "industry in [\"" + ind1 + "\", \"" + ind2 + "\", \"" + ind3 +
            "\"] and scale = \"规上\" and growth(revenue) >= " + std::to_string(5 + pick(15));
        p.amount = "min(rd_spending * 0.1, " + std::to_string(20 + pick(40)) + "万)";
        break;
      case 1:
        p.eligibility =
            "\"专精特新\" in certifications and rd_spending >= " + std::to_string(50 + pick(300)) +
            "万";
        p.amount = std::to_string(10 + pick(40)) + "万";
        break;
      case 2:
        p.eligibility =
            "\"高新技术企业\" in certifications and founded >= " + std::to_string(2005 + pick(15)) +
            "-01-01 and employees >= " + std::to_string(20 + pick(100));
        p.amount = "tiers(revenue, [[1000万, 5万], [5000万, 10万], [1亿, 20万], [2亿, 30万]])";
        break;
      case 3:
        p.eligibility = "scale = \"小微\" and employees >= " + std::to_string(10 + pick(40)) +
                        " and tax_paid >= " + std::to_string(10 + pick(50)) + "万";
        p.amount = "min(tax_paid * 0.05, 10万)";
        break;
      case 4:
        p.eligibility = "unit in [\"411302\", \"411303\", \"" + std::string(kUnits[pick(13)]) +
                        "\"] and revenue[2023] >= 2000万 and revenue >= revenue[2023] and not "
                        "\"科技型中小企业\" in certifications";
        p.amount = "(revenue - revenue[2023]) * 0.01 + 1万";
        break;
      default:
        p.eligibility =
            "(scale = \"规上\" or scale = \"限上\") and rd_spending / revenue * 100 >= " +
            std::to_string(2 + pick(4)) + " and growth(tax_paid) > 0";
        p.amount = "if(\"专精特新\" in certifications, 50万, 20万)";
        break;
    }
    out.push_back(std::move(p));
  }
  return out;
}

struct Totals {
  int64_t outcomes[5] = {0, 0, 0, 0, 0};
  int64_t amount_raw = 0;
};

// One full run: compile every policy, flatten every enterprise, evaluate every pair, apply each
// policy's budget (pro rata). Returns the counts.
Totals FullRun(const std::vector<PolicyRules>& rules, const std::vector<Enterprise>& firms) {
  Layout layout;
  std::vector<Policy> policies;
  policies.reserve(rules.size());
  for (const PolicyRules& r : rules) {
    Result<Policy> p = CompilePolicy(r, layout);
    if (!p.ok()) {
      std::fprintf(stderr, "%s: %s\n", r.eligibility.c_str(),
                   p.status().details()[0].reason.c_str());
      std::abort();
    }
    policies.push_back(std::move(*p));
  }
  std::vector<Facts> facts;
  facts.reserve(firms.size());
  for (const Enterprise& e : firms) facts.push_back(layout.Flatten(e));
  Totals t;
  Evaluation out;
  std::vector<AwardRequest> requests;
  for (const Policy& p : policies) {
    requests.clear();
    for (size_t i = 0; i < facts.size(); ++i) {
      Evaluate(p, facts[i], out);
      ++t.outcomes[static_cast<int>(out.outcome)];
      if (out.outcome == Outcome::kMatched) requests.push_back({firms[i].id, *out.amount});
    }
    for (const Award& a :
         ApplyBudget(requests, Decimal::FromInt(5'000'000), BudgetMode::kProRata)) {
      t.amount_raw += a.granted.raw();
    }
  }
  return t;
}

void BM_FullRun_100Policies_100kEnterprises(benchmark::State& state) {
  static const std::vector<Enterprise> firms = MakeEnterprises(kEnterprises);
  static const std::vector<PolicyRules> rules = MakePolicies();
  Totals t;
  for (auto _ : state) {
    t = FullRun(rules, firms);
    benchmark::DoNotOptimize(t);
  }
  state.counters["matched"] = static_cast<double>(t.outcomes[0]);
  state.counters["near_miss"] = static_cast<double>(t.outcomes[1]);
  state.counters["not_matched"] = static_cast<double>(t.outcomes[2]);
  state.counters["data_missing"] = static_cast<double>(t.outcomes[3]);
  state.counters["data_error"] = static_cast<double>(t.outcomes[4]);
  state.counters["pairs_per_s"] = benchmark::Counter(static_cast<double>(kPolicies) * kEnterprises,
                                                     benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_FullRun_100Policies_100kEnterprises)->Unit(benchmark::kMillisecond)->UseRealTime();

// Evaluation alone (policies compiled and enterprises flattened beforehand).
void BM_EvaluateOnly(benchmark::State& state) {
  static const std::vector<Enterprise> firms = MakeEnterprises(kEnterprises);
  static const std::vector<PolicyRules> rules = MakePolicies();
  Layout layout;
  std::vector<Policy> policies;
  for (const PolicyRules& r : rules) policies.push_back(std::move(*CompilePolicy(r, layout)));
  std::vector<Facts> facts;
  for (const Enterprise& e : firms) facts.push_back(layout.Flatten(e));
  Evaluation out;
  int64_t matched = 0;
  for (auto _ : state) {
    for (const Policy& p : policies) {
      for (const Facts& f : facts) {
        Evaluate(p, f, out);
        matched += out.outcome == Outcome::kMatched;
      }
    }
  }
  benchmark::DoNotOptimize(matched);
  state.counters["pairs_per_s"] = benchmark::Counter(static_cast<double>(kPolicies) * kEnterprises,
                                                     benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_EvaluateOnly)->Unit(benchmark::kMillisecond)->UseRealTime();

// Checking one policy's rules, as at save time and on every keystroke of the editor.
void BM_CheckOnePolicy(benchmark::State& state) {
  static const std::vector<PolicyRules> rules = MakePolicies();
  size_t i = 0;
  for (auto _ : state) {
    Status s = CheckPolicyRules(rules[i++ % rules.size()]);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_CheckOnePolicy)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tiaodu::benefits

BENCHMARK_MAIN();
