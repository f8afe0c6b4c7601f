#include "benefits/service.h"

#include <algorithm>
#include <deque>
#include <future>
#include <limits>
#include <map>
#include <memory>
#include <thread>
#include <set>
#include <unordered_map>

#include "auth/audit.h"
#include "auth/crypto.h"
#include "auth/rules.h"
#include "base/json_text.h"
#include "base/period.h"
#include "auth/store.h"
#include "benefits/blocks.h"
#include "investment/service.h"
#include "supervision/store.h"

namespace tiaodu::benefits {
namespace {

constexpr int kPageMax = 500;

// The scale a text names: a code (above_designated) or 规上 / 限上 / 小微; nullopt otherwise.
std::optional<Scale> ScaleOf(std::string_view text) {
  for (int k = 0; k < kScaleCount; ++k)
    if (text == kScaleCodes[k] || text == kScaleNames[k]) return static_cast<Scale>(k);
  return std::nullopt;
}

bool KnownCertification(std::string_view name) {
  for (const char* c : kKnownCertifications)
    if (name == c) return true;
  return false;
}

std::string KnownCertificationList() {
  std::string out;
  for (const char* c : kKnownCertifications) out += (out.empty() ? "" : "、") + std::string(c);
  return out;
}

// A GB/T 4754 division: a capital letter and two digits ("C39").
bool IsDivision(std::string_view s) {
  return s.size() == 3 && s[0] >= 'A' && s[0] <= 'T' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' &&
         s[2] <= '9';
}

// An amount in 元 as typed: "500000", "50万", "1.5亿"; an error names what is wrong.
Result<Decimal> ParseYuan(std::string text) {
  Decimal factor = Decimal::FromInt(1);
  for (auto [suffix, f] :
       {std::pair{"万元", 10000}, std::pair{"亿元", 100000000}, std::pair{"万", 10000},
        std::pair{"亿", 100000000}, std::pair{"元", 1}}) {
    const std::string s = suffix;
    if (text.size() > s.size() && text.ends_with(s)) {
      text.resize(text.size() - s.size());
      factor = Decimal::FromInt(f);
      break;
    }
  }
  auto d = Decimal::Parse(text);
  if (!d.ok()) return InvalidArgument("不是有效的金额");
  auto v = d->Mul(factor);
  if (!v.ok()) return InvalidArgument("金额过大");
  return *v;
}

std::string FiguresText(const std::map<int, YearFigures>& years) {
  std::string out;
  auto put = [&](const char* name, const std::optional<Decimal>& v) {
    out += std::string(" ") + name + "=" + (v ? v->ToString() : "-");
  };
  for (const auto& [year, f] : years) {
    out += (out.empty() ? "" : ";") + std::to_string(year) + ":";
    put("revenue", f.revenue);
    put("tax_paid", f.tax_paid);
    put("rd_spending", f.rd_spending);
    put("employees", f.employees);
  }
  return out;
}

std::string EnterpriseSnapshot(const store::EnterpriseRow& r) {
  const Enterprise& e = r.enterprise;
  std::string certs;
  for (const auto& c : e.certifications) certs += (certs.empty() ? "" : "|") + c;
  return JsonText()
      .Add("company_id", e.id)
      .Add("name", e.name)
      .Add("unit", e.unit_code)
      .Add("industry", e.industry)
      .Add("scale", e.scale ? kScaleCodes[static_cast<int>(*e.scale)] : "")
      .Add("certifications", certs)
      .Add("founded", e.founded ? FormatIsoDate(*e.founded) : "")
      .Add("figures", FiguresText(e.years))
      .Add("version", r.version)
      .Build();
}

std::string PolicySnapshot(const store::PolicyRecord& p) {
  return JsonText()
      .Add("id", p.id)
      .Add("title", p.title)
      .Add("issuer", p.issuer)
      .Add("doc_number", p.doc_number)
      .Add("valid_from", p.valid_from ? FormatIsoDate(*p.valid_from) : "")
      .Add("valid_to", p.valid_to ? FormatIsoDate(*p.valid_to) : "")
      .Add("budget", p.budget ? p.budget->ToString() : "")
      .Add("budget_mode", p.budget_mode == BudgetMode::kProRata ? "pro_rata" : "order")
      .Add("base_year", p.rules.base_year)
      .Add("eligibility", p.rules.eligibility)
      .Add("amount", p.rules.amount)
      .Add("unit_id", p.unit_id)
      .Add("archived", p.archived)
      .Add("version", p.version)
      .Build();
}

std::string RunSnapshot(const store::RunRecord& r) {
  return JsonText()
      .Add("id", r.id)
      .Add("policy_id", r.policy_id)
      .Add("year", r.year)
      .Add("state", r.state)
      .Add("matched", r.matched)
      .Add("near_miss", r.near_miss)
      .Add("data_missing", r.data_missing)
      .Add("data_error", r.data_error)
      .Add("requested", r.requested.ToString())
      .Add("granted", r.granted.ToString())
      .Add("version", r.version)
      .Build();
}

// Whether a run of `policy` for `year` may start `today` (decision 0020): not after the
// policy's valid_to, and not for a year later than valid_to's year; earlier years are fine
// (a policy valid 2025–2026 typically rewards 2024 or 2025 figures).
Status CheckRunValidity(const store::PolicyRecord& policy, int year, CivilDate today) {
  if (!policy.valid_to) return Status::Ok();
  const CivilDate& to = *policy.valid_to;
  const std::string until = std::to_string(to.year) + "年" + std::to_string(to.month) + "月" +
                            std::to_string(to.day) + "日";
  if (CompareDates(today, to) > 0)
    return FailedPrecondition("政策已于" + until + "失效，不能再发起匹配");
  if (year > to.year)
    return InvalidArgument("匹配年度晚于政策有效期",
                           {{"year", "政策有效期至" + until + "，匹配年度不能晚于" +
                                         std::to_string(to.year) + "年：" + std::to_string(year)}});
  return Status::Ok();
}

Status CheckEdit(const EnterpriseEdit& e) {
  std::vector<Detail> bad;
  if (e.unit_code.empty()) bad.push_back({"unit", "必填"});
  if (!e.industry.empty() && !IsDivision(e.industry))
    bad.push_back({"industry", "应为国民经济行业分类（GB/T 4754）门类字母加两位大类代码，如 C39"});
  if (!e.scale.empty() && !ScaleOf(e.scale)) bad.push_back({"scale", "应为 规上、限上 或 小微"});
  for (const auto& c : e.certifications)
    if (!KnownCertification(c))
      bad.push_back({"certifications", "未知的资质“" + c + "”，可选：" + KnownCertificationList()});
  std::set<int> years;
  for (const auto& [year, f] : e.years) {
    const std::string field = "figures." + std::to_string(year);
    if (year < 1990 || year > 2100) bad.push_back({field, "年份应在 1990 至 2100 之间"});
    if (!years.insert(year).second) bad.push_back({field, "年份重复"});
    for (const auto* v : {&f.revenue, &f.tax_paid, &f.rd_spending, &f.employees})
      if (*v && v->value().IsNegative()) bad.push_back({field, "数值不能为负"});
    if (f.employees && f.employees->raw() % Decimal::kOne != 0)
      bad.push_back({field, "从业人员应为整数"});
  }
  if (!bad.empty()) return InvalidArgument("企业信息有误", bad);
  return Status::Ok();
}

}  // namespace

// ---------------------------------------------------------------------------------------
// The register

Result<auth::Page<store::EnterpriseRow>> BenefitService::ListEnterprises(
    const auth::Actor& actor, store::EnterpriseQuery q, const std::string& unit_code) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "benefit.read"));
  q.scope_path = ScopeOf(actor);
  q.page = std::max(1, q.page);
  q.page_size = std::clamp(q.page_size, 1, kPageMax);
  if (!q.scale.empty()) {
    auto s = ScaleOf(q.scale);
    if (!s) return InvalidArgument("规模无效", {{"scale", "应为 规上、限上 或 小微"}});
    q.scale = kScaleCodes[static_cast<int>(*s)];
  }
  auth::Page<store::EnterpriseRow> out;
  out.page = q.page;
  out.page_size = q.page_size;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    if (!unit_code.empty()) {
      auto u = store::FindUnitByCode(tx, unit_code);
      if (!u || !actor.InScope(u->path)) return NotFound("单位不存在或不在您的管理范围内");
      q.unit_path = u->path;
    }
    out.items = store::ListEnterprises(tx, q, &out.total);
    return Status::Ok();
  }));
  return out;
}

Result<store::EnterpriseRow> BenefitService::GetEnterprise(const auth::Actor& actor,
                                                           int64_t company_id) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "benefit.read"));
  store::EnterpriseRow out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto e = store::FindEnterprise(tx, company_id);
    if (!e || !actor.InScope(e->unit_path)) return NotFound("企业不在名录中或不在您的管理范围内");
    out = std::move(*e);
    return Status::Ok();
  }));
  return out;
}

Result<store::EnterpriseRow> BenefitService::EditEnterprise(const auth::Actor& actor,
                                                            int64_t company_id,
                                                            const EnterpriseEdit& edit) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "benefit.manage"));
  const int64_t now = clock_.NowMillis();
  store::EnterpriseRow out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto before = store::FindEnterprise(tx, company_id);
    if (before && !actor.InScope(before->unit_path))
      return NotFound("企业不在名录中或不在您的管理范围内");
    auto company = store::FindCompany(tx, company_id);
    if (!company) return NotFound("企业不存在");
    TIAODU_RETURN_IF_ERROR(CheckEdit(edit));
    if (before ? before->version != edit.version : edit.version != 0) return StaleVersion();
    auto unit = store::FindUnitByCode(tx, edit.unit_code);
    if (!unit || !actor.InScope(unit->path))
      return InvalidArgument("所属单位不存在或不在您的管理范围内",
                             {{"unit", "单位不存在或不在您的管理范围内"}});
    store::EnterpriseRow row;
    if (before) row = *before;
    Enterprise& e = row.enterprise;
    e.id = company_id;
    e.name = company->name;
    row.uscc = company->uscc;
    e.industry = edit.industry;
    e.scale = ScaleOf(edit.scale);
    e.certifications =
        std::set<std::string>(edit.certifications.begin(), edit.certifications.end());
    e.founded = edit.founded;
    e.unit_code = unit->code;
    row.unit_id = unit->id;
    if (before) {
      if (!store::UpdateAttributes(tx, row, now)) return StaleVersion();
    } else {
      store::InsertAttributes(tx, row, now);
    }
    for (const auto& [year, f] : edit.years) store::PutFigures(tx, company_id, year, f);
    auto after = store::FindEnterprise(tx, company_id);
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(
        tx, auth::MakeAudit(
                actor, now, before ? "benefit.enterprise.update" : "benefit.enterprise.create",
                "enterprise", std::to_string(company_id), before ? EnterpriseSnapshot(*before) : "",
                EnterpriseSnapshot(*after))));
    out = std::move(*after);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<store::BenefitOfEnterprise>> BenefitService::BenefitsOf(const auth::Actor& actor,
                                                                           int64_t company_id) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "benefit.read"));
  std::vector<store::BenefitOfEnterprise> out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto e = store::FindEnterprise(tx, company_id);
    if (!e || !actor.InScope(e->unit_path)) return NotFound("企业不在名录中或不在您的管理范围内");
    out = store::BenefitsOf(tx, company_id);
    return Status::Ok();
  }));
  return out;
}

Status BenefitService::LoadRegister(const auth::Actor& system,
                                    const std::vector<store::EnterpriseRow>& rows) {
  if (!system.system) return PermissionDenied();
  const int64_t now = clock_.NowMillis();
  return db_.Write([&](db::Tx& tx) -> Status {
    int created = 0;
    for (store::EnterpriseRow r : rows) {
      if (!r.enterprise.id) {
        investment::Company company;
        company.name = r.enterprise.name;
        company.uscc = r.uscc;
        auto id = investment::RegisterCompany(tx, company, now);
        if (!id.ok()) return id.status();
        r.enterprise.id = *id;
        ++created;
      }
      store::InsertAttributes(tx, r, now);
      for (const auto& [year, f] : r.enterprise.years)
        store::PutFigures(tx, r.enterprise.id, year, f);
    }
    return auth::AppendAudit(
        tx, auth::MakeAudit(system, now, "benefit.enterprise.load", "enterprise", "", {},
                            JsonText()
                                .Add("enterprises", static_cast<int64_t>(rows.size()))
                                .Add("companies_created", created)
                                .Build()));
  });
}

// ---------------------------------------------------------------------------------------
// Policies

namespace {

// Validates the fields of a policy other than its rules, and its rules with the core's checker.
Status CheckPolicyInput(const PolicyInput& in, store::PolicyRecord& p) {
  std::vector<Detail> bad;
  if (in.title.empty()) bad.push_back({"title", "必填"});
  if (in.rules.amount.empty())
    bad.push_back({"amount", "必填：金额公式，如 min(rd_spending * 0.1, 50万)"});
  if (in.rules.base_year < 1990 || in.rules.base_year > 2100)
    bad.push_back({"base_year", "应为 1990 至 2100 之间的年份"});
  if (in.valid_from && in.valid_to && CompareDates(*in.valid_from, *in.valid_to) > 0)
    bad.push_back({"valid_to", "有效期止不能早于有效期起"});
  std::optional<Decimal> budget;
  if (!in.budget.empty()) {
    auto b = ParseYuan(in.budget);
    if (!b.ok())
      bad.push_back(
          {"budget", b.status().message() + "（单位元，可写 50万、1.5亿）：" + in.budget});
    else if (b->IsNegative())
      bad.push_back({"budget", "预算不能为负"});
    else
      budget = *b;
  }
  if (!in.budget_mode.empty() && in.budget_mode != "order" && in.budget_mode != "pro_rata")
    bad.push_back({"budget_mode", "应为 order（按金额从大到小依次足额兑现）或 pro_rata（按比例）"});
  if (!bad.empty()) return InvalidArgument("政策信息有误", bad);
  if (!in.rules.amount.empty()) TIAODU_RETURN_IF_ERROR(CheckPolicyRules(in.rules));
  p.title = in.title;
  p.issuer = in.issuer;
  p.doc_number = in.doc_number;
  p.valid_from = in.valid_from;
  p.valid_to = in.valid_to;
  p.budget = budget;
  p.budget_mode = in.budget_mode == "pro_rata" ? BudgetMode::kProRata : BudgetMode::kOrder;
  p.rules = in.rules;
  return Status::Ok();
}

}  // namespace

Result<auth::Page<store::PolicyRecord>> BenefitService::ListPolicies(const auth::Actor& actor,
                                                                     store::PolicyQuery q) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "benefit.read"));
  q.scope_path = ScopeOf(actor);
  q.page = std::max(1, q.page);
  q.page_size = std::clamp(q.page_size, 1, kPageMax);
  auth::Page<store::PolicyRecord> out;
  out.page = q.page;
  out.page_size = q.page_size;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    out.items = store::ListPolicies(tx, q, &out.total);
    return Status::Ok();
  }));
  return out;
}

Result<store::PolicyRecord> BenefitService::GetPolicy(const auth::Actor& actor, int64_t id) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "benefit.read"));
  store::PolicyRecord out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto p = store::FindPolicy(tx, id);
    if (!p || !actor.InScope(p->unit_path)) return NotFound("政策不存在");
    out = std::move(*p);
    return Status::Ok();
  }));
  return out;
}

Result<store::PolicyRecord> BenefitService::CreatePolicy(const auth::Actor& actor,
                                                         const PolicyInput& in) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "benefit.manage"));
  store::PolicyRecord p;
  TIAODU_RETURN_IF_ERROR(CheckPolicyInput(in, p));
  const int64_t now = clock_.NowMillis();
  store::PolicyRecord out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto unit = in.unit_code.empty() ? store::FindUnit(tx, actor.unit_id)
                                     : store::FindUnitByCode(tx, in.unit_code);
    if (!unit || !actor.InScope(unit->path))
      return InvalidArgument("主管单位不存在或不在您的管理范围内",
                             {{"unit", "单位不存在或不在您的管理范围内"}});
    p.unit_id = unit->id;
    p.id = store::InsertPolicy(tx, p, now);
    auto after = store::FindPolicy(tx, p.id);
    TIAODU_RETURN_IF_ERROR(
        auth::AppendAudit(tx, auth::MakeAudit(actor, now, "benefit.policy.create", "benefit_policy",
                                              std::to_string(p.id), {}, PolicySnapshot(*after))));
    out = std::move(*after);
    return Status::Ok();
  }));
  return out;
}

Result<store::PolicyRecord> BenefitService::UpdatePolicy(const auth::Actor& actor, int64_t id,
                                                         const PolicyInput& in) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "benefit.manage"));
  const int64_t now = clock_.NowMillis();
  store::PolicyRecord out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto before = store::FindPolicy(tx, id);
    if (!before || !actor.InScope(before->unit_path)) return NotFound("政策不存在");
    store::PolicyRecord p = *before;
    TIAODU_RETURN_IF_ERROR(CheckPolicyInput(in, p));
    if (before->version != in.version) return StaleVersion();
    if (before->archived) return FailedPrecondition("政策已归档，不能修改");
    if (!in.unit_code.empty()) {
      auto unit = store::FindUnitByCode(tx, in.unit_code);
      if (!unit || !actor.InScope(unit->path))
        return InvalidArgument("主管单位不存在或不在您的管理范围内",
                               {{"unit", "单位不存在或不在您的管理范围内"}});
      p.unit_id = unit->id;
    }
    if (!store::UpdatePolicy(tx, p, now)) return StaleVersion();
    auto after = store::FindPolicy(tx, id);
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(
        tx, auth::MakeAudit(actor, now, "benefit.policy.update", "benefit_policy",
                            std::to_string(id), PolicySnapshot(*before), PolicySnapshot(*after))));
    out = std::move(*after);
    return Status::Ok();
  }));
  return out;
}

Result<store::PolicyRecord> BenefitService::ArchivePolicy(const auth::Actor& actor, int64_t id,
                                                          int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "benefit.manage"));
  const int64_t now = clock_.NowMillis();
  store::PolicyRecord out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto before = store::FindPolicy(tx, id);
    if (!before || !actor.InScope(before->unit_path)) return NotFound("政策不存在");
    if (before->version != version) return StaleVersion();
    if (before->archived) return FailedPrecondition("政策已归档");
    store::PolicyRecord p = *before;
    p.archived = true;
    if (!store::UpdatePolicy(tx, p, now)) return StaleVersion();
    auto after = store::FindPolicy(tx, id);
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(
        tx, auth::MakeAudit(actor, now, "benefit.policy.archive", "benefit_policy",
                            std::to_string(id), PolicySnapshot(*before), PolicySnapshot(*after))));
    out = std::move(*after);
    return Status::Ok();
  }));
  return out;
}

Result<CheckAnswer> BenefitService::Check(const auth::Actor& actor, const PolicyRules& rules) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "benefit.manage"));
  CheckAnswer out;
  out.errors = DiagnosePolicyRules(rules);
  if (!out.errors.empty()) return out;
  Layout layout;
  auto policy = CompilePolicy(rules, layout);
  if (!policy.ok()) return policy.status();
  auto enterprises = RegisterFor(ScopeOf(actor));
  if (!enterprises.ok()) return enterprises.status();
  Evaluation ev;
  for (const Enterprise& e : **enterprises) {
    Facts f = layout.Flatten(e);
    Evaluate(*policy, f, ev);
    ++out.enterprises;
    switch (ev.outcome) {
      case Outcome::kMatched:
        ++out.matched;
        if (ev.amount) out.requested += *ev.amount;
        break;
      case Outcome::kNearMiss:
        ++out.near_miss;
        break;
      case Outcome::kNotMatched:
        ++out.not_matched;
        break;
      case Outcome::kDataMissing:
        ++out.data_missing;
        break;
      case Outcome::kDataError:
        ++out.data_error;
        break;
    }
  }
  return out;
}

Result<std::shared_ptr<const std::vector<Enterprise>>> BenefitService::RegisterFor(
    const std::string& scope_path) {
  std::shared_ptr<const std::vector<Enterprise>> out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    // The counter and the rows are read in one transaction: the rows are those of the counter.
    const int64_t changes = store::RegisterChanges(tx);
    {
      std::lock_guard lock(cache_mu_);
      auto it = register_cache_.find(scope_path);
      if (it != register_cache_.end() && it->second.changes == changes) {
        out = it->second.enterprises;
        return Status::Ok();
      }
    }
    auto fresh = std::make_shared<std::vector<Enterprise>>();
    for (auto& r : store::EnterprisesUnder(tx, scope_path))
      fresh->push_back(std::move(r.enterprise));
    out = fresh;
    std::lock_guard lock(cache_mu_);
    if (register_cache_.size() >= 16) register_cache_.clear();  // a bound on the memory kept
    CachedRegister& c = register_cache_[scope_path];
    if (changes >= c.changes) c = {changes, out};
    return Status::Ok();
  }));
  return out;
}

// ---------------------------------------------------------------------------------------
// Runs

namespace {

// A result's `inputs` text: the enterprise's attributes, then the figures the policy reads in
// the order it reads them ("industry=C39; …; revenue[2024]=123000000; rd_spending[2024]=-");
// `facts` are the enterprise's in the policy's layout.
std::string InputsText(const Enterprise& e, const Facts& facts, const Policy& p) {
  std::string out = "industry=" + (e.industry.empty() ? "-" : e.industry);
  out += "; scale=" + std::string(e.scale ? kScaleNames[static_cast<int>(*e.scale)] : "-");
  std::string certs;
  for (const auto& c : e.certifications) certs += (certs.empty() ? "" : "、") + c;
  out += "; certifications=" + (certs.empty() ? "无" : certs);
  out += "; unit=" + (e.unit_code.empty() ? "-" : e.unit_code);
  out += "; founded=" + (e.founded ? FormatIsoDate(*e.founded) : "-");
  for (int slot : p.slots)
    out += "; " + p.layout->SlotName(slot) + "=" +
           (slot < static_cast<int>(facts.known.size()) && facts.known[slot]
                ? Decimal::FromRaw(facts.figures[slot]).ToString()
                : "-");
  return out;
}

// The texts of the conditions of a mask, joined by '\n' as stored, made once per mask.
class ConditionMaskTexts {
 public:
  explicit ConditionMaskTexts(const Policy& p) : policy_(p) {}
  const std::string& Of(uint64_t mask) {
    auto [it, added] = texts_.try_emplace(mask);
    if (added)
      for (const auto& t : ConditionTexts(policy_, mask))
        it->second += (it->second.empty() ? "" : "\n") + t;
    return it->second;
  }

 private:
  const Policy& policy_;
  std::unordered_map<uint64_t, std::string> texts_;
};

// A policy to run in a batch: its record, its rules for the run's year, compiled.
struct Planned {
  const store::PolicyRecord* record = nullptr;
  PolicyRules rules;
  Policy policy;
};

// A run computed in memory, before it is stored: the record and its results block (base64).
struct Computed {
  store::RunRecord run;
  std::string results;
};

// Evaluates one policy over the register of its scope (flattened by the scope's layout): the
// draft run's counts and amounts after the budget, and the results other than not_matched,
// encoded as the run's block (decision 0021; `rows` are the scope's snapshot, in its order).
Computed ComputeRun(const Planned& plan, const std::vector<store::EnterpriseRow>& rows,
                    const std::vector<int64_t>& ids, const std::vector<Facts>& facts,
                    const auth::Actor& actor, int64_t now) {
  const store::PolicyRecord& p = *plan.record;
  Computed out;
  store::RunRecord& run = out.run;
  run.policy_id = p.id;
  run.policy_version = p.version;
  run.year = plan.rules.base_year;
  run.state = "draft";
  run.eligibility = plan.rules.eligibility;
  run.amount = plan.rules.amount;
  run.budget = p.budget;
  run.budget_mode = p.budget_mode;
  run.enterprises = static_cast<int>(rows.size());
  run.run_by = actor.username;
  run.run_at = now;
  RunTotals totals;
  const ResultsBlock block =
      ComputeResults(plan.policy, facts, ids, run.budget, run.budget_mode, totals);
  run.matched = totals.matched;
  run.near_miss = totals.near_miss;
  run.data_missing = totals.data_missing;
  run.data_error = totals.data_error;
  run.requested = totals.requested;
  run.granted = totals.granted;
  out.results = auth::Base64Encode(EncodeResults(block));
  return out;
}

// Computes and stores a draft run of each policy for `year` (0 = each policy's base year) in
// `tx`, with one audit record each: the register of each distinct scope is read and flattened
// once and stored as one snapshot, the policies of a scope are evaluated and their results
// encoded on a few threads while the main thread stores the runs in order. The first archived,
// expired or uncompilable policy refuses the whole batch (in a `batch`, the message names it).
// The runs in the order of `policies`.
Result<std::vector<store::RunRecord>> ComputeAndStoreRuns(
    db::Tx& tx, const auth::Actor& actor, int year,
    const std::vector<store::PolicyRecord>& policies, int64_t now, bool batch) {
  // Compile every policy against the one layout of its scope, before anything is read.
  struct Scope {
    Layout layout;
    std::vector<size_t> members;
  };
  std::map<std::string, std::unique_ptr<Scope>> scopes;
  std::vector<Planned> plans(policies.size());
  for (size_t k = 0; k < policies.size(); ++k) {
    const store::PolicyRecord& p = policies[k];
    auto refuse = [&](const Status& st) {
      return batch ? Status(st.code(), "政策“" + p.title + "”：" + st.message(), st.details()) : st;
    };
    if (p.archived) return refuse(FailedPrecondition("政策已归档，不能再匹配"));
    auto& scope = scopes[p.scope_path];
    if (!scope) scope = std::make_unique<Scope>();
    Planned& plan = plans[k];
    plan.record = &p;
    plan.rules = p.rules;
    if (year) plan.rules.base_year = year;
    if (Status valid = CheckRunValidity(p, plan.rules.base_year, ToCivil(now)); !valid.ok())
      return refuse(valid);
    auto compiled = CompilePolicy(plan.rules, scope->layout);
    if (!compiled.ok()) return refuse(compiled.status());
    plan.policy = std::move(*compiled);
    scope->members.push_back(k);
  }
  std::vector<store::RunRecord> out(policies.size());
  const size_t ahead = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
  // The registers read so far, by scope path. The map orders a scope before the scopes under
  // it, whose registers are then taken from it rather than read again (the same rows in the
  // same order: EnterprisesUnder orders by company id).
  std::vector<std::pair<std::string, std::shared_ptr<const std::vector<store::EnterpriseRow>>>>
      registers;
  for (auto& [path, scope] : scopes) {
    // The register under the unit the policies are for (a department's: its government's).
    std::shared_ptr<const std::vector<store::EnterpriseRow>> read;
    for (const auto& [outer, outer_rows] : registers) {
      if (!path.starts_with(outer)) continue;
      auto under = std::make_shared<std::vector<store::EnterpriseRow>>();
      for (const auto& r : *outer_rows)
        if (r.unit_path.starts_with(path)) under->push_back(r);
      read = std::move(under);
      break;
    }
    if (!read)
      read = std::make_shared<const std::vector<store::EnterpriseRow>>(
          store::EnterprisesUnder(tx, path));
    registers.emplace_back(path, read);
    const std::vector<store::EnterpriseRow>& rows = *read;
    // The snapshot is encoded in the background while the register is flattened.
    auto snapshot = std::async(std::launch::async, [&] {
      std::vector<const Enterprise*> enterprises;
      enterprises.reserve(rows.size());
      for (const auto& r : rows) enterprises.push_back(&r.enterprise);
      return auth::Base64Encode(EncodeSnapshot(enterprises));
    });
    std::vector<Facts> facts;
    std::vector<int64_t> ids;
    facts.reserve(rows.size());
    ids.reserve(rows.size());
    for (const auto& r : rows) {
      facts.push_back(scope->layout.Flatten(r.enterprise));
      ids.push_back(r.enterprise.id);
    }
    // Up to `ahead` policies evaluated in the background while the oldest is stored.
    std::deque<std::pair<size_t, std::future<Computed>>> pending;
    size_t next = 0;
    auto start_more = [&] {
      while (next < scope->members.size() && pending.size() < ahead) {
        const size_t k = scope->members[next++];
        pending.emplace_back(k, std::async(std::launch::async, [&, k] {
                               return ComputeRun(plans[k], rows, ids, facts, actor, now);
                             }));
      }
    };
    start_more();
    const int64_t snapshot_id =
        store::InsertSnapshot(tx, static_cast<int>(rows.size()), snapshot.get(), now);
    while (!pending.empty()) {
      auto [k, future] = std::move(pending.front());
      pending.pop_front();
      Computed c = future.get();
      start_more();
      c.run.snapshot_id = snapshot_id;
      c.run.id = store::InsertRun(tx, c.run, c.results);
      auto stored = store::FindRun(tx, c.run.id);
      TIAODU_RETURN_IF_ERROR(auth::AppendAudit(
          tx, auth::MakeAudit(actor, now, "benefit.run.create", "benefit_run",
                              std::to_string(c.run.id), {}, RunSnapshot(*stored))));
      out[k] = std::move(*stored);
    }
  }
  return out;
}

// The texts of a block-stored run's results, rebuilt from the run's rules (compiled as the
// batch compiled them: the masks index the same conditions, the slots are read in the same
// order) and the snapshot the run was computed over.
class ResultTexts {
 public:
  static Result<std::unique_ptr<ResultTexts>> For(const store::RunRecord& run) {
    auto out = std::unique_ptr<ResultTexts>(new ResultTexts());
    auto policy = CompilePolicy({run.eligibility, run.amount, run.year}, out->layout_);
    if (!policy.ok())
      return Internal("匹配批次 " + std::to_string(run.id) + " 的规则无法重新编译：" +
                      policy.status().message());
    out->policy_ = std::move(*policy);
    out->met_ = std::make_unique<ConditionMaskTexts>(out->policy_);
    out->failed_ = std::make_unique<ConditionMaskTexts>(out->policy_);
    return out;
  }
  // The result as stored rows hold it.
  store::NewResult Of(const StoredResult& r, const ResultsBlock& block, const RegisterSnapshot& snapshot) {
    store::NewResult x;
    const Enterprise e = snapshot.At(r.enterprise);
    x.company_id = e.id;
    x.outcome = OutcomeName(r.outcome);
    x.met = met_->Of(r.met);
    x.failed = failed_->Of(r.failed);
    for (int32_t m : r.missing) x.missing += (x.missing.empty() ? "" : "\n") + block.names[m];
    if (r.error >= 0) x.error = block.errors[r.error];
    x.inputs = InputsText(e, layout_.Flatten(e), policy_);
    x.requested = r.requested;
    x.granted = r.granted;
    return x;
  }

 private:
  ResultTexts() = default;
  Layout layout_;
  Policy policy_;
  std::unique_ptr<ConditionMaskTexts> met_, failed_;
};

Result<ResultsBlock> DecodedResults(const std::string& base64) {
  auto bytes = auth::Base64Decode(base64);
  if (!bytes.ok()) return Internal("存储的匹配结果已损坏，无法读取");
  return DecodeResults(*bytes);
}

}  // namespace

Result<std::shared_ptr<const RegisterSnapshot>> BenefitService::SnapshotOf(db::Tx& tx, int64_t id) {
  {
    std::lock_guard lock(cache_mu_);
    if (auto it = snapshot_cache_.find(id); it != snapshot_cache_.end()) return it->second;
  }
  auto bytes = auth::Base64Decode(store::SnapshotData(tx, id));
  if (!bytes.ok()) return Internal("存储的企业名录快照已损坏，无法读取");
  auto snapshot = RegisterSnapshot::Parse(std::move(*bytes));
  if (!snapshot.ok()) return snapshot.status();
  auto out = std::make_shared<const RegisterSnapshot>(std::move(*snapshot));
  std::lock_guard lock(cache_mu_);
  if (snapshot_cache_.size() >= 8) snapshot_cache_.clear();  // a bound on the memory kept
  snapshot_cache_[id] = out;
  return out;
}

Result<std::vector<store::ResultRecord>> BenefitService::ResultsOf(db::Tx& tx,
                                                                   const store::RunRecord& run,
                                                                   const store::ResultQuery& q,
                                                                   int64_t* total) {
  std::optional<std::string> stored;
  if (run.snapshot_id) stored = store::RunResults(tx, run.id);
  if (!stored) {  // a run stored before migration 10: its rows
    store::ResultQuery rq = q;
    rq.run_id = run.id;
    return store::ListResults(tx, rq, total);
  }
  auto block = DecodedResults(*stored);
  if (!block.ok()) return block.status();
  std::vector<const StoredResult*> chosen;
  for (const StoredResult& r : block->results)
    if (q.outcome.empty() || q.outcome == OutcomeName(r.outcome)) chosen.push_back(&r);
  if (total) *total = static_cast<int64_t>(chosen.size());
  const size_t from = std::min(chosen.size(), static_cast<size_t>(q.page - 1) * q.page_size);
  const size_t to = std::min(chosen.size(), from + static_cast<size_t>(q.page_size));
  if (from == to) return std::vector<store::ResultRecord>{};
  auto snapshot = SnapshotOf(tx, run.snapshot_id);
  if (!snapshot.ok()) return snapshot.status();
  auto texts = ResultTexts::For(run);
  if (!texts.ok()) return texts.status();
  std::vector<store::ResultRecord> out;
  std::vector<int64_t> ids;
  for (size_t i = from; i < to; ++i) {
    if (chosen[i]->enterprise >= static_cast<int32_t>((*snapshot)->size()))
      return Internal("存储的匹配结果与企业名录快照不符");
    out.push_back(store::AsRead(run.id, (*texts)->Of(*chosen[i], *block, **snapshot)));
    ids.push_back(out.back().company_id);
  }
  std::map<int64_t, store::CompanyLabel> labels;
  for (size_t i = 0; i < ids.size(); i += 5000) {  // a bounded IN list per query
    std::vector<int64_t> part(ids.begin() + i, ids.begin() + std::min(ids.size(), i + 5000));
    labels.merge(store::CompanyLabels(tx, part));
  }
  for (auto& x : out) {
    auto it = labels.find(x.company_id);
    if (it == labels.end()) continue;
    x.company_name = it->second.name;
    x.uscc = it->second.uscc;
    x.unit_code = it->second.unit_code;
    x.unit_name = it->second.unit_name;
  }
  return out;
}

Result<std::vector<store::NewResult>> BenefitService::StoredRows(db::Tx& tx,
                                                                 const store::RunRecord& run) {
  auto stored = store::RunResults(tx, run.id);
  if (!stored) return std::vector<store::NewResult>{};
  auto block = DecodedResults(*stored);
  if (!block.ok()) return block.status();
  auto snapshot = SnapshotOf(tx, run.snapshot_id);
  if (!snapshot.ok()) return snapshot.status();
  auto texts = ResultTexts::For(run);
  if (!texts.ok()) return texts.status();
  std::vector<store::NewResult> out;
  out.reserve(block->results.size());
  for (const StoredResult& r : block->results) {
    if (r.enterprise >= static_cast<int32_t>((*snapshot)->size()))
      return Internal("存储的匹配结果与企业名录快照不符");
    out.push_back((*texts)->Of(r, *block, **snapshot));
  }
  return out;
}

Result<RunDetail> BenefitService::WithResults(db::Tx& tx, store::RunRecord run) {
  RunDetail out;
  store::ResultQuery q;
  auto items = ResultsOf(tx, run, q, &out.results.total);
  if (!items.ok()) return items.status();
  out.results.items = std::move(*items);
  out.run = std::move(run);
  return out;
}

Result<RunDetail> BenefitService::StartRun(const auth::Actor& actor, int64_t policy_id, int year) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "benefit.manage"));
  if (year != 0 && (year < 1990 || year > 2100))
    return InvalidArgument("年份无效", {{"year", "应为 1990 至 2100 之间的年份"}});
  const int64_t now = clock_.NowMillis();
  RunDetail out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto p = store::FindPolicy(tx, policy_id);
    if (!p || !actor.InScope(p->unit_path)) return NotFound("政策不存在");
    auto runs = ComputeAndStoreRuns(tx, actor, year, {*p}, now, /*batch=*/false);
    if (!runs.ok()) return runs.status();
    auto detail = WithResults(tx, std::move(runs->front()));
    if (!detail.ok()) return detail.status();
    out = std::move(*detail);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<store::RunRecord>> BenefitService::StartRuns(
    const auth::Actor& actor, int year, const std::vector<int64_t>& policy_ids) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "benefit.manage"));
  if (year != 0 && (year < 1990 || year > 2100))
    return InvalidArgument("年份无效", {{"year", "应为 1990 至 2100 之间的年份"}});
  const int64_t now = clock_.NowMillis();
  std::vector<store::RunRecord> out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    std::vector<store::PolicyRecord> policies;
    if (policy_ids.empty()) {
      store::PolicyQuery q;
      q.scope_path = ScopeOf(actor);
      q.page_size = 1'000'000;
      policies = store::ListPolicies(tx, q, nullptr);
      std::sort(policies.begin(), policies.end(),
                [](const auto& a, const auto& b) { return a.id < b.id; });
    } else {
      std::set<int64_t> seen;
      for (int64_t id : policy_ids) {
        if (!seen.insert(id).second) continue;
        auto p = store::FindPolicy(tx, id);
        if (!p || !actor.InScope(p->unit_path))
          return Status(Code::kNotFound, "政策不存在：编号 " + std::to_string(id),
                        {{"policies", "政策 " + std::to_string(id) + " 不存在或不在您的管理范围内"}});
        policies.push_back(std::move(*p));
      }
    }
    auto runs = ComputeAndStoreRuns(tx, actor, year, policies, now, /*batch=*/true);
    if (!runs.ok()) return runs.status();
    out = std::move(*runs);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<store::RunRecord>> BenefitService::RunsOf(const auth::Actor& actor,
                                                             int64_t policy_id) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "benefit.read"));
  std::vector<store::RunRecord> out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto p = store::FindPolicy(tx, policy_id);
    if (!p || !actor.InScope(p->unit_path)) return NotFound("政策不存在");
    out = store::RunsOfPolicy(tx, policy_id);
    return Status::Ok();
  }));
  return out;
}

Result<RunDetail> BenefitService::GetRun(const auth::Actor& actor, int64_t run_id,
                                         store::ResultQuery q) {
  q.page = std::max(1, q.page);
  q.page_size = std::clamp(q.page_size, 1, kPageMax);
  return ReadRun(actor, run_id, q);
}

Result<RunDetail> BenefitService::AllResults(const auth::Actor& actor, int64_t run_id,
                                             const std::string& outcome) {
  store::ResultQuery q;
  q.outcome = outcome;
  q.page = 1;
  q.page_size = std::numeric_limits<int>::max();
  return ReadRun(actor, run_id, q);
}

Result<RunDetail> BenefitService::ReadRun(const auth::Actor& actor, int64_t run_id,
                                          const store::ResultQuery& query) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "benefit.read"));
  store::ResultQuery q = query;
  if (!q.outcome.empty() && q.outcome != "matched" && q.outcome != "near_miss" &&
      q.outcome != "data_missing" && q.outcome != "data_error")
    return InvalidArgument("结果类型无效",
                           {{"outcome", "应为 matched、near_miss、data_missing 或 data_error"}});
  q.run_id = run_id;
  RunDetail out;
  out.results.page = q.page;
  out.results.page_size = q.page_size;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto r = store::FindRun(tx, run_id);
    if (!r || !actor.InScope(r->unit_path)) return NotFound("匹配批次不存在");
    out.run = std::move(*r);
    auto items = ResultsOf(tx, out.run, q, &out.results.total);
    if (!items.ok()) return items.status();
    out.results.items = std::move(*items);
    return Status::Ok();
  }));
  return out;
}

Result<Reproduction> BenefitService::Reproduce(const auth::Actor& actor, int64_t run_id) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "benefit.read"));
  Reproduction out;
  out.run_id = run_id;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto run = store::FindRun(tx, run_id);
    if (!run || !actor.InScope(run->unit_path)) return NotFound("匹配批次不存在");
    std::optional<std::string> stored;
    if (run->snapshot_id) stored = store::RunResults(tx, run->id);
    if (!stored)
      return FailedPrecondition(
          "该批次在快照功能之前生成，无法复算：它未保存所读取的企业名录快照");
    auto block = DecodedResults(*stored);
    if (!block.ok()) return block.status();
    auto snapshot = SnapshotOf(tx, run->snapshot_id);
    if (!snapshot.ok()) return snapshot.status();
    const RegisterSnapshot& register_ = **snapshot;
    for (const StoredResult& r : block->results)
      if (r.enterprise >= static_cast<int32_t>(register_.size()))
        return Internal("存储的匹配结果与企业名录快照不符");
    Layout layout;
    auto policy = CompilePolicy({run->eligibility, run->amount, run->year}, layout);
    if (!policy.ok())
      return Internal("匹配批次 " + std::to_string(run->id) + " 的规则无法重新编译：" +
                      policy.status().message());
    // A format-1 snapshot kept no unit tree: the units above each unit as they are now.
    std::map<std::string, std::vector<std::string>> ancestors;
    if (register_.format() < 2) {
      out.current_unit_tree = true;
      ancestors = store::UnitAncestorsByCode(tx);
    }
    std::vector<Facts> facts;
    std::vector<int64_t> ids;
    facts.reserve(register_.size());
    ids.reserve(register_.size());
    for (size_t i = 0; i < register_.size(); ++i) {
      Enterprise e = register_.At(i);
      if (out.current_unit_tree) e.unit_ancestors = ancestors[e.unit_code];
      facts.push_back(layout.Flatten(e));
      ids.push_back(e.id);
    }
    RunTotals totals;
    const ResultsBlock again =
        ComputeResults(*policy, facts, ids, run->budget, run->budget_mode, totals);
    out.enterprises = static_cast<int>(register_.size());
    out.compared = static_cast<int>(block->results.size());

    std::vector<Reproduction::Difference> found;
    auto total = [&](const char* field, const std::string& was, const std::string& now) {
      if (was != now) found.push_back({0, "", field, was, now});
    };
    total("enterprises", std::to_string(run->enterprises), std::to_string(out.enterprises));
    total("matched", std::to_string(run->matched), std::to_string(totals.matched));
    total("near_miss", std::to_string(run->near_miss), std::to_string(totals.near_miss));
    total("data_missing", std::to_string(run->data_missing), std::to_string(totals.data_missing));
    total("data_error", std::to_string(run->data_error), std::to_string(totals.data_error));
    total("requested", run->requested.ToString(), totals.requested.ToString());
    total("granted", run->granted.ToString(), totals.granted.ToString());
    for (auto& d : CompareResults(*block, again, *policy))
      found.push_back({ids[d.enterprise], "", std::move(d.field), std::move(d.stored),
                       std::move(d.recomputed)});
    out.total_differences = static_cast<int64_t>(found.size());
    out.ok = found.empty();
    if (found.size() > Reproduction::kMaxDifferences) found.resize(Reproduction::kMaxDifferences);
    std::vector<int64_t> named;
    for (const auto& d : found)
      if (d.company_id) named.push_back(d.company_id);
    const auto labels = store::CompanyLabels(tx, named);
    for (auto& d : found)
      if (auto it = labels.find(d.company_id); it != labels.end()) d.company_name = it->second.name;
    out.differences = std::move(found);
    return Status::Ok();
  }));
  return out;
}

Result<NoticeData> BenefitService::Notice(const auth::Actor& actor, int64_t run_id) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "benefit.read"));
  NoticeData out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto run = store::FindRun(tx, run_id);
    if (!run || !actor.InScope(run->unit_path)) return NotFound("匹配批次不存在");
    auto policy = store::FindPolicy(tx, run->policy_id);
    if (!policy) return NotFound("政策不存在");
    store::ResultQuery q;
    q.outcome = "matched";
    q.page_size = std::numeric_limits<int>::max();
    auto results = ResultsOf(tx, *run, q, nullptr);
    if (!results.ok()) return results.status();
    auto display = [&](const std::string& username) -> std::string {
      if (username.empty()) return "";
      auto u = auth::store::FindUserByUsername(tx, username);
      return u && !u->display_name.empty() ? u->display_name : username;
    };
    out.run_id = run->id;
    out.year = run->year;
    out.policy_title = policy->title;  // the run's title is the policy's
    out.doc_number = policy->doc_number;
    out.issuer = policy->issuer;
    out.office = policy->issuer.empty() ? run->unit_name : policy->issuer;
    out.approved = run->state == "approved" || run->state == "published";
    if (out.approved) {
      out.reviewed_by = display(run->reviewed_by);
      out.approved_by = display(run->approved_by);
      out.approved_date = run->approved_at ? NoticeDate(*run->approved_at) : "";
    }
    out.date = NoticeDate(run->published_at   ? *run->published_at
                          : run->approved_at ? *run->approved_at
                                             : run->run_at);
    out.enterprises = run->enterprises;
    out.matched = run->matched;
    out.granted = run->granted;
    out.rows.reserve(results->size());
    for (auto& x : *results)
      out.rows.push_back({std::move(x.company_name), std::move(x.uscc), std::move(x.unit_name),
                          x.granted.value_or(Decimal())});
    return Status::Ok();
  }));
  return out;
}

namespace {

// The roles that hold `permission` (from the role table, so a new role is picked up).
std::vector<std::string> RolesWith(const char* permission) {
  std::vector<std::string> out;
  for (const auto& role : auth::Roles())
    if (auth::HasPermission(role.code, permission)) out.push_back(role.code);
  return out;
}

// Tells the people of the run's next step that it is their turn, in the same transaction as
// the step (the notification bell): a reviewed run goes to every approver whose scope covers
// the run's unit; an approved one back to whoever ran and reviewed it, who publish it; a
// published one to everyone who took part. The actor is never told of their own step.
void NotifyStep(db::Tx& tx, const store::RunRecord& run, const std::string& to,
                const auth::Actor& actor, int64_t now) {
  const std::string what =
      "“" + run.policy_title + "”" + std::to_string(run.year) + "年度免申即享匹配批次";
  const std::string figures = "符合 " + std::to_string(run.matched) + " 家，核定金额 " +
                              run.granted.Format(2) + " 元";
  std::vector<int64_t> users;
  std::string kind, title, body;
  auto by_name = [&](const std::string& username) {
    if (username.empty()) return;
    if (auto u = auth::store::FindUserByUsername(tx, username); u && !u->disabled)
      users.push_back(u->id);
  };
  if (to == "reviewed") {
    for (const auto& u : auth::store::UsersCovering(tx, RolesWith("benefit.approve"), run.unit_path))
      users.push_back(u.id);
    kind = "benefit_review";
    title = "待批准：" + what;
    body = run.reviewed_by + " 已审核，" + figures + "，请批准。";
  } else if (to == "approved") {
    by_name(run.run_by);
    by_name(run.reviewed_by);
    kind = "benefit_approve";
    title = "已批准：" + what;
    body = run.approved_by + " 已批准，" + figures + "，可以公布。";
  } else {
    by_name(run.run_by);
    by_name(run.reviewed_by);
    by_name(run.approved_by);
    kind = "benefit_publish";
    title = "已公布：" + what;
    body = run.published_by + " 已公布，" + figures + "。";
  }
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  for (int64_t id : users) {
    if (id == actor.user_id) continue;
    supervision::Notification n;
    n.user_id = id;
    n.kind = kind;
    n.title = title;
    n.body = body;
    n.object_kind = "benefit_run";
    n.object_id = run.id;
    n.at = now;
    supervision::store::InsertNotification(tx, n);
  }
}

}  // namespace

Result<RunDetail> BenefitService::Move(const auth::Actor& actor, int64_t run_id, int version,
                                       const char* permission, const std::string& from,
                                       const std::string& to) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, permission));
  const int64_t now = clock_.NowMillis();
  RunDetail out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto before = store::FindRun(tx, run_id);
    if (!before || !actor.InScope(before->unit_path)) return NotFound("匹配批次不存在");
    if (before->version != version) return StaleVersion();
    if (before->state != from) {
      const std::map<std::string, std::string> names = {{"draft", "草稿"},
                                                        {"reviewed", "已审核"},
                                                        {"approved", "已批准"},
                                                        {"published", "已公布"}};
      return FailedPrecondition("该批次当前为“" + names.at(before->state) + "”，只有“" +
                                names.at(from) + "”的批次可以进行此操作");
    }
    if (to == "approved" && !actor.system && before->run_by == actor.username)
      return FailedPrecondition("不能批准自己发起的匹配，须由另一位有批准权限的用户批准");
    if (!store::SetRunState(tx, run_id, version, to, actor.username, now)) return StaleVersion();
    auto after = store::FindRun(tx, run_id);
    NotifyStep(tx, *after, to, actor, now);
    TIAODU_RETURN_IF_ERROR(
        auth::AppendAudit(tx, auth::MakeAudit(actor, now,
                                              to == "reviewed"   ? "benefit.run.review"
                                              : to == "approved" ? "benefit.run.approve"
                                                                 : "benefit.run.publish",
                                              "benefit_run", std::to_string(run_id),
                                              RunSnapshot(*before), RunSnapshot(*after))));
    // Publishing puts the results into rows, for the enterprise pages (BenefitsOf).
    if (to == "published" && after->snapshot_id) {
      auto rows = StoredRows(tx, *after);
      if (!rows.ok()) return rows.status();
      store::InsertResults(tx, run_id, *rows);
    }
    auto detail = WithResults(tx, std::move(*after));
    if (!detail.ok()) return detail.status();
    out = std::move(*detail);
    return Status::Ok();
  }));
  return out;
}

Result<RunDetail> BenefitService::Review(const auth::Actor& actor, int64_t run_id, int version) {
  return Move(actor, run_id, version, "benefit.manage", "draft", "reviewed");
}
Result<RunDetail> BenefitService::Approve(const auth::Actor& actor, int64_t run_id, int version) {
  return Move(actor, run_id, version, "benefit.approve", "reviewed", "approved");
}
Result<RunDetail> BenefitService::Publish(const auth::Actor& actor, int64_t run_id, int version) {
  return Move(actor, run_id, version, "benefit.manage", "approved", "published");
}

}  // namespace tiaodu::benefits
