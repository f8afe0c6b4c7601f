#include "indicators/sheets.h"

namespace tiaodu::indicators {

using io::Col;

std::vector<io::SheetColumn> ValueColumns(const std::vector<Indicator>& catalog) {
  std::vector<std::string> codes;
  for (const Indicator& i : catalog) codes.push_back(i.code);
  io::SheetColumn code = Col("指标编码", io::CellKind::kText, 22, "指标目录中的编码；也可只填“指标名称”", true);
  code.choices = codes;
  return {Col("单位编码", io::CellKind::kText, 14, "单位的编码，如 411303（卧龙区）", true),
          Col("单位名称", io::CellKind::kText, 18, "仅供核对，不导入"),
          code,
          Col("指标名称", io::CellKind::kText, 24, "仅供核对；指标编码为空时按名称匹配"),
          Col("期别", io::CellKind::kText, 10,
              "月度 2024-06；季度指标填季末月 2024-06；年度指标填 2024-12。1-2月合并的累计指标从2月起报", true),
          Col("数值", io::CellKind::kNumber, 14, "本期累计值（按指标的计量单位，如 亿元）", true),
          Col("同比增长(%)", io::CellKind::kNumber, 12, "可比价指标填统计部门公布的增速；现价指标可不填（系统计算）"),
          Col("备注", io::CellKind::kText, 30, "有预警时须说明原因"),
          Col("状态", io::CellKind::kText, 10, "导出时为当前状态；导入时忽略")};
}

std::vector<std::string> ValueCells(const store::ValueRow& r) {
  const Value& v = r.value;
  return {r.unit_code,
          r.unit_name,
          r.indicator_code,
          r.indicator_name,
          v.period,
          v.value.ToString(),
          v.reported_yoy ? v.reported_yoy->ToString() : "",
          v.note,
          v.status};
}

const std::vector<std::string>& ValueInstructions() {
  static const std::vector<std::string> kText = {
      "1. 一行填写一个单位、一个指标、一个期别的数值；带 * 的列必填。",
      "2. 数值为本期累计值，按指标目录中的计量单位填写（如 亿元），不要带单位文字。",
      "3. 期别按“2024-06”格式填写文本；季度、年度指标填其末月。",
      "4. 导入是“全部或全不”：任何一行有错，整批不写入，并标出每一个出错的单元格。",
      "5. 已审核的数值不能通过导入修改，请在系统中“修订”并说明理由。"};
  return kText;
}

Result<std::string> ValueTemplateXlsx(IndicatorService& svc, const auth::Actor& actor) {
  auto catalog = svc.ListIndicators(actor, "", false);
  if (!catalog.ok()) return catalog.status();
  io::Sheet sheet;
  sheet.name = "指标数据";
  sheet.columns = ValueColumns(*catalog);
  sheet.rows = {{"411303", "卧龙区", "retail_sales", "社会消费品零售总额", "2024-06", "212.6", "6.3", "", ""}};
  io::WorkbookOptions options;
  options.title = "指标数据导入模板";
  options.instructions = ValueInstructions();
  return io::WriteXlsx({sheet}, options);
}

Result<io::Sheet> ValueExportSheet(IndicatorService& svc, const auth::Actor& actor, const std::string& unit_code,
                                   const std::string& indicator_code, store::ValueQuery q) {
  constexpr size_t kMaxRows = 200000;
  io::Sheet sheet;
  sheet.name = "指标数据";
  auto catalog = svc.ListIndicators(actor, "", false);
  if (!catalog.ok()) return catalog.status();
  sheet.columns = ValueColumns(*catalog);
  for (auto& col : sheet.columns) col.choices.clear();
  q.page_size = 5000;
  for (q.page = 1;; ++q.page) {
    auto page = svc.ListValues(actor, unit_code, indicator_code, q);
    if (!page.ok()) return page.status();
    for (const auto& row : page->items) {
      if (sheet.rows.size() >= kMaxRows) break;
      sheet.rows.push_back(ValueCells(row));
    }
    if (page->items.empty() || static_cast<int64_t>(sheet.rows.size()) >= page->total || sheet.rows.size() >= kMaxRows)
      break;
  }
  return sheet;
}

}  // namespace tiaodu::indicators
