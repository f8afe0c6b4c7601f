#include "benefits/routes.h"

#include <map>

#include "base/period.h"
#include "http/json.h"
#include "http/sheets.h"

namespace tiaodu::benefits {

using http::Access;
using http::ErrorResponse;
using http::JsonBody;
using http::JsonResponse;
using http::JsonWriter;
using http::Response;
using http::Route;
using http::RouteContext;

namespace {

void WriteUnit(JsonWriter& w, int64_t id, const std::string& code, const std::string& name) {
  w.BeginObject().Field("id", id).Field("code", code).Field("name", name).EndObject();
}

void WriteEnterprise(JsonWriter& w, const store::EnterpriseRow& r) {
  const Enterprise& e = r.enterprise;
  w.BeginObject().Field("id", e.id).Field("name", e.name).Field("uscc", r.uscc).Key("unit");
  WriteUnit(w, r.unit_id, e.unit_code, r.unit_name);
  w.Field("industry", e.industry)
      .Field("scale", e.scale ? kScaleCodes[static_cast<int>(*e.scale)] : "")
      .Field("scale_name", e.scale ? kScaleNames[static_cast<int>(*e.scale)] : "")
      .Key("certifications")
      .BeginArray();
  for (const auto& c : e.certifications) w.String(c);
  w.EndArray().OptDate("founded", e.founded).Key("figures").BeginArray();
  for (const auto& [year, f] : e.years) {
    w.BeginObject().Field("year", year);
    w.OptDecimal("revenue", f.revenue)
        .OptDecimal("tax_paid", f.tax_paid)
        .OptDecimal("rd_spending", f.rd_spending);
    w.OptDecimal("employees", f.employees).EndObject();
  }
  w.EndArray().Field("version", r.version).EndObject();
}

void WritePolicy(JsonWriter& w, const store::PolicyRecord& p) {
  w.BeginObject()
      .Field("id", p.id)
      .Field("title", p.title)
      .Field("issuer", p.issuer)
      .Field("doc_number", p.doc_number)
      .OptDate("valid_from", p.valid_from)
      .OptDate("valid_to", p.valid_to)
      .OptDecimal("budget", p.budget)
      .Field("budget_mode", p.budget_mode == BudgetMode::kProRata ? "pro_rata" : "order")
      .Field("base_year", p.rules.base_year)
      .Field("eligibility", p.rules.eligibility)
      .Field("amount", p.rules.amount)
      .Key("unit");
  WriteUnit(w, p.unit_id, p.unit_code, p.unit_name);
  w.Field("archived", p.archived).Field("version", p.version).EndObject();
}

const char* StateName(const std::string& s) {
  if (s == "draft") return "草稿";
  if (s == "reviewed") return "已审核";
  if (s == "approved") return "已批准";
  if (s == "published") return "已公布";
  return "";
}

const char* OutcomeLabelOf(const std::string& name) {
  for (Outcome o : {Outcome::kMatched, Outcome::kNearMiss, Outcome::kNotMatched,
                    Outcome::kDataMissing, Outcome::kDataError})
    if (name == OutcomeName(o)) return OutcomeLabel(o);
  return "";
}

void WriteRunFields(JsonWriter& w, const store::RunRecord& r) {
  w.Field("id", r.id)
      .Key("policy")
      .BeginObject()
      .Field("id", r.policy_id)
      .Field("title", r.policy_title)
      .Field("version", r.policy_version)
      .EndObject()
      .Key("unit");
  WriteUnit(w, r.unit_id, r.unit_code, r.unit_name);
  w.Field("year", r.year)
      .Field("state", r.state)
      .Field("state_name", StateName(r.state))
      .Field("eligibility", r.eligibility)
      .Field("amount", r.amount)
      .OptDecimal("budget", r.budget)
      .Field("budget_mode", r.budget_mode == BudgetMode::kProRata ? "pro_rata" : "order")
      .Field("enterprises", r.enterprises)
      .Field("matched", r.matched)
      .Field("near_miss", r.near_miss)
      .Field("data_missing", r.data_missing)
      .Field("data_error", r.data_error)
      .OptDecimal("requested", r.requested)
      .OptDecimal("granted", r.granted)
      .Field("run_by", r.run_by)
      .Field("run_at", r.run_at)
      .Field("reviewed_by", r.reviewed_by)
      .Key("reviewed_at")
      .OptInt(r.reviewed_at)
      .Field("approved_by", r.approved_by)
      .Key("approved_at")
      .OptInt(r.approved_at)
      .Field("published_by", r.published_by)
      .Key("published_at")
      .OptInt(r.published_at)
      .Field("version", r.version);
}

void WriteResultFields(JsonWriter& w, const store::ResultRecord& x) {
  w.Field("outcome", x.outcome)
      .Field("outcome_label", OutcomeLabelOf(x.outcome))
      .Key("met")
      .BeginArray();
  for (const auto& s : x.met) w.String(s);
  w.EndArray().Key("failed").BeginArray();
  for (const auto& s : x.failed) w.String(s);
  w.EndArray().Key("missing").BeginArray();
  for (const auto& s : x.missing)
    w.BeginObject().Field("name", s).Field("label", AttributeLabel(s)).EndObject();
  w.EndArray()
      .Field("error", x.error)
      .Field("inputs", x.inputs)
      .OptDecimal("requested", x.requested)
      .OptDecimal("granted", x.granted);
}

// {"items": [runs without results], "total"}.
Response RunListResponse(const Result<std::vector<store::RunRecord>>& runs, int status) {
  if (!runs.ok()) return ErrorResponse(runs.status());
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (const auto& run : *runs) {
    w.BeginObject();
    WriteRunFields(w, run);
    w.EndObject();
  }
  w.EndArray().Field("total", static_cast<int64_t>(runs->size())).EndObject();
  return JsonResponse(status, w.Take());
}

Response RunResponse(const Result<RunDetail>& d, int status = 200) {
  if (!d.ok()) return ErrorResponse(d.status());
  JsonWriter w;
  w.BeginObject();
  WriteRunFields(w, d->run);
  w.Key("results").BeginObject().Key("items").BeginArray();
  for (const auto& x : d->results.items) {
    w.BeginObject()
        .Key("enterprise")
        .BeginObject()
        .Field("id", x.company_id)
        .Field("name", x.company_name)
        .Field("uscc", x.uscc)
        .Field("unit_code", x.unit_code)
        .Field("unit_name", x.unit_name)
        .EndObject();
    WriteResultFields(w, x);
    w.EndObject();
  }
  w.EndArray()
      .Field("total", d->results.total)
      .Field("page", d->results.page)
      .Field("page_size", d->results.page_size)
      .EndObject()
      .EndObject();
  return JsonResponse(status, w.Take());
}

// A run's results as a workbook (the list to review and to publish): every stored result, in
// the order of the JSON (matched first, largest amount first), at most kMaxExportRows.
Response RunSheetResponse(BenefitService& svc, const auth::Actor& actor, int64_t id,
                          const std::string& outcome) {
  using io::CellKind;
  io::Sheet sheet = http::ListSheet("匹配结果", {{"企业名称", CellKind::kText, 34},
                                                 {"统一社会信用代码", CellKind::kText, 22},
                                                 {"所属单位编码", CellKind::kText, 12},
                                                 {"所属单位", CellKind::kText, 14},
                                                 {"结果", CellKind::kText, 10},
                                                 {"符合的条件", CellKind::kText, 40},
                                                 {"未满足的条件", CellKind::kText, 30},
                                                 {"缺失数据", CellKind::kText, 30},
                                                 {"数据问题", CellKind::kText, 24},
                                                 {"测算金额(元)", CellKind::kNumber, 14},
                                                 {"核定金额(元)", CellKind::kNumber, 14}});
  auto join = [](const std::vector<std::string>& v, bool labels) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : "；") + (labels ? AttributeLabel(s) : s);
    return out;
  };
  auto all = svc.AllResults(actor, id, outcome);  // the block decoded once, not once a page
  if (!all.ok()) return ErrorResponse(all.status());
  for (const store::ResultRecord& x : all->results.items) {
    if (sheet.rows.size() >= http::kMaxExportRows) break;
    sheet.rows.push_back({x.company_name, x.uscc, x.unit_code, x.unit_name,
                          OutcomeLabelOf(x.outcome), join(x.met, false), join(x.failed, false),
                          join(x.missing, true), x.error,
                          x.requested ? x.requested->ToString() : "",
                          x.granted ? x.granted->ToString() : ""});
  }
  return http::SheetResponse(std::move(sheet), "免申即享匹配结果");
}

// The run's public notice (公示) as a Word document; a run not yet approved is marked a draft.
Response NoticeResponse(BenefitService& svc, const auth::Actor& actor, int64_t id) {
  auto data = svc.Notice(actor, id);
  if (!data.ok()) return ErrorResponse(data.status());
  auto bytes = NoticeDocx(*data);
  if (!bytes.ok()) return ErrorResponse(bytes.status());
  Response out;
  out.content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  out.body = std::move(*bytes);
  out.SetHeader("Content-Disposition", http::AttachmentDisposition(NoticeFileName(*data)));
  return out;
}

Response PolicyResponse(const Result<store::PolicyRecord>& p, int status = 200) {
  if (!p.ok()) return ErrorResponse(p.status());
  JsonWriter w;
  WritePolicy(w, *p);
  return JsonResponse(status, w.Take());
}

Response EnterpriseResponse(const Result<store::EnterpriseRow>& e) {
  if (!e.ok()) return ErrorResponse(e.status());
  JsonWriter w;
  WriteEnterprise(w, *e);
  return JsonResponse(200, w.Take());
}

store::EnterpriseQuery EnterpriseQueryOf(const RouteContext& c) {
  store::EnterpriseQuery q;
  q.q = c.req.Query("q");
  q.industry = c.req.Query("industry");
  q.scale = c.req.Query("scale");
  q.certification = c.req.Query("certification");
  q.page = c.Page();
  q.page_size = c.PageSize(50);
  return q;
}

// A date field: absent/null → nullopt; otherwise YYYY-MM-DD (a bad one is recorded in `b`).
std::optional<CivilDate> DateField(JsonBody& b, const char* name) {
  auto v = b.OptStr(name, 16);
  if (!v || v->empty()) return std::nullopt;
  auto d = ParseIsoDate(*v);
  if (!d.ok()) {
    b.Fail(name, "应为 YYYY-MM-DD 格式的有效日期");
    return std::nullopt;
  }
  return *d;
}

// The base year of a policy or a check: required, 1990..2100.
int BaseYear(JsonBody& b) {
  const int year = b.Int32("base_year");
  if (b.Has("base_year") && (year < 1990 || year > 2100))
    b.Fail("base_year", "应为 1990 至 2100 之间的年份");
  return year;
}

// A policy's fields from a body: for a create (`current` null) title, amount and base_year are
// required; for an update the current values are kept where the body omits a field.
PolicyInput ReadPolicy(JsonBody& b, const store::PolicyRecord* current, bool check_only = false) {
  b.AllowOnly({"title", "issuer", "doc_number", "valid_from", "valid_to", "budget", "budget_mode",
               "base_year", "eligibility", "amount", "unit", "version"});
  PolicyInput in;
  if (check_only) {
    // An update's body before the policy is read: the version is required, the rest optional.
    in.version = b.Version();
    static const store::PolicyRecord kNone;
    current = &kNone;
  } else if (current) {
    in.title = current->title;
    in.issuer = current->issuer;
    in.doc_number = current->doc_number;
    in.valid_from = current->valid_from;
    in.valid_to = current->valid_to;
    in.budget = current->budget ? current->budget->ToString() : "";
    in.budget_mode = current->budget_mode == BudgetMode::kProRata ? "pro_rata" : "order";
    in.rules = current->rules;
    in.version = b.Version();
  }
  if (!current || b.Present("title")) in.title = b.Str("title", 300);
  if (b.Present("issuer")) in.issuer = b.OptStr("issuer", 200).value_or("");
  if (b.Present("doc_number")) in.doc_number = b.OptStr("doc_number", 100).value_or("");
  if (b.Present("valid_from")) in.valid_from = DateField(b, "valid_from");
  if (b.Present("valid_to")) in.valid_to = DateField(b, "valid_to");
  if (b.Present("budget")) in.budget = b.OptNumberText("budget").value_or("");
  if (b.Present("budget_mode")) in.budget_mode = b.OptStr("budget_mode", 16).value_or("");
  if (!current || b.Present("base_year")) in.rules.base_year = BaseYear(b);
  if (b.Present("eligibility")) in.rules.eligibility = b.OptStr("eligibility", 20000).value_or("");
  if (!current || b.Present("amount")) in.rules.amount = b.Str("amount", 20000);
  if (b.Present("unit")) in.unit_code = b.OptStr("unit", 32).value_or("");
  return in;
}

std::optional<Decimal> FigureField(JsonBody& b, const char* name) {
  auto t = b.OptNumberText(name);
  if (!t) return std::nullopt;
  auto d = Decimal::Parse(*t);
  if (!d.ok()) {
    b.Fail(name, "应为数值");
    return std::nullopt;
  }
  return *d;
}

}  // namespace

std::vector<Route> BenefitRoutes(BenefitService& svc) {
  std::vector<Route> r;

  // ---- The register ----
  r.push_back({"GET", "/api/v1/benefits/enterprises", Access::kPermission, "benefit.read", "",
               [&svc](RouteContext& c) {
                 store::EnterpriseQuery q = EnterpriseQueryOf(c);
                 if (http::WantsXlsx(c.req)) {
                   auto sheet = svc.ExportEnterprises(*c.actor, q, c.req.Query("unit"));
                   if (!sheet.ok()) return ErrorResponse(sheet.status());
                   return http::SheetResponse(std::move(*sheet), "企业名录");
                 }
                 auto page = svc.ListEnterprises(*c.actor, q, c.req.Query("unit"));
                 if (!page.ok()) return ErrorResponse(page.status());
                 JsonWriter w;
                 w.BeginObject().Key("items").BeginArray();
                 for (const auto& e : page->items) WriteEnterprise(w, e);
                 w.EndArray()
                     .Field("total", page->total)
                     .Field("page", page->page)
                     .Field("page_size", page->page_size)
                     .EndObject();
                 return JsonResponse(200, w.Take());
               }});
  r.push_back(
      {"POST", "/api/v1/benefits/enterprises/import/file", Access::kPermission, "benefit.manage",
       "",
       [&svc](RouteContext& c) {
         return http::ImportFile(
             c.req, "企业名录-错误标注",
             [&](const io::Table& t, bool dry) -> Result<http::ImportCounts> {
               auto res = svc.ImportEnterprises(*c.actor, t, dry);
               if (!res.ok()) return res.status();
               return http::ImportCounts{res->rows, res->inserted, res->updated, res->unchanged};
             });
       },
       /*raw_body=*/true});
  r.push_back({"GET", "/api/v1/benefits/enterprises/import/template", Access::kPermission,
               "benefit.manage", "", [&svc](RouteContext& c) {
                 auto sheet = svc.EnterpriseTemplate(*c.actor);
                 if (!sheet.ok()) return ErrorResponse(sheet.status());
                 io::WorkbookOptions options;
                 options.title = "企业名录导入模板";
                 options.instructions = BenefitService::EnterpriseInstructions();
                 return http::XlsxResponse(io::WriteXlsx({*sheet}, options), options.title);
               }});
  r.push_back({"GET", "/api/v1/benefits/enterprises/{id}", Access::kPermission, "benefit.read",
               "enterprise", [&svc](RouteContext& c) {
                 auto id = c.Id();
                 if (!id.ok()) return ErrorResponse(id.status());
                 return EnterpriseResponse(svc.GetEnterprise(*c.actor, *id));
               }});
  r.push_back({"PUT", "/api/v1/benefits/enterprises/{id}", Access::kPermission, "benefit.manage",
               "enterprise", [&svc](RouteContext& c) {
                 auto id = c.Id();
                 if (!id.ok()) return ErrorResponse(id.status());
                 JsonBody b(c.req.body);
                 b.AllowOnly({"unit", "industry", "scale", "certifications", "founded", "figures",
                              "version"});
                 EnterpriseEdit e;
                 e.unit_code = b.Str("unit", 32);
                 e.industry = b.OptStr("industry", 8).value_or("");
                 e.scale = b.OptStr("scale", 32).value_or("");
                 e.certifications = b.OptStrings("certifications", 100, 64);
                 e.founded = DateField(b, "founded");
                 e.version = b.Version();
                 if (b.Present("figures"))
                   for (auto& item : b.Objects("figures", 50)) {
                     item->AllowOnly({"year", "revenue", "tax_paid", "rd_spending", "employees"});
                     YearFigures f;
                     const int year = item->Int32("year");
                     f.revenue = FigureField(*item, "revenue");
                     f.tax_paid = FigureField(*item, "tax_paid");
                     f.rd_spending = FigureField(*item, "rd_spending");
                     f.employees = FigureField(*item, "employees");
                     e.years.emplace_back(year, f);
                   }
                 if (!b.ok()) return ErrorResponse(b.status());
                 return EnterpriseResponse(svc.EditEnterprise(*c.actor, *id, e));
               }});
  r.push_back({"GET", "/api/v1/benefits/enterprises/{id}/benefits", Access::kPermission,
               "benefit.read", "enterprise", [&svc](RouteContext& c) {
                 auto id = c.Id();
                 if (!id.ok()) return ErrorResponse(id.status());
                 auto list = svc.BenefitsOf(*c.actor, *id);
                 if (!list.ok()) return ErrorResponse(list.status());
                 JsonWriter w;
                 w.BeginObject().Key("items").BeginArray();
                 Decimal received;
                 for (const auto& b : *list) {
                   w.BeginObject()
                       .Key("run")
                       .BeginObject()
                       .Field("id", b.run.id)
                       .Field("year", b.run.year)
                       .Field("state", b.run.state)
                       .Key("published_at")
                       .OptInt(b.run.published_at)
                       .EndObject()
                       .Key("policy")
                       .BeginObject()
                       .Field("id", b.run.policy_id)
                       .Field("title", b.run.policy_title)
                       .Field("unit_name", b.run.unit_name)
                       .EndObject();
                   WriteResultFields(w, b.result);
                   w.EndObject();
                   if (b.result.outcome == "matched" && b.result.granted)
                     received += *b.result.granted;
                 }
                 w.EndArray().Field("total", static_cast<int64_t>(list->size()));
                 w.OptDecimal("received", received).EndObject();
                 return JsonResponse(200, w.Take());
               }});

  // ---- Policies ----
  r.push_back({"GET", "/api/v1/benefits/policies", Access::kPermission, "benefit.read", "",
               [&svc](RouteContext& c) {
                 store::PolicyQuery q;
                 q.q = c.req.Query("q");
                 q.include_archived =
                     c.req.Query("archived") == "1" || c.req.Query("archived") == "true";
                 q.page = c.Page();
                 q.page_size = c.PageSize(50);
                 auto page = svc.ListPolicies(*c.actor, q);
                 if (!page.ok()) return ErrorResponse(page.status());
                 JsonWriter w;
                 w.BeginObject().Key("items").BeginArray();
                 for (const auto& p : page->items) WritePolicy(w, p);
                 w.EndArray()
                     .Field("total", page->total)
                     .Field("page", page->page)
                     .Field("page_size", page->page_size)
                     .EndObject();
                 return JsonResponse(200, w.Take());
               }});
  r.push_back({"POST", "/api/v1/benefits/policies", Access::kPermission, "benefit.manage", "",
               [&svc](RouteContext& c) {
                 JsonBody b(c.req.body);
                 PolicyInput in = ReadPolicy(b, nullptr);
                 if (!b.ok()) return ErrorResponse(b.status());
                 return PolicyResponse(svc.CreatePolicy(*c.actor, in), 201);
               }});
  r.push_back({"POST", "/api/v1/benefits/policies/check", Access::kPermission, "benefit.manage", "",
               [&svc](RouteContext& c) {
                 JsonBody b(c.req.body);
                 b.AllowOnly({"eligibility", "amount", "base_year"});
                 PolicyRules rules;
                 rules.eligibility = b.OptStr("eligibility", 20000).value_or("");
                 rules.amount = b.OptStr("amount", 20000).value_or("");
                 rules.base_year = BaseYear(b);
                 if (!b.ok()) return ErrorResponse(b.status());
                 auto a = svc.Check(*c.actor, rules);
                 if (!a.ok()) return ErrorResponse(a.status());
                 JsonWriter w;
                 w.BeginObject().Field("ok", a->errors.empty()).Key("errors").BeginArray();
                 for (const RuleError& e : a->errors)
                   w.BeginObject()
                       .Field("field", e.field)
                       .Field("line", e.pos.line)
                       .Field("column", e.pos.column)
                       .Field("begin", e.begin)
                       .Field("end", e.end)
                       .Field("message", e.message)
                       .EndObject();
                 w.EndArray();
                 if (a->errors.empty()) {
                   w.Field("enterprises", a->enterprises)
                       .Field("matched", a->matched)
                       .Field("near_miss", a->near_miss)
                       .Field("data_missing", a->data_missing)
                       .Field("data_error", a->data_error)
                       .Field("not_matched", a->not_matched)
                       .OptDecimal("requested", a->requested);
                 }
                 w.EndObject();
                 return JsonResponse(200, w.Take());
               }});
  r.push_back({"GET", "/api/v1/benefits/policies/{id}", Access::kPermission, "benefit.read",
               "benefit_policy", [&svc](RouteContext& c) {
                 auto id = c.Id();
                 if (!id.ok()) return ErrorResponse(id.status());
                 return PolicyResponse(svc.GetPolicy(*c.actor, *id));
               }});
  r.push_back({"PUT", "/api/v1/benefits/policies/{id}", Access::kPermission, "benefit.manage",
               "benefit_policy", [&svc](RouteContext& c) {
                 auto id = c.Id();
                 if (!id.ok()) return ErrorResponse(id.status());
                 JsonBody b(c.req.body);
                 ReadPolicy(b, nullptr, /*check_only=*/true);  // the body's own faults first (400)
                 if (!b.ok()) return ErrorResponse(b.status());
                 auto current = svc.GetPolicy(*c.actor, *id);
                 if (!current.ok()) return ErrorResponse(current.status());
                 PolicyInput in = ReadPolicy(b, &*current);
                 if (!b.ok()) return ErrorResponse(b.status());
                 return PolicyResponse(svc.UpdatePolicy(*c.actor, *id, in));
               }});
  r.push_back({"POST", "/api/v1/benefits/policies/{id}/archive", Access::kPermission,
               "benefit.manage", "benefit_policy", [&svc](RouteContext& c) {
                 auto id = c.Id();
                 if (!id.ok()) return ErrorResponse(id.status());
                 JsonBody b(c.req.body);
                 b.AllowOnly({"version"});
                 const int version = b.Version();
                 if (!b.ok()) return ErrorResponse(b.status());
                 return PolicyResponse(svc.ArchivePolicy(*c.actor, *id, version));
               }});

  // ---- Runs ----
  r.push_back({"GET", "/api/v1/benefits/policies/{id}/runs", Access::kPermission, "benefit.read",
               "benefit_policy", [&svc](RouteContext& c) {
                 auto id = c.Id();
                 if (!id.ok()) return ErrorResponse(id.status());
                 return RunListResponse(svc.RunsOf(*c.actor, *id), 200);
               }});
  r.push_back({"POST", "/api/v1/benefits/policies/{id}/runs", Access::kPermission, "benefit.manage",
               "benefit_policy", [&svc](RouteContext& c) {
                 auto id = c.Id();
                 if (!id.ok()) return ErrorResponse(id.status());
                 JsonBody b(c.req.body);
                 b.AllowOnly({"year"});
                 const int year = b.Int32("year");
                 if (!b.ok()) return ErrorResponse(b.status());
                 return RunResponse(svc.StartRun(*c.actor, *id, year), 201);
               }});
  // The listed policies are checked against the actor's scope by the service (404 outside).
  r.push_back({"POST", "/api/v1/benefits/runs", Access::kPermission, "benefit.manage", "",
               [&svc](RouteContext& c) {
                 JsonBody b(c.req.body);
                 b.AllowOnly({"year", "policies"});
                 const int year = b.Int32("year");
                 const bool listed = b.Present("policies");
                 std::vector<int64_t> ids;
                 for (int id : b.OptInts32("policies")) ids.push_back(id);
                 if (listed && ids.empty())
                   b.Fail("policies", "至少选择一项政策；不传此字段则匹配全部政策");
                 if (!b.ok()) return ErrorResponse(b.status());
                 return RunListResponse(svc.StartRuns(*c.actor, year, ids), 201);
               }});
  r.push_back({"GET", "/api/v1/benefits/runs/{id}", Access::kPermission, "benefit.read",
               "benefit_run", [&svc](RouteContext& c) {
                 auto id = c.Id();
                 if (!id.ok()) return ErrorResponse(id.status());
                 if (http::WantsXlsx(c.req))
                   return RunSheetResponse(svc, *c.actor, *id, c.req.Query("outcome"));
                 if (c.req.Query("format") == "docx") return NoticeResponse(svc, *c.actor, *id);
                 store::ResultQuery q;
                 q.outcome = c.req.Query("outcome");
                 q.page = c.Page();
                 q.page_size = c.PageSize(50);
                 return RunResponse(svc.GetRun(*c.actor, *id, q));
               }});
  r.push_back({"GET", "/api/v1/benefits/runs/{id}/reproduce", Access::kPermission, "benefit.read",
               "benefit_run", [&svc](RouteContext& c) {
                 auto id = c.Id();
                 if (!id.ok()) return ErrorResponse(id.status());
                 auto r = svc.Reproduce(*c.actor, *id);
                 if (!r.ok()) return ErrorResponse(r.status());
                 JsonWriter w;
                 w.BeginObject()
                     .Field("run_id", r->run_id)
                     .Field("ok", r->ok)
                     .Field("enterprises", r->enterprises)
                     .Field("compared", r->compared)
                     .Field("current_unit_tree", r->current_unit_tree)
                     .Key("differences")
                     .BeginArray();
                 for (const auto& d : r->differences) {
                   w.BeginObject().Key("enterprise");
                   if (d.company_id)
                     w.BeginObject()
                         .Field("id", d.company_id)
                         .Field("name", d.company_name)
                         .EndObject();
                   else
                     w.Null();
                   w.Field("field", d.field)
                       .Field("stored", d.stored)
                       .Field("recomputed", d.recomputed)
                       .EndObject();
                 }
                 w.EndArray().Field("total_differences", r->total_differences).EndObject();
                 return JsonResponse(200, w.Take());
               }});
  struct Step {
    const char* path;
    const char* permission;
    Result<RunDetail> (BenefitService::*call)(const auth::Actor&, int64_t, int);
  };
  for (const Step& s :
       {Step{"/api/v1/benefits/runs/{id}/review", "benefit.manage", &BenefitService::Review},
        Step{"/api/v1/benefits/runs/{id}/approve", "benefit.approve", &BenefitService::Approve},
        Step{"/api/v1/benefits/runs/{id}/publish", "benefit.manage", &BenefitService::Publish}}) {
    r.push_back({"POST", s.path, Access::kPermission, s.permission, "benefit_run",
                 [&svc, call = s.call](RouteContext& c) {
                   auto id = c.Id();
                   if (!id.ok()) return ErrorResponse(id.status());
                   JsonBody b(c.req.body);
                   b.AllowOnly({"version"});
                   const int version = b.Version();
                   if (!b.ok()) return ErrorResponse(b.status());
                   return RunResponse((svc.*call)(*c.actor, *id, version));
                 }});
  }
  return r;
}

}  // namespace tiaodu::benefits
