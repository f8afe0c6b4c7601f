// The enterprise register in spreadsheets: one column layout shared by the import, its template
// and the export, so that an export imports back unchanged (docs/API.md "Benefits").
//
// One row per enterprise and year: 统一社会信用代码, 企业名称*, 所属单位编码*, 所属单位名称 (not
// imported), 行业代码, 规模, 资质, 成立日期, 年份, 营业收入(万元), 纳税额(万元), 研发投入(万元),
// 从业人员(人), 版本. The attributes repeat on each row of one enterprise and must agree.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "auth/audit.h"
#include "auth/rules.h"
#include "base/json_text.h"
#include "base/period.h"
#include "base/validators.h"
#include "benefits/service.h"
#include "investment/model.h"
#include "investment/rules.h"
#include "investment/service.h"

namespace tiaodu::benefits {
namespace {

namespace header {
constexpr const char* kUscc = "统一社会信用代码";
constexpr const char* kName = "企业名称";
constexpr const char* kUnit = "所属单位编码";
constexpr const char* kUnitName = "所属单位名称";
constexpr const char* kIndustry = "行业代码";
constexpr const char* kScale = "规模";
constexpr const char* kCerts = "资质";
constexpr const char* kFounded = "成立日期";
constexpr const char* kYear = "年份";
constexpr const char* kRevenue = "营业收入(万元)";
constexpr const char* kTax = "纳税额(万元)";
constexpr const char* kRd = "研发投入(万元)";
constexpr const char* kEmployees = "从业人员(人)";
constexpr const char* kVersion = "版本";
}  // namespace header

const Decimal kTenThousand = Decimal::FromInt(10000);
constexpr size_t kMaxImportRows = 50000;
constexpr size_t kMaxImportErrors = 200;

std::vector<io::SheetColumn> Columns() {
  using io::CellKind;
  using io::Col;
  io::SheetColumn scale =
      Col(header::kScale, CellKind::kText, 8, "规上、限上或小微（从下拉列表选择）；不详时留空");
  scale.choices = {"规上", "限上", "小微"};
  return {
      Col(header::kUscc, CellKind::kText, 22,
          "18位统一社会信用代码；按此匹配企业，没有时按企业名称匹配"),
      Col(header::kName, CellKind::kText, 30, "企业全称；名录中没有的企业将新建", true),
      Col(header::kUnit, CellKind::kText, 12,
          "企业注册地（属地）单位的编码，如 411302（宛城区）；须在您的管理范围内", true),
      Col(header::kUnitName, CellKind::kText, 14, "仅供核对，不导入"),
      Col(header::kIndustry, CellKind::kText, 8,
          "国民经济行业分类（GB/T 4754）门类字母加两位大类代码，如 C39；不详时留空"),
      scale,
      Col(header::kCerts, CellKind::kText, 24,
          "资质，多个用“、”分隔，如 专精特新、高新技术企业；没有时留空"),
      Col(header::kFounded, CellKind::kDate, 12, "成立日期，如 2015-03-20；不详时留空"),
      Col(header::kYear, CellKind::kText, 8,
          "数据年份，如 2024；一家企业每年一行，只登记企业信息时留空"),
      Col(header::kRevenue, CellKind::kNumber, 14,
          "当年营业收入，单位万元；未报送时留空（不会当作0）"),
      Col(header::kTax, CellKind::kNumber, 14, "当年纳税额（入库税收），单位万元；未报送时留空"),
      Col(header::kRd, CellKind::kNumber, 14, "当年研发投入，单位万元；未报送时留空"),
      Col(header::kEmployees, CellKind::kInteger, 10, "年末从业人员，整数；未报送时留空"),
      Col(header::kVersion, CellKind::kInteger, 6,
          "导出时为企业信息的版本；导入时如填写，系统中的企业信息须仍为此版本（期间被他人修改的将被"
          "拒绝）；新企业留空"),
  };
}

std::string Wan(const std::optional<Decimal>& yuan) {
  if (!yuan) return "";
  auto w = yuan->Div(kTenThousand);
  return w.ok() ? w->ToString() : "";
}

std::vector<std::vector<std::string>> Rows(const store::EnterpriseRow& r) {
  const Enterprise& e = r.enterprise;
  std::string certs;
  for (const auto& c : e.certifications) certs += (certs.empty() ? "" : "、") + c;
  std::vector<std::string> head = {
      r.uscc,      e.name,
      e.unit_code, r.unit_name,
      e.industry,  e.scale ? kScaleNames[static_cast<int>(*e.scale)] : "",
      certs,       e.founded ? FormatIsoDate(*e.founded) : ""};
  std::vector<std::vector<std::string>> out;
  auto row = [&](std::vector<std::string> tail) {
    std::vector<std::string> cells = head;
    for (auto& t : tail) cells.push_back(std::move(t));
    cells.push_back(std::to_string(r.version));
    out.push_back(std::move(cells));
  };
  for (const auto& [year, f] : e.years)
    row({std::to_string(year), Wan(f.revenue), Wan(f.tax_paid), Wan(f.rd_spending),
         f.employees ? f.employees->ToString() : ""});
  if (e.years.empty()) row({"", "", "", "", ""});
  return out;
}

std::optional<CivilDate> ParseDateCell(std::string t) {
  for (const char* midnight : {" 00:00:00", "T00:00:00"})
    if (t.size() > 10 && t.ends_with(midnight)) t.resize(t.size() - 9);
  for (char& c : t)
    if (c == '/' || c == '.') c = '-';
  auto d = ParseIsoDate(t);
  if (d.ok()) return *d;
  return std::nullopt;
}

bool HasControl(const std::string& s) {
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\t') || c == 0x7f) return true;
  return false;
}

std::vector<std::string> SplitCerts(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    size_t b = cur.find_first_not_of(' '), e = cur.find_last_not_of(' ');
    if (b != std::string::npos) out.push_back(cur.substr(b, e - b + 1));
    cur.clear();
  };
  for (size_t k = 0; k < s.size();) {
    bool sep = false;
    for (std::string_view d : {"、", "，", "；", ",", ";", "|"})
      if (std::string_view(s).substr(k).starts_with(d)) {
        flush();
        k += d.size();
        sep = true;
        break;
      }
    if (!sep) cur.push_back(s[k++]);
  }
  flush();
  return out;
}

std::string Snapshot(const store::EnterpriseRow& r) {
  std::string certs, figures;
  for (const auto& c : r.enterprise.certifications) certs += (certs.empty() ? "" : "|") + c;
  for (const auto& [y, f] : r.enterprise.years) {
    figures += (figures.empty() ? "" : ";") + std::to_string(y) + ":";
    for (const auto* v : {&f.revenue, &f.tax_paid, &f.rd_spending, &f.employees})
      figures += " " + (*v ? (*v)->ToString() : std::string("-"));
  }
  const Enterprise& e = r.enterprise;
  return JsonText()
      .Add("company_id", e.id)
      .Add("name", e.name)
      .Add("unit", e.unit_code)
      .Add("industry", e.industry)
      .Add("scale", e.scale ? kScaleCodes[static_cast<int>(*e.scale)] : "")
      .Add("certifications", certs)
      .Add("founded", e.founded ? FormatIsoDate(*e.founded) : "")
      .Add("figures", figures)
      .Build();
}

bool SameYear(const YearFigures& a, const YearFigures& b) {
  return a.revenue == b.revenue && a.tax_paid == b.tax_paid && a.rd_spending == b.rd_spending &&
         a.employees == b.employees;
}

}  // namespace

const std::vector<std::string>& BenefitService::EnterpriseInstructions() {
  static const std::vector<std::string> kText = {
      "1. 一家企业每个数据年份一行；带 * "
      "的列必填。同一企业的多行，企业信息（单位、行业、规模、资质、成立日期）须一致。",
      "2. 按“统一社会信用代码”匹配名录中的企业，没有代码时按企业名称匹配；名录中没有的企业将新建。",
      "3. 规模填 规上、限上 或 小微；资质多个用“、”分隔，可填：" +
          [] {
            std::string s;
            for (const char* c : kKnownCertifications)
              s += (s.empty() ? "" : "、") + std::string(c);
            return s;
          }() +
          "。",
      "4. "
      "金额单位为万元，只填数字；未报送的数据留空，系统不会把空白当作0（政策匹配时列为“数据缺失”）"
      "。",
      "5. 表中的年份按本行整体替换；表中没有的年份保持不变。所属单位须在您的管理范围内。",
      "6. "
      "“版本”列由导出生成：如填写，系统中的企业信息须仍为此版本，期间被他人修改的将被拒绝，请重新导"
      "出后再改。",
      "7. 导入是“全部或全不”：任何一行有错，整批不写入，并标出每一个出错的单元格。"};
  return kText;
}

Result<io::Sheet> BenefitService::EnterpriseTemplate(const auth::Actor& actor) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "benefit.manage"));
  io::Sheet sheet;
  sheet.name = "企业名录";
  sheet.title = "免申即享企业名录导入模板";
  sheet.columns = Columns();
  sheet.rows.push_back({"91411300MA0000000X", "南阳示例机械制造有限公司", "411302", "宛城区", "C34",
                        "规上", "专精特新、高新技术企业", "2015-03-20", "2024", "26800.5", "1320",
                        "1150", "286", ""});
  return sheet;
}

Result<io::Sheet> BenefitService::ExportEnterprises(const auth::Actor& actor,
                                                    store::EnterpriseQuery q,
                                                    const std::string& unit_code) {
  io::Sheet sheet;
  sheet.name = "企业名录";
  sheet.columns = Columns();
  for (int page = 1;; ++page) {
    q.page = page;
    q.page_size = 500;
    auto list = ListEnterprises(actor, q, unit_code);
    if (!list.ok()) return list.status();
    for (const auto& r : list->items)
      for (auto& row : Rows(r)) sheet.rows.push_back(std::move(row));
    if (list->items.empty() || static_cast<int64_t>(page) * q.page_size >= list->total ||
        sheet.rows.size() >= 200000)
      break;
  }
  return sheet;
}

Result<ImportResult> BenefitService::ImportEnterprises(const auth::Actor& actor,
                                                       const io::Table& table, bool dry_run) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "benefit.manage"));
  struct Cols {
    int uscc, name, unit, industry, scale, certs, founded, year, revenue, tax, rd, employees,
        version;
  } c{table.Column({header::kUscc, "uscc"}),
      table.Column({header::kName, "name"}),
      table.Column({header::kUnit, "单位编码", "unit"}),
      table.Column({header::kIndustry, "行业", "industry"}),
      table.Column({header::kScale, "scale"}),
      table.Column({header::kCerts, "certifications"}),
      table.Column({header::kFounded, "founded"}),
      table.Column({header::kYear, "year"}),
      table.Column({header::kRevenue, "营业收入（万元）", "revenue"}),
      table.Column({header::kTax, "纳税额（万元）", "tax_paid"}),
      table.Column({header::kRd, "研发投入（万元）", "rd_spending"}),
      table.Column({header::kEmployees, "从业人员", "employees"}),
      table.Column({header::kVersion, "version"})};
  std::vector<Detail> bad;
  for (auto [col, name] : {std::pair{c.name, header::kName}, std::pair{c.unit, header::kUnit}})
    if (col < 0) bad.push_back({"第1行（表头）", std::string("缺少“") + name + "”列"});
  if (!bad.empty()) return InvalidArgument("导入失败：表头不完整，未写入任何数据", bad);
  if (table.rows.empty()) return InvalidArgument("导入失败：文件中没有数据行");
  if (table.rows.size() > kMaxImportRows)
    return InvalidArgument("导入失败：一次最多导入 " + std::to_string(kMaxImportRows) + " 行");

  struct CellError {
    int line, col;
    Detail detail;
  };
  std::vector<CellError> errors;
  size_t error_count = 0;
  std::set<std::pair<int, int>> named;
  auto fail = [&](const io::Row& row, int col, const std::string& name, std::string reason) {
    if (!named.insert({row.line, col}).second) return;
    ++error_count;
    if (errors.size() < kMaxImportErrors)
      errors.push_back(
          {row.line,
           col,
           {"第" + std::to_string(row.line) + "行 " + io::ColumnLetter(col) + "列（" + name + "）",
            std::move(reason)}});
  };
  auto text = [](const io::Row& row, int col) {
    return col < 0 ? std::string() : io::Table::Cell(row, col);
  };

  // 1. Every cell as typed; rows grouped by enterprise (统一社会信用代码, else normalized name).
  struct Parsed {
    const io::Row* row;
    std::string uscc, name, unit, industry, scale_text, certs_text, founded_text;
    std::optional<Scale> scale;
    std::set<std::string> certs;
    std::optional<CivilDate> founded;
    int year = 0;
    YearFigures figures;
    std::optional<int> version;
  };
  std::vector<Parsed> parsed;
  std::map<std::string, std::vector<size_t>> groups;  // key → rows
  std::vector<std::string> order;
  for (const io::Row& row : table.rows) {
    Parsed p;
    p.row = &row;
    p.uscc = text(row, c.uscc);
    p.name = text(row, c.name);
    p.unit = text(row, c.unit);
    p.industry = text(row, c.industry);
    p.scale_text = text(row, c.scale);
    p.certs_text = text(row, c.certs);
    p.founded_text = text(row, c.founded);
    if (p.name.empty())
      fail(row, c.name, header::kName, "必填");
    else if (p.name.size() > 200 || HasControl(p.name))
      fail(row, c.name, header::kName, "过长或含有控制字符");
    if (!p.uscc.empty()) {
      if (Status s = ValidateUscc(p.uscc); !s.ok()) fail(row, c.uscc, header::kUscc, s.message());
    }
    if (p.unit.empty()) fail(row, c.unit, header::kUnit, "必填");
    if (!p.industry.empty() &&
        !(p.industry.size() == 3 && p.industry[0] >= 'A' && p.industry[0] <= 'T' &&
          isdigit(p.industry[1]) && isdigit(p.industry[2])))
      fail(row, c.industry, header::kIndustry,
           "应为门类字母加两位大类代码，如 C39，现为“" + p.industry + "”");
    if (!p.scale_text.empty()) {
      for (int k = 0; k < kScaleCount; ++k)
        if (p.scale_text == kScaleNames[k] || p.scale_text == kScaleCodes[k])
          p.scale = static_cast<Scale>(k);
      if (!p.scale)
        fail(row, c.scale, header::kScale, "应为 规上、限上 或 小微，现为“" + p.scale_text + "”");
    }
    for (const auto& name : SplitCerts(p.certs_text)) {
      bool known = false;
      for (const char* k : kKnownCertifications) known |= name == k;
      if (!known) {
        std::string list;
        for (const char* k : kKnownCertifications)
          list += (list.empty() ? "" : "、") + std::string(k);
        fail(row, c.certs, header::kCerts, "未知的资质“" + name + "”，可填：" + list);
      }
      p.certs.insert(name);
    }
    if (!p.founded_text.empty()) {
      p.founded = ParseDateCell(p.founded_text);
      if (!p.founded)
        fail(row, c.founded, header::kFounded,
             "应为有效日期，如 2015-03-20，现为“" + p.founded_text + "”");
    }
    const std::string year = text(row, c.year);
    if (!year.empty()) {
      if (year.size() == 4 && std::all_of(year.begin(), year.end(), ::isdigit) &&
          std::stoi(year) >= 1990 && std::stoi(year) <= 2100)
        p.year = std::stoi(year);
      else
        fail(row, c.year, header::kYear, "应为 1990 至 2100 之间的四位年份，现为“" + year + "”");
    }
    for (auto [col, out, name, wan] :
         {std::tuple{c.revenue, &p.figures.revenue, header::kRevenue, true},
          std::tuple{c.tax, &p.figures.tax_paid, header::kTax, true},
          std::tuple{c.rd, &p.figures.rd_spending, header::kRd, true},
          std::tuple{c.employees, &p.figures.employees, header::kEmployees, false}}) {
      const std::string t = text(row, col);
      if (t.empty()) continue;
      if (year.empty()) {
        fail(row, col, name, "填写了数据但没有填“年份”");
        continue;
      }
      auto d = Decimal::Parse(t);
      if (!d.ok()) {
        fail(row, col, name,
             std::string("不是有效的数值（") + (wan ? "单位万元，" : "") + "只填数字）：" + t);
        continue;
      }
      if (d->IsNegative()) {
        fail(row, col, name, "不能为负数");
        continue;
      }
      if (!wan) {
        if (d->raw() % Decimal::kOne != 0) fail(row, col, name, "应为整数：" + t);
        *out = *d;
        continue;
      }
      auto yuan = d->Mul(kTenThousand);
      if (!yuan.ok() || yuan->raw() % (Decimal::kOne / 100) != 0) {
        fail(row, col, name, "数值过大或小数位过多（最多精确到 0.000001 万元，即 1 分）：" + t);
        continue;
      }
      *out = *yuan;
    }
    const std::string v = text(row, c.version);
    if (!v.empty()) {
      if (v.size() <= 9 && std::all_of(v.begin(), v.end(), ::isdigit))
        p.version = std::stoi(v);
      else
        fail(row, c.version, header::kVersion, "应为整数，现为“" + v + "”");
    }
    const std::string key =
        !p.uscc.empty() ? "u:" + p.uscc : "n:" + investment::NormalizeCompanyName(p.name);
    if (!groups.count(key)) order.push_back(key);
    groups[key].push_back(parsed.size());
    parsed.push_back(std::move(p));
  }
  // The rows of one enterprise agree on its attributes and name each year once.
  for (const auto& key : order) {
    const auto& idx = groups[key];
    const Parsed& first = parsed[idx.front()];
    std::map<int, int> years;  // year → line
    for (size_t k : idx) {
      const Parsed& p = parsed[k];
      const std::string other = "与第" + std::to_string(first.row->line) + "行同一企业的";
      if (k != idx.front()) {
        for (auto [col, a, b, name] :
             {std::tuple{c.unit, &p.unit, &first.unit, header::kUnit},
              std::tuple{c.industry, &p.industry, &first.industry, header::kIndustry},
              std::tuple{c.scale, &p.scale_text, &first.scale_text, header::kScale},
              std::tuple{c.founded, &p.founded_text, &first.founded_text, header::kFounded}})
          if (*a != *b)
            fail(*p.row, col, name, other + name + "不一致：“" + *b + "”与“" + *a + "”");
        if (p.certs != first.certs) fail(*p.row, c.certs, header::kCerts, other + "资质不一致");
      }
      if (p.year) {
        auto [it, fresh] = years.emplace(p.year, p.row->line);
        if (!fresh)
          fail(*p.row, c.year, header::kYear,
               "与第" + std::to_string(it->second) + "行重复：同一企业同一年份只填一行");
      }
    }
  }

  // 2. References, versions and what changes — in one transaction with the writes.
  const int64_t now = clock_.NowMillis();
  ImportResult result;
  result.rows = static_cast<int>(table.rows.size());
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    std::unordered_map<std::string, store::UnitRef> units;
    for (auto& u : store::AllUnits(tx)) units.emplace(u.code, u);
    struct Plan {
      int64_t company_id = 0;  // 0 = a new company
      std::string name, uscc;
      std::optional<store::EnterpriseRow> before;
      store::EnterpriseRow after;
      std::vector<int> changed_years;
      bool attributes_changed = false;
    };
    std::vector<Plan> plans;
    std::set<int64_t> seen_company;
    for (const auto& key : order) {
      const auto& idx = groups[key];
      const Parsed& first = parsed[idx.front()];
      const io::Row& row = *first.row;
      Plan plan;
      plan.name = first.name;
      plan.uscc = first.uscc;
      std::vector<store::CompanyRef> found;
      if (!first.uscc.empty()) found = store::CompaniesByUscc(tx, first.uscc);
      if (found.empty()) {
        for (auto& x :
             store::CompaniesByNormalizedName(tx, investment::NormalizeCompanyName(first.name)))
          if (first.uscc.empty() || x.uscc.empty() || x.uscc == first.uscc) found.push_back(x);
      }
      if (found.size() > 1 && first.uscc.empty()) {
        fail(row, c.name, header::kName, "名录中有多家同名企业，请填写统一社会信用代码");
        continue;
      }
      if (!found.empty()) {
        plan.company_id = found.front().id;
        plan.name = found.front().name;
        plan.uscc = found.front().uscc.empty() ? first.uscc : found.front().uscc;
        if (!seen_company.insert(plan.company_id).second) {
          fail(row, c.name, header::kName,
               "与前面的行是同一企业（名录中的同一记录），请合并为同一代码或名称");
          continue;
        }
        plan.before = store::FindEnterprise(tx, plan.company_id);
      }
      if (plan.before && !actor.InScope(plan.before->unit_path)) {
        fail(row, c.name, header::kName, "该企业的所属单位不在您的管理范围内，不能修改");
        continue;
      }
      auto u = units.find(first.unit);
      if (!first.unit.empty() && (u == units.end() || !actor.InScope(u->second.path))) {
        fail(row, c.unit, header::kUnit, "单位不存在或不在您的管理范围内：" + first.unit);
        continue;
      }
      for (size_t k : idx) {
        const Parsed& p = parsed[k];
        if (p.version && (!plan.before || plan.before->version != *p.version))
          fail(*p.row, c.version, header::kVersion,
               plan.before ? "该企业信息已被他人修改（现为第 " +
                                 std::to_string(plan.before->version) + " 版），请重新导出后再改"
                           : "新企业的版本应留空");
      }
      if (error_count || first.unit.empty()) continue;
      store::EnterpriseRow after = plan.before ? *plan.before : store::EnterpriseRow{};
      Enterprise& e = after.enterprise;
      e.id = plan.company_id;
      e.name = plan.name;
      after.uscc = plan.uscc;
      e.industry = first.industry;
      e.scale = first.scale;
      e.certifications = first.certs;
      e.founded = first.founded;
      e.unit_code = u->second.code;
      after.unit_id = u->second.id;
      after.unit_name = u->second.name;
      after.unit_path = u->second.path;
      const store::EnterpriseRow& b = plan.before ? *plan.before : after;
      plan.attributes_changed =
          !plan.before || b.unit_id != after.unit_id || b.enterprise.industry != e.industry ||
          b.enterprise.scale != e.scale || b.enterprise.certifications != e.certifications ||
          b.enterprise.founded.has_value() != e.founded.has_value() ||
          (e.founded && CompareDates(*b.enterprise.founded, *e.founded) != 0);
      for (size_t k : idx) {
        const Parsed& p = parsed[k];
        bool row_changed = plan.attributes_changed;
        if (p.year) {
          auto old = e.years.find(p.year);
          const bool year_changed = old == e.years.end()
                                        ? (p.figures.revenue || p.figures.tax_paid ||
                                           p.figures.rd_spending || p.figures.employees)
                                        : !SameYear(old->second, p.figures);
          if (year_changed) {
            plan.changed_years.push_back(p.year);
            row_changed = true;
          }
          if (old == e.years.end() && !plan.before) row_changed = true;
          e.years[p.year] = p.figures;
        }
        if (!plan.before)
          ++result.inserted;
        else if (row_changed)
          ++result.updated;
        else
          ++result.unchanged;
      }
      plan.after = std::move(after);
      plans.push_back(std::move(plan));
    }
    if (error_count) {
      std::stable_sort(errors.begin(), errors.end(), [](const CellError& a, const CellError& b) {
        return a.line != b.line ? a.line < b.line : a.col < b.col;
      });
      for (CellError& e : errors) bad.push_back(std::move(e.detail));
      if (error_count > errors.size())
        bad.push_back(
            {"其余", "另有 " + std::to_string(error_count - errors.size()) + " 处错误未列出"});
      return InvalidArgument(
          "导入失败：共 " + std::to_string(error_count) + " 处错误，未写入任何数据", bad);
    }
    if (dry_run) return Status::Ok();
    int changed = 0;
    for (Plan& plan : plans) {
      if (plan.before && !plan.attributes_changed && plan.changed_years.empty()) continue;
      if (!plan.company_id) {
        investment::Company company;  // created where the investment module creates them
        company.name = plan.name;
        company.uscc = plan.uscc;
        auto id = investment::RegisterCompany(tx, company, now);
        if (!id.ok()) return id.status();
        plan.company_id = *id;
        plan.after.enterprise.id = plan.company_id;
      }
      if (!plan.before)
        store::InsertAttributes(tx, plan.after, now);
      else if (plan.attributes_changed && !store::UpdateAttributes(tx, plan.after, now))
        return StaleVersion();
      for (int y : plan.changed_years)
        store::PutFigures(tx, plan.company_id, y, plan.after.enterprise.years[y]);
      TIAODU_RETURN_IF_ERROR(auth::AppendAudit(
          tx,
          auth::MakeAudit(actor, now,
                          plan.before ? "benefit.enterprise.update" : "benefit.enterprise.create",
                          "enterprise", std::to_string(plan.company_id),
                          plan.before ? Snapshot(*plan.before) : "", Snapshot(plan.after))));
      ++changed;
    }
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(
        tx, auth::MakeAudit(actor, now, "benefit.enterprise.import", "enterprise", "", {},
                            JsonText()
                                .Add("rows", result.rows)
                                .Add("inserted", result.inserted)
                                .Add("updated", result.updated)
                                .Add("unchanged", result.unchanged)
                                .Add("enterprises_changed", changed)
                                .Build())));
    return Status::Ok();
  }));
  return result;
}

}  // namespace tiaodu::benefits
