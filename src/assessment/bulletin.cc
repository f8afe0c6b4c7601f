#include "assessment/bulletin.h"

#include <numeric>

#include "assessment/rules.h"
#include "base/period.h"
#include "io/docx_writer.h"
#include "io/xlsx_writer.h"

namespace tiaodu::assessment {
namespace {

// ---------------------------------------------------------------- text

std::string Num(const Decimal& d, int places) { return d.Format(places); }
std::string OptNum(const std::optional<Decimal>& d, int places) { return d ? d->Format(places) : ""; }
// The exact value (a workbook shows it with its column's format): "7.652663".
std::string Exact(const std::optional<Decimal>& d) { return d ? d->ToString() : ""; }
std::string Pct(const std::optional<Decimal>& d) { return d ? d->Format(1) + "%" : "—"; }

// "增长8.3%" / "下降2.1%" / "与上年持平".
std::string GrowthText(const std::optional<Decimal>& g) {
  if (!g) return "";
  const std::string text = g->Abs().Format(1);
  if (text == "0.0") return "与上年持平";
  return (g->IsNegative() ? "下降" : "增长") + text + "%";
}

std::string RankText(int rank) { return rank > 0 ? std::to_string(rank) : "—"; }

// "↑2", "↓1", "持平", "新上榜" against last month's rank.
std::string MovementText(const LeagueRow& r) {
  if (r.rank == 0) return "未排名";
  if (r.previous_rank == 0) return "—";
  if (r.rank < r.previous_rank) return "↑" + std::to_string(r.previous_rank - r.rank);
  if (r.rank > r.previous_rank) return "↓" + std::to_string(r.rank - r.previous_rank);
  return "持平";
}

// "全市" for 南阳市, "全省" for a province, "全县" for a county: 全 + the last character.
std::string Whole(const std::string& unit_name) {
  size_t last = unit_name.size();
  while (last > 0 && (static_cast<unsigned char>(unit_name[last - 1]) & 0xC0) == 0x80) --last;
  if (last > 0) --last;
  return "全" + (unit_name.empty() ? std::string("市") : unit_name.substr(last));
}

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

// ---------------------------------------------------------------- the document's blocks

// What the docx and the HTML page both say, in order: headings, paragraphs and tables.
struct TextTable {
  std::vector<std::string> headers;
  std::vector<int> weights;  // relative column widths
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric;  // right-aligned columns
};
struct TextBlock {
  enum Kind { kHeading1, kHeading2, kParagraph, kTable } kind = kParagraph;
  std::string text;
  TextTable table;
};

TextBlock H1(std::string t) { return {TextBlock::kHeading1, std::move(t), {}}; }
TextBlock H2(std::string t) { return {TextBlock::kHeading2, std::move(t), {}}; }
TextBlock P(std::string t) { return {TextBlock::kParagraph, std::move(t), {}}; }
TextBlock T(TextTable t) { return {TextBlock::kTable, "", std::move(t)}; }

const char* kChineseNumbers[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};

std::vector<TextBlock> BodyBlocks(const BulletinData& d) {
  std::vector<TextBlock> b;
  const std::string whole = Whole(d.unit.name);
  int section = 0;
  auto h1 = [&](const std::string& t) { b.push_back(H1(std::string(kChineseNumbers[section++]) + "、" + t)); };

  b.push_back(P("现将" + d.span + whole + "经济运行、重点项目建设、招商引资、督查督办和考评排名情况通报如下。"));

  // (一) Indicators.
  h1("主要经济指标");
  if (d.indicators.empty()) b.push_back(P("本月暂无审核通过的主要经济指标数据。"));
  int sub = 0;
  for (const BulletinIndicator& ind : d.indicators) {
    b.push_back(H2("（" + std::string(kChineseNumbers[sub++ % 10]) + "）" + ind.name));
    std::string text = d.span + "，" + whole + ind.name;
    if (ind.value) text += Num(*ind.value, ind.decimals) + ind.measure_unit;
    if (ind.yoy) text += (ind.value ? "，同比" : "同比") + GrowthText(ind.yoy);
    text += "。";
    if (!ind.rows.empty() && ind.rows.front().rank_growth > 0) {
      std::vector<std::string> top;
      for (const auto& r : ind.rows)
        if (r.rank_growth > 0 && r.rank_growth <= 3) top.push_back(r.unit.name);
      if (!top.empty()) text += "增速居前的是" + Join(top, "、") + "。";
    }
    b.push_back(P(text));
    TextTable t;
    t.headers = {"单位", "累计值（" + ind.measure_unit + "）", "同比增长（%）", "总量位次", "增速位次"};
    t.weights = {30, 20, 18, 14, 14};
    t.numeric = {false, true, true, true, true};
    for (const auto& r : ind.rows)
      t.rows.push_back({r.unit.name, Num(r.value, ind.decimals), OptNum(r.yoy, 1), RankText(r.rank_value),
                        RankText(r.rank_growth)});
    if (!t.rows.empty()) b.push_back(T(std::move(t)));
  }

  // (二) Key projects.
  h1("重点项目建设");
  const BulletinProjects& pr = d.projects;
  const std::string year = d.period.substr(0, 4);
  b.push_back(P(whole + "纳入" + year + "年度计划的重点项目" + std::to_string(pr.count) + "个，年度计划投资" +
                Num(pr.plan, 2) + "亿元；" + d.span + "完成投资" + Num(pr.done, 2) + "亿元，占年度计划的" +
                Pct(pr.completion) + "，时间进度" + Num(pr.elapsed, 1) + "%。其中正常推进" + std::to_string(pr.normal) +
                "个，滞后" + std::to_string(pr.lagging) + "个，严重滞后" + std::to_string(pr.serious) + "个。"));
  {
    TextTable t;
    t.headers = {"单位", "项目数", "年度计划（亿元）", "完成投资（亿元）", "完成率（%）", "滞后", "严重滞后"};
    t.weights = {26, 10, 16, 16, 13, 9, 10};
    t.numeric = {false, true, true, true, true, true, true};
    for (const auto& u : pr.units)
      t.rows.push_back({u.unit.name, std::to_string(u.count), Num(u.plan, 2), Num(u.done, 2), OptNum(u.completion, 1),
                        std::to_string(u.lagging), std::to_string(u.serious)});
    if (!t.rows.empty()) b.push_back(T(std::move(t)));
  }
  b.push_back(H2("（一）滞后项目"));
  if (pr.lagging_list.empty()) {
    b.push_back(P("本月无滞后项目。"));
  } else {
    b.push_back(P("截至" + d.period_name + "底，以下" +
                  std::to_string(pr.lagging_list.size()) + "个项目进度滞后，请责任单位倒排工期、加快推进："));
    TextTable t;
    t.headers = {"序号", "项目名称", "责任单位", "状态", "完成率（%）", "滞后原因"};
    t.weights = {7, 30, 16, 11, 12, 30};
    t.numeric = {true, false, false, false, true, false};
    int n = 0;
    for (const auto& p : pr.lagging_list)
      t.rows.push_back({std::to_string(++n), p.name, p.unit_name, p.status, OptNum(p.completion, 1), p.reason});
    b.push_back(T(std::move(t)));
  }

  // (三) Investment.
  h1("招商引资");
  const BulletinInvestment& inv = d.investment;
  b.push_back(P(d.span + "，" + whole + "签约招商引资项目合同引资额" + Num(inv.signed_amount, 2) + "亿元，完成年度目标" +
                Num(inv.target, 2) + "亿元的" + Pct(inv.completion) + "，时间进度" + Num(pr.elapsed, 1) + "%。"));
  {
    TextTable t;
    t.headers = {"单位", "年度目标（亿元）", "合同引资额（亿元）", "完成率（%）"};
    t.weights = {34, 22, 24, 20};
    t.numeric = {false, true, true, true};
    for (const auto& r : inv.rows)
      t.rows.push_back({r.unit.name, OptNum(r.target, 2), Num(r.signed_amount, 2), OptNum(r.completion, 1)});
    if (!t.rows.empty()) b.push_back(T(std::move(t)));
  }

  // (四) Supervision.
  h1("督查督办");
  const BulletinTasks& tk = d.tasks;
  b.push_back(P("截至" + d.period_name + "底，" + whole + "在办督办事项中亮红灯" + std::to_string(tk.red) + "件、亮黄灯" +
                std::to_string(tk.yellow) + "件" +
                (tk.red + tk.yellow > 0 ? "，请责任单位按照“13710”工作制度限时办结。" : "。")));
  {
    TextTable t;
    t.headers = {"单位", "红灯（件）", "黄灯（件）"};
    t.weights = {50, 25, 25};
    t.numeric = {false, true, true};
    for (const auto& u : tk.units)
      if (u.red + u.yellow > 0) t.rows.push_back({u.unit.name, std::to_string(u.red), std::to_string(u.yellow)});
    if (!t.rows.empty()) b.push_back(T(std::move(t)));
  }
  if (!tk.red_list.empty()) {
    b.push_back(H2("（一）亮红灯事项"));
    TextTable t;
    t.headers = {"序号", "事项编号", "事项", "责任单位", "办结时限", "原因"};
    t.weights = {7, 17, 30, 16, 13, 17};
    t.numeric = {true, false, false, false, false, false};
    int n = 0;
    for (const auto& x : tk.red_list)
      t.rows.push_back({std::to_string(++n), x.code, x.title, x.owner_name, x.due, x.light_reason});
    b.push_back(T(std::move(t)));
  }

  // (五) League table.
  h1("考评排名");
  const League& lg = d.league;
  std::vector<std::string> red, black;
  for (const LeagueRow& r : lg.rows) {
    if (r.flag == Flag::kRed) red.push_back(r.unit_name);
    if (r.flag == Flag::kBlack) black.push_back(r.unit_name);
  }
  b.push_back(P("按照《" + d.scheme_name + "》，" + d.period_name + "考评结果" + (lg.published ? "已发布" : "（未发布，按当前数据计算）") +
                "。获得红旗的单位：" + (red.empty() ? "无" : Join(red, "、")) + "；获得黑旗的单位：" +
                (black.empty() ? "无" : Join(black, "、")) + "。"));
  {
    TextTable t;
    t.headers = {"名次", "单位", "总分", "红黑旗", "上月名次", "变化"};
    t.weights = {11, 33, 15, 14, 14, 13};
    t.numeric = {true, false, true, false, true, false};
    for (const LeagueRow& r : lg.rows)
      t.rows.push_back({RankText(r.rank), r.unit_name, Num(r.total, 2), std::string(FlagName(r.flag)),
                        RankText(r.previous_rank), MovementText(r)});
    if (!t.rows.empty()) b.push_back(T(std::move(t)));
  }
  return b;
}

// ---------------------------------------------------------------- docx

namespace dx = io::docx;

using dx::kFangSong, dx::kHeiTi, dx::kKaiTi, dx::kSize2, dx::kSize3, dx::kSizeSmall4, dx::kXiaoBiaoSong;
using dx::OfficialFont;

dx::Paragraph Blank() { return dx::Para("", OfficialFont(kFangSong, kSize3)); }

dx::Table DocxTable(const TextTable& t, int text_width) {
  dx::Table out;
  const int total = std::accumulate(t.weights.begin(), t.weights.end(), 0);
  int used = 0;
  for (size_t i = 0; i < t.weights.size(); ++i) {
    const int w = i + 1 == t.weights.size() ? text_width - used : text_width * t.weights[i] / total;
    out.widths.push_back(w);
    used += w;
  }
  auto cell = [](const std::string& text, const dx::Font& f, dx::Align a, const std::string& shade) {
    dx::Paragraph p = dx::Para(text, f, a);
    p.line_twips = 340;
    return dx::Cell{{p}, shade};
  };
  std::vector<dx::Cell> head;
  for (const std::string& h : t.headers) head.push_back(cell(h, OfficialFont(kHeiTi, kSizeSmall4), dx::Align::kCenter, "D9D9D9"));
  out.rows.push_back(std::move(head));
  for (const auto& row : t.rows) {
    std::vector<dx::Cell> cells;
    for (size_t c = 0; c < row.size(); ++c)
      cells.push_back(cell(row[c], OfficialFont(kFangSong, kSizeSmall4),
                           c < t.numeric.size() && t.numeric[c] ? dx::Align::kRight : dx::Align::kLeft, ""));
    out.rows.push_back(std::move(cells));
  }
  return out;
}

// ---------------------------------------------------------------- html

std::string Html(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

constexpr const char* kHtmlStyle = R"(
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
html { background: #f2f2f2; }
body { margin: 0; color: #000; font-family: "仿宋_GB2312", "FangSong", "Noto Serif CJK SC", "Source Han Serif SC", serif;
  font-size: 16pt; line-height: 28.95pt; }
.page { width: 156mm; margin: 12mm auto; padding: 37mm 26mm 35mm 28mm; background: #fff; box-shadow: 0 0 4mm #bbb; }
.masthead { color: #d00; text-align: center; font-family: "方正小标宋简体", "Noto Serif CJK SC", serif; font-weight: 700;
  font-size: 26pt; line-height: 45pt; margin: 0; }
.docnum { text-align: center; margin: 14pt 0 0; padding-bottom: 4pt; border-bottom: 1.5pt solid #d00; }
h1 { font-family: "方正小标宋简体", "Noto Serif CJK SC", serif; font-size: 22pt; line-height: 35pt; font-weight: 700;
  text-align: center; margin: 28.95pt 0; }
h2 { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; font-size: 16pt; font-weight: 400; margin: 0;
  text-indent: 2em; }
h3 { font-family: "楷体_GB2312", "KaiTi", "Noto Serif CJK SC", serif; font-size: 16pt; font-weight: 400; margin: 0;
  text-indent: 2em; }
p { margin: 0; text-indent: 2em; text-align: justify; }
p.to { text-indent: 0; }
table { width: 100%; border-collapse: collapse; margin: 4pt 0 8pt; font-size: 12pt; line-height: 17pt; }
th { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; font-weight: 400; background: #d9d9d9; }
th, td { border: 0.75pt solid #000; padding: 1pt 3pt; }
td.n { text-align: right; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
.sign { text-align: right; text-indent: 0; margin-right: 4em; }
.sign.first { margin-top: 57.9pt; }
@media print { html { background: #fff; } .page { margin: 0; padding: 0; box-shadow: none; width: auto; } }
)";

// The issue date (the 10th of the following month) at 00:00 Beijing time, in Unix seconds.
int64_t IssueDateSeconds(const std::string& period) {
  auto p = Period::Parse(period);
  if (!p.ok()) return 0;
  const int y = p->index() == 12 ? p->year() + 1 : p->year(), m = p->index() == 12 ? 1 : p->index() + 1;
  return DaysFromCivil(CivilDate{y, m, 10}) * 86400 - 8 * 3600;
}

}  // namespace

void FillBulletinHeading(BulletinData& d, const std::string& unit_name, const std::string& period) {
  d.period = period;
  auto p = Period::Parse(period);
  const int year = p.ok() ? p->year() : 0;
  const int month = p.ok() ? p->index() : 0;
  d.period_name = p.ok() ? p->FormatZh() : period;
  d.span = month <= 1 ? "1月" : "1—" + std::to_string(month) + "月";
  d.title = unit_name + d.period_name + "经济运行情况通报";
  d.office = unit_name + "经济运行调度办公室";
  size_t first = unit_name.empty() ? 0 : 1;
  while (first < unit_name.size() && (static_cast<unsigned char>(unit_name[first]) & 0xC0) == 0x80) ++first;
  d.doc_number = unit_name.substr(0, first) + "调通〔" + std::to_string(year) + "〕" + std::to_string(month) + "号";
  const int y = month == 12 ? year + 1 : year, m = month == 12 ? 1 : month + 1;
  d.issue_date = std::to_string(y) + "年" + std::to_string(m) + "月10日";
}

std::string BulletinFileName(const BulletinData& d, const std::string& extension) { return d.title + "." + extension; }

Result<std::string> BulletinDocx(const BulletinData& d) {
  dx::Document doc = dx::OfficialDocument(d.title);
  const int text_width = dx::OfficialTextWidth();

  // 版头: the issuing office in red 小标宋, the document number, the red separator line.
  dx::Paragraph mast = dx::Para(d.office, OfficialFont(kXiaoBiaoSong, 52, false, "FF0000"), dx::Align::kCenter);
  mast.line_twips = 900;
  doc.body.push_back(mast);
  doc.body.push_back(Blank());
  dx::Paragraph num = dx::Para(d.doc_number, OfficialFont(kFangSong, kSize3), dx::Align::kCenter);
  num.rule_color = "FF0000";
  num.rule_eighths = 12;
  doc.body.push_back(num);
  doc.body.push_back(Blank());
  // 主体: the title in 2号 小标宋, then the addressees and the body.
  dx::Paragraph title = dx::Para(d.title, OfficialFont(kXiaoBiaoSong, kSize2), dx::Align::kCenter);
  title.line_twips = 700;
  doc.body.push_back(title);
  doc.body.push_back(Blank());
  doc.body.push_back(dx::Para("各有关单位：", OfficialFont(kFangSong, kSize3), dx::Align::kLeft));
  for (const TextBlock& b : BodyBlocks(d)) {
    switch (b.kind) {
      case TextBlock::kHeading1: {
        dx::Paragraph p = dx::Para(b.text, OfficialFont(kHeiTi, kSize3), dx::Align::kLeft, 200);
        p.keep_next = true;
        doc.body.push_back(p);
        break;
      }
      case TextBlock::kHeading2: {
        dx::Paragraph p = dx::Para(b.text, OfficialFont(kKaiTi, kSize3), dx::Align::kLeft, 200);
        p.keep_next = true;
        doc.body.push_back(p);
        break;
      }
      case TextBlock::kParagraph:
        doc.body.push_back(dx::Para(b.text, OfficialFont(kFangSong, kSize3), dx::Align::kBoth, 200));
        break;
      case TextBlock::kTable:
        doc.body.push_back(DocxTable(b.table, text_width));
        break;
    }
  }
  // 落款 and 成文日期, right-aligned, four characters from the right edge.
  doc.body.push_back(Blank());
  doc.body.push_back(Blank());
  for (const std::string& line : {d.office, d.issue_date}) {
    dx::Paragraph p = dx::Para(line + "　　　　", OfficialFont(kFangSong, kSize3), dx::Align::kRight);
    doc.body.push_back(p);
  }
  return dx::WriteDocx(doc);
}

Result<std::string> BulletinXlsx(const BulletinData& d) {
  using io::CellKind;
  using io::Col;
  std::vector<io::Sheet> sheets;
  const std::string suffix = "（" + d.period_name + "）";

  io::Sheet main{"主要指标", d.title + "·主要指标", {}, {}, {}, true};
  main.columns = {Col("指标编码", CellKind::kText, 22), Col("指标", CellKind::kText, 26), Col("计量单位", CellKind::kText, 10),
                  Col("累计值", CellKind::kNumber, 14), Col("同比增长(%)", CellKind::kPercent, 12),
                  Col("增长口径", CellKind::kText, 10)};
  io::Sheet ranks{"指标排名", "各单位主要指标" + suffix, {}, {}, {}, true};
  ranks.columns = {Col("指标编码", CellKind::kText, 22), Col("指标", CellKind::kText, 26), Col("单位编码", CellKind::kText, 12),
                   Col("单位", CellKind::kText, 24), Col("累计值", CellKind::kNumber, 14),
                   Col("同比增长(%)", CellKind::kPercent, 12), Col("总量位次", CellKind::kInteger, 10),
                   Col("增速位次", CellKind::kInteger, 10)};
  for (const BulletinIndicator& ind : d.indicators) {
    main.rows.push_back({ind.code, ind.name, ind.measure_unit, OptNum(ind.value, ind.decimals), Exact(ind.yoy),
                         ind.comparable ? "可比价" : "现价"});
    for (const auto& r : ind.rows)
      ranks.rows.push_back({ind.code, ind.name, r.unit.code, r.unit.name, Num(r.value, ind.decimals), Exact(r.yoy),
                            r.rank_value ? std::to_string(r.rank_value) : "", r.rank_growth ? std::to_string(r.rank_growth) : ""});
  }
  sheets.push_back(std::move(main));
  sheets.push_back(std::move(ranks));

  const BulletinProjects& pr = d.projects;
  io::Sheet proj{"重点项目", "重点项目建设" + suffix + "：时间进度 " + Num(pr.elapsed, 1) + "%", {}, {}, {}, true};
  proj.columns = {Col("单位编码", CellKind::kText, 12), Col("单位", CellKind::kText, 24), Col("项目数", CellKind::kInteger, 8),
                  Col("年度计划(亿元)", CellKind::kNumber, 14), Col("完成投资(亿元)", CellKind::kNumber, 14),
                  Col("完成率(%)", CellKind::kPercent, 10), Col("滞后", CellKind::kInteger, 8),
                  Col("严重滞后", CellKind::kInteger, 10)};
  for (const auto& u : pr.units)
    proj.rows.push_back({u.unit.code, u.unit.name, std::to_string(u.count), Num(u.plan, 2), Num(u.done, 2),
                         OptNum(u.completion, 1), std::to_string(u.lagging), std::to_string(u.serious)});
  proj.rows.push_back({"", "合计", std::to_string(pr.count), Num(pr.plan, 2), Num(pr.done, 2), OptNum(pr.completion, 1),
                       std::to_string(pr.lagging), std::to_string(pr.serious)});
  sheets.push_back(std::move(proj));

  io::Sheet lag{"滞后项目", "滞后项目" + suffix, {}, {}, {}, true};
  lag.columns = {Col("项目编码", CellKind::kText, 16), Col("项目名称", CellKind::kText, 36), Col("责任单位", CellKind::kText, 20),
                 Col("状态", CellKind::kText, 10), Col("年度计划(亿元)", CellKind::kNumber, 14),
                 Col("完成投资(亿元)", CellKind::kNumber, 14), Col("完成率(%)", CellKind::kPercent, 10),
                 Col("原因", CellKind::kText, 48)};
  for (const auto& p : pr.lagging_list)
    lag.rows.push_back({p.code, p.name, p.unit_name, p.status, Num(p.plan, 2), Num(p.done, 2), OptNum(p.completion, 1), p.reason});
  sheets.push_back(std::move(lag));

  const BulletinInvestment& inv = d.investment;
  io::Sheet invs{"招商引资", "招商引资合同引资额" + suffix, {}, {}, {}, true};
  invs.columns = {Col("单位编码", CellKind::kText, 12), Col("单位", CellKind::kText, 24),
                  Col("年度目标(亿元)", CellKind::kNumber, 14), Col("合同引资额(亿元)", CellKind::kNumber, 16),
                  Col("完成率(%)", CellKind::kPercent, 10)};
  for (const auto& r : inv.rows)
    invs.rows.push_back({r.unit.code, r.unit.name, OptNum(r.target, 2), Num(r.signed_amount, 2), OptNum(r.completion, 1)});
  invs.rows.push_back({"", "合计", Num(inv.target, 2), Num(inv.signed_amount, 2), OptNum(inv.completion, 1)});
  sheets.push_back(std::move(invs));

  const BulletinTasks& tk = d.tasks;
  io::Sheet tasks{"督办事项", "督办事项红黄灯" + suffix, {}, {}, {}, true};
  tasks.columns = {Col("单位编码", CellKind::kText, 12), Col("单位", CellKind::kText, 24), Col("红灯", CellKind::kInteger, 8),
                   Col("黄灯", CellKind::kInteger, 8), Col("事项编号", CellKind::kText, 16),
                   Col("事项", CellKind::kText, 36), Col("办结时限", CellKind::kText, 12), Col("原因", CellKind::kText, 36)};
  for (const auto& u : tk.units)
    tasks.rows.push_back({u.unit.code, u.unit.name, std::to_string(u.red), std::to_string(u.yellow), "", "", "", ""});
  for (const auto& x : tk.red_list) tasks.rows.push_back({"", x.owner_name, "", "", x.code, x.title, x.due, x.light_reason});
  sheets.push_back(std::move(tasks));

  const League& lg = d.league;
  io::Sheet league{"考评排名", d.scheme_name + suffix, {}, {}, {}, true};
  league.columns = {Col("名次", CellKind::kInteger, 6), Col("单位编码", CellKind::kText, 12), Col("单位", CellKind::kText, 24),
                    Col("总分", CellKind::kNumber, 10), Col("红黑旗", CellKind::kText, 8), Col("上月名次", CellKind::kInteger, 10),
                    Col("变化", CellKind::kText, 8)};
  for (const SchemeItem& it : lg.items) {
    league.columns.push_back(Col(it.name, CellKind::kNumber, 14));
    league.columns.push_back(Col(it.name + "得分", CellKind::kNumber, 12));
  }
  for (const LeagueRow& r : lg.rows) {
    std::vector<std::string> row = {r.rank ? std::to_string(r.rank) : "", r.unit_code, r.unit_name, Num(r.total, 2),
                                    std::string(FlagName(r.flag)), r.previous_rank ? std::to_string(r.previous_rank) : "",
                                    MovementText(r)};
    for (size_t i = 0; i < lg.items.size(); ++i) {
      const ItemScore* s = i < r.items.size() ? &r.items[i] : nullptr;
      row.push_back(s && s->measure ? s->measure->ToString() : "");
      row.push_back(s ? s->points.Format(2) : "");
    }
    league.rows.push_back(std::move(row));
  }
  sheets.push_back(std::move(league));

  io::WorkbookOptions options;
  options.title = d.title;
  // Dated the issue date (00:00 Beijing time), never "now": the same data gives the same bytes.
  options.created_seconds = IssueDateSeconds(d.period);
  return io::WriteXlsx(sheets, options);
}

std::string BulletinHtml(const BulletinData& d) {
  std::string h = "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" + Html(d.title) +
                  "</title><style>" + kHtmlStyle + "</style></head><body><div class=\"page\">\n";
  h += "<p class=\"masthead\">" + Html(d.office) + "</p>\n";
  h += "<p class=\"docnum\">" + Html(d.doc_number) + "</p>\n";
  h += "<h1>" + Html(d.title) + "</h1>\n";
  h += "<p class=\"to\">各有关单位：</p>\n";
  for (const TextBlock& b : BodyBlocks(d)) {
    switch (b.kind) {
      case TextBlock::kHeading1:
        h += "<h2>" + Html(b.text) + "</h2>\n";
        break;
      case TextBlock::kHeading2:
        h += "<h3>" + Html(b.text) + "</h3>\n";
        break;
      case TextBlock::kParagraph:
        h += "<p>" + Html(b.text) + "</p>\n";
        break;
      case TextBlock::kTable: {
        h += "<table><thead><tr>";
        for (const std::string& c : b.table.headers) h += "<th>" + Html(c) + "</th>";
        h += "</tr></thead><tbody>\n";
        for (const auto& row : b.table.rows) {
          h += "<tr>";
          for (size_t c = 0; c < row.size(); ++c)
            h += (c < b.table.numeric.size() && b.table.numeric[c] ? "<td class=\"n\">" : "<td>") + Html(row[c]) + "</td>";
          h += "</tr>\n";
        }
        h += "</tbody></table>\n";
        break;
      }
    }
  }
  h += "<p class=\"sign first\">" + Html(d.office) + "</p>\n<p class=\"sign\">" + Html(d.issue_date) + "</p>\n";
  h += "</div></body></html>\n";
  return h;
}

}  // namespace tiaodu::assessment
