#include "indicators/routes.h"

#include <sstream>

#include "base/period.h"
#include "http/json.h"
#include "indicators/rules.h"
#include "indicators/sheets.h"
#include "http/sheets.h"
#include "io/csv.h"
#include "io/upload.h"
#include "io/xlsx_writer.h"

namespace tiaodu::indicators {

using http::Access;
using http::ErrorResponse;
using http::JsonBody;
using http::JsonResponse;
using http::JsonWriter;
using http::Response;
using http::Route;
using http::RouteContext;

namespace {



std::string Label(const std::string& key) {
  auto p = Period::Parse(key);
  return p.ok() ? p->FormatZh() : key;
}

void WriteIndicator(JsonWriter& w, const Indicator& i) {
  w.BeginObject()
      .Field("id", i.id)
      .Field("code", i.code)
      .Field("name", i.name);
  w.Key("aliases").BeginArray();
  for (const auto& a : i.aliases) w.String(a);
  w.EndArray()
      .Field("unit", i.unit)
      .Field("periodicity", i.periodicity)
      .Field("accumulation", i.accumulation)
      .Field("growth_basis", i.growth_basis)
      .Field("direction", i.direction)
      .Field("formula", i.formula)
      .Field("derived", i.derived())
      .Field("rank_by", i.rank_by)
      .Field("additive", i.additive)
      .Field("decimals", i.decimals)
      .Field("sort_order", i.sort_order)
      .Field("archived", i.archived)
      .Field("version", i.version)
      .EndObject();
}

void WriteUnitRef(JsonWriter& w, const store::UnitRef& u) {
  w.BeginObject().Field("id", u.id).Field("code", u.code).Field("name", u.name).EndObject();
}

void WriteFindings(JsonWriter& w, const std::vector<Finding>& findings) {
  w.BeginArray();
  for (const Finding& f : findings)
    w.BeginObject()
        .Field("rule", f.rule)
        .Field("severity", f.severity)
        .Field("indicator", f.indicator)
        .Field("message", f.message)
        .EndObject();
  w.EndArray();
}

Response SheetResponse(const Result<Sheet>& s) {
  if (!s.ok()) return ErrorResponse(s.status());
  JsonWriter w;
  w.BeginObject().Key("unit");
  WriteUnitRef(w, s->unit);
  w.Field("period", s->period).Field("period_label", Label(s->period));
  w.Key("rows").BeginArray();
  for (const SheetRow& r : s->rows) {
    const Indicator& i = r.indicator;
    w.BeginObject()
        .Field("indicator", i.code)
        .Field("name", i.name)
        .Field("unit", i.unit)
        .Field("decimals", i.decimals)
        .Field("periodicity", i.periodicity)
        .Field("accumulation", i.accumulation)
        .Field("growth_basis", i.growth_basis)
        .Field("derived", i.derived())
        .Field("applicable", r.applicable)
        .Field("label", r.label);
    w.Key("value_id").OptInt(r.value ? std::optional<int64_t>(r.value->id) : std::nullopt);
    w.OptDecimal("value", r.value ? std::optional<Decimal>(r.value->value) : r.derived_value);
    w.OptDecimal("monthly", r.monthly);
    w.OptDecimal("reported_yoy", r.value ? r.value->reported_yoy : std::nullopt);
    w.OptDecimal("computed_yoy", r.computed_yoy);
    w.OptDecimal("previous_ytd", r.previous_ytd);
    w.OptDecimal("last_year", r.last_year);
    w.Key("status");
    if (r.value) w.String(r.value->status);
    else w.Null();
    w.Field("note", r.value ? r.value->note : std::string());
    w.Field("revision", r.value ? r.value->revision : 0);
    w.Key("version").OptInt(r.value ? std::optional<int64_t>(r.value->version) : std::nullopt);
    w.EndObject();
  }
  w.EndArray().Key("findings");
  WriteFindings(w, s->findings);
  w.Key("counts").BeginObject();
  for (const auto& [k, n] : s->counts) w.Field(k, n);
  w.EndObject().EndObject();
  return JsonResponse(200, w.Take());
}

void WriteValueRow(JsonWriter& w, const store::ValueRow& r) {
  const Value& v = r.value;
  w.BeginObject().Field("id", v.id).Key("unit").BeginObject()
      .Field("id", v.unit_id).Field("code", r.unit_code).Field("name", r.unit_name).EndObject()
      .Field("indicator", r.indicator_code)
      .Field("indicator_name", r.indicator_name)
      .Field("period", v.period)
      .Field("period_label", Label(v.period));
  w.OptDecimal("value", v.value);
  w.OptDecimal("reported_yoy", v.reported_yoy);
  w.Field("status", v.status)
      .Field("note", v.note)
      .Field("revision", v.revision)
      .Field("version", v.version)
      .Field("updated_at", v.updated_at)
      .EndObject();
}

Response ImportResultResponse(const ImportResult& res, bool dry) {
  JsonWriter w;
  w.BeginObject()
      .Field("dry_run", dry)
      .Field("rows", res.rows)
      .Field("inserted", res.inserted)
      .Field("updated", res.updated)
      .Field("unchanged", res.unchanged)
      .Key("findings").BeginArray();
  for (const auto& sf : res.findings) {
    for (const Finding& f : sf.findings)
      w.BeginObject()
          .Field("unit", sf.unit.code)
          .Field("unit_name", sf.unit.name)
          .Field("period", sf.period)
          .Field("rule", f.rule)
          .Field("severity", f.severity)
          .Field("indicator", f.indicator)
          .Field("message", f.message)
          .EndObject();
  }
  w.EndArray().EndObject();
  return JsonResponse(200, w.Take());
}

void WriteTargetRow(JsonWriter& w, const store::TargetRow& r) {
  const Target& t = r.target;
  w.BeginObject().Field("id", t.id).Key("unit").BeginObject()
      .Field("id", t.unit_id).Field("code", r.unit_code).Field("name", r.unit_name).EndObject()
      .Field("indicator", r.indicator_code)
      .Field("indicator_name", r.indicator_name)
      .Field("year", t.year);
  w.OptDecimal("value", t.value);
  w.OptDecimal("growth_floor", t.growth_floor);
  w.OptDecimal("growth_stretch", t.growth_stretch);
  w.Field("version", t.version).EndObject();
}

void WriteRule(JsonWriter& w, const RuleView& r) {
  w.BeginObject().Key("id").OptInt(r.id)
      .Field("code", r.code)
      .Field("expression", r.expression)
      .Field("severity", r.severity)
      .Field("message", r.message)
      .Field("enabled", r.enabled)
      .Field("builtin", r.builtin)
      .Field("version", r.version)
      .EndObject();
}

void WriteCell(JsonWriter& w, const BoardCell& c, const std::map<int64_t, std::string>& unit_codes,
               const std::map<int64_t, const Indicator*>& inds) {
  const Figure& f = c.figure;
  const Indicator* ind = inds.at(f.indicator_id);
  auto uc = unit_codes.find(f.unit_id);
  w.BeginObject()
      .Field("unit", uc == unit_codes.end() ? std::string() : uc->second)
      .Field("indicator", ind->code);
  w.OptDecimal("value", f.value);
  w.OptDecimal("monthly", f.monthly);
  w.OptDecimal("yoy", f.yoy);
  w.Field("yoy_source", f.yoy_source);
  w.OptInt("rank", ind->rank_by == "growth" ? f.rank_growth : f.rank_value);
  w.OptInt("rank_value", f.rank_value);
  w.OptInt("rank_growth", f.rank_growth);
  w.Field("status", f.status);
  w.Key("target");
  if (!c.target) {
    w.Null();
  } else {
    w.BeginObject();
    w.OptDecimal("value", c.target->value);
    w.OptDecimal("growth_floor", c.target->growth_floor);
    w.OptDecimal("growth_stretch", c.target->growth_stretch);
    w.OptDecimal("progress", f.progress);
    w.OptDecimal("elapsed", f.elapsed);
    w.Key("status");
    if (f.progress_status.empty()) w.Null();
    else w.String(f.progress_status);
    w.EndObject();
  }
  w.EndObject();
}

// {"unit", "period"} (and "reason" for a return) of the sheet actions.
struct SheetRef {
  std::string unit, period, reason;
};
Result<SheetRef> ReadSheetRef(const std::string& body, bool with_reason) {
  JsonBody b(body);
  if (with_reason) b.AllowOnly({"unit", "period", "reason"});
  else b.AllowOnly({"unit", "period"});
  SheetRef r;
  r.unit = b.Str("unit", 32);
  r.period = b.Str("period", 16);
  if (with_reason) r.reason = b.Str("reason", 1000);
  if (!b.ok()) return b.status();
  return r;
}

// Reads the catalog fields of a body into an Indicator (unset fields keep `base`'s values).
void ReadIndicatorFields(JsonBody& b, Indicator& i) {
  if (auto v = b.OptStr("code", 64)) i.code = *v;
  if (auto v = b.OptStr("name", 100)) i.name = *v;
  if (auto v = b.OptStr("unit", 32)) i.unit = *v;
  if (auto v = b.OptStr("periodicity", 16)) i.periodicity = *v;
  if (auto v = b.OptStr("accumulation", 16)) i.accumulation = *v;
  if (auto v = b.OptStr("growth_basis", 16)) i.growth_basis = *v;
  if (auto v = b.OptStr("direction", 16)) i.direction = *v;
  if (b.Present("formula")) i.formula = b.OptStr("formula", 200).value_or("");
  if (auto v = b.OptStr("rank_by", 16)) i.rank_by = *v;
  if (auto v = b.OptBool("additive")) i.additive = *v;
  if (auto v = b.OptInt("decimals")) {
    if (*v < 0 || *v > 6) b.Fail("decimals", "应为 0–6");
    else i.decimals = static_cast<int>(*v);
  }
  if (auto v = b.OptInt32("sort_order")) i.sort_order = *v;
  if (b.Present("aliases")) {
    // aliases: a "|"-separated string or an array is accepted as a string here.
    if (auto v = b.OptStr("aliases", 1000)) {
      i.aliases.clear();
      std::string cur;
      for (char c : *v + "|") {
        if (c == '|') {
          if (!cur.empty()) i.aliases.push_back(cur);
          cur.clear();
        } else {
          cur.push_back(c);
        }
      }
    }
  }
}

std::vector<std::string> SplitCodes(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s + ",") {
    if (c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (c != ' ') {
      cur.push_back(c);
    }
  }
  return out;
}

Result<Decimal> ParseSettingField(JsonBody& b, const char* name, Decimal fallback) {
  auto t = b.OptNumberText(name);
  if (!t) return fallback;
  auto d = Decimal::Parse(*t);
  if (!d.ok()) {
    b.Fail(name, "不是有效的数值");
    return fallback;
  }
  return *d;
}

}  // namespace

std::vector<Route> IndicatorRoutes(IndicatorService& svc) {
  std::vector<Route> r;

  // ---- Catalog ----
  r.push_back({"GET", "/api/v1/indicators", Access::kPermission, "indicator.read", "", [&svc](RouteContext& c) {
    bool archived = c.req.Query("include_archived") == "1" || c.req.Query("include_archived") == "true";
    auto list = svc.ListIndicators(*c.actor, c.req.Query("q"), archived);
    if (!list.ok()) return ErrorResponse(list.status());
    const int page = c.Page(), size = c.PageSize(500);
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (size_t k = static_cast<size_t>(page - 1) * size; k < list->size() && k < static_cast<size_t>(page) * size; ++k)
      WriteIndicator(w, (*list)[k]);
    w.EndArray().Field("total", static_cast<int64_t>(list->size())).Field("page", page)
        .Field("page_size", size).EndObject();
    return JsonResponse(200, w.Take());
  }});

  auto indicator_response = [](const Result<Indicator>& i, int status = 200) {
    if (!i.ok()) return ErrorResponse(i.status());
    JsonWriter w;
    WriteIndicator(w, *i);
    return JsonResponse(status, w.Take());
  };

  r.push_back({"GET", "/api/v1/indicators/{id}", Access::kPermission, "indicator.read", "indicator",
               [&svc, indicator_response](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    return indicator_response(svc.GetIndicator(*c.actor, *id));
  }});

  r.push_back({"POST", "/api/v1/indicators", Access::kPermission, "indicator.approve", "",
               [&svc, indicator_response](RouteContext& c) {
    JsonBody b(c.req.body);
    b.AllowOnly({"code", "name", "aliases", "unit", "periodicity", "accumulation", "growth_basis",
                 "direction", "formula", "rank_by", "additive", "decimals", "sort_order"});
    Indicator i;
    ReadIndicatorFields(b, i);
    for (const char* f : {"code", "name", "unit", "periodicity", "accumulation", "growth_basis", "direction"})
      if (!b.Has(f)) b.Fail(f, "必填");
    if (!b.ok()) return ErrorResponse(b.status());
    return indicator_response(svc.CreateIndicator(*c.actor, i), 201);
  }});

  r.push_back({"PUT", "/api/v1/indicators/{id}", Access::kPermission, "indicator.approve", "indicator",
               [&svc, indicator_response](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    auto current = svc.GetIndicator(*c.actor, *id);
    if (!current.ok()) return ErrorResponse(current.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"code", "name", "aliases", "unit", "periodicity", "accumulation", "growth_basis",
                 "direction", "formula", "rank_by", "additive", "decimals", "sort_order", "version"});
    Indicator i = *current;
    ReadIndicatorFields(b, i);
    i.version = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    return indicator_response(svc.UpdateIndicator(*c.actor, *id, i));
  }});

  for (bool archive : {true, false}) {
    r.push_back({"POST", archive ? "/api/v1/indicators/{id}/archive" : "/api/v1/indicators/{id}/restore",
                 Access::kPermission, "indicator.approve", "indicator",
                 [&svc, archive, indicator_response](RouteContext& c) {
      auto id = c.Id();
      if (!id.ok()) return ErrorResponse(id.status());
      JsonBody b(c.req.body);
      b.AllowOnly({"version"});
      int v = b.Version();
      if (!b.ok()) return ErrorResponse(b.status());
      return indicator_response(svc.SetIndicatorArchived(*c.actor, *id, archive, v));
    }});
  }

  // ---- The entry sheet ----
  r.push_back({"GET", "/api/v1/indicators/entry", Access::kPermission, "indicator.read", "", [&svc](RouteContext& c) {
    return SheetResponse(svc.GetSheet(*c.actor, c.req.Query("unit"), c.req.Query("period")));
  }});

  r.push_back({"PUT", "/api/v1/indicators/entry", Access::kPermission, "indicator.write", "", [&svc](RouteContext& c) {
    JsonBody b(c.req.body);
    b.AllowOnly({"unit", "period", "values"});
    std::string unit = b.Str("unit", 32);
    std::string period = b.Str("period", 16);
    std::vector<ValueEdit> edits;
    for (auto& item : b.Objects("values", 200)) {
      item->AllowOnly({"indicator", "value", "monthly", "reported_yoy", "note", "version"});
      ValueEdit e;
      e.indicator = item->Str("indicator", 64);
      e.value_present = item->Present("value");
      e.value = item->OptNumberText("value");
      e.monthly = item->OptNumberText("monthly");
      e.yoy_present = item->Present("reported_yoy");
      e.reported_yoy = item->OptNumberText("reported_yoy");
      e.note = item->OptStr("note", 2000);
      if (item->Has("version")) e.version = item->Version();
      if (e.value && e.monthly) item->Fail("monthly", "不能同时提供累计值和当月值");
      edits.push_back(std::move(e));
    }
    if (!b.ok()) return ErrorResponse(b.status());
    return SheetResponse(svc.SaveSheet(*c.actor, unit, period, edits));
  }});

  struct Action {
    const char* path;
    const char* permission;
    bool reason;
    Result<Sheet> (IndicatorService::*simple)(const auth::Actor&, const std::string&, const std::string&);
  };
  for (const Action& a : {Action{"/api/v1/indicators/entry/submit", "indicator.write", false, &IndicatorService::Submit},
                          Action{"/api/v1/indicators/entry/withdraw", "indicator.write", false, &IndicatorService::Withdraw},
                          Action{"/api/v1/indicators/entry/approve", "indicator.approve", false, &IndicatorService::Approve}}) {
    auto fn = a.simple;
    r.push_back({"POST", a.path, Access::kPermission, a.permission, "", [&svc, fn](RouteContext& c) {
      auto ref = ReadSheetRef(c.req.body, false);
      if (!ref.ok()) return ErrorResponse(ref.status());
      return SheetResponse((svc.*fn)(*c.actor, ref->unit, ref->period));
    }});
  }
  r.push_back({"POST", "/api/v1/indicators/entry/return", Access::kPermission, "indicator.approve", "",
               [&svc](RouteContext& c) {
    auto ref = ReadSheetRef(c.req.body, true);
    if (!ref.ok()) return ErrorResponse(ref.status());
    return SheetResponse(svc.Return(*c.actor, ref->unit, ref->period, ref->reason));
  }});

  r.push_back({"POST", "/api/v1/indicators/publish", Access::kPermission, "indicator.approve", "",
               [&svc](RouteContext& c) {
    JsonBody b(c.req.body);
    b.AllowOnly({"parent", "period"});
    std::string parent = b.Str("parent", 32), period = b.Str("period", 16);
    if (!b.ok()) return ErrorResponse(b.status());
    auto n = svc.Publish(*c.actor, parent, period);
    if (!n.ok()) return ErrorResponse(n.status());
    JsonWriter w;
    w.BeginObject().Field("published", *n).EndObject();
    return JsonResponse(200, w.Take());
  }});

  r.push_back({"GET", "/api/v1/indicators/queue", Access::kPermission, "indicator.approve", "", [&svc](RouteContext& c) {
    auto q = svc.Queue(*c.actor);
    if (!q.ok()) return ErrorResponse(q.status());
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const QueueEntry& e : *q) {
      w.BeginObject().Key("unit");
      WriteUnitRef(w, e.item.unit);
      w.Field("period", e.item.period)
          .Field("period_label", Label(e.item.period))
          .Field("count", e.item.count)
          .Field("submitted_at", e.item.submitted_at)
          .Field("errors", e.errors)
          .Field("warnings", e.warnings)
          .EndObject();
    }
    w.EndArray().Field("total", static_cast<int64_t>(q->size())).EndObject();
    return JsonResponse(200, w.Take());
  }});

  r.push_back({"GET", "/api/v1/indicators/validate", Access::kPermission, "indicator.read", "", [&svc](RouteContext& c) {
    auto f = svc.Validate(*c.actor, c.req.Query("unit"), c.req.Query("period"));
    if (!f.ok()) return ErrorResponse(f.status());
    JsonWriter w;
    w.BeginObject().Key("findings");
    WriteFindings(w, *f);
    w.EndObject();
    return JsonResponse(200, w.Take());
  }});

  // ---- Values ----
  r.push_back({"GET", "/api/v1/indicators/values", Access::kPermission, "indicator.read", "", [&svc](RouteContext& c) {
    store::ValueQuery q;
    q.period = c.req.Query("period");
    q.from = c.req.Query("from");
    q.to = c.req.Query("to");
    q.status = c.req.Query("status");
    if (c.req.Query("format") == "xlsx") {
      // The whole filtered list, in the import sheet's layout (at most 200,000 rows).
      auto sheet = ValueExportSheet(svc, *c.actor, c.req.Query("unit"), c.req.Query("indicator"), q);
      if (!sheet.ok()) return ErrorResponse(sheet.status());
      return http::XlsxResponse(io::WriteXlsx({*sheet}), "指标数据");
    }
    q.page = c.Page();
    q.page_size = c.PageSize(50);
    auto page = svc.ListValues(*c.actor, c.req.Query("unit"), c.req.Query("indicator"), q);
    if (!page.ok()) return ErrorResponse(page.status());
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& row : page->items) WriteValueRow(w, row);
    w.EndArray().Field("total", page->total).Field("page", page->page)
        .Field("page_size", page->page_size).EndObject();
    return JsonResponse(200, w.Take());
  }});

  r.push_back({"POST", "/api/v1/indicators/values/{id}/revise", Access::kPermission, "indicator.approve",
               "indicator_value", [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"value", "reported_yoy", "reason", "version"});
    auto value = b.OptNumberText("value");
    if (!value) b.Fail("value", "必填");
    bool yoy_present = b.Present("reported_yoy");
    auto yoy = b.OptNumberText("reported_yoy");
    std::string reason = b.Str("reason", 1000);
    int version = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    auto row = svc.Revise(*c.actor, *id, *value, yoy, yoy_present, reason, version);
    if (!row.ok()) return ErrorResponse(row.status());
    JsonWriter w;
    WriteValueRow(w, *row);
    return JsonResponse(200, w.Take());
  }});

  r.push_back({"GET", "/api/v1/indicators/values/{id}/revisions", Access::kPermission, "indicator.read",
               "indicator_value", [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    auto list = svc.Revisions(*c.actor, *id);
    if (!list.ok()) return ErrorResponse(list.status());
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& rv : *list) {
      w.BeginObject().Field("id", rv.id);
      w.OptDecimal("old_value", rv.old_value);
      w.OptDecimal("new_value", rv.new_value);
      w.OptDecimal("old_yoy", rv.old_yoy);
      w.OptDecimal("new_yoy", rv.new_yoy);
      w.Field("reason", rv.reason).Field("username", rv.username).Field("at", rv.at).EndObject();
    }
    w.EndArray().EndObject();
    return JsonResponse(200, w.Take());
  }});

  // ---- Import ----
  r.push_back({"POST", "/api/v1/indicators/import", Access::kPermission, "indicator.write", "", [&svc](RouteContext& c) {
    JsonBody b(c.req.body);
    b.AllowOnly({"format", "content"});
    std::string format = b.Str("format", 16);
    std::string content = b.Str("content", 8 * 1024 * 1024);
    if (b.ok() && format != "csv") b.Fail("format", "目前只支持 csv");
    if (!b.ok()) return ErrorResponse(b.status());
    auto table = io::ParseCsv(content);
    if (!table.ok()) return ErrorResponse(table.status());
    const bool dry = c.req.Query("dry_run") == "1" || c.req.Query("dry_run") == "true";
    auto res = svc.Import(*c.actor, *table, dry);
    if (!res.ok()) return ErrorResponse(res.status());
    return ImportResultResponse(*res, dry);
  }});

  // The same import from an uploaded file: .xlsx or CSV as the raw body. With annotate=1 a
  // rejected upload comes back as the sheet with its bad cells marked (422).
  r.push_back({"POST", "/api/v1/indicators/import/file", Access::kPermission, "indicator.write", "",
               [&svc](RouteContext& c) {
                 auto table = io::ReadUploadedTable(c.req.body);
                 if (!table.ok()) return ErrorResponse(table.status());
                 const bool dry = http::WantsDryRun(c.req);
                 auto res = svc.Import(*c.actor, *table, dry);
                 if (!res.ok())
                   return http::ImportErrorResponse(res.status(), *table, c.req.Query("annotate") == "1",
                                                    "指标数据-错误标注");
                 return ImportResultResponse(*res, dry);
               },
               /*raw_body=*/true});

  r.push_back({"GET", "/api/v1/indicators/import/template", Access::kPermission, "indicator.write", "",
               [&svc](RouteContext& c) {
    if (c.req.Query("format") == "xlsx")
      return http::XlsxResponse(ValueTemplateXlsx(svc, *c.actor), "指标数据导入模板");
    Response resp;
    resp.content_type = "text/csv; charset=utf-8";
    resp.SetHeader("Content-Disposition", "attachment; filename=\"indicator-values.csv\"");
    resp.body = "\xEF\xBB\xBF单位编码,单位名称,指标编码,指标名称,期别,数值,同比增长(%),备注\r\n"
                "411303,卧龙区,retail_sales,社会消费品零售总额,2024-06,212.6,6.3,\r\n";
    return resp;
  }});

  // ---- Targets ----
  r.push_back({"GET", "/api/v1/indicators/targets", Access::kPermission, "indicator.read", "", [&svc](RouteContext& c) {
    std::optional<int> year;
    std::string y = c.req.Query("year");
    if (!y.empty()) {
      auto p = Period::Parse(y);
      if (!p.ok() || p->kind() != PeriodKind::kYear)
        return ErrorResponse(InvalidArgument("年份无效", {{"year", "应为四位年份"}}));
      year = p->year();
    }
    auto list = svc.ListTargets(*c.actor, c.req.Query("unit"), c.req.Query("parent"), year);
    if (!list.ok()) return ErrorResponse(list.status());
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& t : *list) WriteTargetRow(w, t);
    w.EndArray().Field("total", static_cast<int64_t>(list->size())).EndObject();
    return JsonResponse(200, w.Take());
  }});

  r.push_back({"PUT", "/api/v1/indicators/targets", Access::kPermission, "indicator.approve", "", [&svc](RouteContext& c) {
    JsonBody b(c.req.body);
    b.AllowOnly({"unit", "indicator", "year", "value", "growth_floor", "growth_stretch", "version"});
    IndicatorService::TargetEdit e;
    e.unit = b.Str("unit", 32);
    e.indicator = b.Str("indicator", 64);
    e.year = b.Int32("year");
    e.value = b.OptNumberText("value");
    e.growth_floor = b.OptNumberText("growth_floor");
    e.growth_stretch = b.OptNumberText("growth_stretch");
    if (b.Has("version")) e.version = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    auto t = svc.PutTarget(*c.actor, e);
    if (!t.ok()) return ErrorResponse(t.status());
    JsonWriter w;
    WriteTargetRow(w, *t);
    return JsonResponse(200, w.Take());
  }});

  // ---- Rules ----
  r.push_back({"GET", "/api/v1/indicators/rules", Access::kPermission, "indicator.read", "", [&svc](RouteContext& c) {
    auto list = svc.ListRules(*c.actor);
    if (!list.ok()) return ErrorResponse(list.status());
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& x : *list) WriteRule(w, x);
    w.EndArray().Field("total", static_cast<int64_t>(list->size())).EndObject();
    return JsonResponse(200, w.Take());
  }});

  auto rule_response = [](const Result<RuleView>& x, int status) {
    if (!x.ok()) return ErrorResponse(x.status());
    JsonWriter w;
    WriteRule(w, *x);
    return JsonResponse(status, w.Take());
  };
  r.push_back({"POST", "/api/v1/indicators/rules", Access::kPermission, "indicator.approve", "",
               [&svc, rule_response](RouteContext& c) {
    JsonBody b(c.req.body);
    b.AllowOnly({"expression", "severity", "message", "enabled"});
    Rule x;
    x.expression = b.Str("expression", 200);
    x.severity = b.OptStr("severity", 16).value_or("error");
    x.message = b.Str("message", 500);
    x.enabled = b.OptBool("enabled").value_or(true);
    if (!b.ok()) return ErrorResponse(b.status());
    return rule_response(svc.CreateRule(*c.actor, x), 201);
  }});
  r.push_back({"PUT", "/api/v1/indicators/rules/{id}", Access::kPermission, "indicator.approve", "indicator_rule",
               [&svc, rule_response](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    auto list = svc.ListRules(*c.actor);
    if (!list.ok()) return ErrorResponse(list.status());
    const RuleView* cur = nullptr;
    for (const auto& x : *list)
      if (x.id && *x.id == *id) cur = &x;
    if (!cur) return ErrorResponse(NotFound("校验规则不存在"));
    JsonBody b(c.req.body);
    b.AllowOnly({"expression", "severity", "message", "enabled", "version"});
    Rule x;
    x.expression = b.OptStr("expression", 200).value_or(cur->expression);
    x.severity = b.OptStr("severity", 16).value_or(cur->severity);
    x.message = b.OptStr("message", 500).value_or(cur->message);
    x.enabled = b.OptBool("enabled").value_or(cur->enabled);
    x.version = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    return rule_response(svc.UpdateRule(*c.actor, *id, x), 200);
  }});

  // ---- Settings ----
  auto settings_response = [](const Result<IndicatorService::SettingsView>& s) {
    if (!s.ok()) return ErrorResponse(s.status());
    auto pts = [](Decimal share) { return share.Mul(Decimal::FromInt(100)).value_or(Decimal()).ToString(); };
    JsonWriter w;
    w.BeginObject()
        .Field("ahead_margin", pts(s->settings.ahead_margin))
        .Field("behind_margin", pts(s->settings.behind_margin))
        .Field("yoy_tolerance", s->settings.yoy_tolerance.ToString())
        .Field("swing_threshold", s->settings.swing_threshold.ToString())
        .Field("children_tolerance", s->settings.children_tolerance.ToString())
        .Field("version", s->version)
        .EndObject();
    return JsonResponse(200, w.Take());
  };
  r.push_back({"GET", "/api/v1/indicators/settings", Access::kPermission, "indicator.read", "",
               [&svc, settings_response](RouteContext& c) { return settings_response(svc.GetSettings(*c.actor)); }});
  r.push_back({"PUT", "/api/v1/indicators/settings", Access::kPermission, "indicator.approve", "",
               [&svc, settings_response](RouteContext& c) {
    auto current = svc.GetSettings(*c.actor);
    if (!current.ok()) return ErrorResponse(current.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"ahead_margin", "behind_margin", "yoy_tolerance", "swing_threshold", "children_tolerance", "version"});
    Settings s = current->settings;
    auto hundred = Decimal::FromInt(100);
    auto share = [&](const char* name, Decimal cur) {
      auto pts = ParseSettingField(b, name, cur.Mul(hundred).value_or(Decimal()));
      return pts->Div(hundred).value_or(Decimal());
    };
    s.ahead_margin = share("ahead_margin", s.ahead_margin);
    s.behind_margin = share("behind_margin", s.behind_margin);
    s.yoy_tolerance = *ParseSettingField(b, "yoy_tolerance", s.yoy_tolerance);
    s.swing_threshold = *ParseSettingField(b, "swing_threshold", s.swing_threshold);
    s.children_tolerance = *ParseSettingField(b, "children_tolerance", s.children_tolerance);
    int version = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    return settings_response(svc.PutSettings(*c.actor, s, version));
  }});

  // ---- The board ----
  r.push_back({"GET", "/api/v1/indicators/board", Access::kPermission, "indicator.read", "", [&svc](RouteContext& c) {
    auto board = svc.GetBoard(*c.actor, c.req.Query("parent"), c.req.Query("period"),
                              SplitCodes(c.req.Query("indicators")));
    if (!board.ok()) return ErrorResponse(board.status());
    std::map<int64_t, std::string> unit_codes{{board->parent.id, board->parent.code}};
    for (const auto& u : board->units) unit_codes[u.id] = u.code;
    std::map<int64_t, const Indicator*> inds;
    for (const auto& i : board->indicators) inds[i.id] = &i;
    JsonWriter w;
    w.BeginObject().Key("parent");
    WriteUnitRef(w, board->parent);
    w.Field("period", board->period).Field("period_label", Label(board->period));
    w.Key("indicators").BeginArray();
    for (const auto& i : board->indicators)
      w.BeginObject()
          .Field("code", i.code)
          .Field("name", i.name)
          .Field("unit", i.unit)
          .Field("decimals", i.decimals)
          .Field("direction", i.direction)
          .Field("rank_by", i.rank_by)
          .Field("growth_basis", i.growth_basis)
          .Field("label", board->period.empty() ? std::string() : KeyLabelZh(i, board->period))
          .EndObject();
    w.EndArray().Key("units").BeginArray();
    for (const auto& u : board->units) WriteUnitRef(w, u);
    w.EndArray().Key("total").BeginArray();
    for (const auto& cell : board->total) WriteCell(w, cell, unit_codes, inds);
    w.EndArray().Key("cells").BeginArray();
    for (const auto& cell : board->cells) WriteCell(w, cell, unit_codes, inds);
    w.EndArray().EndObject();
    return JsonResponse(200, w.Take());
  }});

  r.push_back({"GET", "/api/v1/indicators/series", Access::kPermission, "indicator.read", "", [&svc](RouteContext& c) {
    auto s = svc.GetSeries(*c.actor, c.req.Query("unit"), c.req.Query("indicator"), c.req.Query("from"),
                           c.req.Query("to"));
    if (!s.ok()) return ErrorResponse(s.status());
    JsonWriter w;
    w.BeginObject().Key("unit");
    WriteUnitRef(w, s->unit);
    w.Key("indicator");
    WriteIndicator(w, s->indicator);
    w.Key("points").BeginArray();
    for (const Figure& f : s->points) {
      w.BeginObject().Field("period", f.period).Field("period_label", KeyLabelZh(s->indicator, f.period));
      w.OptDecimal("value", f.value);
      w.OptDecimal("monthly", f.monthly);
      w.OptDecimal("yoy", f.yoy);
      w.OptInt("rank_value", f.rank_value);
      w.OptInt("rank_growth", f.rank_growth);
      w.Field("status", f.status).EndObject();
    }
    w.EndArray().EndObject();
    return JsonResponse(200, w.Take());
  }});

  r.push_back({"GET", "/api/v1/indicators/periods", Access::kPermission, "indicator.read", "", [&svc](RouteContext& c) {
    auto list = svc.Periods(*c.actor, c.req.Query("parent"));
    if (!list.ok()) return ErrorResponse(list.status());
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& p : *list) w.String(p);
    w.EndArray().EndObject();
    return JsonResponse(200, w.Take());
  }});

  return r;
}

}  // namespace tiaodu::indicators
