#include "app/demo_benefits.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>
#include <unordered_set>

#include "app/demo_random.h"
#include "base/validators.h"
#include "investment/rules.h"

namespace tiaodu::app {
namespace {

using benefits::Scale;
using benefits::YearFigures;
using benefits::store::EnterpriseRow;

struct Trade {
  const char* division;
  const char* words;  // the business words of a name
  double weight;
};

// Nanyang's industries: 装备制造, 食品, 医药 (艾草, 中药), 纺织, 电子, 光电, 新材料, 商贸.
constexpr Trade kTrades[] = {
    {"C13", "农副食品", 5},   {"C14", "食品", 6},     {"C15", "酒业", 2},
    {"C17", "纺织", 5},       {"C26", "化工", 4},     {"C27", "药业", 6},
    {"C29", "橡塑制品", 3},   {"C30", "建材", 4},     {"C33", "金属制品", 4},
    {"C34", "机械", 7},       {"C35", "专用设备", 6}, {"C36", "汽车零部件", 5},
    {"C38", "电气", 6},       {"C39", "电子科技", 6}, {"C40", "光电仪器", 4},
    {"C41", "艾草制品", 4},   {"F51", "商贸", 6},     {"F52", "超市", 3},
    {"H61", "酒店管理", 2},   {"H62", "餐饮管理", 2}, {"I65", "软件科技", 4},
    {"M73", "技术研究院", 2}, {"E48", "建设工程", 3}, {"G54", "物流", 3},
};

constexpr const char* kBrands[] = {
    "宛星", "卧龙", "伏牛", "白河", "仲景", "独山", "玉雕", "月季", "丹江", "淅水", "桐柏", "南召",
    "宛丰", "汉冶", "鑫源", "恒达", "瑞丰", "华宇", "中原", "宏昌", "天冠", "金鹏", "祥泰", "博远",
    "诚信", "永盛", "荣达", "佳和", "新野", "方城", "社旗", "唐河", "西峡", "镇平", "内乡", "邓州",
    "宛东", "宛西", "宛北", "龙升", "盛世", "隆泰", "德润", "利民", "康源", "绿源", "光辉", "嘉禾",
    "顺达", "汇通", "昌盛", "兴业", "远航", "卓越", "旭日", "弘毅"};

constexpr const char* kSuffixes[] = {"有限公司", "股份有限公司", "有限责任公司"};

// A USCC (GB 32100) of an enterprise registered in `division` (a six-digit GB/T 2260 code),
// unique among `used`.
std::string MakeUscc(Rng& rng, const std::string& division, std::unordered_set<std::string>& used) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  for (;;) {
    std::string body = "MA";
    for (int i = 0; i < 6; ++i) body += kAlphabet[rng.Index(kAlphabet.size())];
    auto org = OrgCodeCheckChar(body);
    if (!org.ok()) continue;
    std::string first17 = "91" + division + body + *org;
    auto check = UsccCheckChar(first17);
    if (!check.ok()) continue;
    std::string uscc = first17 + *check;
    if (used.insert(uscc).second) return uscc;
  }
}

// A whole number of 元 as a Decimal, from a double (the demo's own arithmetic).
Decimal Yuan(double v) {
  return Decimal::FromInt(static_cast<int64_t>(std::llround(std::max(0.0, v))));
}

}  // namespace

std::vector<EnterpriseRow> GenerateNanyangRegister(const std::vector<DemoUnit>& county_units,
                                                   const std::vector<ExistingCompany>& companies,
                                                   const CivilDate& today, int count,
                                                   uint64_t seed) {
  std::vector<EnterpriseRow> out;
  if (county_units.empty()) return out;
  std::unordered_set<std::string> names, usccs;
  for (const auto& c : companies) {
    names.insert(investment::NormalizeCompanyName(c.name));
    if (!c.uscc.empty()) usccs.insert(c.uscc);
  }
  double total_weight = 0;
  for (const Trade& t : kTrades) total_weight += t.weight;
  const int last = today.year - 1;
  // The investment demo's local companies first (they are Nanyang's), then new ones.
  std::vector<const ExistingCompany*> local;
  for (const auto& c : companies)
    if (c.origin.find("南阳") != std::string::npos) local.push_back(&c);
  for (int n = 0; n < count; ++n) {
    Rng rng = Stream(seed, "benefits-enterprise", "", n);
    EnterpriseRow row;
    benefits::Enterprise& e = row.enterprise;
    // Units: 宛城区 and 卧龙区 (the urban districts) take more firms than the counties.
    const DemoUnit* unit = &county_units[rng.Index(county_units.size())];
    if (rng.Chance(0.3)) {
      for (const DemoUnit& u : county_units)
        if (u.code == (rng.Chance(0.5) ? "411302" : "411303")) unit = &u;
    }
    row.unit_id = unit->id;
    e.unit_code = unit->code;
    row.unit_name = unit->name;
    double pick = rng.Uniform(0, total_weight);
    const Trade* trade = &kTrades[0];
    for (const Trade& t : kTrades) {
      if (pick < t.weight) {
        trade = &t;
        break;
      }
      pick -= t.weight;
    }
    if (n < static_cast<int>(local.size())) {
      e.id = local[n]->id;
      e.name = local[n]->name;
      row.uscc = local[n]->uscc;
    } else {
      for (int attempt = 0;; ++attempt) {
        std::string name = std::string(unit->code.size() == 6 && attempt % 2 ? "南阳" : "南阳市") +
                           rng.Pick(kBrands) + (attempt > 4 ? rng.Pick(kBrands) : "") +
                           trade->words + rng.Pick(kSuffixes);
        if (names.insert(investment::NormalizeCompanyName(name)).second) {
          e.name = name;
          break;
        }
      }
      row.uscc = MakeUscc(rng, unit->code.size() == 6 ? unit->code : "411300", usccs);
    }
    const bool industrial = trade->division[0] == 'C';
    const bool trade_firm = trade->division[0] == 'F' || trade->division[0] == 'H';
    e.industry = rng.Chance(0.02) ? "" : trade->division;
    // Scale and last year's revenue (元).
    double revenue;
    if (industrial && rng.Chance(0.45)) {
      e.scale = Scale::kAboveDesignated;
      revenue = std::exp(rng.Uniform(std::log(2.1e7), std::log(6e8)));
    } else if (trade_firm && rng.Chance(0.45)) {
      e.scale = Scale::kAboveQuota;
      revenue = std::exp(rng.Uniform(std::log(5e6), std::log(3e8)));
    } else {
      e.scale = rng.Chance(0.04) ? std::nullopt : std::optional<Scale>(Scale::kSmallMicro);
      revenue = std::exp(rng.Uniform(std::log(5e5), std::log(1.9e7)));
    }
    // 新升规: about one in ten industrial firms crossed 2000万 last year.
    const bool new_above = industrial && e.scale == Scale::kAboveDesignated && rng.Chance(0.12);
    if (new_above) revenue = rng.Uniform(2.05e7, 3.5e7);
    const bool tech = industrial || trade->division[0] == 'I' || trade->division[0] == 'M';
    if (tech && rng.Chance(0.15)) e.certifications.insert("高新技术企业");
    if (tech && rng.Chance(0.2)) e.certifications.insert("科技型中小企业");
    if (industrial && rng.Chance(0.08)) e.certifications.insert("专精特新");
    if (e.certifications.count("专精特新") && rng.Chance(0.15))
      e.certifications.insert("专精特新小巨人");
    if (tech && rng.Chance(0.1)) e.certifications.insert("创新型中小企业");
    if (industrial && rng.Chance(0.03)) e.certifications.insert("绿色工厂");
    e.founded = CivilDate{rng.Int(1995, last - 1), rng.Int(1, 12), rng.Int(1, 28)};
    if (rng.Chance(0.01)) e.founded.reset();
    // Three years, from the oldest: revenue grows by -15%..+25% a year.
    const double rd_share = tech ? rng.Uniform(0.005, 0.07) : rng.Uniform(0.0, 0.005);
    const double tax_share = rng.Uniform(0.02, 0.07);
    const double per_head = rng.Uniform(3e5, 9e5);
    std::vector<double> revenues(3);
    revenues[2] = revenue;
    for (int k = 1; k >= 0; --k) revenues[k] = revenues[k + 1] / rng.Uniform(0.85, 1.25);
    if (new_above) revenues[1] = std::min(revenues[1], rng.Uniform(1.2e7, 1.95e7));
    for (int k = 0; k < 3; ++k) {
      const int year = last - 2 + k;
      YearFigures f;
      f.revenue = Yuan(revenues[k]);
      f.tax_paid = Yuan(revenues[k] * tax_share * rng.Uniform(0.9, 1.1));
      f.rd_spending = Yuan(revenues[k] * rd_share * rng.Uniform(0.8, 1.2));
      f.employees = Decimal::FromInt(5 + static_cast<int64_t>(revenues[k] / per_head));
      if (k == 2 && rng.Chance(0.05)) f.rd_spending.reset();  // not reported yet
      if (k == 2 && rng.Chance(0.03)) continue;               // last year missing entirely
      e.years[year] = f;
    }
    out.push_back(std::move(row));
  }
  return out;
}

namespace {

// Nanyang's county-level units (the root's children that are places) and every company of the
// investment module's register.
Status CountiesAndCompanies(Services& s, std::vector<DemoUnit>& county,
                            std::vector<ExistingCompany>& companies) {
  auth::Actor sys = SystemActor();
  org::UnitQuery uq;
  uq.page_size = 100000;
  auto all = s.org->List(sys, uq);
  if (!all.ok()) return all.status();
  int64_t root = 0;
  for (const org::Unit& u : all->items)
    if (!u.parent_id) root = u.id;
  for (const org::Unit& u : all->items)
    if (u.parent_id == root && u.kind != "department" && u.kind != "task_force" && !u.archived)
      county.push_back({u.id, u.code, u.name, root});
  for (int page = 1;; ++page) {
    auto list = s.investment->ListCompanies(sys, "", "", page, 500);
    if (!list.ok()) return list.status();
    for (const auto& c : list->items) companies.push_back({c.id, c.name, c.uscc, c.origin});
    if (list->items.empty() || static_cast<int64_t>(companies.size()) >= list->total) break;
  }
  return Status::Ok();
}

// The demo user `username` as an actor (their role and data scope), so the demo's runs carry
// real names through review, approval and the public notice; the system actor when the demo has
// no such user.
auth::Actor DemoActor(Services& s, const std::string& username) {
  auth::Actor sys = SystemActor();
  auto found = s.auth->ListUsers(sys, auth::UserQuery{username, "", 0, 1, 50});
  if (!found.ok()) return sys;
  for (const auth::User& u : found->items) {
    if (u.username != username || u.disabled) continue;
    auth::Actor a;
    a.user_id = u.id;
    a.username = u.username;
    a.role = u.role;
    a.unit_id = u.unit_id;
    a.unit_path = u.scope_path;
    return a;
  }
  return sys;
}

}  // namespace

Result<int64_t> LoadBenefitsDemo(Services& s) {
  auth::Actor sys = SystemActor();
  auto existing = s.benefits->ListEnterprises(sys, {}, "");
  if (!existing.ok()) return existing.status();
  if (existing->total > 0) return 0;
  std::vector<DemoUnit> county;
  std::vector<ExistingCompany> companies;
  TIAODU_RETURN_IF_ERROR(CountiesAndCompanies(s, county, companies));
  const CivilDate today = ToCivil(s.clock.NowMillis());
  const int last = today.year - 1;
  auto rows = GenerateNanyangRegister(county, companies, today, 600, 2024);
  TIAODU_RETURN_IF_ERROR(s.benefits->LoadRegister(sys, rows));

  const std::string y = std::to_string(last), before = std::to_string(last - 1);
  struct Seed {
    const char* title;
    const char* issuer;
    std::string doc, eligibility, amount, budget, mode, unit;
  };
  const std::vector<Seed> seeds = {
      {"规上工业企业研发费用补助", "南阳市科学技术局", "宛科〔" + y + "〕8号",
       "scale = \"规上\" and industry in [\"C13\", \"C14\", \"C15\", \"C17\", \"C26\", \"C27\", "
       "\"C29\", \"C30\", "
       "\"C33\", \"C34\", \"C35\", \"C36\", \"C38\", \"C39\", \"C40\", \"C41\"] and rd_spending >= "
       "300万 and "
       "growth(rd_spending) > 0",
       "min(rd_spending * 0.1, 100万)", "2000万", "order", "D411300-ZSJ"},
      {"专精特新中小企业一次性奖励", "南阳市工业和信息化局", "宛工信〔" + y + "〕15号",
       "\"专精特新\" in certifications and tax_paid >= 50万", "20万", "", "order", "D411300-ZSJ"},
      {"高新技术企业认定奖励", "南阳市科学技术局", "宛科〔" + y + "〕11号",
       "\"高新技术企业\" in certifications and founded < " + y +
           "-01-01 and rd_spending / revenue * 100 >= 3",
       "if(revenue >= 1亿, 30万, 10万)", "", "order", "D411300-ZSJ"},
      {"新升规工业企业奖励", "南阳市工业和信息化局", "宛工信〔" + y + "〕21号",
       "scale = \"规上\" and revenue[" + before + "] < 2000万 and revenue >= 2000万", "50万",
       "300万", "pro_rata", "D411300-ZSJ"},
      {"亩均税收贡献奖励（按入库税收分档）", "南阳市人民政府办公室", "宛政办〔" + y + "〕30号",
       "scale = \"规上\" and tax_paid >= 500万 and growth(tax_paid) >= 0",
       "tiers(tax_paid, [[500万, 10万], [1000万, 30万], [3000万, 50万]])", "", "order",
       "D411300-ZSJ"},
      {"宛城区科技型中小企业研发奖励", "宛城区科学技术和工业信息化局", "宛区科〔" + y + "〕3号",
       "\"科技型中小企业\" in certifications and rd_spending >= 50万",
       "min(rd_spending * 0.05, 10万)", "100万", "order", "411302"},
  };
  std::vector<int64_t> ids;
  for (const Seed& seed : seeds) {
    benefits::PolicyInput in;
    in.title = seed.title;
    in.issuer = seed.issuer;
    in.doc_number = seed.doc;
    in.valid_from = CivilDate{last, 1, 1};
    in.valid_to = CivilDate{last + 1, 12, 31};
    in.budget = seed.budget;
    in.budget_mode = seed.mode;
    in.rules.eligibility = seed.eligibility;
    in.rules.amount = seed.amount;
    in.rules.base_year = last;
    in.unit_code = seed.unit;
    auto made = s.benefits->CreatePolicy(sys, in);
    if (!made.ok()) return made.status();
    ids.push_back(made->id);
  }
  // 研发费用补助: run and reviewed by the city's investment officer (the demo's business-
  // environment office), approved by the city leader, published. 宛城区's policy: a draft run.
  const auth::Actor officer = DemoActor(s, "invest");
  const auth::Actor leader = DemoActor(s, "leader");
  auto run = s.benefits->StartRun(officer, ids[0], last);
  if (!run.ok()) return run.status();
  auto reviewed = s.benefits->Review(officer, run->run.id, run->run.version);
  if (!reviewed.ok()) return reviewed.status();
  auto approved = s.benefits->Approve(leader, run->run.id, reviewed->run.version);
  if (!approved.ok()) return approved.status();
  auto published = s.benefits->Publish(officer, run->run.id, approved->run.version);
  if (!published.ok()) return published.status();
  auto draft = s.benefits->StartRun(officer, ids.back(), last);
  if (!draft.ok()) return draft.status();
  return static_cast<int64_t>(rows.size());
}

}  // namespace tiaodu::app

namespace tiaodu::app {

Result<BenefitsScale> LoadBenefitsScale(Services& s, int enterprises, int policies) {
  BenefitsScale out;
  auth::Actor sys = SystemActor();
  std::vector<DemoUnit> county;
  std::vector<ExistingCompany> companies;
  TIAODU_RETURN_IF_ERROR(CountiesAndCompanies(s, county, companies));
  auto registered = s.benefits->ListEnterprises(sys, {}, "");
  if (!registered.ok()) return registered.status();
  const CivilDate today = ToCivil(s.clock.NowMillis());
  const int last = today.year - 1;
  auto t0 = std::chrono::steady_clock::now();
  if (registered->total < enterprises) {
    // Known companies only keep the new names unique: none is registered again.
    for (auto& c : companies) c.origin.clear();
    auto rows = GenerateNanyangRegister(county, companies, today,
                                        enterprises - static_cast<int>(registered->total), 2025);
    TIAODU_RETURN_IF_ERROR(s.benefits->LoadRegister(sys, rows));
  }
  out.load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  auto existing = s.benefits->ListPolicies(sys, {});
  if (!existing.ok()) return existing.status();
  // Policies in the six shapes of the demo's, their thresholds, lists, amounts and owners varied:
  // most the city's, some a district's (a run then reads that district's register).
  const std::string y = std::to_string(last), before = std::to_string(last - 1);
  const char* industries[] = {"C13", "C14", "C15", "C17", "C26", "C27", "C29", "C30", "C33",
                              "C34", "C35", "C36", "C38", "C39", "C40", "C41"};
  for (int n = static_cast<int>(existing->total); n < policies; ++n) {
    Rng rng = Stream(2025, "benefits-policy", "", n);
    benefits::PolicyInput in;
    in.valid_from = CivilDate{last, 1, 1};
    in.valid_to = CivilDate{last + 1, 12, 31};
    in.rules.base_year = last;
    in.issuer = "南阳市人民政府办公室";
    in.doc_number = "宛政办〔" + y + "〕" + std::to_string(100 + n) + "号";
    in.unit_code = rng.Chance(0.8) ? "D411300-ZSJ" : county[rng.Index(county.size())].code;
    std::string list;
    for (const char* i : industries)
      if (rng.Chance(0.5)) list += (list.empty() ? "\"" : ", \"") + std::string(i) + "\"";
    if (list.empty()) list = "\"C34\"";
    switch (n % 6) {
      case 0:
        in.title = "研发费用补助";
        in.rules.eligibility = "scale = \"规上\" and industry in [" + list + "] and rd_spending >= " +
                               std::to_string(rng.Int(50, 500)) + "万 and growth(rd_spending) > 0";
        in.rules.amount = "min(rd_spending * 0.1, " + std::to_string(rng.Int(30, 100)) + "万)";
        in.budget = std::to_string(rng.Int(500, 3000)) + "万";
        break;
      case 1:
        in.title = "专精特新奖励";
        in.rules.eligibility = "\"专精特新\" in certifications and tax_paid >= " +
                               std::to_string(rng.Int(20, 100)) + "万";
        in.rules.amount = std::to_string(rng.Int(10, 50)) + "万";
        break;
      case 2:
        in.title = "高新技术企业奖励";
        in.rules.eligibility = "\"高新技术企业\" in certifications and founded < " + y +
                               "-01-01 and rd_spending / revenue * 100 >= " +
                               std::to_string(rng.Int(2, 5));
        in.rules.amount = "if(revenue >= 1亿, " + std::to_string(rng.Int(20, 40)) + "万, " +
                          std::to_string(rng.Int(5, 15)) + "万)";
        break;
      case 3:
        in.title = "新升规奖励";
        in.rules.eligibility = "scale = \"规上\" and revenue[" + before +
                               "] < 2000万 and revenue >= 2000万";
        in.rules.amount = std::to_string(rng.Int(20, 60)) + "万";
        in.budget = std::to_string(rng.Int(100, 500)) + "万";
        in.budget_mode = "pro_rata";
        break;
      case 4:
        in.title = "纳税贡献奖励";
        in.rules.eligibility = "scale = \"规上\" and tax_paid >= " + std::to_string(rng.Int(200, 800)) +
                               "万 and growth(tax_paid) >= " + std::to_string(rng.Int(0, 10));
        in.rules.amount = "tiers(tax_paid, [[500万, 10万], [1000万, 30万], [3000万, 50万]])";
        break;
      default:
        in.title = "科技型中小企业研发奖励";
        in.rules.eligibility = "\"科技型中小企业\" in certifications and rd_spending >= " +
                               std::to_string(rng.Int(20, 100)) + "万";
        in.rules.amount = "min(rd_spending * 0.05, " + std::to_string(rng.Int(5, 20)) + "万)";
        break;
    }
    in.title += "（第" + std::to_string(n + 1) + "号）";
    auto made = s.benefits->CreatePolicy(sys, in);
    if (!made.ok()) return made.status();
  }
  auto counted = s.benefits->ListEnterprises(sys, {}, "");
  if (!counted.ok()) return counted.status();
  auto all = s.benefits->ListPolicies(sys, {});
  if (!all.ok()) return all.status();
  out.enterprises = counted->total;
  out.policies = all->total;
  return out;
}

}  // namespace tiaodu::app
