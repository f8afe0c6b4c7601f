// Demo data for 免申即享 (issue 10): the enterprise register of Nanyang and a handful of
// realistic policies, one run published and one in draft.
//
// GenerateNanyangRegister is pure and deterministic (the same inputs and seed give the same
// output): about 600 enterprises over the county-level units it is given (the investment demo's
// local companies first, then new ones with valid-looking names and unique 统一社会信用代码),
// each with a GB/T 4754 division, a scale, certifications (专精特新 ~8%, 高新技术企业 ~15%,
// 科技型中小企业 ~20% ...), a founding date and three years of figures (the three years before
// `today`'s year). Some figures are missing on purpose (about 5% lack last year's R&D spending,
// 3% lack the whole of last year, 2% have no industry), so that runs show "data missing".
// Some small firms cross 2000万 of revenue in the last year (新升规).
//
// LoadBenefitsDemo registers them (when the register is empty), creates the policies — city
// policies owned by 南阳市投资促进中心 (D411300-ZSJ, the demo's stand-in for the
// business-environment office) and one of 宛城区 — publishes a run of 规上工业企业研发费用补助 and
// leaves a draft run of the 宛城区 policy.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/demo_indicators.h"
#include "app/services.h"
#include "base/clock.h"
#include "benefits/store.h"

namespace tiaodu::app {

// A company that already exists (the investment demo's), offered to the register.
struct ExistingCompany {
  int64_t id = 0;
  std::string name, uscc, origin;
};

std::vector<benefits::store::EnterpriseRow> GenerateNanyangRegister(
    const std::vector<DemoUnit>& county_units, const std::vector<ExistingCompany>& companies,
    const CivilDate& today, int count, uint64_t seed);

// Loads the register, the policies and the runs; 0 when the register already has enterprises.
Result<int64_t> LoadBenefitsDemo(Services& s);

// Benchmark data (after the city demo): the register filled up to `enterprises` with generated
// Nanyang enterprises (through LoadRegister, as the demo), and up to `policies` non-archived
// policies in the six shapes of the demo's with varied thresholds, mostly the city's, some a
// district's. Deterministic.
struct BenefitsScale {
  int64_t enterprises = 0, policies = 0;
  double load_seconds = 0;
};
Result<BenefitsScale> LoadBenefitsScale(Services& s, int enterprises, int policies);

}  // namespace tiaodu::app
