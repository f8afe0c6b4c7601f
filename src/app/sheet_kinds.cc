#include "app/sheet_kinds.h"

#include "auth/service.h"
#include "benefits/service.h"
#include "indicators/service.h"
#include "indicators/sheets.h"
#include "investment/service.h"
#include "org/service.h"
#include "projects/service.h"
#include "projects/sheets.h"
#include "supervision/service.h"

namespace tiaodu::app {
namespace {

std::string Ms(const char* name, double ms) {
  char buf[64];
  std::snprintf(buf, sizeof buf, " %s=%.1f", name, ms);
  return buf;
}

SheetKind Projects() {
  SheetKind k;
  k.name = "projects";
  k.description = "重点项目";
  k.import = [](db::Database& db, const Clock& clock, const auth::Actor& actor, const io::Table& table,
                bool dry_run) -> Result<ImportSummary> {
    auto r = projects::ProjectService(db, clock).Import(actor, table, dry_run);
    if (!r.ok()) return r.status();
    ImportSummary s{r->rows, r->inserted, r->updated, r->unchanged, ""};
    s.extra = Ms("check_ms", r->check_ms) + Ms("write_ms", r->write_ms);
    return s;
  };
  k.export_sheet = [](db::Database& db, const Clock& clock, const auth::Actor& actor, int year) {
    projects::store::ProjectQuery q;
    q.year = year;
    return projects::ProjectService(db, clock).ExportSheet(actor, q, "");
  };
  return k;
}

// 重点项目月度进展: --year exports that year's months.
SheetKind ProjectProgress() {
  SheetKind k;
  k.name = "project-progress";
  k.description = "重点项目月度进展";
  k.import = [](db::Database& db, const Clock& clock, const auth::Actor& actor, const io::Table& table,
                bool dry_run) -> Result<ImportSummary> {
    auto r = projects::ProjectService(db, clock).ImportProgress(actor, table, dry_run);
    if (!r.ok()) return r.status();
    return ImportSummary{r->rows, r->inserted, r->updated, r->unchanged, ""};
  };
  k.export_sheet = [](db::Database& db, const Clock& clock, const auth::Actor& actor, int year) {
    projects::store::ProgressQuery q;
    if (year) {
      q.from_month = std::to_string(year) + "-01";
      q.to_month = std::to_string(year) + "-12";
    }
    return projects::ProjectService(db, clock).ProgressExportSheet(actor, q, "");
  };
  return k;
}

SheetKind IndicatorValues() {
  SheetKind k;
  k.name = "indicator-values";
  k.description = "指标数据";
  k.import = [](db::Database& db, const Clock& clock, const auth::Actor& actor, const io::Table& table,
                bool dry_run) -> Result<ImportSummary> {
    auto r = indicators::IndicatorService(db, clock).Import(actor, table, dry_run);
    if (!r.ok()) return r.status();
    size_t findings = 0;
    for (const auto& sf : r->findings) findings += sf.findings.size();
    return ImportSummary{r->rows, r->inserted, r->updated, r->unchanged, " findings=" + std::to_string(findings)};
  };
  k.export_sheet = [](db::Database& db, const Clock& clock, const auth::Actor& actor, int year) {
    indicators::store::ValueQuery q;
    if (year) {
      q.from = std::to_string(year) + "-01";
      q.to = std::to_string(year) + "-12";
    }
    indicators::IndicatorService values(db, clock);
    return indicators::ValueExportSheet(values, actor, "", "", q);
  };
  return k;
}

SheetKind Tasks() {
  SheetKind k;
  k.name = "tasks";
  k.description = "督办任务";
  k.import = [](db::Database& db, const Clock& clock, const auth::Actor& actor, const io::Table& table,
                bool dry_run) -> Result<ImportSummary> {
    auto r = supervision::SupervisionService(db, clock).ImportTasks(actor, table, dry_run);
    if (!r.ok()) return r.status();
    return ImportSummary{r->rows, r->inserted, r->updated, r->unchanged, ""};
  };
  k.export_sheet = [](db::Database& db, const Clock& clock, const auth::Actor& actor, int year) {
    supervision::TaskQuery q;
    if (year) q.q = "DB" + std::to_string(year) + "-";  // the tasks assigned that year, by their codes
    return supervision::SupervisionService(db, clock).ExportTasks(actor, q);
  };
  return k;
}

SheetKind Leads() {
  SheetKind k;
  k.name = "leads";
  k.description = "招商线索";
  k.import = [](db::Database& db, const Clock& clock, const auth::Actor& actor, const io::Table& table,
                bool dry_run) -> Result<ImportSummary> {
    projects::ProjectService projects(db, clock);
    auto r = investment::InvestmentService(db, clock, projects).ImportLeads(actor, table, dry_run);
    if (!r.ok()) return r.status();
    return ImportSummary{r->rows, r->inserted, r->updated, r->unchanged, ""};
  };
  // Leads have no year: every lead.
  k.export_sheet = [](db::Database& db, const Clock& clock, const auth::Actor& actor, int) {
    projects::ProjectService projects(db, clock);
    return investment::InvestmentService(db, clock, projects).ExportLeads(actor, {}, "");
  };
  return k;
}

SheetKind Enterprises() {
  SheetKind k;
  k.name = "enterprises";
  k.description = "免申即享企业名录（企业信息与年度数据）";
  k.import = [](db::Database& db, const Clock& clock, const auth::Actor& actor, const io::Table& table,
                bool dry_run) -> Result<ImportSummary> {
    auto r = benefits::BenefitService(db, clock).ImportEnterprises(actor, table, dry_run);
    if (!r.ok()) return r.status();
    return ImportSummary{r->rows, r->inserted, r->updated, r->unchanged, ""};
  };
  // The register has no year: every enterprise with every year of figures.
  k.export_sheet = [](db::Database& db, const Clock& clock, const auth::Actor& actor, int) {
    return benefits::BenefitService(db, clock).ExportEnterprises(actor, {}, "");
  };
  return k;
}

SheetKind Units() {
  SheetKind k;
  k.name = "units";
  k.description = "单位";
  k.import = [](db::Database& db, const Clock& clock, const auth::Actor& actor, const io::Table& table,
                bool dry_run) -> Result<ImportSummary> {
    auto r = org::OrgService(db, clock).Import(actor, table, dry_run);
    if (!r.ok()) return r.status();
    return ImportSummary{r->rows, r->inserted, r->updated, r->unchanged, ""};
  };
  k.export_sheet = [](db::Database& db, const Clock& clock, const auth::Actor& actor, int) {
    org::UnitQuery q;
    q.include_archived = true;
    return org::OrgService(db, clock).ExportSheet(actor, q);
  };
  return k;
}

SheetKind Users() {
  SheetKind k;
  k.name = "users";
  k.description = "用户（不含密码；新用户须由管理员重置密码后登录）";
  k.import = [](db::Database& db, const Clock& clock, const auth::Actor& actor, const io::Table& table,
                bool dry_run) -> Result<ImportSummary> {
    auto r = auth::AuthService(db, clock).Import(actor, table, dry_run);
    if (!r.ok()) return r.status();
    return ImportSummary{r->rows, r->inserted, r->updated, r->unchanged, ""};
  };
  k.export_sheet = [](db::Database& db, const Clock& clock, const auth::Actor& actor, int) {
    return auth::AuthService(db, clock).ExportSheet(actor, {});
  };
  return k;
}

}  // namespace

const std::vector<SheetKind>& SheetKinds() {
  static const std::vector<SheetKind> kinds = {
      Projects(),
      ProjectProgress(),
      IndicatorValues(),
      Tasks(),
      Leads(),
      Enterprises(),
      Units(),
      Users(),
  };
  return kinds;
}

const SheetKind* FindSheetKind(const std::string& name) {
  for (const SheetKind& k : SheetKinds())
    if (k.name == name) return &k;
  return nullptr;
}

std::string SheetKindNames() {
  std::string out;
  for (const SheetKind& k : SheetKinds()) out += (out.empty() ? "" : " | ") + k.name;
  return out;
}

}  // namespace tiaodu::app
