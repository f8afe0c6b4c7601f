// tiaodu: the one program. Subcommands: init, demo, recompute, serve, tick, verify-log, routes,
// import, export, bulletin, factcheck.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <iostream>
#include <map>
#include <optional>
#include <thread>

#include "app/demo.h"
#include "app/demo_benefits.h"
#include "app/jobs.h"
#include "app/routes_table.h"
#include "app/services.h"
#include "app/sheet_kinds.h"
#include "auth/audit.h"
#include "app/demo_indicators.h"
#include "auth/crypto.h"
#include "base/period.h"
#include "factcheck/checks.h"
#include "factcheck/extractor.h"
#include "factcheck/report.h"
#include "factcheck/service.h"
#include "http/api.h"
#include "http/json.h"
#include "http/server.h"
#include "http/static_files.h"
#include "io/upload.h"
#include "io/xlsx_writer.h"

namespace tiaodu::app {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

int Fail(const Status& s) {
  std::cerr << "错误 / error: " << s.message();
  for (const Detail& d : s.details()) std::cerr << "\n  " << d.field << ": " << d.reason;
  std::cerr << std::endl;
  return 1;
}

// Makes sure the directory of a SQLite file exists.
void PrepareSqlitePath(const std::string& url) {
  if (url.rfind("sqlite:", 0) != 0) return;
  std::filesystem::path p(url.substr(7));
  if (p.has_parent_path() && url.substr(7) != ":memory:") {
    std::error_code ec;
    std::filesystem::create_directories(p.parent_path(), ec);
  }
}

std::string DefaultWebRoot() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto candidate = exe.parent_path().parent_path() / "web" / "dist";
    if (std::filesystem::is_directory(candidate, ec)) return candidate.string();
  }
  return "web/dist";
}

int CmdInit(const std::string& url) {
  SystemClock clock;
  PrepareSqlitePath(url);
  auto s = OpenServices(url, clock, 1);
  if (!s.ok()) return Fail(s.status());
  auto admin = InitInstallation(**s, Env("TIAODU_ADMIN_PASSWORD"));
  if (!admin.ok()) return Fail(admin.status());
  std::cout << "数据库已就绪 / database ready: " << url << " (schema v" << db::LatestMigration()
            << ")\n";
  if (admin->password.empty()) {
    std::cout << "系统管理员 admin 已存在，密码未改变 / admin exists, password unchanged\n";
  } else if (Env("TIAODU_ADMIN_PASSWORD").empty()) {
    std::cout << "系统管理员 / system admin: admin  初始密码 / initial password: " << admin->password
              << "\n（仅显示这一次，请妥善保存 / shown only once）\n";
  } else {
    std::cout << "系统管理员 admin 的密码已设为 $TIAODU_ADMIN_PASSWORD / admin password set from "
                 "$TIAODU_ADMIN_PASSWORD\n";
  }
  return 0;
}

int CmdDemo(const std::string& url, const std::string& scale) {
  SystemClock clock;
  PrepareSqlitePath(url);
  auto s = OpenServices(url, clock, 1);
  if (!s.ok()) return Fail(s.status());
  if (scale == "province") {
    auto init = InitInstallation(**s, Env("TIAODU_ADMIN_PASSWORD"));
    if (!init.ok()) return Fail(init.status());
    auto p = LoadProvince(**s, 200, 40, 120);
    if (!p.ok()) return Fail(p.status());
    std::cout << "省级规模数据已载入 / province-scale data loaded: " << p->units << " units × "
              << p->indicators << " indicators, " << p->values << " values\n"
              << "generate_seconds=" << p->generate_seconds << " load_seconds=" << p->load_seconds
              << "\n重点项目 / key projects: " << p->projects << " projects, " << p->project_progress
              << " monthly reports, project_seconds=" << p->project_seconds
              << " busiest_unit=" << p->busiest_unit
              << "\n招商引资 / investment: " << p->leads << " leads, " << p->lead_contracts << " contracts, "
              << p->companies << " companies, investment_seconds=" << p->investment_seconds
              << "\n督查督办 / supervision: " << p->tasks << " tasks, " << p->task_events << " events, "
              << p->task_files << " files; open " << p->tasks_open << " (green " << p->tasks_green << ", yellow "
              << p->tasks_yellow << ", red " << p->tasks_red << "); states " << p->task_states
              << "; supervision_seconds=" << p->supervision_seconds << "\n";
    return 0;
  }
  if (!scale.empty() && scale != "city" && scale != "benefits")
    return Fail(InvalidArgument("--scale 应为 city、province 或 benefits"));
  auto users = LoadDemo(**s, Env("TIAODU_DEMO_PASSWORD"));
  if (!users.ok()) return Fail(users.status());
  if (scale == "benefits") {
    auto b = LoadBenefitsScale(**s, 100000, 100);
    if (!b.ok()) return Fail(b.status());
    std::cout << "免申即享规模数据已载入 / benefits-scale data loaded: enterprises=" << b->enterprises
              << " policies=" << b->policies << " load_seconds=" << b->load_seconds << "\n";
  }
  std::cout << "演示数据已载入 / demo data loaded. 演示用户 / demo users:\n";
  for (const CreatedUser& u : *users) {
    std::cout << "  " << u.username << "\t" << u.role_name << "\t" << u.unit_name << "\t"
              << (u.password.empty() ? "（已存在，密码未改变 / exists, unchanged）" : u.password)
              << "\n";
  }
  return 0;
}

int CmdRecompute(const std::string& url, const std::string& period, bool ranks_only) {
  SystemClock clock;
  auto s = OpenServices(url, clock, 1);
  if (!s.ok()) return Fail(s.status());
  auto t0 = std::chrono::steady_clock::now();
  Status st;
  if (period.empty()) {
    st = (*s)->indicators->RecomputeAll();
  } else {
    auto key = indicators::SheetKey(period);
    if (!key.ok()) return Fail(key.status());
    st = ranks_only ? (*s)->indicators->RecomputeLeagueTables(*key) : (*s)->indicators->RecomputePeriod(*key);
  }
  if (!st.ok()) return Fail(st);
  std::cout << "已重新计算 / recomputed in "
            << std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count()
            << " ms\n";
  return 0;
}

// "2026-12-07T09:00" (Beijing time) → millis UTC; nullopt when malformed.
std::optional<int64_t> ParseBeijingMinute(const std::string& text) {
  if (text.size() != 16 || text[10] != 'T' || text[13] != ':') return std::nullopt;
  auto date = ParseIsoDate(text.substr(0, 10));
  if (!date.ok()) return std::nullopt;
  int h = 0, m = 0;
  for (int i : {11, 12, 14, 15})
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  h = std::stoi(text.substr(11, 2));
  m = std::stoi(text.substr(14, 2));
  if (h > 23 || m > 59) return std::nullopt;
  return DaysFromCivil(*date) * 86'400'000LL + (h - 8) * 3'600'000LL + m * 60'000LL;
}

int CmdServe(const std::string& url, const std::string& listen, std::string web_root,
             int threads, bool secure_cookies, int scheduler_seconds, const std::string& now) {
  int64_t offset = 0;
  if (!now.empty()) {
    auto start = ParseBeijingMinute(now);
    if (!start) return Fail(InvalidArgument("--now 应为 2026-12-07T09:00（北京时间）"));
    offset = *start - SystemClock().NowMillis();
    spdlog::warn("服务器时钟从 {} 起算（--now）/ the server's clock starts at {}", now, now);
  }
  OffsetClock clock(offset);
  PrepareSqlitePath(url);
  http::ServerOptions options;
  if (Status st = http::ParseListen(listen, options); !st.ok()) return Fail(st);
  options.threads = threads > 0 ? threads : std::max(4u, std::thread::hardware_concurrency() * 2);
  auto s = OpenServices(url, clock, options.threads + 2);
  if (!s.ok()) return Fail(s.status());
  http::Router router;
  RegisterRoutes(router, **s, {secure_cookies});
  if (web_root.empty()) web_root = DefaultWebRoot();
  auto files = http::StaticFiles::Load(web_root);
  if (files->size() == 0)
    spdlog::warn("网页应用未找到 / web app not found under {}: run `make run`", web_root);
  http::Api api(router, *(*s)->auth, files.get());
  // Evidence files (at most 10 MB, supervision settings) come as the raw body of upload
  // routes; every other request keeps the 2 MB limit.
  options.upload_body_limit = 11 * 1024 * 1024;
  options.is_upload = [&router](const std::string& method, const std::string& target) {
    std::string path;
    std::map<std::string, std::string> query;
    if (!http::ParseTarget(target, path, query)) return false;
    auto m = router.Find(method, path);
    return m.route && m.route->raw_body;
  };
  http::Server server(options, [&api](const http::Request& r) { return api.Handle(r); });
  Jobs jobs(**s, std::chrono::seconds(std::max(1, scheduler_seconds)));
  Status st = server.Run([&](uint16_t port) {
    std::cout << "调度 Tiaodu 已启动 / serving on http://" << options.address << ":" << port
              << std::endl;
  });
  if (!st.ok()) return Fail(st);
  return 0;
}

// One run of the supervision scheduler (what `serve` does every --scheduler-seconds), timed:
// for operations and benchmarks. With `now`, the run happens at that instant (Beijing time).
int CmdTick(const std::string& url, const std::string& now) {
  SystemClock system;
  std::optional<FakeClock> fixed;
  if (!now.empty()) {
    auto at = ParseBeijingMinute(now);
    if (!at) return Fail(InvalidArgument("--now 应为 2026-12-07T09:00（北京时间）"));
    fixed.emplace(*at);
  }
  const Clock& clock = fixed ? static_cast<const Clock&>(*fixed) : system;
  auto s = OpenServices(url, clock, 1);
  if (!s.ok()) return Fail(s.status());
  char host[128] = {0};
  gethostname(host, sizeof(host) - 1);
  auto t0 = std::chrono::steady_clock::now();
  auto tick = (*s)->supervision->Tick(std::string(host) + ":" + std::to_string(getpid()) + ":cli");
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!tick.ok()) return Fail(tick.status());
  if (!tick->ran) {
    std::cout << "另一进程正在运行调度器，本次跳过 / another process holds the scheduler lock: skipped"
              << " ms=" << ms << "\n";
    return 3;
  }
  std::cout << "督办时钟已运行 / supervision tick: evaluated=" << tick->evaluated << " changed=" << tick->changed
            << " reminders=" << tick->reminders << " notifications=" << tick->notifications << " ms=" << ms
            << "\n";
  return 0;
}

int CmdVerifyLog(const std::string& url) {
  SystemClock clock;
  auto database = db::Database::Open(url);
  if (!database.ok()) return Fail(database.status());
  auto rep = auth::VerifyAudit(**database);
  if (!rep.ok()) return Fail(rep.status());
  if (rep->ok) {
    std::cout << "审计日志完整 / audit log intact: " << rep->checked << " 条记录 / records\n";
    return 0;
  }
  std::cout << "审计日志校验失败 / audit log verification FAILED at record id=" << *rep->first_bad_id
            << " (seq " << *rep->first_bad_seq << "): " << rep->reason << "\n";
  return 2;
}

int CmdRoutes() {
  SystemClock clock;
  auto s = OpenServices("sqlite::memory:", clock, 1);
  if (!s.ok()) return Fail(s.status());
  http::Router router;
  RegisterRoutes(router, **s, {});
  http::JsonWriter w;
  w.BeginArray();
  for (const http::Route& r : router.routes()) {
    w.BeginObject()
        .Field("method", r.method)
        .Field("path", r.pattern)
        .Field("access", r.access == http::Access::kPublic    ? "public"
                         : r.access == http::Access::kSession ? "session"
                                                              : "permission")
        .Field("permission", r.permission)
        .Field("object", r.object)
        .Field("raw_body", r.raw_body)
        .EndObject();
  }
  w.EndArray();
  std::cout << w.Take() << std::endl;
  return 0;
}

// The database of `import` and `export`, migrated; only the services they use are built
// (OpenServices would also build the auth service, whose start-up hashes a password).
Result<std::unique_ptr<db::Database>> OpenForSheets(const std::string& url, const Clock& clock) {
  if (!auth::InitCrypto()) return Internal("密码库初始化失败 (libsodium)");
  auto database = db::Database::Open(url);
  if (!database.ok()) return database.status();
  TIAODU_RETURN_IF_ERROR(db::Migrate(**database, clock.NowMillis()));
  return std::move(*database);
}

// `tiaodu import KIND FILE`: the import of the routes (all or nothing, the same checks), as the
// system actor. Prints the counts, or every problem "第N行 X列（…）：reason" and exits 1.
int CmdImport(const std::string& url, const std::string& kind_name, const std::string& file, bool dry_run) {
  const SheetKind* kind = FindSheetKind(kind_name);
  if (!kind) return Fail(InvalidArgument("KIND 应为 " + SheetKindNames() + "：" + kind_name));
  std::ifstream in(file, std::ios::binary);
  if (!in) return Fail(InvalidArgument("无法读取文件：" + file));
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  SystemClock clock;
  auto database = OpenForSheets(url, clock);
  if (!database.ok()) return Fail(database.status());
  auto t0 = std::chrono::steady_clock::now();
  auto table = io::ReadUploadedTable(bytes);
  if (!table.ok()) return Fail(table.status());
  const double read_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  auto r = kind->import(**database, clock, SystemActor(), *table, dry_run);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!r.ok()) {
    std::cerr << "导入失败 / import refused: " << r.status().message() << "\n";
    for (const Detail& d : r.status().details()) std::cerr << d.field << "：" << d.reason << "\n";
    return 1;
  }
  std::cout << (dry_run ? "试导入（未写入）/ dry run: " : "已导入 / imported: ") << "rows=" << r->rows
            << " inserted=" << r->inserted << " updated=" << r->updated << " unchanged=" << r->unchanged
            << r->extra << " ms=" << ms << " read_ms=" << read_ms << "\n";
  return 0;
}

// `tiaodu export KIND -o FILE`: the whole list as the route's ?format=xlsx gives it (the import
// layout), as the system actor; --year: the kind's year (projects: plan and status year;
// indicator values: the periods of that year).
int CmdExport(const std::string& url, const std::string& kind_name, const std::string& out_file, int year) {
  const SheetKind* kind = FindSheetKind(kind_name);
  if (!kind) return Fail(InvalidArgument("KIND 应为 " + SheetKindNames() + "：" + kind_name));
  if (year != 0 && (year < 2000 || year > 2100)) return Fail(InvalidArgument("--year 应为四位年份"));
  SystemClock clock;
  auto database = OpenForSheets(url, clock);
  if (!database.ok()) return Fail(database.status());
  auto sheet = kind->export_sheet(**database, clock, SystemActor(), year);
  if (!sheet.ok()) return Fail(sheet.status());
  auto bytes = io::WriteXlsx({*sheet});
  if (!bytes.ok()) return Fail(bytes.status());
  std::ofstream out(out_file, std::ios::binary | std::ios::trunc);
  out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
  out.close();
  if (!out) return Fail(InvalidArgument("无法写入文件：" + out_file));
  std::cout << "已导出 / exported: " << sheet->rows.size() << " rows → " << out_file << "\n";
  return 0;
}

// `tiaodu bulletin --period 2024-06 --format docx|xlsx|html -o FILE [--scheme ID]`: the monthly
// bulletin as the route gives it, as the system actor (no --scheme: the oldest scheme). Prints
// the time it took.
// `tiaodu benefits-run`: draft runs of the listed policies (none = every non-archived policy)
// for a year, as the system, in one transaction; prints each run's counts and the time taken.
int CmdBenefitsRun(const std::string& url, int year, const std::vector<int64_t>& policies) {
  SystemClock clock;
  auto s = OpenServices(url, clock, 1);
  if (!s.ok()) return Fail(s.status());
  auto t0 = std::chrono::steady_clock::now();
  auto runs = (*s)->benefits->StartRuns(SystemActor(), year, policies);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!runs.ok()) return Fail(runs.status());
  int64_t enterprises = 0, stored = 0;
  for (const auto& r : *runs) {
    std::cout << "  run " << r.id << " policy " << r.policy_id << " " << r.policy_title << ": enterprises="
              << r.enterprises << " matched=" << r.matched << " near_miss=" << r.near_miss
              << " data_missing=" << r.data_missing << " data_error=" << r.data_error
              << " granted=" << r.granted.ToString() << "\n";
    enterprises += r.enterprises;
    stored += r.matched + r.near_miss + r.data_missing + r.data_error;
  }
  std::cout << "匹配完成 / runs stored (draft): runs=" << runs->size() << " pairs=" << enterprises
            << " results=" << stored << " ms=" << ms << "\n";
  return 0;
}

// The Chinese name of a field a reproduction compares (BenefitService::Reproduce).
std::string ReproducedField(const std::string& field, bool total) {
  static const std::map<std::string, std::string> results = {
      {"outcome", "匹配结果"},   {"met", "满足的条件"},    {"failed", "未满足的条件"},
      {"missing", "缺失数据"},   {"error", "数据错误"},    {"requested", "测算金额"},
      {"granted", "核定金额"},   {"order", "排序位置"}};
  static const std::map<std::string, std::string> totals = {
      {"enterprises", "企业数"}, {"matched", "符合家数"},       {"near_miss", "差一项家数"},
      {"data_missing", "数据缺失家数"}, {"data_error", "数据有误家数"},
      {"requested", "测算金额合计"},    {"granted", "核定金额合计"}};
  const auto& names = total ? totals : results;
  auto it = names.find(field);
  return it == names.end() ? field : it->second;
}

// `tiaodu benefits-verify [--run ID]`: recomputes stored runs (all of them without --run) from
// what each stored and compares with its results; prints every difference in Chinese and exits
// 1 when any run differs or cannot be read. Runs stored before the snapshots are skipped (named)
// when checking all, refused when asked for by id.
int CmdBenefitsVerify(const std::string& url, int64_t run_id) {
  SystemClock clock;
  auto s = OpenServices(url, clock, 1);
  if (!s.ok()) return Fail(s.status());
  benefits::BenefitService& svc = *(*s)->benefits;
  const auth::Actor system = SystemActor();
  std::vector<int64_t> runs;
  if (run_id) {
    runs.push_back(run_id);
  } else {
    benefits::store::PolicyQuery q;
    q.include_archived = true;
    q.page_size = 500;
    for (q.page = 1;; ++q.page) {
      auto page = svc.ListPolicies(system, q);
      if (!page.ok()) return Fail(page.status());
      for (const auto& p : page->items) {
        auto of = svc.RunsOf(system, p.id);
        if (!of.ok()) return Fail(of.status());
        for (const auto& r : *of) runs.push_back(r.id);
      }
      if (static_cast<int64_t>(q.page) * q.page_size >= page->total) break;
    }
    std::sort(runs.begin(), runs.end());
  }
  int same = 0, differing = 0, skipped = 0, failed = 0;
  for (int64_t id : runs) {
    auto r = svc.Reproduce(system, id);
    if (!r.ok()) {
      if (!run_id && r.status().code() == Code::kFailedPrecondition) {
        std::cout << "批次 " << id << "：跳过（" << r.status().message() << "）\n";
        ++skipped;
        continue;
      }
      std::cout << "批次 " << id << "：无法复算：" << r.status().message() << "\n";
      ++failed;
      continue;
    }
    const std::string note = r->current_unit_tree ? "（快照未保存单位层级，按当前单位层级复算）" : "";
    if (r->ok) {
      std::cout << "批次 " << id << "：复算一致（" << r->enterprises << " 家企业，" << r->compared
                << " 条结果）" << note << "\n";
      ++same;
      continue;
    }
    ++differing;
    std::cout << "批次 " << id << "：复算不一致，共 " << r->total_differences << " 处差异" << note
              << "\n";
    for (const auto& d : r->differences) {
      const std::string who =
          d.company_id ? d.company_name + "（企业编号 " + std::to_string(d.company_id) + "）" : "批次合计";
      std::cout << "  " << who << " " << ReproducedField(d.field, d.company_id == 0) << "：存储为“"
                << d.stored << "”，复算为“" << d.recomputed << "”\n";
    }
    if (r->total_differences > static_cast<int64_t>(r->differences.size()))
      std::cout << "  ……另有 " << r->total_differences - static_cast<int64_t>(r->differences.size())
                << " 处差异未列出\n";
  }
  std::cout << "复算核对完成 / verified: runs=" << runs.size() << " same=" << same
            << " different=" << differing << " skipped=" << skipped << " failed=" << failed << "\n";
  return differing || failed ? 1 : 0;
}

int CmdBulletin(const std::string& url, const std::string& period, const std::string& format, int64_t scheme,
                const std::string& out_file) {
  if (format != "docx" && format != "xlsx" && format != "html")
    return Fail(InvalidArgument("--format 应为 docx、xlsx 或 html"));
  SystemClock clock;
  auto s = OpenServices(url, clock, 1);
  if (!s.ok()) return Fail(s.status());
  auto t0 = std::chrono::steady_clock::now();
  auto data = (*s)->assessment->Bulletin(SystemActor(), scheme, period);
  if (!data.ok()) return Fail(data.status());
  const double data_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  Result<std::string> bytes = format == "docx"   ? assessment::BulletinDocx(*data)
                              : format == "xlsx" ? assessment::BulletinXlsx(*data)
                                                 : Result<std::string>(assessment::BulletinHtml(*data));
  if (!bytes.ok()) return Fail(bytes.status());
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::ofstream out(out_file, std::ios::binary | std::ios::trunc);
  out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
  out.close();
  if (!out) return Fail(InvalidArgument("无法写入文件：" + out_file));
  std::cout << "已生成 / generated: " << data->title << " (" << data->league.rows.size() << " units) → " << out_file
            << " bytes=" << bytes->size() << " data_ms=" << data_ms << " ms=" << ms << "\n";
  return 0;
}

// `tiaodu factcheck FILE`: the facts and findings of a report text, as text for people or as
// the JSON of the API (--json). With --db the catalog and the ledger come from the database (as
// the system actor); without it the catalog is the built-in seed catalog and there is no ledger.
int CmdFactcheck(const std::string& file, bool json, const std::string& url, const std::string& region,
                 const std::string& period) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Fail(InvalidArgument("无法读取文件：" + file));
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  factcheck::ExtractOptions overrides{region, period};
  factcheck::Document doc;
  if (!url.empty()) {
    SystemClock clock;
    auto database = OpenForSheets(url, clock);
    if (!database.ok()) return Fail(database.status());
    factcheck::FactcheckService svc(**database);
    auto r = svc.Check(SystemActor(), text, overrides);
    if (!r.ok()) return Fail(r.status());
    doc = std::move(*r);
  } else {
    // A file may be larger than the API's 2 MB (benchmarks read 20 MB and more).
    if (Status st = factcheck::ValidateText(text, size_t{1} << 30); !st.ok()) return Fail(st);
    std::vector<factcheck::CatalogEntry> catalog;
    for (const indicators::Indicator& ind : SeedCatalog())
      catalog.push_back({ind.code, ind.name, ind.aliases, ind.unit});
    doc = factcheck::Extract(text, factcheck::Catalog(std::move(catalog)), overrides);
    doc.findings = factcheck::RunChecks(doc.facts, nullptr);
  }
  std::cout << (json ? factcheck::ToJson(doc, /*with_context=*/false) + "\n" : factcheck::ToText(doc));
  return 0;
}

}  // namespace
}  // namespace tiaodu::app

int main(int argc, char** argv) {
  using namespace tiaodu::app;
  CLI::App app{"调度 Tiaodu — 经济运行调度平台 / economic work platform"};
  app.require_subcommand(1);
  std::string db = "sqlite:var/tiaodu.db";

  auto* init = app.add_subcommand("init", "创建或升级数据库，并创建系统管理员 admin");
  init->add_option("--db", db, "数据库地址 (sqlite:PATH | postgresql://...)");
  auto* demo = app.add_subcommand("demo", "载入演示数据并打印演示用户（可重复执行）");
  demo->add_option("--db", db, "数据库地址");
  std::string scale;
  demo->add_option("--scale", scale, "city（默认，南阳市演示数据）、province（200个单位×40个指标×120个月、2万个重点项目、10万条招商线索、2万项督办任务，供性能测试）或 benefits（南阳市演示数据加10万家企业名录、100项政策，供免申即享性能测试）");
  auto* recompute = app.add_subcommand("recompute", "重新计算指标看板的派生数据（全部期别或指定期别）");
  recompute->add_option("--db", db, "数据库地址");
  std::string recompute_period;
  bool ranks_only = false;
  recompute->add_option("--period", recompute_period, "期别，如 2024-06");
  recompute->add_flag("--ranks-only", ranks_only, "只重排名次（需指定期别）");
  auto* serve = app.add_subcommand("serve", "启动 HTTP 服务");
  std::string listen = "127.0.0.1:8080", web_root;
  int threads = 0;
  bool secure = false;
  int scheduler_seconds = 60;
  std::string now;
  serve->add_option("--db", db, "数据库地址");
  serve->add_option("--listen", listen, "监听地址:端口");
  serve->add_option("--web-root", web_root, "网页应用目录（默认 web/dist）");
  serve->add_option("--threads", threads, "I/O 线程数");
  serve->add_option("--now", now, "演示与测试用：服务器时钟从此时刻（北京时间 2026-12-07T09:00）起走");
  serve->add_option("--scheduler-seconds", scheduler_seconds, "调度器（13710 时钟、提醒）运行间隔，秒");
  serve->add_flag("--secure-cookies", secure, "在 TLS 反向代理之后运行时设置 Secure Cookie");
  auto* tick = app.add_subcommand("tick", "运行一次督办调度（13710 时钟、提醒、升级）并计时");
  tick->add_option("--db", db, "数据库地址");
  std::string tick_now;
  tick->add_option("--now", tick_now, "在此时刻（北京时间 2026-12-07T09:00）运行，默认当前时间");
  auto* verify = app.add_subcommand("verify-log", "校验审计日志哈希链");
  verify->add_option("--db", db, "数据库地址");
  auto* routes = app.add_subcommand("routes", "以 JSON 列出全部接口（供访问控制测试）");
  auto* import = app.add_subcommand("import", "从 .xlsx 或 CSV 文件导入（全部或全不，以系统身份）");
  std::string import_kind, import_file;
  bool import_dry = false;
  import->add_option("KIND", import_kind, SheetKindNames())->required();
  import->add_option("FILE", import_file, ".xlsx 或 CSV 文件")->required();
  import->add_option("--db", db, "数据库地址");
  import->add_flag("--dry-run", import_dry, "只检查，不写入");
  auto* export_ = app.add_subcommand("export", "导出为 .xlsx（导入模板的格式，以系统身份）");
  std::string export_kind, export_file;
  int export_year = 0;
  export_->add_option("KIND", export_kind, SheetKindNames())->required();
  export_->add_option("--db", db, "数据库地址");
  export_->add_option("-o,--output", export_file, "输出文件 .xlsx")->required();
  export_->add_option("--year", export_year, "年份：项目的计划与状态年度，或指标数据的期别年度");

  auto* bulletin = app.add_subcommand("bulletin", "生成月度经济运行情况通报（.docx / .xlsx / .html，以系统身份）");
  std::string bulletin_period, bulletin_format = "docx", bulletin_file;
  int64_t bulletin_scheme = 0;
  bulletin->add_option("--db", db, "数据库地址");
  bulletin->add_option("--period", bulletin_period, "月份，如 2024-06")->required();
  bulletin->add_option("--format", bulletin_format, "docx（默认）、xlsx 或 html");
  bulletin->add_option("-o,--output", bulletin_file, "输出文件")->required();
  bulletin->add_option("--scheme", bulletin_scheme, "考评方案编号（默认：最上级单位的方案）");
  auto* benefits_run = app.add_subcommand("benefits-run", "免申即享：按年度批量匹配政策，结果存为草稿批次（以系统身份，全部或全不）");
  int benefits_year = 0;
  std::vector<int64_t> benefits_policies;
  benefits_run->add_option("--db", db, "数据库地址");
  benefits_run->add_option("--year", benefits_year, "年度（0 = 各政策的基准年度）")->required();
  benefits_run->add_option("--policy", benefits_policies, "政策编号（可多个；不给则匹配全部未归档政策）");
  auto* benefits_verify = app.add_subcommand("benefits-verify", "免申即享：按批次存储的规则与企业名录快照复算并与存储的结果核对（不给 --run 则核对全部批次；有差异时退出码为 1）");
  int64_t verify_run = 0;
  benefits_verify->add_option("--db", db, "数据库地址");
  benefits_verify->add_option("--run", verify_run, "匹配批次编号");
  auto* factcheck = app.add_subcommand("factcheck", "数据核查：找出报告文本中的数据并核对（占比、合计、前后一致、台账）");
  std::string fc_file, fc_db, fc_region, fc_period;
  bool fc_json = false;
  factcheck->add_option("FILE", fc_file, "报告文本（UTF-8）")->required();
  factcheck->add_flag("--json", fc_json, "输出 JSON（与接口相同的格式）");
  factcheck->add_option("--db", fc_db, "数据库地址：指标目录与台账取自数据库（不给则用内置指标目录，不比对台账）");
  factcheck->add_option("--region", fc_region, "地区（代替文中识别的地区）");
  factcheck->add_option("--period", fc_period, "时期，如 2023 或 2024-06（代替文中识别的时期）");

  CLI11_PARSE(app, argc, argv);
  if (*init) return CmdInit(db);
  if (*demo) return CmdDemo(db, scale);
  if (*recompute) return CmdRecompute(db, recompute_period, ranks_only);
  if (*serve) return CmdServe(db, listen, web_root, threads, secure, scheduler_seconds, now);
  if (*tick) return CmdTick(db, tick_now);
  if (*verify) return CmdVerifyLog(db);
  if (*routes) return CmdRoutes();
  if (*import) return CmdImport(db, import_kind, import_file, import_dry);
  if (*export_) return CmdExport(db, export_kind, export_file, export_year);
  if (*benefits_run) return CmdBenefitsRun(db, benefits_year, benefits_policies);
  if (*benefits_verify) return CmdBenefitsVerify(db, verify_run);
  if (*bulletin) return CmdBulletin(db, bulletin_period, bulletin_format, bulletin_scheme, bulletin_file);
  if (*factcheck) return CmdFactcheck(fc_file, fc_json, fc_db, fc_region, fc_period);
  return 1;
}
