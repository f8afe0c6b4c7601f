#include "org/routes.h"

#include <map>

#include "http/json.h"
#include "http/sheets.h"
#include "org/rules.h"
#include "org/sheets.h"

namespace tiaodu::org {

using http::Access;
using http::ErrorResponse;
using http::JsonBody;
using http::JsonResponse;
using http::JsonWriter;
using http::Response;
using http::Route;
using http::RouteContext;

namespace {

void WriteUnitFields(JsonWriter& w, const Unit& u) {
  const KindInfo* k = FindKind(u.kind);
  w.Field("id", u.id)
      .Field("code", u.code)
      .Field("name", u.name)
      .Field("kind", u.kind)
      .Field("kind_name", k ? k->name_zh : u.kind.c_str())
      .Key("parent_id").OptInt(u.parent_id)
      .Field("archived", u.archived)
      .Field("version", u.version);
}

Response UnitResponse(const Result<Unit>& u, int status = 200) {
  if (!u.ok()) return ErrorResponse(u.status());
  JsonWriter w;
  w.BeginObject();
  WriteUnitFields(w, *u);
  w.EndObject();
  return JsonResponse(status, w.Take());
}

// Reads {"version"} (and nothing else) from a body.
Result<int> VersionOnly(const std::string& body) {
  JsonBody b(body);
  b.AllowOnly({"version"});
  int v = b.Version();
  if (!b.ok()) return b.status();
  return v;
}

void WriteTree(JsonWriter& w, const Unit& u, const std::multimap<int64_t, const Unit*>& children) {
  w.BeginObject();
  WriteUnitFields(w, u);
  w.Key("children").BeginArray();
  auto [lo, hi] = children.equal_range(u.id);
  for (auto it = lo; it != hi; ++it) WriteTree(w, *it->second, children);
  w.EndArray().EndObject();
}

UnitQuery QueryFrom(const RouteContext& c, int default_page_size) {
  UnitQuery q;
  q.q = c.req.Query("q");
  q.kind = c.req.Query("kind");
  q.include_archived = c.req.Query("include_archived") == "1" ||
                       c.req.Query("include_archived") == "true";
  q.page = c.Page();
  q.page_size = c.PageSize(default_page_size);
  return q;
}

}  // namespace

std::vector<Route> OrgRoutes(OrgService& org) {
  std::vector<Route> r;

  r.push_back({"GET", "/api/v1/units", Access::kPermission, "unit.read", "", [&org](RouteContext& c) {
    UnitQuery q = QueryFrom(c, 100);
    std::string parent = c.req.Query("parent_id");
    if (!parent.empty()) {
      char* end = nullptr;
      long long v = std::strtoll(parent.c_str(), &end, 10);
      if (*end || v <= 0) return ErrorResponse(InvalidArgument("parent_id 应为正整数", {{"parent_id", "应为正整数"}}));
      q.parent_id = v;
    }
    if (http::WantsXlsx(c.req)) {
      // The whole filtered list in the import layout (org/sheets.h).
      auto sheet = org.ExportSheet(*c.actor, q);
      if (!sheet.ok()) return ErrorResponse(sheet.status());
      return http::SheetResponse(std::move(*sheet), "单位");
    }
    auto page = org.List(*c.actor, q);
    if (!page.ok()) return ErrorResponse(page.status());
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const Unit& u : page->items) {
      w.BeginObject();
      WriteUnitFields(w, u);
      w.EndObject();
    }
    w.EndArray().Field("total", page->total).Field("page", page->page)
        .Field("page_size", page->page_size).EndObject();
    return JsonResponse(200, w.Take());
  }});

  r.push_back({"GET", "/api/v1/units/tree", Access::kPermission, "unit.read", "", [&org](RouteContext& c) {
    UnitQuery q = QueryFrom(c, 500);
    q.q.clear();  // the tree is filtered on the client; a filtered tree would lose parents
    q.page = 1;
    q.page_size = 100000;
    auto page = org.List(*c.actor, q);
    if (!page.ok()) return ErrorResponse(page.status());
    std::map<int64_t, const Unit*> by_id;
    for (const Unit& u : page->items) by_id[u.id] = &u;
    std::multimap<int64_t, const Unit*> children;
    std::vector<const Unit*> roots;
    for (const Unit& u : page->items) {
      if (u.parent_id && by_id.count(*u.parent_id)) children.emplace(*u.parent_id, &u);
      else roots.push_back(&u);
    }
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const Unit* u : roots) WriteTree(w, *u, children);
    w.EndArray().EndObject();
    return JsonResponse(200, w.Take());
  }});

  // Import from an uploaded file (.xlsx or CSV as the raw body), all or nothing; with
  // annotate=1 a rejected upload comes back as the sheet with its bad cells marked (422).
  r.push_back({"POST", "/api/v1/units/import/file", Access::kPermission, "unit.write", "",
               [&org](RouteContext& c) {
                 return http::ImportFile(c.req, "单位-错误标注", [&](const io::Table& t, bool dry) -> Result<http::ImportCounts> {
                   auto res = org.Import(*c.actor, t, dry);
                   if (!res.ok()) return res.status();
                   return http::ImportCounts{res->rows, res->inserted, res->updated, res->unchanged};
                 });
               },
               /*raw_body=*/true});

  r.push_back({"GET", "/api/v1/units/import/template", Access::kPermission, "unit.write", "", [&org](RouteContext& c) {
    auto sheet = org.TemplateSheet(*c.actor);
    if (!sheet.ok()) return ErrorResponse(sheet.status());
    io::WorkbookOptions options;
    options.title = "单位导入模板";
    options.instructions = UnitInstructions();
    return http::XlsxResponse(io::WriteXlsx({*sheet}, options), "单位导入模板");
  }});

  r.push_back({"GET", "/api/v1/units/{id}", Access::kPermission, "unit.read", "unit", [&org](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    return UnitResponse(org.Get(*c.actor, *id));
  }});

  r.push_back({"POST", "/api/v1/units", Access::kPermission, "unit.write", "", [&org](RouteContext& c) {
    JsonBody b(c.req.body);
    b.AllowOnly({"code", "name", "kind", "parent_id"});
    NewUnit n;
    n.code = b.OptStr("code", 32).value_or("");
    n.name = b.Str("name", 150);
    n.kind = b.Str("kind", 32);
    n.parent_id = b.Int("parent_id");
    if (!b.ok()) return ErrorResponse(b.status());
    return UnitResponse(org.Create(*c.actor, n), 201);
  }});

  r.push_back({"PUT", "/api/v1/units/{id}", Access::kPermission, "unit.write", "unit", [&org](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"code", "name", "kind", "version"});
    UnitPatch p;
    p.code = b.OptStr("code", 32);
    p.name = b.OptStr("name", 150);
    p.kind = b.OptStr("kind", 32);
    p.version = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    return UnitResponse(org.Update(*c.actor, *id, p));
  }});

  r.push_back({"POST", "/api/v1/units/{id}/move", Access::kPermission, "unit.write", "unit", [&org](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"parent_id", "version"});
    int64_t parent = b.Int("parent_id");
    int version = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    return UnitResponse(org.Move(*c.actor, *id, parent, version));
  }});

  for (bool archive : {true, false}) {
    r.push_back({"POST", archive ? "/api/v1/units/{id}/archive" : "/api/v1/units/{id}/restore",
                 Access::kPermission, "unit.write", "unit", [&org, archive](RouteContext& c) {
      auto id = c.Id();
      if (!id.ok()) return ErrorResponse(id.status());
      auto v = VersionOnly(c.req.body);
      if (!v.ok()) return ErrorResponse(v.status());
      return UnitResponse(org.SetArchived(*c.actor, *id, archive, *v));
    }});
  }
  return r;
}

}  // namespace tiaodu::org
