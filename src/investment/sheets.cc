#include "investment/sheets.h"

#include "base/period.h"
#include "investment/rules.h"

namespace tiaodu::investment {
namespace {

inline constexpr const char* kSources[] = {"business", "resident", "fund", "platform", "other"};

}  // namespace

std::string StageDateHeader(std::string_view stage) { return std::string(LeadStageName(stage)) + "日期"; }

std::string StageFromSheet(std::string_view text) {
  for (const char* s : kLeadStages)
    if (text == s || text == LeadStageName(s)) return s;
  return "";
}

std::string SourceFromSheet(std::string_view text) {
  for (const char* s : kSources)
    if (text == s || text == SourceName(s)) return s;
  return "";
}

std::vector<io::SheetColumn> LeadColumns() {
  using io::CellKind;
  using io::Col;
  io::SheetColumn source = Col(header::kSource, CellKind::kText, 12,
                               "以商招商、驻外招商、基金招商、平台招商或其他（从下拉列表选择）", true);
  for (const char* s : kSources) source.choices.emplace_back(SourceName(s));
  io::SheetColumn stage = Col(header::kStage, CellKind::kText, 12,
                              "线索的阶段（从下拉列表选择）。一次导入最多推进一个阶段（不能跳级、不能退回），"
                              "推进时须填写新阶段的日期；新线索从“线索”开始；空白表示不改变阶段");
  for (const char* s : kLeadStages) stage.choices.emplace_back(LeadStageName(s));
  std::vector<io::SheetColumn> cols = {
      Col(header::kNumber, CellKind::kInteger, 10,
          "系统中线索的编号：填写时按编号修改该线索；新线索留空，导入后由系统编号"),
      Col(header::kCompany, CellKind::kText, 32,
          "须为企业库中已登记的企业（导入不新建企业，未登记的请先在企业库中登记）", true),
      Col(header::kUscc, CellKind::kText, 22, "18位代码；填写时按代码匹配企业（须与企业名称一致），同名企业须填写；可不填"),
      Col(header::kProject, CellKind::kText, 32, "最长200字节（约66个汉字）", true),
      Col(header::kAmount, CellKind::kNumber, 16, "意向投资额，单位亿元，如 12.5；大于0", true),
      Col(header::kChain, CellKind::kText, 14, "所属产业链（从下拉列表选择）；可不填"),
      Col(header::kSegment, CellKind::kText, 16, "该产业链的环节名称；填写时须同时填写产业链；可不填"),
      source,
      Col(header::kUnit, CellKind::kText, 14, "责任单位的编码，如 411303（卧龙区）；须在您的管理范围内", true),
      Col(header::kUnitName, CellKind::kText, 16, "仅供核对，不导入"),
      Col(header::kOfficer, CellKind::kText, 12, "跟进的招商员姓名（须为您管理范围内在用的招商员账户）；可不填"),
      stage,
  };
  for (const char* s : kLeadStages)
    cols.push_back(Col(StageDateHeader(s), CellKind::kDate, 13,
                       std::string("到达“") + std::string(LeadStageName(s)) +
                           "”阶段的日期，如 2026-03-15；已到达阶段的日期不能修改（空白表示不变）" +
                           (std::string_view(s) == "clue" ? "；新线索空白表示今天" : "")));
  for (auto [h, kind, width] : {std::tuple{"流失", CellKind::kText, 8.0}, {"流失原因", CellKind::kText, 24.0},
                                {"流失日期", CellKind::kDate, 13.0}, {"重点项目编码", CellKind::kText, 16.0},
                                {"合同引资额(亿元)", CellKind::kNumber, 16.0}})
    cols.push_back(Col(h, kind, width, "导出时为系统中的情况；导入时忽略"));
  return cols;
}

std::vector<std::string> LeadCells(const store::LeadRow& r) {
  const Lead& l = r.lead;
  std::vector<std::string> row = {
      std::to_string(l.id), r.company_name, r.company_uscc, l.project_name, l.amount.ToString(),
      l.chain_id ? r.chain_name : "", l.segment_id ? r.segment_name : "",
      std::string(SourceName(l.source)), r.unit_code, r.unit_name,
      l.officer_id ? r.officer_name : "", std::string(LeadStageName(l.stage))};
  for (const char* stage : kLeadStages) {
    auto it = l.stage_dates.find(stage);
    row.push_back(it == l.stage_dates.end() ? "" : FormatIsoDate(it->second));
  }
  row.emplace_back(l.lost ? "是" : "否");
  row.push_back(l.lost_reason);
  row.push_back(l.lost_date ? FormatIsoDate(*l.lost_date) : "");
  row.push_back(l.project_id ? r.project_code : "");
  row.push_back(r.contract_amount.ToString());
  return row;
}

const std::vector<std::string>& LeadInstructions() {
  static const std::vector<std::string> kText = {
      "1. 一行填写一条线索；带 * 的列必填。按“线索编号”匹配：填写编号的行修改系统中的该线索，编号留空的行新建线索。",
      "2. 企业须已在企业库中登记（导入不新建企业）；同名企业请填写统一社会信用代码区分。同一企业已有同名项目的线索时，不能再新建。",
      "3. 招商方式、阶段、产业链可从下拉列表选择；金额单位为亿元，只填数字；日期填 2026-03-15 这样的日期。",
      "4. 阶段须逐级推进：一次导入每条线索最多推进一个阶段（如“接洽”→“考察”），并填写新阶段的日期；不能跳级，不能退回；"
      "“签约”须先登记合同；推进到“开工”的线索自动转为重点项目；已流失的线索须先在系统中重新激活。",
      "5. 已到达阶段的日期不能通过导入修改，空白表示不变；尚未到达的阶段日期应为空。",
      "6. 表中没有的可选列（如产业链、招商员）导入时保持原值不变；列存在而单元格空白表示清空。",
      "7. 责任单位须在您的管理范围内；只能修改您管理范围内的线索。责任单位名称、流失情况、重点项目编码、合同引资额仅供核对，导入时忽略。",
      "8. 导入是“全部或全不”：任何一行有错，整批不写入，并标出每一个出错的单元格。"};
  return kText;
}

}  // namespace tiaodu::investment
