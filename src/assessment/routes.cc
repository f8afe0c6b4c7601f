#include "assessment/routes.h"

#include "assessment/cockpit.h"
#include "assessment/rules.h"
#include "base/period.h"
#include "http/json.h"
#include "http/sheets.h"

namespace tiaodu::assessment {

using http::Access;
using http::ErrorResponse;
using http::JsonBody;
using http::JsonResponse;
using http::JsonWriter;
using http::Response;
using http::Route;
using http::RouteContext;

namespace {

void WriteItems(JsonWriter& w, const std::vector<SchemeItem>& items) {
  w.BeginArray();
  for (const SchemeItem& it : items) {
    w.BeginObject()
        .Field("kind", it.kind)
        .Field("kind_name", ItemKindName(it.kind))
        .Field("name", it.name)
        .Field("indicator", it.indicator)
        .Field("rate", it.rate)
        .OptDecimal("weight", it.weight)
        .Key("points")
        .BeginArray();
    for (int p : it.points) w.Int(p);
    w.EndArray().EndObject();
  }
  w.EndArray();
}

void WriteVersion(JsonWriter& w, const SchemeVersion& v) {
  w.BeginObject()
      .Field("number", v.number)
      .Field("effective_from", v.effective_from)
      .Field("red_flags", v.red_flags)
      .Field("black_flags", v.black_flags)
      .Field("note", v.note)
      .Field("created_by", v.created_by)
      .Field("created_at", FormatIsoUtc(v.created_at))
      .Key("items");
  WriteItems(w, v.items);
  w.EndObject();
}

void WriteScheme(JsonWriter& w, const Scheme& s) {
  w.BeginObject()
      .Field("id", s.id)
      .Field("name", s.name)
      .Key("parent")
      .BeginObject()
      .Field("id", s.parent_id)
      .Field("code", s.parent_code)
      .Field("name", s.parent_name)
      .EndObject()
      .Field("archived", s.archived)
      .Field("version", s.version)
      .Key("current");
  if (s.versions.empty()) w.Null();
  else WriteVersion(w, s.versions.back());
  w.Key("versions").BeginArray();
  for (const SchemeVersion& v : s.versions) WriteVersion(w, v);
  w.EndArray().EndObject();
}

Response SchemeResponse(const Result<Scheme>& s, int status = 200) {
  if (!s.ok()) return ErrorResponse(s.status());
  JsonWriter w;
  WriteScheme(w, *s);
  return JsonResponse(status, w.Take());
}

const char* Movement(const LeagueRow& r) {
  if (r.previous_rank == 0 || r.rank == 0) return "new";
  if (r.rank < r.previous_rank) return "up";
  if (r.rank > r.previous_rank) return "down";
  return "same";
}

Response LeagueResponse(const Result<League>& l) {
  if (!l.ok()) return ErrorResponse(l.status());
  JsonWriter w;
  auto p = Period::Parse(l->period);
  w.BeginObject()
      .Key("scheme")
      .BeginObject()
      .Field("id", l->scheme_id)
      .Field("name", l->scheme_name)
      .Field("version", l->scheme_version)
      .EndObject()
      .Field("period", l->period)
      .Field("period_name", p.ok() ? p->FormatZh() : l->period)
      .Field("published", l->published)
      .Key("published_at");
  if (l->published) w.String(FormatIsoUtc(l->published_at));
  else w.Null();
  w.Field("red_flags", l->red_flags).Field("black_flags", l->black_flags).Key("scheme_items");
  WriteItems(w, l->items);
  w.Key("rows").BeginArray();
  for (const LeagueRow& r : l->rows) {
    w.BeginObject()
        .Key("unit")
        .BeginObject()
        .Field("id", r.unit_id)
        .Field("code", r.unit_code)
        .Field("name", r.unit_name)
        .EndObject()
        .OptDecimal("total", r.total)
        .Field("rank", r.rank)
        .Field("flag", FlagCode(r.flag))
        .Field("flag_name", FlagName(r.flag))
        .Field("previous_rank", r.previous_rank)
        .Field("previous_flag", FlagCode(r.previous_flag))
        .Field("movement", Movement(r))
        .Key("items")
        .BeginArray();
    for (const ItemScore& s : r.items) {
      w.BeginObject().OptDecimal("measure", s.measure).Field("rank", s.rank).OptDecimal("points", s.points)
          .Field("basis", s.basis).EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray().EndObject();
  return JsonResponse(200, w.Take());
}

// The league as one sheet: rank, unit, each item's measure and points, total, flag, last
// month's rank.
Response LeagueXlsx(const Result<League>& l) {
  if (!l.ok()) return ErrorResponse(l.status());
  auto p = Period::Parse(l->period);
  const std::string month = p.ok() ? p->FormatZh() : l->period;
  io::Sheet sheet;
  sheet.name = "红黑旗排名";
  sheet.title = l->scheme_name + "（" + month + (l->published ? "，已发布" : "，未发布") + "）";
  using io::CellKind;
  auto col = [&](std::string header, CellKind kind, double width) {
    sheet.columns.push_back(http::Column({std::move(header), kind, width}));
  };
  col("名次", CellKind::kInteger, 6);
  col("单位编码", CellKind::kText, 12);
  col("单位", CellKind::kText, 18);
  for (const SchemeItem& it : l->items) {
    col(it.name + "(实绩)", CellKind::kNumber, 14);
    col(it.name + "(得分/" + it.weight.ToString() + ")", CellKind::kNumber, 14);
  }
  col("总分", CellKind::kNumber, 8);
  col("红黑旗", CellKind::kText, 8);
  col("上月名次", CellKind::kInteger, 8);
  for (const LeagueRow& r : l->rows) {
    std::vector<std::string> cells = {r.rank ? std::to_string(r.rank) : "", r.unit_code, r.unit_name};
    for (const ItemScore& s : r.items) {
      cells.push_back(s.measure ? s.measure->Format(2) : "");
      cells.push_back(s.points.ToString());
    }
    cells.push_back(r.total.ToString());
    cells.push_back(std::string(FlagName(r.flag)));
    cells.push_back(r.previous_rank ? std::to_string(r.previous_rank) : "");
    sheet.rows.push_back(std::move(cells));
  }
  return http::SheetResponse(std::move(sheet), l->scheme_name + "-" + l->period);
}

// Reads the fields a create or an edit may send.
SchemeInput ReadSchemeInput(JsonBody& b) {
  SchemeInput in;
  if (auto n = b.OptStr("name", 300)) in.name = *n;
  if (auto p = b.OptStr("parent", 50)) in.parent_code = *p;
  if (auto e = b.OptStr("effective_from", 20)) in.effective_from = *e;
  if (auto n = b.OptStr("note", 2000)) in.note = *n;
  in.red_flags = b.OptInt32("red_flags");
  in.black_flags = b.OptInt32("black_flags");
  in.archived = b.OptBool("archived");
  if (b.Present("items")) {
    std::vector<SchemeItem> items;
    for (auto& e : b.Objects("items", 50)) {
      e->AllowOnly({"kind", "name", "indicator", "rate", "weight", "points"});
      SchemeItem it;
      it.kind = e->Str("kind", 50);
      it.name = e->Str("name", 300);
      if (auto v = e->OptStr("indicator", 100)) it.indicator = *v;
      if (auto v = e->OptStr("rate", 20)) it.rate = *v;
      if (auto wt = e->OptNumberText("weight")) {
        auto d = Decimal::Parse(*wt);
        if (d.ok()) it.weight = *d;
        else e->Fail("weight", "不是有效的数值");
      } else {
        e->Fail("weight", "必填");
      }
      it.points = e->OptInts32("points", 200);
      items.push_back(std::move(it));
    }
    in.items = std::move(items);
  }
  return in;
}

Result<int64_t> SchemeParam(const RouteContext& c) {
  const std::string s = c.req.Query("scheme");
  if (s.empty()) return int64_t{0};
  try {
    size_t used = 0;
    long long v = std::stoll(s, &used);
    if (used == s.size() && v > 0) return static_cast<int64_t>(v);
  } catch (...) {
  }
  return InvalidArgument("参数无效", {{"scheme", "应为考评方案编号"}});
}

}  // namespace

std::vector<Route> AssessmentRoutes(AssessmentService& svc) {
  std::vector<Route> r;

  r.push_back({"GET", "/api/v1/assessment/schemes", Access::kPermission, "assessment.read", "", [&svc](RouteContext& c) {
    auto list = svc.ListSchemes(*c.actor, c.req.Query("include_archived") == "1");
    if (!list.ok()) return ErrorResponse(list.status());
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const Scheme& s : *list) WriteScheme(w, s);
    w.EndArray().Field("total", static_cast<int64_t>(list->size())).EndObject();
    return JsonResponse(200, w.Take());
  }});

  r.push_back({"POST", "/api/v1/assessment/schemes", Access::kPermission, "assessment.manage", "",
               [&svc](RouteContext& c) {
                 JsonBody b(c.req.body);
                 b.AllowOnly({"name", "parent", "items", "red_flags", "black_flags", "effective_from", "note"});
                 for (const char* f : {"name", "parent", "items"})
                   if (!b.Has(f)) b.Fail(f, "必填");
                 SchemeInput in = ReadSchemeInput(b);
                 if (!b.ok()) return ErrorResponse(b.status());
                 return SchemeResponse(svc.CreateScheme(*c.actor, in), 201);
               }});

  r.push_back({"GET", "/api/v1/assessment/schemes/{id}", Access::kPermission, "assessment.read", "assessment_scheme",
               [&svc](RouteContext& c) {
                 auto id = c.Id();
                 if (!id.ok()) return ErrorResponse(id.status());
                 return SchemeResponse(svc.GetScheme(*c.actor, *id));
               }});

  r.push_back({"PUT", "/api/v1/assessment/schemes/{id}", Access::kPermission, "assessment.manage",
               "assessment_scheme", [&svc](RouteContext& c) {
                 auto id = c.Id();
                 if (!id.ok()) return ErrorResponse(id.status());
                 JsonBody b(c.req.body);
                 b.AllowOnly({"name", "items", "red_flags", "black_flags", "effective_from", "note", "archived",
                              "version"});
                 SchemeInput in = ReadSchemeInput(b);
                 const int version = b.Version();
                 if (!b.ok()) return ErrorResponse(b.status());
                 return SchemeResponse(svc.UpdateScheme(*c.actor, *id, in, version));
               }});

  r.push_back({"GET", "/api/v1/assessment/league", Access::kPermission, "assessment.read", "", [&svc](RouteContext& c) {
    auto scheme = SchemeParam(c);
    if (!scheme.ok()) return ErrorResponse(scheme.status());
    std::string period = c.req.Query("period");
    if (period.empty()) period = svc.CurrentMonth();
    if (http::WantsXlsx(c.req)) return LeagueXlsx(svc.GetLeague(*c.actor, *scheme, period));
    return LeagueResponse(svc.GetLeague(*c.actor, *scheme, period));
  }});

  r.push_back({"POST", "/api/v1/assessment/league/publish", Access::kPermission, "assessment.manage", "",
               [&svc](RouteContext& c) {
                 JsonBody b(c.req.body);
                 b.AllowOnly({"period", "scheme"});
                 const std::string period = b.Str("period", 20);
                 const int64_t scheme = b.OptInt("scheme").value_or(0);
                 if (!b.ok()) return ErrorResponse(b.status());
                 return LeagueResponse(svc.Publish(*c.actor, scheme, period));
               }});

  r.push_back({"GET", "/api/v1/assessment/flags", Access::kPermission, "assessment.read", "", [&svc](RouteContext& c) {
    auto scheme = SchemeParam(c);
    if (!scheme.ok()) return ErrorResponse(scheme.status());
    int year = 0;
    const std::string y = c.req.Query("year");
    if (y.empty()) {
      year = std::stoi(svc.CurrentMonth().substr(0, 4));
    } else {
      auto p = Period::Parse(y);
      if (!p.ok() || p->kind() != PeriodKind::kYear) return ErrorResponse(InvalidArgument("年份无效", {{"year", "应为四位年份"}}));
      year = p->year();
    }
    auto board = svc.Flags(*c.actor, *scheme, year, c.req.Query("unit"));
    if (!board.ok()) return ErrorResponse(board.status());
    JsonWriter w;
    w.BeginObject()
        .Key("scheme")
        .BeginObject()
        .Field("id", board->scheme.id)
        .Field("name", board->scheme.name)
        .EndObject()
        .Field("year", year)
        .Key("periods")
        .BeginArray();
    for (const auto& p : board->periods) w.String(p);
    w.EndArray().Key("rows").BeginArray();
    for (const auto& row : board->rows) {
      w.BeginObject()
          .Key("unit")
          .BeginObject()
          .Field("id", row.unit.id)
          .Field("code", row.unit.code)
          .Field("name", row.unit.name)
          .EndObject()
          .Field("red", row.red)
          .Field("black", row.black)
          .Key("cells")
          .BeginArray();
      for (const auto& cell : row.cells)
        w.BeginObject().Field("period", cell.period).Field("rank", cell.rank).Field("flag", FlagCode(cell.flag)).EndObject();
      w.EndArray().EndObject();
    }
    w.EndArray().EndObject();
    return JsonResponse(200, w.Take());
  }});

  // The leaders' cockpit (驾驶舱): src/assessment/cockpit.h.
  r.push_back(CockpitRoute(std::make_shared<CockpitService>(svc)));
  // The monthly bulletin as a Word document, a workbook, or a printable page (text/html with
  // its own strict CSP: inline styles only, no script, nothing loaded from elsewhere).
  r.push_back({"GET", "/api/v1/assessment/bulletin", Access::kPermission, "assessment.read", "",
               [&svc](RouteContext& c) {
                 auto scheme = SchemeParam(c);
                 if (!scheme.ok()) return ErrorResponse(scheme.status());
                 std::string format = c.req.Query("format");
                 if (format.empty()) format = "html";
                 if (format != "docx" && format != "xlsx" && format != "html")
                   return ErrorResponse(InvalidArgument("参数无效", {{"format", "应为 docx、xlsx 或 html"}}));
                 std::string period = c.req.Query("period");
                 if (period.empty()) period = svc.CurrentMonth();
                 auto data = svc.Bulletin(*c.actor, *scheme, period);
                 if (!data.ok()) return ErrorResponse(data.status());
                 if (format == "xlsx")
                   return http::XlsxResponse(BulletinXlsx(*data), BulletinFileName(*data, "xlsx"));
                 Response out;
                 if (format == "docx") {
                   auto bytes = BulletinDocx(*data);
                   if (!bytes.ok()) return ErrorResponse(bytes.status());
                   out.content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
                   out.body = std::move(*bytes);
                   out.SetHeader("Content-Disposition", http::AttachmentDisposition(BulletinFileName(*data, "docx")));
                   return out;
                 }
                 out.content_type = "text/html; charset=utf-8";
                 out.body = BulletinHtml(*data);
                 out.SetHeader("Content-Security-Policy",
                               "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
                               "form-action 'none'; frame-ancestors 'self'");
                 return out;
               }});

  return r;
}

}  // namespace tiaodu::assessment
