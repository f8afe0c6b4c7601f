// ProjectService's monthly progress (月度进展) in bulk: the list of reports across projects, its
// export in the import layout, the import template, and the import itself — the same checks,
// derived figures and audit records as PUT /projects/{id}/progress (ReportProgress), for many
// project-months at once. The layout: projects/sheets.h, ProgressColumns.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

#include "auth/audit.h"
#include "auth/rules.h"
#include "base/json_text.h"
#include "base/period.h"
#include "http/sheets.h"
#include "projects/rules.h"
#include "projects/service.h"
#include "projects/sheets.h"

namespace tiaodu::projects {
namespace {

constexpr size_t kMaxProgressRows = 100000;     // rows of one import
constexpr size_t kMaxProgressErrors = 200;      // cells named in one refusal
constexpr int kMaxProgressExport = 200000;      // rows of one export

// The bad cells of an upload: each cell named once ("第3行 C列（月份）"), reported in the order
// of rows and columns, the first kMaxProgressErrors of them.
class BadCells {
 public:
  void Add(int line, int col, const std::string& header, std::string reason) {
    if (!named_.insert({line, col}).second) return;
    ++count_;
    if (cells_.size() < kMaxProgressErrors)
      cells_.push_back({line, col, {"第" + std::to_string(line) + "行 " + io::ColumnLetter(col) + "列（" + header + "）",
                                    std::move(reason)}});
  }
  bool Has(int line, int col) const { return named_.count({line, col}) > 0; }
  bool RowHas(int line) const {
    auto it = named_.lower_bound({line, -1});
    return it != named_.end() && it->first == line;
  }
  bool empty() const { return count_ == 0; }
  // The refusal: one Detail per cell, and how many more there are.
  Status Refusal() {
    std::stable_sort(cells_.begin(), cells_.end(), [](const Cell& a, const Cell& b) {
      return std::tie(a.line, a.col) < std::tie(b.line, b.col);
    });
    std::vector<Detail> details;
    for (Cell& c : cells_) details.push_back(std::move(c.detail));
    if (count_ > cells_.size())
      details.push_back({"其余", "另有 " + std::to_string(count_ - cells_.size()) + " 处错误未列出"});
    return InvalidArgument("导入失败：共 " + std::to_string(count_) + " 处错误，未写入任何数据", std::move(details));
  }

 private:
  struct Cell {
    int line, col;
    Detail detail;
  };
  std::set<std::pair<int, int>> named_;
  std::vector<Cell> cells_;
  size_t count_ = 0;
};

// What the audit log keeps of a report (as ReportProgress writes it).
std::string ProgressSnapshot(const Progress& g) {
  return JsonText().Add("month", g.month).Add("amount", g.amount.ToString()).Add("narrative", g.narrative).Build();
}

// Text with control characters other than tab and line breaks.
bool HasControlChars(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c == 0x7f || (c < 0x20 && c != '\t' && c != '\n' && c != '\r');
  });
}

// "2026-06" for a query's month ("2026-6" accepted); nullopt when it is no month.
std::optional<std::string> QueryMonth(const std::string& text) {
  auto p = Period::Parse(text);
  if (!p.ok() || p->kind() != PeriodKind::kMonth) return std::nullopt;
  return p->ToString();
}

// Fills each row's ytd and cumulative from every report of its project.
void FillSums(std::vector<store::ProgressRow>& rows, const std::vector<Progress>& all) {
  std::map<std::pair<int64_t, std::string>, std::pair<Decimal, Decimal>> sums;  // → (ytd, cumulative)
  int64_t project = 0;
  std::string year;
  Decimal ytd, cumulative;
  for (const Progress& g : all) {  // ordered by project and month
    if (g.project_id != project) {
      project = g.project_id;
      cumulative = Decimal();
      year.clear();
    }
    if (g.month.compare(0, 4, year) != 0) {
      year = g.month.substr(0, 4);
      ytd = Decimal();
    }
    ytd += g.amount;
    cumulative += g.amount;
    sums[{g.project_id, g.month}] = {ytd, cumulative};
  }
  for (store::ProgressRow& r : rows) {
    auto it = sums.find({r.progress.project_id, r.progress.month});
    if (it != sums.end()) std::tie(r.ytd, r.cumulative) = it->second;
  }
}

}  // namespace

Result<auth::Page<store::ProgressRow>> ProjectService::ListProgress(const auth::Actor& actor, store::ProgressQuery q,
                                                                    const std::string& unit_code) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.read"));
  std::vector<Detail> bad;
  for (auto [field, month] : {std::pair{"from", &q.from_month}, std::pair{"to", &q.to_month}}) {
    if (month->empty()) continue;
    auto m = QueryMonth(*month);
    if (!m) bad.push_back({field, "月份格式应为YYYY-MM，如2026-06"});
    else *month = *m;
  }
  if (!bad.empty()) return InvalidArgument("月份无效", std::move(bad));
  auth::Page<store::ProgressRow> page;
  page.page = q.page;
  page.page_size = q.page_size;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    if (!ListScope(tx, actor, unit_code, q.scope_path, q.unit_path)) return Status::Ok();  // nothing visible
    page.items = store::ListProgress(tx, q, &page.total);
    std::set<int64_t> ids;
    for (const auto& r : page.items) ids.insert(r.progress.project_id);
    FillSums(page.items, store::ProgressOfMany(tx, {ids.begin(), ids.end()}));
    return Status::Ok();
  }));
  return page;
}

Result<io::Sheet> ProjectService::ProgressExportSheet(const auth::Actor& actor, store::ProgressQuery q,
                                                      const std::string& unit_code) {
  q.page = 1;
  q.page_size = kMaxProgressExport;
  auto page = ListProgress(actor, q, unit_code);
  if (!page.ok()) return page.status();
  io::Sheet sheet;
  sheet.name = "月度进展";
  sheet.columns = ProgressColumns();
  sheet.rows.reserve(page->items.size());
  for (const auto& r : page->items) sheet.rows.push_back(ProgressCells(r, http::SheetTime(r.progress.reported_at)));
  return sheet;
}

Result<io::Sheet> ProjectService::ProgressTemplateSheet(const auth::Actor& actor) {
  if (!auth::Need(actor, "project.report").ok()) TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.write"));
  const CivilDate today = Today();
  // Last month: what a report in the first days of a month is about.
  const Period month = today.month > 1 ? Period::Month(today.year, today.month - 1) : Period::Month(today.year - 1, 12);
  std::vector<store::ProjectRow> projects;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    store::ProjectQuery q;
    q.scope_path = actor.system ? "/" : actor.unit_path;
    q.year = today.year;
    q.with_plans = false;
    q.page_size = 5000;
    projects = store::ListProjects(tx, q, nullptr);
    return Status::Ok();
  }));
  io::Sheet sheet;
  sheet.name = "月度进展";
  sheet.columns = ProgressColumns();
  sheet.columns.front().choices.clear();
  for (const auto& r : projects) sheet.columns.front().choices.push_back(r.project.code);
  // The example: a project of the reporter's that had started by that month.
  std::vector<std::string> example = {"WL2026-001", "卧龙区新能源汽车零部件产业园项目", month.ToString(), "0.5",
                                      "主体结构施工，完成桩基工程80%"};
  for (const auto& r : projects)
    if (r.project.start_year <= month.year()) {
      example[0] = r.project.code;
      example[1] = r.project.name;
      if (r.project.total_investment < *Decimal::Parse(example[3])) example[3] = r.project.total_investment.ToString();
      break;
    }
  example.resize(sheet.columns.size());
  sheet.rows = {example};
  return sheet;
}

Result<ImportResult> ProjectService::ImportProgress(const auth::Actor& actor, const io::Table& table, bool dry_run) {
  if (!auth::Need(actor, "project.report").ok()) TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.write"));
  namespace h = progress_header;
  const int c_code = table.Column({header::kCode, "项目编号", "code"});
  const int c_month = table.Column({h::kMonth, "填报月份", "month"});
  const int c_amount = table.Column({h::kAmount, "本月完成投资（亿元）", "本月完成投资", "当月完成投资(亿元)",
                                     "当月完成投资（亿元）", "当月完成投资", "amount"});
  const int c_narrative = table.Column({h::kNarrative, "形象进度/进展情况", "进展情况", "narrative"});
  const int c_version = table.Column({h::kVersion, "version"});
  std::vector<Detail> missing;
  for (auto [col, name] : {std::pair{c_code, header::kCode}, std::pair{c_month, h::kMonth}, std::pair{c_amount, h::kAmount}})
    if (col < 0) missing.push_back({"第1行（表头）", std::string("缺少“") + name + "”列"});
  if (!missing.empty()) return InvalidArgument("导入失败：表头不完整，未写入任何数据", std::move(missing));
  if (table.rows.empty()) return InvalidArgument("导入失败：文件中没有数据行");
  if (table.rows.size() > kMaxProgressRows)
    return InvalidArgument("导入失败：一次最多导入 " + std::to_string(kMaxProgressRows) + " 行月度进展");

  // 1. Every cell as typed (no database).
  struct Parsed {
    const io::Row* row = nullptr;
    std::string code, month, narrative;
    Decimal amount;
    int version = 0;  // 0 = not given
  };
  BadCells bad;
  std::vector<Parsed> parsed;
  parsed.reserve(table.rows.size());
  std::vector<std::string> codes;
  for (const io::Row& row : table.rows) {
    Parsed r;
    r.row = &row;
    const int line = row.line;
    r.code = io::Table::Cell(row, c_code);
    if (r.code.empty()) bad.Add(line, c_code, header::kCode, "必填");
    codes.push_back(r.code);
    const std::string month = io::Table::Cell(row, c_month);
    r.month = MonthFromSheet(month);
    if (month.empty()) bad.Add(line, c_month, h::kMonth, "必填");
    else if (r.month.empty()) bad.Add(line, c_month, h::kMonth, "应为年月，如 2026-06 或 2026年6月，现为“" + month + "”");
    const std::string amount = io::Table::Cell(row, c_amount);
    if (amount.empty()) {
      bad.Add(line, c_amount, "本月完成投资", "必填");
    } else if (auto d = Decimal::Parse(amount); d.ok()) {
      r.amount = *d;
    } else {
      bad.Add(line, c_amount, "本月完成投资", "不是有效的数值（单位亿元，只填数字）：" + amount);
    }
    if (c_narrative >= 0) {
      r.narrative = io::Table::Cell(row, c_narrative);
      if (HasControlChars(r.narrative)) bad.Add(line, c_narrative, h::kNarrative, "含有控制字符");
    }
    if (c_version >= 0) {
      const std::string v = io::Table::Cell(row, c_version);
      char* end = nullptr;
      const long n = v.empty() ? 0 : std::strtol(v.c_str(), &end, 10);
      if (!v.empty() && (*end || n < 1 || n > 1000000)) bad.Add(line, c_version, h::kVersion, "应为正整数或留空，现为“" + v + "”");
      else r.version = static_cast<int>(n);
    }
    parsed.push_back(std::move(r));
  }

  // 2. Projects, scope, the rules of a report, and what changes — in one transaction with the writes.
  const int64_t now = clock_.NowMillis();
  const CivilDate today = Today();
  ImportResult result;
  result.rows = static_cast<int>(table.rows.size());
  auto work = [&](db::Tx& tx) -> Status {
    const std::map<std::string, Project> projects = store::ProjectsByCodes(tx, codes);
    std::unordered_map<int64_t, std::string> unit_paths;
    for (const store::UnitRef& u : store::AllUnits(tx)) unit_paths[u.id] = u.path;
    std::vector<int64_t> ids;
    for (const auto& [code, p] : projects) ids.push_back(p.id);
    std::map<std::pair<int64_t, std::string>, Progress> stored;  // (project, month) → report
    for (Progress& g : store::ProgressOfMany(tx, ids)) {
      auto key = std::pair{g.project_id, g.month};
      stored.emplace(std::move(key), std::move(g));
    }

    std::map<std::pair<std::string, std::string>, int> first_line;  // (code, month) → its first row
    std::vector<Progress> inserts, updates;
    std::vector<const Progress*> befores;  // parallel to updates
    for (const Parsed& r : parsed) {
      const int line = r.row->line;
      if (!r.code.empty() && !r.month.empty()) {
        auto [it, fresh] = first_line.emplace(std::pair{r.code, r.month}, line);
        if (!fresh)
          bad.Add(line, c_month, h::kMonth,
                  "与第" + std::to_string(it->second) + "行重复：同一项目（" + r.code + "）同一月份（" + r.month +
                      "）只能填一行");
      }
      if (r.code.empty()) continue;
      auto p = projects.find(r.code);
      if (p == projects.end() || !actor.InScope(unit_paths[p->second.unit_id])) {
        bad.Add(line, c_code, header::kCode, "项目不存在或不在您的管理范围内：" + r.code);
        continue;
      }
      if (bad.RowHas(line)) continue;  // nothing more to check or plan
      const Project& project = p->second;
      auto s = stored.find({project.id, r.month});
      const Progress* before = s == stored.end() ? nullptr : &s->second;
      Progress g;
      g.project_id = project.id;
      g.month = r.month;
      g.amount = r.amount;
      g.narrative = c_narrative >= 0 ? r.narrative : (before ? before->narrative : std::string());
      g.reported_by = actor.user_id;
      g.reported_at = now;
      // The report as stored: nothing to write, so nothing to check.
      if (before && before->amount == g.amount && before->narrative == g.narrative) {
        result.unchanged++;
        continue;
      }
      if (project.archived) {
        bad.Add(line, c_code, header::kCode, "项目已归档，不能再填报进度：" + r.code);
        continue;
      }
      if (before && r.version && r.version != before->version) {
        bad.Add(line, c_version, h::kVersion,
                "该月进度已被修改（现为第" + std::to_string(before->version) + "版，本行为第" +
                    std::to_string(r.version) + "版），请重新导出后再改");
        continue;
      }
      if (Status checked = CheckProgress(project, g, today); !checked.ok()) {
        for (const Detail& d : checked.details()) {
          if (d.field == "month") bad.Add(line, c_month, h::kMonth, d.reason);
          else if (d.field == "amount") bad.Add(line, c_amount, "本月完成投资", d.reason);
          else bad.Add(line, c_narrative, h::kNarrative, d.reason);
        }
        continue;
      }
      if (before) {
        g.id = before->id;
        g.version = before->version;
        befores.push_back(before);
        updates.push_back(std::move(g));
      } else {
        inserts.push_back(std::move(g));
      }
    }
    if (!bad.empty()) return bad.Refusal();
    result.inserted = static_cast<int>(inserts.size());
    result.updated = static_cast<int>(updates.size());
    if (dry_run || (inserts.empty() && updates.empty())) return Status::Ok();

    // 3. The writes, the derived figures of every project touched, one audit record per report.
    store::InsertProgressBulk(tx, inserts);
    for (const Progress& g : updates)
      if (!store::UpdateProgress(tx, g)) return StaleVersion();
    std::set<int64_t> touched;
    for (const auto* list : {&inserts, &updates})
      for (const Progress& g : *list) touched.insert(g.project_id);
    auto settings = LoadSettings(tx);
    if (!settings.ok()) return settings.status();
    for (int64_t id : touched) TIAODU_RETURN_IF_ERROR(Refresh(tx, id, today, *settings));
    std::vector<auth::AuditEntry> audit;
    audit.reserve(inserts.size() + updates.size() + 1);
    for (const Progress& g : inserts)
      audit.push_back(auth::MakeAudit(actor, now, "project.progress", "project", std::to_string(g.project_id), "",
                                      ProgressSnapshot(g)));
    for (size_t k = 0; k < updates.size(); ++k)
      audit.push_back(auth::MakeAudit(actor, now, "project.progress", "project", std::to_string(updates[k].project_id),
                                      ProgressSnapshot(*befores[k]), ProgressSnapshot(updates[k])));
    const std::string counts = JsonText().Add("rows", result.rows).Add("inserted", result.inserted)
                                   .Add("updated", result.updated).Add("unchanged", result.unchanged).Build();
    audit.push_back(auth::MakeAudit(actor, now, "project.progress_import", "project", "*", {}, counts));
    return store::AppendAuditBatch(tx, std::move(audit));
  };
  Status s = dry_run ? db_.Read(work) : db_.Write(work);
  if (!s.ok()) return s;
  return result;
}

}  // namespace tiaodu::projects
