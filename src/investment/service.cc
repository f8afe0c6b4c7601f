#include "investment/service.h"

#include <algorithm>
#include <map>
#include <set>

#include "auth/audit.h"
#include "auth/rules.h"
#include "base/json_text.h"
#include "base/period.h"
#include "investment/sheets.h"
#include "projects/rules.h"
#include "projects/store.h"

namespace tiaodu::investment {
namespace {

std::string CompanySnapshot(const Company& c) {
  std::string tags;
  for (const auto& t : c.tags) tags += (tags.empty() ? "" : "|") + t;
  return JsonText().Add("id", c.id).Add("name", c.name).Add("uscc", c.uscc).Add("origin", c.origin)
      .Add("tags", tags).Add("merged_into", c.merged_into).Add("version", c.version).Build();
}

std::string LeadSnapshot(const Lead& l) {
  std::string dates;
  for (const auto& [k, d] : l.stage_dates) dates += (dates.empty() ? "" : ";") + k + "=" + FormatIsoDate(d);
  return JsonText().Add("id", l.id).Add("company_id", l.company_id).Add("project_name", l.project_name)
      .Add("amount", l.amount.ToString()).Add("chain_id", l.chain_id).Add("segment_id", l.segment_id)
      .Add("source", l.source).Add("unit_id", l.unit_id).Add("officer_id", l.officer_id).Add("stage", l.stage)
      .Add("stage_dates", dates).Add("lost", l.lost).Add("lost_reason", l.lost_reason)
      .Add("project_id", l.project_id).Add("version", l.version).Build();
}

std::string MonthKey(int year, int month) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

Result<store::UnitRef> ScopedUnit(db::Tx& tx, const auth::Actor& actor, const std::string& code, const char* field) {
  if (code.empty()) return InvalidArgument("请选择单位", {{field, "必填"}});
  auto u = store::FindUnitByCode(tx, code);
  if (!u || !actor.InScope(u->path)) return InvalidArgument("单位不存在或不在您的管理范围内：" + code, {{field, "单位不存在或不在管理范围内"}});
  return *u;
}

// The path a list is limited to: the actor's scope, narrowed to a unit's subtree when given.
Result<std::string> ListPath(db::Tx& tx, const auth::Actor& actor, const std::string& unit_code) {
  std::string path = actor.system ? "/" : actor.unit_path;
  if (unit_code.empty()) return path;
  auto u = store::FindUnitByCode(tx, unit_code);
  if (!u || !actor.InScope(u->path)) return NotFound("单位不存在或不在您的管理范围内：" + unit_code);
  return u->path;
}

Status CheckRefs(db::Tx& tx, const auth::Actor& actor, const Lead& l) {
  std::vector<Detail> bad;
  auto company = store::FindCompany(tx, l.company_id);
  if (!company) bad.push_back({"company_id", "企业不存在"});
  else if (company->merged_into) bad.push_back({"company_id", "该企业记录已合并，请选择合并后的企业"});
  if (l.chain_id && !store::FindChain(tx, *l.chain_id)) bad.push_back({"chain_id", "产业链不存在"});
  if (l.segment_id) {
    auto chain = l.chain_id ? store::FindChain(tx, *l.chain_id) : std::nullopt;
    bool found = false;
    if (chain)
      for (const Segment& s : chain->segments) found = found || s.id == *l.segment_id;
    if (!found) bad.push_back({"segment_id", "该产业链没有这个环节"});
  }
  if (l.officer_id) {
    auto u = store::FindUser(tx, *l.officer_id);
    if (!u || u->disabled || u->role != "investment_officer" || !actor.InScope(u->unit_path))
      bad.push_back({"officer_id", "招商员不存在或不在您的管理范围内"});
  }
  if (!bad.empty()) return InvalidArgument("线索信息有误", bad);
  return Status::Ok();
}

}  // namespace

CivilDate InvestmentService::Today() const { return ToCivil(clock_.NowMillis()); }

// ---------------------------------------------------------------------------------------
// Companies

Result<auth::Page<Company>> InvestmentService::ListCompanies(const auth::Actor& actor, const std::string& q,
                                                             const std::string& tag, int page, int page_size) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.read"));
  auth::Page<Company> out;
  out.page = page;
  out.page_size = page_size;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    out.items = store::ListCompanies(tx, q, tag, page, page_size, &out.total);
    return Status::Ok();
  }));
  return out;
}

static CompanyDetail MakeCompanyDetail(db::Tx& tx, const auth::Actor& actor, const Company& c) {
  CompanyDetail d;
  d.company = c;
  store::LeadQuery q;
  q.scope_path = actor.system ? "/" : actor.unit_path;
  q.company_id = c.id;
  q.page_size = 500;
  d.leads = store::ListLeads(tx, q, nullptr);
  std::vector<Company> candidates = store::CompaniesByNormalizedName(tx, c.normalized_name);
  if (!c.uscc.empty())
    for (Company& x : store::CompaniesByUscc(tx, c.uscc)) candidates.push_back(x);
  std::set<int64_t> seen;
  for (const DuplicateHit& h : FindDuplicates(c, candidates)) {
    if (!seen.insert(h.company_id).second) continue;
    for (const Company& x : candidates)
      if (x.id == h.company_id) d.duplicates.push_back({x, h.reason});
  }
  return d;
}

Result<CompanyDetail> InvestmentService::GetCompany(const auth::Actor& actor, int64_t id) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.read"));
  CompanyDetail out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto c = store::FindCompany(tx, id);
    if (!c) return NotFound("企业不存在");
    out = MakeCompanyDetail(tx, actor, *c);
    return Status::Ok();
  }));
  return out;
}

Result<int64_t> RegisterCompany(db::Tx& tx, Company c, int64_t now) {
  c.normalized_name = NormalizeCompanyName(c.name);
  if (!c.uscc.empty()) {
    auto same = store::CompaniesByUscc(tx, c.uscc);
    if (!same.empty())
      return Conflict("统一社会信用代码已登记：" + same.front().name + "（编号 " + std::to_string(same.front().id) + "）");
  }
  return store::InsertCompany(tx, c, now);
}

Result<CompanyDetail> InvestmentService::CreateCompany(const auth::Actor& actor, Company c) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.write"));
  TIAODU_RETURN_IF_ERROR(CheckCompany(c));
  c.normalized_name = NormalizeCompanyName(c.name);
  const int64_t now = clock_.NowMillis();
  CompanyDetail out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto id = RegisterCompany(tx, c, now);
    if (!id.ok()) return id.status();
    c.id = *id;
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "investment.company.create", "company",
                                                                 std::to_string(c.id), {}, CompanySnapshot(c))));
    out = MakeCompanyDetail(tx, actor, *store::FindCompany(tx, c.id));
    return Status::Ok();
  }));
  return out;
}

Result<CompanyDetail> InvestmentService::UpdateCompany(const auth::Actor& actor, int64_t id, const Company& patch) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.write"));
  TIAODU_RETURN_IF_ERROR(CheckCompany(patch));
  const int64_t now = clock_.NowMillis();
  CompanyDetail out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto before = store::FindCompany(tx, id);
    if (!before) return NotFound("企业不存在");
    if (before->version != patch.version) return StaleVersion();
    if (before->merged_into) return FailedPrecondition("该企业记录已合并，不能再修改");
    Company c = patch;
    c.id = id;
    c.merged_into.reset();
    c.normalized_name = NormalizeCompanyName(c.name);
    if (!c.uscc.empty() && c.uscc != before->uscc) {
      for (const Company& x : store::CompaniesByUscc(tx, c.uscc))
        if (x.id != id) return Conflict("统一社会信用代码已登记：" + x.name + "（编号 " + std::to_string(x.id) + "）");
    }
    if (!store::UpdateCompany(tx, c, now)) return StaleVersion();
    auto after = store::FindCompany(tx, id);
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "investment.company.update", "company",
                                                                 std::to_string(id), CompanySnapshot(*before),
                                                                 CompanySnapshot(*after))));
    out = MakeCompanyDetail(tx, actor, *after);
    return Status::Ok();
  }));
  return out;
}

Result<CompanyDetail> InvestmentService::MergeCompany(const auth::Actor& actor, int64_t id, int64_t into, int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.write"));
  if (id == into) return InvalidArgument("不能合并到自身", {{"into", "不能是同一企业"}});
  const int64_t now = clock_.NowMillis();
  CompanyDetail out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto from = store::FindCompany(tx, id);
    auto to = store::FindCompany(tx, into);
    if (!from) return NotFound("企业不存在");
    if (!to) return InvalidArgument("合并目标企业不存在", {{"into", "企业不存在"}});
    if (from->version != version) return StaleVersion();
    if (from->merged_into) return FailedPrecondition("该企业记录已合并");
    if (to->merged_into) return InvalidArgument("合并目标本身已被合并", {{"into", "请选择合并后的企业"}});
    if (!from->uscc.empty() && !to->uscc.empty() && from->uscc != to->uscc)
      return FailedPrecondition("两家企业的统一社会信用代码不同，不是同一企业，不能合并");
    Company before = *from;
    store::MoveLeads(tx, id, into);
    Company merged = *from;
    merged.merged_into = into;
    if (!store::UpdateCompany(tx, merged, now)) return StaleVersion();
    // The surviving record keeps what the merged one knew.
    Company target = *to;
    if (target.uscc.empty()) target.uscc = from->uscc;
    if (target.origin.empty()) target.origin = from->origin;
    target.tags.insert(from->tags.begin(), from->tags.end());
    if (!store::UpdateCompany(tx, target, now)) return StaleVersion();
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "investment.company.merge", "company",
                                                                 std::to_string(id), CompanySnapshot(before),
                                                                 CompanySnapshot(*store::FindCompany(tx, id)))));
    out = MakeCompanyDetail(tx, actor, *store::FindCompany(tx, into));
    return Status::Ok();
  }));
  return out;
}

// ---------------------------------------------------------------------------------------
// Leads

Result<LeadDetail> InvestmentService::LoadLead(db::Tx& tx, const auth::Actor& actor, int64_t id) {
  auto row = store::FindLead(tx, id);
  if (!row) return NotFound("线索不存在");
  auto unit = store::FindUnit(tx, row->lead.unit_id);
  if (!unit || !actor.InScope(unit->path)) return NotFound("线索不存在");
  LeadDetail d;
  d.row = *row;
  d.contracts = store::ContractsOf(tx, id);
  store::ActivityQuery q;
  q.scope_path = "/";
  q.lead_id = id;
  q.page_size = 200;
  d.activities = store::ListActivities(tx, q, nullptr);
  return d;
}

Result<auth::Page<store::LeadRow>> InvestmentService::ListLeads(const auth::Actor& actor, store::LeadQuery q,
                                                                const std::string& unit_code) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.read"));
  if (!q.stage.empty() && LeadStageIndex(q.stage) < 0) {
    std::string code;
    for (const char* s : kLeadStages)
      if (LeadStageName(s) == q.stage) code = s;
    if (code.empty()) return InvalidArgument("未知的阶段：" + q.stage, {{"stage", "未知的阶段"}});
    q.stage = code;
  }
  auth::Page<store::LeadRow> out;
  out.page = q.page;
  out.page_size = q.page_size;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    q.scope_path = actor.system ? "/" : actor.unit_path;
    if (!unit_code.empty()) {
      auto u = store::FindUnitByCode(tx, unit_code);
      if (!u || !actor.InScope(u->path)) return Status::Ok();
      q.unit_path = u->path;
    }
    out.items = store::ListLeads(tx, q, &out.total);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<store::StageCount>> InvestmentService::Pipeline(const auth::Actor& actor, const std::string& unit_code) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.read"));
  std::vector<store::StageCount> out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    store::LeadQuery q;
    q.scope_path = actor.system ? "/" : actor.unit_path;
    if (!unit_code.empty()) {
      auto path = ListPath(tx, actor, unit_code);
      if (!path.ok()) return path.status();
      q.unit_path = *path;
    }
    out = store::Pipeline(tx, q);
    return Status::Ok();
  }));
  return out;
}

Result<LeadDetail> InvestmentService::GetLead(const auth::Actor& actor, int64_t id) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.read"));
  LeadDetail out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto d = LoadLead(tx, actor, id);
    if (!d.ok()) return d.status();
    out = std::move(*d);
    return Status::Ok();
  }));
  return out;
}

Result<LeadDetail> InvestmentService::CreateLead(const auth::Actor& actor, const LeadInput& in) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.write"));
  Lead l = in.lead;
  auto amount = ParseAmountYi(in.amount, "amount");
  if (!amount.ok()) return amount.status();
  l.amount = *amount;
  l.stage = "clue";
  CivilDate found = Today();
  if (!in.date.empty()) {
    auto d = ParseIsoDate(in.date);
    if (!d.ok()) return InvalidArgument("日期无效：" + in.date, {{"date", "应为 YYYY-MM-DD 格式的有效日期"}});
    if (CompareDates(*d, found) > 0) return InvalidArgument("线索日期不能晚于今天", {{"date", "不能是将来的日期"}});
    found = *d;
  }
  l.stage_dates = {{"clue", found}};
  l.lost = false;
  l.project_id.reset();
  TIAODU_RETURN_IF_ERROR(CheckLead(l));
  const int64_t now = clock_.NowMillis();
  LeadDetail out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto unit = ScopedUnit(tx, actor, in.unit_code, "unit");
    if (!unit.ok()) return unit.status();
    l.unit_id = unit->id;
    TIAODU_RETURN_IF_ERROR(CheckRefs(tx, actor, l));
    l.id = store::InsertLead(tx, l, now);
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "investment.lead.create", "lead",
                                                                 std::to_string(l.id), {}, LeadSnapshot(l))));
    auto d = LoadLead(tx, actor, l.id);
    if (!d.ok()) return d.status();
    out = std::move(*d);
    return Status::Ok();
  }));
  return out;
}

Result<LeadDetail> InvestmentService::UpdateLead(const auth::Actor& actor, int64_t id, const LeadInput& in, int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.write"));
  const int64_t now = clock_.NowMillis();
  LeadDetail out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto current = LoadLead(tx, actor, id);
    if (!current.ok()) return current.status();
    const Lead before = current->row.lead;
    if (before.version != version) return StaleVersion();
    Lead l = before;
    l.company_id = in.lead.company_id;
    l.project_name = in.lead.project_name;
    l.chain_id = in.lead.chain_id;
    l.segment_id = in.lead.segment_id;
    l.source = in.lead.source;
    l.officer_id = in.lead.officer_id;
    auto amount = ParseAmountYi(in.amount, "amount");
    if (!amount.ok()) return amount.status();
    l.amount = *amount;
    TIAODU_RETURN_IF_ERROR(CheckLead(l));
    auto unit = ScopedUnit(tx, actor, in.unit_code, "unit");
    if (!unit.ok()) return unit.status();
    l.unit_id = unit->id;
    TIAODU_RETURN_IF_ERROR(CheckRefs(tx, actor, l));
    if (!store::UpdateLead(tx, l, now)) return StaleVersion();
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "investment.lead.update", "lead",
                                                                 std::to_string(id), LeadSnapshot(before),
                                                                 LeadSnapshot(store::FindLead(tx, id)->lead))));
    auto d = LoadLead(tx, actor, id);
    if (!d.ok()) return d.status();
    out = std::move(*d);
    return Status::Ok();
  }));
  return out;
}

Result<LeadDetail> InvestmentService::ChangeStage(const auth::Actor& actor, int64_t id, const std::string& stage,
                                                  const std::string& date, int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.write"));
  auto d = ParseIsoDate(date);
  if (!d.ok()) return InvalidArgument("日期无效：" + date, {{"date", "应为 YYYY-MM-DD 格式的有效日期"}});
  std::string to = stage;
  if (LeadStageIndex(to) < 0)
    for (const char* s : kLeadStages)
      if (LeadStageName(s) == stage) to = s;
  const int64_t now = clock_.NowMillis();
  const CivilDate today = Today();
  LeadDetail out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto current = LoadLead(tx, actor, id);
    if (!current.ok()) return current.status();
    const Lead before = current->row.lead;
    if (before.version != version) return StaleVersion();
    TIAODU_RETURN_IF_ERROR(CheckLeadStageChange(before, to, *d, current->contracts, today));
    Lead l = before;
    l.stage = to;
    l.stage_dates[to] = *d;
    if (!store::UpdateLead(tx, l, now)) return StaleVersion();
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "investment.lead.stage", "lead",
                                                                 std::to_string(id), LeadSnapshot(before),
                                                                 LeadSnapshot(store::FindLead(tx, id)->lead))));
    // A lead that starts construction becomes a key project (or updates the one it became).
    if (to == "started") {
      auto row = store::FindLead(tx, id);
      auto conv = ConvertTx(tx, actor, *row, now);
      if (!conv.ok()) return conv.status();
    }
    auto dd = LoadLead(tx, actor, id);
    if (!dd.ok()) return dd.status();
    out = std::move(*dd);
    return Status::Ok();
  }));
  return out;
}

Result<LeadDetail> InvestmentService::Lose(const auth::Actor& actor, int64_t id, const std::string& reason,
                                           const std::string& date, int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.write"));
  CivilDate when = Today();
  if (!date.empty()) {
    auto d = ParseIsoDate(date);
    if (!d.ok()) return InvalidArgument("日期无效：" + date, {{"date", "应为 YYYY-MM-DD 格式的有效日期"}});
    if (CompareDates(*d, when) > 0) return InvalidArgument("日期不能晚于今天", {{"date", "不能是将来的日期"}});
    when = *d;
  }
  const int64_t now = clock_.NowMillis();
  LeadDetail out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto current = LoadLead(tx, actor, id);
    if (!current.ok()) return current.status();
    const Lead before = current->row.lead;
    if (before.version != version) return StaleVersion();
    TIAODU_RETURN_IF_ERROR(CheckLose(before, reason));
    for (const auto& [stage, reached] : before.stage_dates)
      if (CompareDates(when, reached) < 0)
        return InvalidArgument("流失日期早于线索的阶段日期", {{"date", "流失日期" + FormatIsoDate(when) + "早于“" +
                                                             std::string(LeadStageName(stage)) + "”日期" +
                                                             FormatIsoDate(reached)}});
    Lead l = before;
    l.lost = true;
    l.lost_reason = reason;
    l.lost_date = when;
    if (!store::UpdateLead(tx, l, now)) return StaleVersion();
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "investment.lead.lose", "lead",
                                                                 std::to_string(id), LeadSnapshot(before),
                                                                 LeadSnapshot(store::FindLead(tx, id)->lead))));
    auto d = LoadLead(tx, actor, id);
    if (!d.ok()) return d.status();
    out = std::move(*d);
    return Status::Ok();
  }));
  return out;
}

Result<LeadDetail> InvestmentService::Reopen(const auth::Actor& actor, int64_t id, int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.write"));
  const int64_t now = clock_.NowMillis();
  LeadDetail out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto current = LoadLead(tx, actor, id);
    if (!current.ok()) return current.status();
    const Lead before = current->row.lead;
    if (before.version != version) return StaleVersion();
    TIAODU_RETURN_IF_ERROR(CheckReopen(before));
    Lead l = before;
    l.lost = false;
    // The reason it was lost stays in the audit log (the before snapshot); the record clears it.
    l.lost_reason.clear();
    l.lost_date.reset();
    if (!store::UpdateLead(tx, l, now)) return StaleVersion();
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "investment.lead.reopen", "lead",
                                                                 std::to_string(id), LeadSnapshot(before),
                                                                 LeadSnapshot(store::FindLead(tx, id)->lead))));
    auto d = LoadLead(tx, actor, id);
    if (!d.ok()) return d.status();
    out = std::move(*d);
    return Status::Ok();
  }));
  return out;
}

Result<Contract> InvestmentService::AddContract(const auth::Actor& actor, int64_t lead_id, const std::string& date,
                                                const std::string& amount, const std::string& kind) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.write"));
  Contract c;
  c.lead_id = lead_id;
  auto d = ParseIsoDate(date);
  if (!d.ok()) return InvalidArgument("日期无效：" + date, {{"date", "应为 YYYY-MM-DD 格式的有效日期"}});
  c.date = *d;
  auto a = ParseAmountYi(amount, "amount");
  if (!a.ok()) return a.status();
  c.amount = *a;
  c.kind = kind;
  TIAODU_RETURN_IF_ERROR(CheckContract(c, Today()));
  const int64_t now = clock_.NowMillis();
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto lead = LoadLead(tx, actor, lead_id);
    if (!lead.ok()) return lead.status();
    if (lead->row.lead.lost) return FailedPrecondition("线索已流失，请先重新激活");
    c.id = store::InsertContract(tx, c, now);
    store::SetContractAmount(tx, lead_id);
    return auth::AppendAudit(tx, auth::MakeAudit(actor, now, "investment.contract.create", "lead", std::to_string(lead_id), {},
                                                 JsonText().Add("contract_id", c.id).Add("date", FormatIsoDate(c.date))
                                                     .Add("amount", c.amount.ToString()).Add("kind", c.kind).Build()));
  }));
  c.version = 1;
  return c;
}

Result<InvestmentService::Conversion> InvestmentService::ConvertTx(db::Tx& tx, const auth::Actor& actor,
                                                                   const store::LeadRow& row, int64_t now) {
  const Lead& l = row.lead;
  if (l.project_id) {
    auto p = projects::store::FindProject(tx, *l.project_id);
    if (p) {
      // Keep the project's stage in step with the lead's (a later conversion after 开工).
      if (l.stage_dates.count("started") && projects::StageIndex(p->stage) < projects::StageIndex("started")) {
        projects::Project next = *p;
        for (const char* s : {"signed", "started"})
          if (!next.stage_dates.count(s)) next.stage_dates[s] = l.stage_dates.count(s) ? l.stage_dates.at(s) : l.stage_dates.at("started");
        next.stage = "started";
        next.updated_at = now;
        if (!projects::store::UpdateProject(tx, next)) return StaleVersion();
        TIAODU_RETURN_IF_ERROR(projects_.RefreshInTx(tx, p->id));
      }
      return Conversion{p->id, p->code, p->name, false};
    }
  }
  if (LeadStageIndex(l.stage) < LeadStageIndex("signed"))
    return FailedPrecondition("线索尚未签约，不能转为重点项目");
  if (l.lost) return FailedPrecondition("线索已流失，不能转为重点项目");
  const CivilDate today = Today();
  projects::Project p;
  p.code = "ZS" + std::to_string(l.id);
  p.name = l.project_name;
  p.level = "district";
  p.category = "industry";
  p.chain = row.chain_name;
  p.unit_id = l.unit_id;
  p.total_investment = row.contract_amount.Sign() > 0 ? row.contract_amount : l.amount;
  const CivilDate start = l.stage_dates.count("started") ? l.stage_dates.at("started") : today;
  p.start_year = start.year;
  p.end_year = start.year + 2;
  p.stage = l.stage_dates.count("started") ? "started" : "signed";
  if (l.stage_dates.count("signed")) p.stage_dates["signed"] = l.stage_dates.at("signed");
  if (l.stage_dates.count("started")) p.stage_dates["started"] = l.stage_dates.at("started");
  p.created_at = p.updated_at = now;
  TIAODU_RETURN_IF_ERROR(projects::CheckProject(p));
  if (projects::store::FindProjectByCode(tx, p.code)) return Conflict("项目编码已存在：" + p.code);
  p.id = projects::store::InsertProject(tx, p);
  store::LinkProject(tx, l.id, p.id);
  TIAODU_RETURN_IF_ERROR(projects_.RefreshInTx(tx, p.id));
  TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "investment.lead.convert", "lead",
                                                               std::to_string(l.id), {},
                                                               JsonText().Add("project_id", p.id).Add("code", p.code).Build())));
  return Conversion{p.id, p.code, p.name, true};
}

Result<InvestmentService::Conversion> InvestmentService::Convert(const auth::Actor& actor, int64_t lead_id,
                                                                 int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.write"));
  const int64_t now = clock_.NowMillis();
  Conversion out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto d = LoadLead(tx, actor, lead_id);
    if (!d.ok()) return d.status();
    if (d->row.lead.version != version) return StaleVersion();
    auto c = ConvertTx(tx, actor, d->row, now);
    if (!c.ok()) return c.status();
    out = *c;
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<store::UserRef>> InvestmentService::Officers(const auth::Actor& actor) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.read"));
  std::vector<store::UserRef> out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    out = store::Officers(tx, actor.system ? "/" : actor.unit_path);
    return Status::Ok();
  }));
  return out;
}

// ---------------------------------------------------------------------------------------
// Leads in spreadsheets: import, export, template

namespace {

// The columns of a lead sheet, found by their headers (-1 = absent).
struct LeadImportColumns {
  int number = -1, company = -1, uscc = -1, project = -1, amount = -1, chain = -1, segment = -1, source = -1,
      unit = -1, officer = -1, stage = -1;
  int dates[kLeadStageCount] = {-1, -1, -1, -1, -1, -1, -1, -1};
};

// Control characters other than tab and line breaks have no place in a lead's text.
bool HasControlChar(const std::string& s) {
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) return true;
  return false;
}

// A positive whole number as a sheet gives it ("12", also "12.0"); 0 otherwise.
int64_t ParseLeadNumber(std::string t) {
  if (t.size() > 2 && t.ends_with(".0")) t.resize(t.size() - 2);
  if (t.empty() || t.size() > 15) return 0;
  int64_t n = 0;
  for (char c : t) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + (c - '0');
  }
  return n;
}

// The fields an import sets, compared.
bool SameLead(const Lead& a, const Lead& b) {
  if (a.stage_dates.size() != b.stage_dates.size()) return false;
  for (const auto& [k, d] : a.stage_dates) {
    auto it = b.stage_dates.find(k);
    if (it == b.stage_dates.end() || CompareDates(it->second, d) != 0) return false;
  }
  return a.company_id == b.company_id && a.project_name == b.project_name && a.amount == b.amount &&
         a.chain_id == b.chain_id && a.segment_id == b.segment_id && a.source == b.source && a.unit_id == b.unit_id &&
         a.officer_id == b.officer_id && a.stage == b.stage;
}

constexpr size_t kMaxLeadImportRows = 20000;
constexpr size_t kMaxLeadImportErrors = 200;
constexpr int kMaxLeadExportRows = 200000;

}  // namespace

Result<LeadImportResult> InvestmentService::ImportLeads(const auth::Actor& actor, const io::Table& table,
                                                        bool dry_run) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.write"));
  LeadImportColumns c;
  c.number = table.Column({header::kNumber, "编号", "id"});
  c.company = table.Column({header::kCompany, "企业", "company"});
  c.uscc = table.Column({header::kUscc, "uscc"});
  c.project = table.Column({header::kProject, "project_name"});
  c.amount = table.Column({header::kAmount, "意向投资额（亿元）", "意向投资额", "amount"});
  c.chain = table.Column({header::kChain, "chain"});
  c.segment = table.Column({header::kSegment, "环节", "segment"});
  c.source = table.Column({header::kSource, "source"});
  c.unit = table.Column({header::kUnit, "单位编码", "unit"});
  c.officer = table.Column({header::kOfficer, "officer"});
  c.stage = table.Column({header::kStage, "stage"});
  for (int k = 0; k < kLeadStageCount; ++k) {
    const std::string h = StageDateHeader(kLeadStages[k]), alias = std::string(kLeadStages[k]) + "_date";
    c.dates[k] = table.Column({h.c_str(), alias.c_str()});
  }
  std::vector<Detail> bad;
  const std::pair<int, const char*> required[] = {{c.company, header::kCompany}, {c.project, header::kProject},
                                                  {c.amount, header::kAmount},   {c.source, header::kSource},
                                                  {c.unit, header::kUnit}};
  for (const auto& [col, name] : required)
    if (col < 0) bad.push_back({"第1行（表头）", std::string("缺少“") + name + "”列"});
  if (!bad.empty()) return InvalidArgument("导入失败：表头不完整，未写入任何数据", bad);
  if (table.rows.empty()) return InvalidArgument("导入失败：文件中没有数据行");
  if (table.rows.size() > kMaxLeadImportRows)
    return InvalidArgument("导入失败：一次最多导入 " + std::to_string(kMaxLeadImportRows) + " 条线索");

  const CivilDate today = Today();
  const int64_t now = clock_.NowMillis();
  const std::string scope = actor.system ? "/" : actor.unit_path;
  LeadImportResult result;
  result.rows = static_cast<int>(table.rows.size());
  size_t error_count = 0;
  auto text = [](const io::Row& row, int col) { return col < 0 ? std::string() : io::Table::Cell(row, col); };

  auto work = [&](db::Tx& tx) -> Status {
    // What the rows refer to, read once.
    std::map<std::string, std::vector<store::UserRef>> officers_by_name;
    for (store::UserRef& u : store::Officers(tx, scope)) officers_by_name[u.name].push_back(u);
    std::map<std::string, Chain> chains;
    for (Chain& ch : store::ListChains(tx)) chains.emplace(ch.name, std::move(ch));
    std::map<std::string, std::optional<store::UnitRef>> units;
    auto unit_by_code = [&](const std::string& code) -> const std::optional<store::UnitRef>& {
      auto it = units.find(code);
      if (it == units.end()) it = units.emplace(code, store::FindUnitByCode(tx, code)).first;
      return it->second;
    };

    struct Change {
      std::optional<Lead> before;
      Lead after;
    };
    std::vector<Change> changes;
    std::map<int64_t, int> number_line;                         // lead number → its first row
    std::map<std::pair<int64_t, std::string>, int> new_line;    // (company, project) of new rows → row

    // Problems in cells, reported in the order of rows and columns (the first kMaxLeadImportErrors).
    struct CellError {
      int line, col;
      Detail detail;
    };
    std::vector<CellError> errors;
    for (const io::Row& row : table.rows) {
      std::set<int> bad_cols;
      auto fail = [&](int col, const std::string& name, std::string reason) {
        if (!bad_cols.insert(col).second) return;
        ++error_count;
        if (errors.size() < kMaxLeadImportErrors)
          errors.push_back({row.line, col,
                            {"第" + std::to_string(row.line) + "行" +
                                 (col >= 0 ? " " + io::ColumnLetter(col) + "列（" + name + "）" : std::string()),
                             std::move(reason)}});
      };

      // The lead the row names, if any.
      std::optional<store::LeadRow> existing;
      const std::string number_text = text(row, c.number);
      if (!number_text.empty()) {
        const int64_t number = ParseLeadNumber(number_text);
        if (!number) {
          fail(c.number, header::kNumber, "应为系统中线索的编号（正整数），新线索请留空：" + number_text);
        } else if (auto [it, fresh] = number_line.emplace(number, row.line); !fresh) {
          fail(c.number, header::kNumber, "与第" + std::to_string(it->second) + "行的线索编号重复：" + number_text);
        } else {
          existing = store::FindLead(tx, number);
          std::optional<store::UnitRef> own = existing ? store::FindUnit(tx, existing->lead.unit_id) : std::nullopt;
          if (!existing || !own || !actor.InScope(own->path)) {
            existing.reset();
            fail(c.number, header::kNumber, "线索不存在或不在您的管理范围内：编号 " + number_text + "（新线索请留空编号）");
          }
        }
      }
      Lead l = existing ? existing->lead : Lead();

      // 企业名称 (and 统一社会信用代码): a registered, unmerged company.
      const std::string company = text(row, c.company), uscc = text(row, c.uscc);
      if (company.empty()) {
        fail(c.company, header::kCompany, "必填");
      } else if (!uscc.empty()) {
        // The register may hold one code twice (a duplicate not merged yet): the name decides.
        std::vector<Company> same_code;
        for (Company& x : store::CompaniesByUscc(tx, uscc))
          if (!x.merged_into) same_code.push_back(x);
        const Company* found = nullptr;
        for (const Company& x : same_code)
          if (x.name == company) found = &x;
        for (const Company& x : same_code)
          if (!found && x.normalized_name == NormalizeCompanyName(company)) found = &x;
        std::string names;
        for (const Company& x : same_code) names += (names.empty() ? "“" : "、“") + x.name + "”";
        if (same_code.empty())
          fail(c.uscc, header::kUscc, "企业库中没有此统一社会信用代码的企业：" + uscc + "（导入不新建企业，请先在企业库中登记）");
        else if (!found)
          fail(c.company, header::kCompany, "企业名称与统一社会信用代码不符：该代码登记的企业为" + names);
        else
          l.company_id = found->id;
      } else {
        std::vector<Company> same, exact;
        for (Company& x : store::CompaniesByNormalizedName(tx, NormalizeCompanyName(company)))
          if (!x.merged_into) (x.name == company ? exact : same).push_back(x);
        if (exact.size() == 1) l.company_id = exact.front().id;
        else if (exact.empty() && same.size() == 1) l.company_id = same.front().id;
        else if (exact.empty() && same.empty())
          fail(c.company, header::kCompany, "企业未登记：" + company + "（导入不新建企业，请先在企业库中登记）");
        else
          fail(c.company, header::kCompany, "企业库中有多家企业名为“" + company + "”，请填写统一社会信用代码区分");
      }

      l.project_name = text(row, c.project);
      if (l.project_name.empty()) fail(c.project, header::kProject, "必填");
      else if (HasControlChar(l.project_name)) fail(c.project, header::kProject, "含有控制字符");

      const std::string amount = text(row, c.amount);
      if (amount.empty()) {
        fail(c.amount, "意向投资额", "必填");
      } else if (auto a = ParseAmountYi(amount, "amount"); a.ok()) {
        l.amount = *a;
      } else {
        const auto& details = a.status().details();
        fail(c.amount, "意向投资额", (details.empty() ? a.status().message() : details.front().reason) + "：" + amount);
      }

      if (c.chain >= 0) {
        const std::string chain = text(row, c.chain);
        std::optional<int64_t> id;
        if (!chain.empty()) {
          auto it = chains.find(chain);
          if (it == chains.end()) fail(c.chain, header::kChain, "产业链不存在：" + chain);
          else id = it->second.id;
        }
        if (id != l.chain_id) l.segment_id.reset();  // a segment belongs to its chain
        l.chain_id = id;
      }
      if (c.segment >= 0) {
        const std::string segment = text(row, c.segment);
        l.segment_id.reset();
        if (!segment.empty() && !bad_cols.count(c.chain)) {
          const Chain* chain = nullptr;
          for (const auto& [name, ch] : chains)
            if (l.chain_id && ch.id == *l.chain_id) chain = &ch;
          if (!chain) {
            fail(c.segment, header::kSegment, "填写产业链环节须同时填写产业链");
          } else {
            for (const Segment& s : chain->segments)
              if (s.name == segment) l.segment_id = s.id;
            if (!l.segment_id) fail(c.segment, header::kSegment, "产业链“" + chain->name + "”没有这个环节：" + segment);
          }
        }
      }

      const std::string source = text(row, c.source);
      l.source = SourceFromSheet(source);
      if (source.empty()) fail(c.source, header::kSource, "必填");
      else if (l.source.empty())
        fail(c.source, header::kSource, "应为 以商招商、驻外招商、基金招商、平台招商 或 其他，现为“" + source + "”");

      const std::string unit_code = text(row, c.unit);
      if (unit_code.empty()) {
        fail(c.unit, header::kUnit, "必填");
      } else {
        const auto& u = unit_by_code(unit_code);
        if (!u || !actor.InScope(u->path)) fail(c.unit, header::kUnit, "责任单位不存在或不在您的管理范围内：" + unit_code);
        else l.unit_id = u->id;
      }

      if (c.officer >= 0) {
        const std::string officer = text(row, c.officer);
        const bool keep = existing && existing->lead.officer_id && officer == existing->officer_name;
        if (!keep) {
          l.officer_id.reset();
          if (!officer.empty()) {
            auto it = officers_by_name.find(officer);
            if (it == officers_by_name.end())
              fail(c.officer, header::kOfficer, "招商员不存在或不在您的管理范围内（须为在用的招商员账户）：" + officer);
            else if (it->second.size() > 1)
              fail(c.officer, header::kOfficer, "您的管理范围内有多位招商员名为“" + officer + "”，请在系统中选择");
            else
              l.officer_id = it->second.front().id;
          }
        }
      }

      // The lead's own fields (CheckLead) — what is not already named above.
      if (Status s = CheckLead(l); !s.ok()) {
        for (const Detail& d : s.details()) {
          if (d.field == "project_name" && !bad_cols.count(c.project)) fail(c.project, header::kProject, d.reason);
          else if (d.field == "amount" && !bad_cols.count(c.amount)) fail(c.amount, "意向投资额", d.reason);
          else if (d.field == "source" && !bad_cols.count(c.source)) fail(c.source, header::kSource, d.reason);
        }
      }

      // The stage and the dates are checked against the lead the row names: not when it names none.
      if (bad_cols.count(c.number)) continue;

      // 阶段 and the stage dates: at most one stage forward (decision 0011).
      std::optional<CivilDate> dates[kLeadStageCount];
      for (int k = 0; k < kLeadStageCount; ++k) {
        const std::string t = text(row, c.dates[k]);
        if (t.empty()) continue;
        auto d = ParseIsoDate(t);
        if (!d.ok()) fail(c.dates[k], StageDateHeader(kLeadStages[k]), "不是有效的日期（应为 2026-03-15 这样的日期）：" + t);
        else dates[k] = *d;
      }
      if (!existing) {
        l.stage = "clue";
        l.stage_dates = {{"clue", dates[0].value_or(today)}};
        if (dates[0] && CompareDates(*dates[0], today) > 0)
          fail(c.dates[0], StageDateHeader("clue"), "线索日期不能晚于今天");
      }
      const int current = LeadStageIndex(l.stage);
      int target = current;
      const std::string stage = text(row, c.stage);
      if (!stage.empty()) {
        const std::string code = StageFromSheet(stage);
        if (code.empty()) fail(c.stage, header::kStage, "未知的阶段：" + stage + "（应为 线索、接洽、考察、实质性谈判、签约、注册、开工 或 投产）");
        else target = LeadStageIndex(code);
      }
      for (int k = 0; k <= current && k < kLeadStageCount; ++k) {
        if (!dates[k] || !existing) continue;
        auto recorded = l.stage_dates.find(kLeadStages[k]);
        if (recorded == l.stage_dates.end())
          fail(c.dates[k], StageDateHeader(kLeadStages[k]), "系统中没有该阶段的日期，不能通过导入补填");
        else if (CompareDates(recorded->second, *dates[k]) != 0)
          fail(c.dates[k], StageDateHeader(kLeadStages[k]),
               "已到达阶段的日期不能通过导入修改（系统中为 " + FormatIsoDate(recorded->second) + "）");
      }
      if (target != current && !bad_cols.count(c.stage)) {
        const char* to = kLeadStages[target];
        const int date_col = c.dates[target];
        if (target > current && !dates[target]) {
          if (target == current + 1)
            fail(date_col >= 0 ? date_col : c.stage, date_col >= 0 ? StageDateHeader(to) : header::kStage,
                 "推进到“" + std::string(LeadStageName(to)) + "”阶段须填写“" + StageDateHeader(to) + "”");
          else  // the jump is the first thing wrong
            fail(c.stage, header::kStage,
                 CheckLeadStageChange(l, to, today, {}, today).message());
        } else if (!bad_cols.count(date_col)) {
          std::vector<Contract> contracts = existing ? store::ContractsOf(tx, l.id) : std::vector<Contract>{};
          const CivilDate when = dates[target].value_or(today);
          if (Status s = CheckLeadStageChange(l, to, when, contracts, today); !s.ok()) {
            if (s.code() == Code::kInvalidArgument && date_col >= 0)
              fail(date_col, StageDateHeader(to), s.details().empty() ? s.message() : s.details().front().reason);
            else
              fail(c.stage, header::kStage, s.message());
          } else {
            l.stage = to;
            l.stage_dates[to] = when;
          }
        }
      }
      const int reached = LeadStageIndex(l.stage);
      for (int k = std::max(reached, target) + 1; k < kLeadStageCount; ++k)
        if (dates[k])
          fail(c.dates[k], StageDateHeader(kLeadStages[k]),
               "尚未到达“" + std::string(LeadStageName(kLeadStages[k])) + "”阶段，日期应为空");

      // A new lead that repeats one on record (or in the sheet): a double import.
      if (!existing && bad_cols.empty()) {
        auto [it, fresh] = new_line.emplace(std::pair{l.company_id, l.project_name}, row.line);
        if (!fresh) {
          fail(c.project, header::kProject, "与第" + std::to_string(it->second) + "行是同一企业的同名项目");
        } else {
          store::LeadQuery q;
          q.scope_path = "/";
          q.company_id = l.company_id;
          q.page_size = 1000;
          for (const store::LeadRow& other : store::ListLeads(tx, q, nullptr))
            if (other.lead.project_name == l.project_name) {
              fail(c.project, header::kProject,
                   "该企业已有同名项目的线索（编号 " + std::to_string(other.lead.id) + "），请填写线索编号修改它，不要重复新建");
              break;
            }
        }
      }

      if (!bad_cols.empty() || error_count) continue;
      if (existing && SameLead(existing->lead, l)) {
        result.unchanged++;
        continue;
      }
      changes.push_back({existing ? std::optional<Lead>(existing->lead) : std::nullopt, l});
    }
    if (error_count) {
      std::stable_sort(errors.begin(), errors.end(), [](const CellError& a, const CellError& b) {
        return a.line != b.line ? a.line < b.line : a.col < b.col;
      });
      for (CellError& e : errors) bad.push_back(std::move(e.detail));
      if (error_count > errors.size())
        bad.push_back({"其余", "另有 " + std::to_string(error_count - errors.size()) + " 处错误未列出"});
      return InvalidArgument("导入失败：共 " + std::to_string(error_count) + " 处错误，未写入任何数据", bad);
    }
    for (const Change& ch : changes) (ch.before ? result.updated : result.inserted)++;
    if (dry_run || changes.empty()) return Status::Ok();

    // The writes, each audited as the JSON route that makes the same change.
    for (Change& ch : changes) {
      Lead& l = ch.after;
      if (!ch.before) {
        l.id = store::InsertLead(tx, l, now);
        TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "investment.lead.create", "lead",
                                                                     std::to_string(l.id), {}, LeadSnapshot(l))));
      } else {
        if (!store::UpdateLead(tx, l, now)) return StaleVersion();
        const bool moved = l.stage != ch.before->stage;
        TIAODU_RETURN_IF_ERROR(auth::AppendAudit(
            tx, auth::MakeAudit(actor, now, moved ? "investment.lead.stage" : "investment.lead.update", "lead",
                                std::to_string(l.id), LeadSnapshot(*ch.before),
                                LeadSnapshot(store::FindLead(tx, l.id)->lead))));
      }
      // A lead that starts construction becomes a key project, as ChangeStage makes it.
      if (l.stage == "started" && (!ch.before || ch.before->stage != "started")) {
        auto conv = ConvertTx(tx, actor, *store::FindLead(tx, l.id), now);
        if (!conv.ok()) return conv.status();
      }
    }
    return auth::AppendAudit(tx, auth::MakeAudit(actor, now, "investment.lead.import", "lead", "*", {},
                                                 JsonText().Add("rows", result.rows).Add("inserted", result.inserted)
                                                     .Add("updated", result.updated).Add("unchanged", result.unchanged)
                                                     .Build()));
  };
  Status s = dry_run ? db_.Read(work) : db_.Write(work);
  if (!s.ok()) return s;
  return result;
}

Result<io::Sheet> InvestmentService::ExportLeads(const auth::Actor& actor, store::LeadQuery q,
                                                 const std::string& unit_code) {
  q.page = 1;
  q.page_size = kMaxLeadExportRows;
  auto page = ListLeads(actor, q, unit_code);
  if (!page.ok()) return page.status();
  io::Sheet sheet;
  sheet.name = "招商线索";
  sheet.columns = LeadColumns();
  sheet.rows.reserve(page->items.size());
  for (const store::LeadRow& r : page->items) sheet.rows.push_back(LeadCells(r));
  return sheet;
}

Result<io::Sheet> InvestmentService::LeadTemplate(const auth::Actor& actor) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.write"));
  std::vector<Chain> chains;
  std::vector<store::UserRef> officers;
  std::vector<Company> companies;
  std::optional<store::UnitRef> unit;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    chains = store::ListChains(tx);
    officers = store::Officers(tx, actor.system ? "/" : actor.unit_path);
    companies = store::ListCompanies(tx, "", "", 1, 1, nullptr);
    if (!actor.system) unit = store::FindUnit(tx, actor.unit_id);
    return Status::Ok();
  }));
  io::Sheet sheet;
  sheet.name = "招商线索";
  sheet.columns = LeadColumns();
  std::set<std::string> officer_names;
  for (const auto& o : officers) officer_names.insert(o.name);
  for (io::SheetColumn& col : sheet.columns) {
    if (col.header == header::kChain)
      for (const Chain& ch : chains) col.choices.push_back(ch.name);
    if (col.header == header::kOfficer) col.choices.assign(officer_names.begin(), officer_names.end());
  }
  // The example names a registered company (an import never creates one) and the actor's unit.
  const Company* company = companies.empty() ? nullptr : &companies.front();
  std::vector<std::string> example = {"",
                                      company ? company->name : "南阳市艾草制品有限公司",
                                      company ? company->uscc : "",
                                      "艾草深加工产业园项目",
                                      "5.5",
                                      "",
                                      "",
                                      "以商招商",
                                      unit ? unit->code : "411303",
                                      unit ? unit->name : "卧龙区",
                                      "",
                                      "线索",
                                      FormatIsoDate(Today())};
  example.resize(sheet.columns.size());
  sheet.rows = {example};
  return sheet;
}

// ---------------------------------------------------------------------------------------
// Activities

Result<auth::Page<store::ActivityRow>> InvestmentService::ListActivities(const auth::Actor& actor,
                                                                         store::ActivityQuery q,
                                                                         const std::string& unit_code) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.read"));
  auth::Page<store::ActivityRow> out;
  out.page = q.page;
  out.page_size = q.page_size;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    q.scope_path = actor.system ? "/" : actor.unit_path;
    if (!unit_code.empty()) {
      auto u = store::FindUnitByCode(tx, unit_code);
      if (!u || !actor.InScope(u->path)) return Status::Ok();
      q.unit_path = u->path;
    }
    out.items = store::ListActivities(tx, q, &out.total);
    return Status::Ok();
  }));
  return out;
}

Result<store::ActivityRow> InvestmentService::CreateActivity(const auth::Actor& actor, Activity a,
                                                             const std::string& unit_code) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.write"));
  std::vector<Detail> bad;
  if (a.kind != "outgoing" && a.kind != "incoming" && a.kind != "event")
    bad.push_back({"kind", "应为 outgoing（走出去）、incoming（请进来）或 event（推介活动）"});
  if (a.title.empty() || a.title.size() > 200) bad.push_back({"title", "必填，最多 200 字节"});
  if (a.leader_level && a.leader.empty()) bad.push_back({"leader", "大员招商/顶格招商须填写带队领导"});
  if (CompareDates(a.date, Today()) > 0) bad.push_back({"date", "活动日期不能晚于今天"});
  if (std::set<int64_t>(a.lead_ids.begin(), a.lead_ids.end()).size() != a.lead_ids.size())
    bad.push_back({"lead_ids", "关联线索重复"});
  if (!bad.empty()) return InvalidArgument("活动信息有误", bad);
  const int64_t now = clock_.NowMillis();
  store::ActivityRow out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto unit = ScopedUnit(tx, actor, unit_code, "unit");
    if (!unit.ok()) return unit.status();
    a.unit_id = unit->id;
    for (int64_t lead : a.lead_ids)
      if (!LoadLead(tx, actor, lead).ok()) return InvalidArgument("关联线索不存在：" + std::to_string(lead), {{"lead_ids", "线索不存在"}});
    a.id = store::InsertActivity(tx, a, now);
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "investment.activity.create", "activity",
                                                                 std::to_string(a.id), {},
                                                                 JsonText().Add("kind", a.kind).Add("title", a.title)
                                                                     .Add("date", FormatIsoDate(a.date)).Build())));
    out.activity = a;
    out.unit_code = unit->code;
    out.unit_name = unit->name;
    return Status::Ok();
  }));
  return out;
}

// ---------------------------------------------------------------------------------------
// Statistics and targets

static SigningStats StatsUnder(db::Tx& tx, const std::string& path, const CivilDate& from, const CivilDate& to) {
  std::vector<Lead> leads = store::LeadsSignedBetween(tx, path, FormatIsoDate(from), FormatIsoDate(to));
  std::vector<Contract> contracts;
  // Contracts of the range, plus every contract of leads signed in the range (for 亿元以上).
  std::set<int64_t> signed_in_range;
  for (const Lead& l : leads) {
    auto it = l.stage_dates.find("signed");
    if (it != l.stage_dates.end() && CompareDates(it->second, from) >= 0 && CompareDates(it->second, to) <= 0)
      signed_in_range.insert(l.id);
  }
  std::set<int64_t> seen;
  for (Contract& c : store::ContractsUnder(tx, path, FormatIsoDate(from), FormatIsoDate(to))) {
    seen.insert(c.id);
    contracts.push_back(c);
  }
  for (int64_t id : signed_in_range)
    for (Contract& c : store::ContractsOf(tx, id))
      if (!seen.count(c.id)) contracts.push_back(c);
  return ComputeSigningStats(leads, contracts, from, to);
}

Result<std::pair<SigningStats, std::vector<UnitStats>>> InvestmentService::Stats(const auth::Actor& actor,
                                                                                 const std::string& unit_code,
                                                                                 const std::string& from,
                                                                                 const std::string& to) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.read"));
  auto f = ParseIsoDate(from);
  auto t = ParseIsoDate(to);
  if (!f.ok() || !t.ok()) return InvalidArgument("日期范围无效", {{!f.ok() ? "from" : "to", "应为 YYYY-MM-DD"}});
  if (CompareDates(*f, *t) > 0) return InvalidArgument("开始日期晚于结束日期", {{"from", "不能晚于结束日期"}});
  std::pair<SigningStats, std::vector<UnitStats>> out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto path = ListPath(tx, actor, unit_code);
    if (!path.ok()) return path.status();
    out.first = StatsUnder(tx, *path, *f, *t);
    std::optional<store::UnitRef> unit;
    if (!unit_code.empty()) unit = store::FindUnitByCode(tx, unit_code);
    else if (!actor.system) {
      // The scope's root unit: the last id of the path.
      const std::string& p = *path;
      size_t end = p.size() - 1, start = p.rfind('/', end - 1);
      unit = store::FindUnit(tx, std::stoll(p.substr(start + 1, end - start - 1)));
    }
    if (unit) {
      for (const store::UnitRef& child : store::ChildUnits(tx, unit->id))
        out.second.push_back({child, StatsUnder(tx, child.path, *f, *t)});
    }
    return Status::Ok();
  }));
  return out;
}

TargetView InvestmentService::MakeTargetView(db::Tx& tx, const Target& t, const store::UnitRef& unit) {
  TargetView v;
  v.target = t;
  v.unit = unit;
  const CivilDate today = Today();
  CivilDate as_of = today.year == t.year ? today : (today.year > t.year ? CivilDate{t.year, 12, 31} : CivilDate{t.year, 1, 1});
  v.actual = StatsUnder(tx, unit.path, CivilDate{t.year, 1, 1}, as_of);
  v.progress = ComputeTargetProgress(t, v.actual, as_of);
  const int last_month = today.year == t.year ? today.month : (today.year > t.year ? 12 : 0);
  for (int m = 1; m <= last_month; ++m) {
    CivilDate end{t.year, m, DaysInMonth(t.year, m)};
    v.monthly.push_back({MonthKey(t.year, m), StatsUnder(tx, unit.path, CivilDate{t.year, 1, 1}, end)});
  }
  return v;
}

Result<std::vector<TargetView>> InvestmentService::ListTargets(const auth::Actor& actor, int year,
                                                               const std::string& unit_code) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.read"));
  if (year == 0) year = Today().year;
  std::vector<TargetView> out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto path = ListPath(tx, actor, unit_code);
    if (!path.ok()) return path.status();
    for (const Target& t : store::ListTargets(tx, actor.system ? "/" : actor.unit_path, year, *path))
      out.push_back(MakeTargetView(tx, t, *store::FindUnit(tx, t.unit_id)));
    return Status::Ok();
  }));
  return out;
}

Result<TargetView> InvestmentService::PutTarget(const auth::Actor& actor, const std::string& unit_code, int year,
                                                int projects_100m, const std::string& amount,
                                                std::optional<int> version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.write"));
  std::vector<Detail> bad;
  if (year < 2000 || year > 2100) bad.push_back({"year", "年份无效"});
  if (projects_100m < 0 || projects_100m > 100000) bad.push_back({"projects_100m", "应为 0–100000"});
  auto a = ParseAmountYi(amount, "contract_amount");
  if (!a.ok()) bad.insert(bad.end(), a.status().details().begin(), a.status().details().end());
  if (!bad.empty()) return InvalidArgument("目标有误", bad);
  const int64_t now = clock_.NowMillis();
  TargetView out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto unit = ScopedUnit(tx, actor, unit_code, "unit");
    if (!unit.ok()) return unit.status();
    Target t;
    t.unit_id = unit->id;
    t.year = year;
    t.projects_100m = projects_100m;
    t.contract_amount = *a;
    auto existing = store::FindTarget(tx, unit->id, year);
    std::string before;
    if (existing) {
      if (!version) return InvalidArgument("修改已有目标须提供版本号", {{"version", "必填"}});
      if (*version != existing->version) return StaleVersion();
      t.id = existing->id;
      t.version = existing->version;
      before = JsonText().Add("projects_100m", existing->projects_100m).Add("contract_amount", existing->contract_amount.ToString()).Build();
      if (!store::UpdateTarget(tx, t, now)) return StaleVersion();
    } else {
      t.id = store::InsertTarget(tx, t, now);
    }
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "investment.target", "investment_target",
                                                                 std::to_string(t.id), before,
                                                                 JsonText().Add("unit", unit->code).Add("year", year)
                                                                     .Add("projects_100m", projects_100m)
                                                                     .Add("contract_amount", a->ToString()).Build())));
    out = MakeTargetView(tx, *store::FindTarget(tx, unit->id, year), *unit);
    return Status::Ok();
  }));
  return out;
}

// ---------------------------------------------------------------------------------------
// Chains

static ChainView MakeChainView(db::Tx& tx, const Chain& c) {
  ChainView v;
  v.chain = c;
  std::vector<int64_t> ids;
  if (c.lead_firm_id) ids.push_back(*c.lead_firm_id);
  for (const Segment& s : c.segments) {
    ids.insert(ids.end(), s.local_firms.begin(), s.local_firms.end());
    ids.insert(ids.end(), s.target_firms.begin(), s.target_firms.end());
  }
  v.firms = store::CompaniesByIds(tx, ids);
  return v;
}

static std::string ChainSnapshot(const Chain& c) {
  std::string segs;
  for (const Segment& s : c.segments) segs += (segs.empty() ? "" : ";") + s.position + ":" + s.name;
  return JsonText().Add("id", c.id).Add("name", c.name).Add("chain_leader", c.chain_leader)
      .Add("lead_firm_id", c.lead_firm_id).Add("segments", segs).Add("version", c.version).Build();
}

static Status CheckChainFirms(db::Tx& tx, const Chain& c) {
  std::vector<int64_t> ids;
  if (c.lead_firm_id) ids.push_back(*c.lead_firm_id);
  for (const Segment& s : c.segments) {
    ids.insert(ids.end(), s.local_firms.begin(), s.local_firms.end());
    ids.insert(ids.end(), s.target_firms.begin(), s.target_firms.end());
  }
  std::set<int64_t> unique(ids.begin(), ids.end());
  auto found = store::CompaniesByIds(tx, {unique.begin(), unique.end()});
  std::set<int64_t> known;
  for (const Company& f : found) known.insert(f.id);
  if (c.lead_firm_id && !known.count(*c.lead_firm_id))
    return InvalidArgument("链主企业不存在", {{"lead_firm_id", "企业不存在"}});
  if (found.size() != unique.size()) return InvalidArgument("产业链引用了不存在的企业", {{"segments", "企业不存在"}});
  return Status::Ok();
}

Result<std::vector<ChainView>> InvestmentService::ListChains(const auth::Actor& actor) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.read"));
  std::vector<ChainView> out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    for (const Chain& c : store::ListChains(tx)) out.push_back(MakeChainView(tx, c));
    return Status::Ok();
  }));
  return out;
}

Result<ChainView> InvestmentService::GetChain(const auth::Actor& actor, int64_t id) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.read"));
  ChainView out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto c = store::FindChain(tx, id);
    if (!c) return NotFound("产业链不存在");
    out = MakeChainView(tx, *c);
    return Status::Ok();
  }));
  return out;
}

Result<ChainView> InvestmentService::CreateChain(const auth::Actor& actor, Chain c) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.write"));
  TIAODU_RETURN_IF_ERROR(CheckChain(c));
  const int64_t now = clock_.NowMillis();
  ChainView out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    if (store::FindChainByName(tx, c.name)) return Conflict("产业链已存在：" + c.name);
    TIAODU_RETURN_IF_ERROR(CheckChainFirms(tx, c));
    c.id = store::InsertChain(tx, c, now);
    auto made = store::FindChain(tx, c.id);
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "investment.chain.create", "chain",
                                                                 std::to_string(c.id), {}, ChainSnapshot(*made))));
    out = MakeChainView(tx, *made);
    return Status::Ok();
  }));
  return out;
}

Result<ChainView> InvestmentService::UpdateChain(const auth::Actor& actor, int64_t id, const Chain& patch) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "investment.write"));
  TIAODU_RETURN_IF_ERROR(CheckChain(patch));
  const int64_t now = clock_.NowMillis();
  ChainView out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto before = store::FindChain(tx, id);
    if (!before) return NotFound("产业链不存在");
    if (before->version != patch.version) return StaleVersion();
    if (patch.name != before->name && store::FindChainByName(tx, patch.name)) return Conflict("产业链已存在：" + patch.name);
    for (const Segment& s : patch.segments) {
      if (!s.id) continue;
      bool mine = false;
      for (const Segment& b : before->segments) mine = mine || b.id == s.id;
      if (!mine) return InvalidArgument("环节不属于该产业链：" + std::to_string(s.id), {{"segments", "环节不存在"}});
    }
    TIAODU_RETURN_IF_ERROR(CheckChainFirms(tx, patch));
    Chain c = patch;
    c.id = id;
    if (!store::UpdateChain(tx, c, now)) return StaleVersion();
    auto after = store::FindChain(tx, id);
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "investment.chain.update", "chain",
                                                                 std::to_string(id), ChainSnapshot(*before),
                                                                 ChainSnapshot(*after))));
    out = MakeChainView(tx, *after);
    return Status::Ok();
  }));
  return out;
}

// ---------------------------------------------------------------------------------------
// Bulk

Status InvestmentService::LoadBulk(const auth::Actor& system, const BulkData& data) {
  if (!system.system) return PermissionDenied();
  const int64_t now = clock_.NowMillis();
  return db_.Write([&](db::Tx& tx) -> Status {
    std::vector<int64_t> company_ids;
    for (Company c : data.companies) {
      TIAODU_RETURN_IF_ERROR(CheckCompany(c));
      c.normalized_name = NormalizeCompanyName(c.name);
      company_ids.push_back(store::InsertCompany(tx, c, now));
    }
    auto company = [&](int64_t index) { return company_ids.at(static_cast<size_t>(index)); };
    std::vector<int64_t> chain_ids;
    std::vector<std::vector<int64_t>> segment_ids;
    for (Chain c : data.chains) {
      TIAODU_RETURN_IF_ERROR(CheckChain(c));
      if (c.lead_firm_id) c.lead_firm_id = company(*c.lead_firm_id);
      for (Segment& s : c.segments) {
        s.id = 0;
        for (int64_t& f : s.local_firms) f = company(f);
        for (int64_t& f : s.target_firms) f = company(f);
      }
      int64_t id = store::InsertChain(tx, c, now);
      chain_ids.push_back(id);
      std::vector<int64_t> segs;
      // Held in a local: a range-for over a member of the temporary would read freed memory.
      std::optional<Chain> stored = store::FindChain(tx, id);
      for (const Segment& s : stored->segments) segs.push_back(s.id);
      segment_ids.push_back(segs);
    }
    std::vector<int64_t> lead_ids;
    for (Lead l : data.leads) {
      TIAODU_RETURN_IF_ERROR(CheckLead(l));
      l.company_id = company(l.company_id);
      if (l.chain_id) {
        size_t ci = static_cast<size_t>(*l.chain_id);
        if (l.segment_id) l.segment_id = segment_ids.at(ci).at(static_cast<size_t>(*l.segment_id));
        l.chain_id = chain_ids.at(ci);
      } else {
        l.segment_id.reset();
      }
      lead_ids.push_back(store::InsertLead(tx, l, now));
    }
    std::set<int64_t> with_contracts;
    for (Contract c : data.contracts) {
      c.lead_id = lead_ids.at(static_cast<size_t>(c.lead_id));
      store::InsertContract(tx, c, now);
      with_contracts.insert(c.lead_id);
    }
    for (int64_t id : with_contracts) store::SetContractAmount(tx, id);
    for (Activity a : data.activities) {
      for (int64_t& id : a.lead_ids) id = lead_ids.at(static_cast<size_t>(id));
      store::InsertActivity(tx, a, now);
    }
    for (const Target& t : data.targets) store::InsertTarget(tx, t, now);
    return auth::AppendAudit(tx, auth::MakeAudit(system, now, "investment.load", "lead", "*", {},
                                                 JsonText().Add("companies", static_cast<int64_t>(data.companies.size()))
                                                     .Add("leads", static_cast<int64_t>(data.leads.size()))
                                                     .Add("contracts", static_cast<int64_t>(data.contracts.size())).Build()));
  });
}

}  // namespace tiaodu::investment
