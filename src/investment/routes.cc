#include "investment/routes.h"

#include <map>

#include "base/period.h"
#include "http/json.h"
#include "http/sheets.h"
#include "investment/sheets.h"

namespace tiaodu::investment {

using http::Access;
using http::ErrorResponse;
using http::JsonBody;
using http::JsonResponse;
using http::JsonWriter;
using http::Response;
using http::Route;
using http::RouteContext;

namespace {


void WriteCompany(JsonWriter& w, const Company& c, bool close = true) {
  w.BeginObject().Field("id", c.id).Field("name", c.name).Field("uscc", c.uscc).Field("origin", c.origin);
  w.Key("tags").BeginArray();
  for (const auto& t : c.tags) w.String(t);
  w.EndArray().Key("merged_into").OptInt(c.merged_into).Field("version", c.version);
  if (close) w.EndObject();
}

void WriteContract(JsonWriter& w, const Contract& c) {
  w.BeginObject().Field("id", c.id).Field("lead_id", c.lead_id).Field("date", FormatIsoDate(c.date));
  w.OptDecimal("amount", c.amount);
  w.Field("kind", c.kind).Field("kind_name", c.kind == "formal" ? "正式合同" : "框架协议").Field("version", c.version).EndObject();
}

// 走出去 / 请进来 / 推介活动, or the code itself when unknown.
std::string ActivityKindName(const std::string& kind) {
  if (kind == "outgoing") return "走出去";
  if (kind == "incoming") return "请进来";
  if (kind == "event") return "推介活动";
  return kind;
}

void WriteActivity(JsonWriter& w, const store::ActivityRow& r) {
  const Activity& a = r.activity;
  w.BeginObject().Field("id", a.id).Field("kind", a.kind).Field("kind_name", ActivityKindName(a.kind))
      .Field("date", FormatIsoDate(a.date)).Field("title", a.title).Field("location", a.location)
      .Field("leader_level", a.leader_level).Field("leader", a.leader).Key("unit").BeginObject()
      .Field("id", a.unit_id).Field("code", r.unit_code).Field("name", r.unit_name).EndObject();
  w.Key("lead_ids").BeginArray();
  for (int64_t id : a.lead_ids) w.Int(id);
  w.EndArray().Field("notes", a.notes).Field("version", a.version).EndObject();
}

void WriteLead(JsonWriter& w, const store::LeadRow& r, bool close = true) {
  const Lead& l = r.lead;
  w.BeginObject().Field("id", l.id).Key("company").BeginObject().Field("id", l.company_id)
      .Field("name", r.company_name).Field("uscc", r.company_uscc).EndObject()
      .Field("project_name", l.project_name);
  w.OptDecimal("amount", l.amount);
  w.Key("chain");
  if (l.chain_id) w.BeginObject().Field("id", *l.chain_id).Field("name", r.chain_name).EndObject();
  else w.Null();
  w.Key("segment");
  if (l.segment_id)
    w.BeginObject().Field("id", *l.segment_id).Field("name", r.segment_name).Field("position", r.segment_position)
        .Field("position_name", std::string(PositionName(r.segment_position))).EndObject();
  else w.Null();
  w.Field("source", l.source).Field("source_name", std::string(SourceName(l.source)))
      .Key("unit").BeginObject().Field("id", l.unit_id).Field("code", r.unit_code).Field("name", r.unit_name).EndObject()
      .Key("officer");
  if (l.officer_id) w.BeginObject().Field("id", *l.officer_id).Field("name", r.officer_name).EndObject();
  else w.Null();
  w.Field("stage", l.stage).Field("stage_name", std::string(LeadStageName(l.stage))).Key("stage_dates").BeginObject();
  for (const auto& [k, d] : l.stage_dates) w.Field(k, FormatIsoDate(d));
  w.EndObject().Field("lost", l.lost).Field("lost_reason", l.lost_reason).Key("lost_date");
  if (l.lost_date) w.String(FormatIsoDate(*l.lost_date));
  else w.Null();
  w.Key("project");
  if (l.project_id) w.BeginObject().Field("id", *l.project_id).Field("code", r.project_code).Field("name", r.project_name).EndObject();
  else w.Null();
  w.OptDecimal("contract_amount", r.contract_amount);
  w.Field("version", l.version);
  if (close) w.EndObject();
}

Response LeadResponse(const Result<LeadDetail>& d, int status = 200) {
  if (!d.ok()) return ErrorResponse(d.status());
  JsonWriter w;
  WriteLead(w, d->row, false);
  w.Key("contracts").BeginArray();
  for (const Contract& c : d->contracts) WriteContract(w, c);
  w.EndArray().Key("activities").BeginArray();
  for (const auto& a : d->activities) WriteActivity(w, a);
  w.EndArray().EndObject();
  return JsonResponse(status, w.Take());
}

Response CompanyResponse(const Result<CompanyDetail>& d, int status = 200) {
  if (!d.ok()) return ErrorResponse(d.status());
  JsonWriter w;
  WriteCompany(w, d->company, false);
  w.Key("leads").BeginArray();
  for (const auto& l : d->leads) WriteLead(w, l);
  w.EndArray().Key("duplicates").BeginArray();
  for (const auto& [c, reason] : d->duplicates)
    w.BeginObject().Field("company_id", c.id).Field("name", c.name).Field("uscc", c.uscc).Field("reason", reason).EndObject();
  w.EndArray().EndObject();
  return JsonResponse(status, w.Take());
}

void WriteStats(JsonWriter& w, const SigningStats& s) {
  w.Field("signed_projects", s.signed_projects).Field("projects_100m", s.projects_100m);
  w.OptDecimal("contract_amount", s.contract_amount);
}

void WriteTarget(JsonWriter& w, const TargetView& v) {
  w.BeginObject().Field("id", v.target.id).Key("unit").BeginObject().Field("id", v.unit.id).Field("code", v.unit.code)
      .Field("name", v.unit.name).EndObject().Field("year", v.target.year).Field("projects_100m", v.target.projects_100m);
  w.OptDecimal("contract_amount", v.target.contract_amount);
  w.Key("actual").BeginObject();
  WriteStats(w, v.actual);
  w.EndObject().Key("progress").BeginObject();
  w.OptDecimal("count_share", v.progress.count_share);
  w.OptDecimal("amount_share", v.progress.amount_share);
  w.OptDecimal("elapsed", v.progress.elapsed);
  w.Field("status", v.progress.status).EndObject().Key("monthly").BeginArray();
  for (const auto& [month, s] : v.monthly) {
    w.BeginObject().Field("month", month);
    WriteStats(w, s);
    w.EndObject();
  }
  w.EndArray().Field("version", v.target.version).EndObject();
}

void WriteChain(JsonWriter& w, const ChainView& v) {
  std::map<int64_t, const Company*> firms;
  for (const Company& c : v.firms) firms[c.id] = &c;
  auto firm = [&](int64_t id) {
    auto it = firms.find(id);
    w.BeginObject().Field("id", id).Field("name", it == firms.end() ? std::string() : it->second->name);
    w.Key("tags").BeginArray();
    if (it != firms.end())
      for (const auto& t : it->second->tags) w.String(t);
    w.EndArray().EndObject();
  };
  const Chain& c = v.chain;
  w.BeginObject().Field("id", c.id).Field("name", c.name).Field("chain_leader", c.chain_leader).Key("lead_firm");
  if (c.lead_firm_id) firm(*c.lead_firm_id);
  else w.Null();
  int gaps = 0;
  w.Key("segments").BeginArray();
  for (const Segment& s : c.segments) {
    w.BeginObject().Field("id", s.id).Field("position", s.position)
        .Field("position_name", std::string(PositionName(s.position))).Field("name", s.name);
    w.Key("local_firms").BeginArray();
    for (int64_t id : s.local_firms) firm(id);
    w.EndArray().Key("target_firms").BeginArray();
    for (int64_t id : s.target_firms) firm(id);
    w.EndArray().Field("gap", s.local_firms.empty()).EndObject();
    gaps += s.local_firms.empty();
  }
  w.EndArray().Field("gaps", gaps).Field("version", c.version).EndObject();
}

Response ChainResponse(const Result<ChainView>& v, int status = 200) {
  if (!v.ok()) return ErrorResponse(v.status());
  JsonWriter w;
  WriteChain(w, *v);
  return JsonResponse(status, w.Take());
}

std::set<std::string> SplitTags(const std::string& s) {
  std::set<std::string> out;
  std::string cur;
  for (char c : s + "|") {
    if (c == '|' || c == ',') {
      if (!cur.empty()) out.insert(cur);
      cur.clear();
    } else if (c != ' ') {
      cur.push_back(c);
    }
  }
  return out;
}

void ReadCompany(JsonBody& b, Company& c) {
  if (auto v = b.OptStr("name", 200)) c.name = *v;
  if (b.Present("uscc")) c.uscc = b.OptStr("uscc", 32).value_or("");
  if (b.Present("origin")) c.origin = b.OptStr("origin", 100).value_or("");
  if (b.Present("tags")) c.tags = SplitTags(b.OptStr("tags", 500).value_or(""));
}

std::optional<int64_t> OptId(JsonBody& b, const char* name) {
  if (!b.Present(name)) return std::nullopt;
  return b.OptInt(name);
}

void ReadLead(JsonBody& b, LeadInput& in) {
  if (auto v = b.OptInt("company_id")) in.lead.company_id = *v;
  if (auto v = b.OptStr("project_name", 200)) in.lead.project_name = *v;
  if (auto v = b.OptNumberText("amount")) in.amount = *v;
  if (b.Present("chain_id")) in.lead.chain_id = OptId(b, "chain_id");
  if (b.Present("segment_id")) in.lead.segment_id = OptId(b, "segment_id");
  if (auto v = b.OptStr("source", 32)) in.lead.source = *v;
  if (auto v = b.OptStr("unit", 32)) in.unit_code = *v;
  if (b.Present("officer_id")) in.lead.officer_id = OptId(b, "officer_id");
}

int VersionOnly(JsonBody& b) {
  b.AllowOnly({"version"});
  return b.Version();
}

template <typename T>
void WritePageHead(JsonWriter& w, const auth::Page<T>& p) {
  w.Field("total", p.total).Field("page", p.page).Field("page_size", p.page_size);
}

// ---- Exports (`?format=xlsx`): one sheet builder per list, cells as the JSON shows them ----

using Rows = std::vector<std::vector<std::string>>;
using io::CellKind;

std::string YesNo(bool b) { return b ? "是" : "否"; }
std::string DecimalText(const std::optional<Decimal>& d) {
  return d ? d->ToString() : std::string();
}

io::Sheet CompanySheet() {
  return http::ListSheet("招商企业", {{"企业编号", CellKind::kInteger, 10},
                                      {"企业名称", CellKind::kText, 36},
                                      {"统一社会信用代码", CellKind::kText, 22},
                                      {"来源地", CellKind::kText, 16},
                                      {"企业标签", CellKind::kText, 24},
                                      {"已合并至企业编号", CellKind::kInteger, 16}});
}

void AddCompany(Rows& rows, const Company& c) {
  std::string tags;
  for (const auto& t : c.tags) tags += (tags.empty() ? "" : ",") + t;
  rows.push_back({std::to_string(c.id), c.name, c.uscc, c.origin, tags,
                  c.merged_into ? std::to_string(*c.merged_into) : ""});
}

io::Sheet ActivitySheet() {
  return http::ListSheet("招商活动", {{"日期", CellKind::kDate, 13},
                                      {"类型", CellKind::kText, 10},
                                      {"活动名称", CellKind::kText, 36},
                                      {"地点", CellKind::kText, 18},
                                      {"大员招商", CellKind::kText, 10},
                                      {"带队领导", CellKind::kText, 16},
                                      {"单位编码", CellKind::kText, 14},
                                      {"单位", CellKind::kText, 16},
                                      {"关联线索编号", CellKind::kText, 16},
                                      {"备注", CellKind::kText, 36}});
}

void AddActivity(Rows& rows, const store::ActivityRow& r) {
  const Activity& a = r.activity;
  std::string leads;
  for (int64_t id : a.lead_ids) leads += (leads.empty() ? "" : ",") + std::to_string(id);
  rows.push_back({FormatIsoDate(a.date), ActivityKindName(a.kind), a.title, a.location,
                  YesNo(a.leader_level), a.leader, r.unit_code, r.unit_name, leads, a.notes});
}

const char* ProgressName(const std::string& status) {
  if (status == "ahead") return "超序时";
  if (status == "on_track") return "符合序时";
  if (status == "behind") return "滞后序时";
  return "";
}

io::Sheet TargetSheet() {
  return http::ListSheet("招商目标进度", {{"单位编码", CellKind::kText, 14},
                                          {"单位", CellKind::kText, 16},
                                          {"年度", CellKind::kInteger, 8},
                                          {"亿元以上项目目标(个)", CellKind::kInteger, 14},
                                          {"合同引资额目标(亿元)", CellKind::kNumber, 14},
                                          {"已签约项目(个)", CellKind::kInteger, 12},
                                          {"亿元以上项目(个)", CellKind::kInteger, 12},
                                          {"合同引资额(亿元)", CellKind::kNumber, 14},
                                          {"个数完成率(%)", CellKind::kPercent, 12},
                                          {"金额完成率(%)", CellKind::kPercent, 12},
                                          {"时间进度(%)", CellKind::kPercent, 12},
                                          {"进度", CellKind::kText, 10}});
}

void AddTarget(Rows& rows, const TargetView& v) {
  rows.push_back({v.unit.code, v.unit.name, std::to_string(v.target.year),
                  std::to_string(v.target.projects_100m), v.target.contract_amount.ToString(),
                  std::to_string(v.actual.signed_projects), std::to_string(v.actual.projects_100m),
                  v.actual.contract_amount.ToString(), DecimalText(v.progress.count_share),
                  DecimalText(v.progress.amount_share), v.progress.elapsed.ToString(),
                  ProgressName(v.progress.status)});
}

io::Sheet StatsSheet() {
  return http::ListSheet("签约统计", {{"单位编码", CellKind::kText, 14},
                                      {"单位", CellKind::kText, 18},
                                      {"签约项目(个)", CellKind::kInteger, 12},
                                      {"亿元以上项目(个)", CellKind::kInteger, 14},
                                      {"合同引资额(亿元)", CellKind::kNumber, 16}});
}

void AddStats(Rows& rows, const std::string& code, const std::string& name, const SigningStats& s) {
  rows.push_back({code, name, std::to_string(s.signed_projects), std::to_string(s.projects_100m),
                  s.contract_amount.ToString()});
}

io::Sheet ChainSheet() {
  return http::ListSheet("产业链图谱", {{"产业链", CellKind::kText, 14},
                                        {"链长", CellKind::kText, 20},
                                        {"链主企业", CellKind::kText, 28},
                                        {"位置", CellKind::kText, 8},
                                        {"环节", CellKind::kText, 18},
                                        {"本地企业", CellKind::kText, 40},
                                        {"目标企业", CellKind::kText, 40},
                                        {"缺链环节", CellKind::kText, 10}});
}

// One row per segment (a chain without segments: one row without them).
void AddChain(Rows& rows, const ChainView& v) {
  std::map<int64_t, std::string> names;
  for (const Company& c : v.firms) names[c.id] = c.name;
  auto list = [&](const std::vector<int64_t>& ids) {
    std::string out;
    for (int64_t id : ids) out += (out.empty() ? "" : "、") + names[id];
    return out;
  };
  const Chain& c = v.chain;
  std::string leader_firm = c.lead_firm_id ? names[*c.lead_firm_id] : "";
  if (c.segments.empty()) rows.push_back({c.name, c.chain_leader, leader_firm, "", "", "", "", ""});
  for (const Segment& s : c.segments)
    rows.push_back({c.name, c.chain_leader, leader_firm, std::string(PositionName(s.position)),
                    s.name, list(s.local_firms), list(s.target_firms),
                    YesNo(s.local_firms.empty())});
}

}  // namespace

std::vector<Route> InvestmentRoutes(InvestmentService& svc) {
  std::vector<Route> r;

  // ---- Companies ----
  r.push_back({"GET", "/api/v1/investment/companies", Access::kPermission, "investment.read", "", [&svc](RouteContext& c) {
    if (http::WantsXlsx(c.req))
      return http::ExportPages(CompanySheet(), "招商企业库", [&](int page, int size) {
        return svc.ListCompanies(*c.actor, c.req.Query("q"), c.req.Query("tag"), page, size);
      }, AddCompany);
    auto page = svc.ListCompanies(*c.actor, c.req.Query("q"), c.req.Query("tag"), c.Page(), c.PageSize(50));
    if (!page.ok()) return ErrorResponse(page.status());
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const Company& co : page->items) WriteCompany(w, co);
    w.EndArray();
    WritePageHead(w, *page);
    w.EndObject();
    return JsonResponse(200, w.Take());
  }});
  r.push_back({"GET", "/api/v1/investment/companies/{id}", Access::kPermission, "investment.read", "company", [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    return CompanyResponse(svc.GetCompany(*c.actor, *id));
  }});
  r.push_back({"POST", "/api/v1/investment/companies", Access::kPermission, "investment.write", "", [&svc](RouteContext& c) {
    JsonBody b(c.req.body);
    b.AllowOnly({"name", "uscc", "origin", "tags"});
    Company co;
    ReadCompany(b, co);
    if (!b.Has("name")) b.Fail("name", "必填");
    if (!b.ok()) return ErrorResponse(b.status());
    return CompanyResponse(svc.CreateCompany(*c.actor, co), 201);
  }});
  r.push_back({"PUT", "/api/v1/investment/companies/{id}", Access::kPermission, "investment.write", "company", [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    auto current = svc.GetCompany(*c.actor, *id);
    if (!current.ok()) return ErrorResponse(current.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"name", "uscc", "origin", "tags", "version"});
    Company co = current->company;
    ReadCompany(b, co);
    co.version = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    return CompanyResponse(svc.UpdateCompany(*c.actor, *id, co));
  }});
  r.push_back({"POST", "/api/v1/investment/companies/{id}/merge", Access::kPermission, "investment.write", "company", [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"into", "version"});
    int64_t into = b.Int("into");
    int v = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    return CompanyResponse(svc.MergeCompany(*c.actor, *id, into, v));
  }});

  // ---- Leads ----
  r.push_back({"GET", "/api/v1/investment/leads", Access::kPermission, "investment.read", "", [&svc](RouteContext& c) {
    store::LeadQuery q;
    q.stage = c.req.Query("stage");
    std::string lost = c.req.Query("lost");
    if (lost == "1" || lost == "true") q.lost = true;
    else if (lost == "0" || lost == "false") q.lost = false;
    for (auto [name, field] : {std::pair{"chain", &q.chain_id}, std::pair{"company", &q.company_id}}) {
      std::string v = c.req.Query(name);
      if (v.empty()) continue;
      char* end = nullptr;
      long long n = std::strtoll(v.c_str(), &end, 10);
      if (*end || n <= 0) return ErrorResponse(InvalidArgument(std::string(name) + " 应为编号", {{name, "应为正整数"}}));
      *field = n;
    }
    q.q = c.req.Query("q");
    if (http::WantsXlsx(c.req)) {
      // The whole filtered list, in the import sheet's layout (at most 200,000 rows).
      auto sheet = svc.ExportLeads(*c.actor, q, c.req.Query("unit"));
      if (!sheet.ok()) return ErrorResponse(sheet.status());
      return http::XlsxResponse(io::WriteXlsx({*sheet}), "招商线索");
    }
    q.page = c.Page();
    q.page_size = c.PageSize(50);
    auto page = svc.ListLeads(*c.actor, q, c.req.Query("unit"));
    if (!page.ok()) return ErrorResponse(page.status());
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& row : page->items) WriteLead(w, row);
    w.EndArray();
    WritePageHead(w, *page);
    w.EndObject();
    return JsonResponse(200, w.Take());
  }});
  r.push_back({"GET", "/api/v1/investment/pipeline", Access::kPermission, "investment.read", "", [&svc](RouteContext& c) {
    auto p = svc.Pipeline(*c.actor, c.req.Query("unit"));
    if (!p.ok()) return ErrorResponse(p.status());
    std::map<std::string, const store::StageCount*> by;
    for (const auto& s : *p) by[s.stage] = &s;
    if (http::WantsXlsx(c.req)) {
      io::Sheet sheet =
          http::ListSheet("线索阶段分布", {{"阶段", io::CellKind::kText, 14},
                                           {"在谈线索(个)", io::CellKind::kInteger, 14},
                                           {"意向投资额(亿元)", io::CellKind::kNumber, 18}});
      for (const char* s : kLeadStages) {
        auto it = by.find(s);
        sheet.rows.push_back({std::string(LeadStageName(s)),
                              it == by.end() ? "0" : std::to_string(it->second->count),
                              it == by.end() ? "0" : it->second->amount.ToString()});
      }
      return http::SheetResponse(std::move(sheet), "招商线索阶段分布");
    }
    JsonWriter w;
    w.BeginObject().Key("stages").BeginArray();
    for (const char* s : kLeadStages) {
      auto it = by.find(s);
      w.BeginObject().Field("stage", s).Field("stage_name", std::string(LeadStageName(s)))
          .Field("count", it == by.end() ? int64_t{0} : it->second->count);
      w.OptDecimal("amount", it == by.end() ? Decimal() : it->second->amount);
      w.EndObject();
    }
    w.EndArray().EndObject();
    return JsonResponse(200, w.Take());
  }});
  // Import from an uploaded file (.xlsx or CSV as the raw body), all or nothing; with
  // annotate=1 a rejected upload comes back as the sheet with its bad cells marked (422).
  r.push_back({"POST", "/api/v1/investment/leads/import/file", Access::kPermission, "investment.write", "",
               [&svc](RouteContext& c) {
                 return http::ImportFile(c.req, "招商线索-错误标注", [&](const io::Table& t, bool dry) -> Result<http::ImportCounts> {
                   auto res = svc.ImportLeads(*c.actor, t, dry);
                   if (!res.ok()) return res.status();
                   return http::ImportCounts{res->rows, res->inserted, res->updated, res->unchanged};
                 });
               },
               /*raw_body=*/true});
  r.push_back({"GET", "/api/v1/investment/leads/import/template", Access::kPermission, "investment.write", "",
               [&svc](RouteContext& c) {
                 auto sheet = svc.LeadTemplate(*c.actor);
                 if (!sheet.ok()) return ErrorResponse(sheet.status());
                 io::WorkbookOptions options;
                 options.title = "招商线索导入模板";
                 options.instructions = LeadInstructions();
                 return http::XlsxResponse(io::WriteXlsx({*sheet}, options), "招商线索导入模板");
               }});
  r.push_back({"GET", "/api/v1/investment/leads/{id}", Access::kPermission, "investment.read", "lead", [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    return LeadResponse(svc.GetLead(*c.actor, *id));
  }});
  r.push_back({"POST", "/api/v1/investment/leads", Access::kPermission, "investment.write", "", [&svc](RouteContext& c) {
    JsonBody b(c.req.body);
    b.AllowOnly({"company_id", "project_name", "amount", "chain_id", "segment_id", "source", "unit", "officer_id", "date"});
    LeadInput in;
    ReadLead(b, in);
    in.date = b.OptStr("date", 16).value_or("");
    for (const char* f : {"company_id", "project_name", "amount", "source", "unit"})
      if (!b.Has(f)) b.Fail(f, "必填");
    if (!b.ok()) return ErrorResponse(b.status());
    return LeadResponse(svc.CreateLead(*c.actor, in), 201);
  }});
  r.push_back({"PUT", "/api/v1/investment/leads/{id}", Access::kPermission, "investment.write", "lead", [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    auto current = svc.GetLead(*c.actor, *id);
    if (!current.ok()) return ErrorResponse(current.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"company_id", "project_name", "amount", "chain_id", "segment_id", "source", "unit", "officer_id", "version"});
    LeadInput in;
    in.lead = current->row.lead;
    in.unit_code = current->row.unit_code;
    in.amount = current->row.lead.amount.ToString();
    ReadLead(b, in);
    int v = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    return LeadResponse(svc.UpdateLead(*c.actor, *id, in, v));
  }});
  r.push_back({"POST", "/api/v1/investment/leads/{id}/stage", Access::kPermission, "investment.write", "lead", [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"stage", "date", "version"});
    std::string stage = b.Str("stage", 32), date = b.Str("date", 16);
    int v = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    return LeadResponse(svc.ChangeStage(*c.actor, *id, stage, date, v));
  }});
  r.push_back({"POST", "/api/v1/investment/leads/{id}/lose", Access::kPermission, "investment.write", "lead", [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"reason", "date", "version"});
    std::string reason = b.Str("reason", 1000), date = b.OptStr("date", 16).value_or("");
    int v = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    return LeadResponse(svc.Lose(*c.actor, *id, reason, date, v));
  }});
  r.push_back({"POST", "/api/v1/investment/leads/{id}/reopen", Access::kPermission, "investment.write", "lead", [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    JsonBody b(c.req.body);
    int v = VersionOnly(b);
    if (!b.ok()) return ErrorResponse(b.status());
    return LeadResponse(svc.Reopen(*c.actor, *id, v));
  }});
  r.push_back({"POST", "/api/v1/investment/leads/{id}/contracts", Access::kPermission, "investment.write", "lead", [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"date", "amount", "kind"});
    std::string date = b.Str("date", 16), kind = b.Str("kind", 16);
    auto amount = b.OptNumberText("amount");
    if (!amount) b.Fail("amount", "必填");
    if (!b.ok()) return ErrorResponse(b.status());
    auto k = svc.AddContract(*c.actor, *id, date, *amount, kind);
    if (!k.ok()) return ErrorResponse(k.status());
    JsonWriter w;
    WriteContract(w, *k);
    return JsonResponse(201, w.Take());
  }});
  r.push_back({"POST", "/api/v1/investment/leads/{id}/convert", Access::kPermission, "investment.write", "lead", [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    JsonBody b(c.req.body);
    int v = VersionOnly(b);
    if (!b.ok()) return ErrorResponse(b.status());
    auto conv = svc.Convert(*c.actor, *id, v);
    if (!conv.ok()) return ErrorResponse(conv.status());
    JsonWriter w;
    w.BeginObject().Key("project").BeginObject().Field("id", conv->project_id).Field("code", conv->code)
        .Field("name", conv->name).EndObject().Field("created", conv->created).EndObject();
    return JsonResponse(conv->created ? 201 : 200, w.Take());
  }});

  r.push_back({"GET", "/api/v1/investment/officers", Access::kPermission, "investment.read", "", [&svc](RouteContext& c) {
    auto list = svc.Officers(*c.actor);
    if (!list.ok()) return ErrorResponse(list.status());
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& u : *list)
      w.BeginObject().Field("id", u.id).Field("name", u.name).Key("unit").BeginObject().Field("id", u.unit_id)
          .Field("code", u.unit_code).Field("name", u.unit_name).EndObject().EndObject();
    w.EndArray().EndObject();
    return JsonResponse(200, w.Take());
  }});

  // ---- Activities ----
  r.push_back({"GET", "/api/v1/investment/activities", Access::kPermission, "investment.read", "", [&svc](RouteContext& c) {
    store::ActivityQuery q;
    q.kind = c.req.Query("kind");
    q.leader_level_only = c.req.Query("leader_level") == "1";
    for (auto [name, field] : {std::pair{"from", &q.from}, std::pair{"to", &q.to}}) {
      std::string v = c.req.Query(name);
      if (v.empty()) continue;
      if (!ParseIsoDate(v).ok()) return ErrorResponse(InvalidArgument("日期无效：" + v, {{name, "应为 YYYY-MM-DD"}}));
      *field = v;
    }
    if (http::WantsXlsx(c.req))
      return http::ExportPages(ActivitySheet(), "招商活动", [&](int page, int size) {
        q.page = page;
        q.page_size = size;
        return svc.ListActivities(*c.actor, q, c.req.Query("unit"));
      }, AddActivity);
    q.page = c.Page();
    q.page_size = c.PageSize(50);
    auto page = svc.ListActivities(*c.actor, q, c.req.Query("unit"));
    if (!page.ok()) return ErrorResponse(page.status());
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& a : page->items) WriteActivity(w, a);
    w.EndArray();
    WritePageHead(w, *page);
    w.EndObject();
    return JsonResponse(200, w.Take());
  }});
  r.push_back({"POST", "/api/v1/investment/activities", Access::kPermission, "investment.write", "", [&svc](RouteContext& c) {
    JsonBody b(c.req.body);
    b.AllowOnly({"kind", "date", "title", "location", "leader_level", "leader", "unit", "lead_ids", "notes"});
    Activity a;
    a.kind = b.Str("kind", 16);
    std::string date = b.Str("date", 16);
    a.title = b.Str("title", 200);
    a.location = b.OptStr("location", 200).value_or("");
    a.leader_level = b.OptBool("leader_level").value_or(false);
    a.leader = b.OptStr("leader", 100).value_or("");
    std::string unit = b.Str("unit", 32);
    a.notes = b.OptStr("notes", 2000).value_or("");
    if (b.Present("lead_ids"))
      for (auto& item : b.Objects("lead_ids", 50)) {
        item->AllowOnly({"id"});
        a.lead_ids.push_back(item->Int("id"));
      }
    if (!date.empty()) {
      if (auto d = ParseIsoDate(date); d.ok()) a.date = *d;
      else b.Fail("date", "应为 YYYY-MM-DD 格式的有效日期");
    }
    if (!b.ok()) return ErrorResponse(b.status());
    auto made = svc.CreateActivity(*c.actor, a, unit);
    if (!made.ok()) return ErrorResponse(made.status());
    JsonWriter w;
    WriteActivity(w, *made);
    return JsonResponse(201, w.Take());
  }});

  // ---- Statistics and targets ----
  r.push_back({"GET", "/api/v1/investment/stats", Access::kPermission, "investment.read", "", [&svc](RouteContext& c) {
    auto s = svc.Stats(*c.actor, c.req.Query("unit"), c.req.Query("from"), c.req.Query("to"));
    if (!s.ok()) return ErrorResponse(s.status());
    if (http::WantsXlsx(c.req)) {
      io::Sheet sheet = StatsSheet();
      for (const UnitStats& u : s->second) AddStats(sheet.rows, u.unit.code, u.unit.name, u.stats);
      AddStats(sheet.rows, "", "合计", s->first);
      return http::SheetResponse(std::move(sheet), "招商签约统计");
    }
    JsonWriter w;
    w.BeginObject();
    WriteStats(w, s->first);
    w.Key("by_unit").BeginArray();
    for (const UnitStats& u : s->second) {
      w.BeginObject().Key("unit").BeginObject().Field("id", u.unit.id).Field("code", u.unit.code)
          .Field("name", u.unit.name).EndObject();
      WriteStats(w, u.stats);
      w.EndObject();
    }
    w.EndArray().EndObject();
    return JsonResponse(200, w.Take());
  }});
  r.push_back({"GET", "/api/v1/investment/targets", Access::kPermission, "investment.read", "", [&svc](RouteContext& c) {
    int year = 0;
    std::string y = c.req.Query("year");
    if (!y.empty()) {
      auto p = Period::Parse(y);
      if (!p.ok() || p->kind() != PeriodKind::kYear) return ErrorResponse(InvalidArgument("年份无效", {{"year", "应为四位年份"}}));
      year = p->year();
    }
    auto list = svc.ListTargets(*c.actor, year, c.req.Query("unit"));
    if (!list.ok()) return ErrorResponse(list.status());
    if (http::WantsXlsx(c.req)) {
      io::Sheet sheet = TargetSheet();
      for (const auto& t : *list) AddTarget(sheet.rows, t);
      return http::SheetResponse(std::move(sheet), "招商目标进度");
    }
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& t : *list) WriteTarget(w, t);
    w.EndArray().Field("total", static_cast<int64_t>(list->size())).EndObject();
    return JsonResponse(200, w.Take());
  }});
  r.push_back({"PUT", "/api/v1/investment/targets", Access::kPermission, "investment.write", "", [&svc](RouteContext& c) {
    JsonBody b(c.req.body);
    b.AllowOnly({"unit", "year", "projects_100m", "contract_amount", "version"});
    std::string unit = b.Str("unit", 32);
    int year = b.Int32("year"), count = b.Int32("projects_100m");
    auto amount = b.OptNumberText("contract_amount");
    if (!amount) b.Fail("contract_amount", "必填");
    std::optional<int> version;
    if (b.Has("version")) version = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    auto t = svc.PutTarget(*c.actor, unit, year, count, *amount, version);
    if (!t.ok()) return ErrorResponse(t.status());
    JsonWriter w;
    WriteTarget(w, *t);
    return JsonResponse(200, w.Take());
  }});

  // ---- Chains ----
  r.push_back({"GET", "/api/v1/investment/chains", Access::kPermission, "investment.read", "", [&svc](RouteContext& c) {
    auto list = svc.ListChains(*c.actor);
    if (!list.ok()) return ErrorResponse(list.status());
    if (http::WantsXlsx(c.req)) {
      io::Sheet sheet = ChainSheet();
      for (const auto& v : *list) AddChain(sheet.rows, v);
      return http::SheetResponse(std::move(sheet), "产业链图谱");
    }
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& v : *list) WriteChain(w, v);
    w.EndArray().Field("total", static_cast<int64_t>(list->size())).EndObject();
    return JsonResponse(200, w.Take());
  }});
  r.push_back({"GET", "/api/v1/investment/chains/{id}", Access::kPermission, "investment.read", "chain", [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    return ChainResponse(svc.GetChain(*c.actor, *id));
  }});
  auto read_chain = [](JsonBody& b, Chain& ch) {
    if (auto v = b.OptStr("name", 100)) ch.name = *v;
    if (b.Present("chain_leader")) ch.chain_leader = b.OptStr("chain_leader", 100).value_or("");
    if (b.Present("lead_firm_id")) ch.lead_firm_id = b.OptInt("lead_firm_id");
    if (b.Present("segments")) {
      ch.segments.clear();
      for (auto& item : b.Objects("segments", 100)) {
        item->AllowOnly({"id", "position", "name", "local_firms", "target_firms"});
        Segment s;
        s.id = item->OptInt("id").value_or(0);
        s.position = item->Str("position", 16);
        s.name = item->Str("name", 100);
        for (auto [name, list] : {std::pair{"local_firms", &s.local_firms}, std::pair{"target_firms", &s.target_firms}}) {
          if (!item->Present(name)) continue;
          for (auto& f : item->Objects(name, 200)) {
            f->AllowOnly({"id"});
            list->push_back(f->Int("id"));
          }
        }
        ch.segments.push_back(s);
      }
    }
  };
  r.push_back({"POST", "/api/v1/investment/chains", Access::kPermission, "investment.write", "", [&svc, read_chain](RouteContext& c) {
    JsonBody b(c.req.body);
    b.AllowOnly({"name", "chain_leader", "lead_firm_id", "segments"});
    Chain ch;
    read_chain(b, ch);
    if (!b.Has("name")) b.Fail("name", "必填");
    if (!b.ok()) return ErrorResponse(b.status());
    return ChainResponse(svc.CreateChain(*c.actor, ch), 201);
  }});
  r.push_back({"PUT", "/api/v1/investment/chains/{id}", Access::kPermission, "investment.write", "chain", [&svc, read_chain](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    auto current = svc.GetChain(*c.actor, *id);
    if (!current.ok()) return ErrorResponse(current.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"name", "chain_leader", "lead_firm_id", "segments", "version"});
    Chain ch = current->chain;
    read_chain(b, ch);
    ch.version = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    return ChainResponse(svc.UpdateChain(*c.actor, *id, ch));
  }});

  return r;
}

}  // namespace tiaodu::investment
