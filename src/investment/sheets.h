// The spreadsheet layout of investment leads (招商线索): the columns of the import sheet,
// which its .xlsx template and every export of the list share, so that an export imports back
// unchanged; the words a sheet uses for stages and sources. Pure.
//
// Columns (LeadColumns), English aliases accepted on import (see InvestmentService::ImportLeads):
// 线索编号 (the lead's number; blank = a new lead), 企业名称*, 统一社会信用代码, 项目名称*,
// 意向投资额(亿元)*, 产业链, 产业链环节, 招商方式*, 责任单位编码*, 责任单位 (not imported),
// 招商员, 阶段, one "<stage>日期" column per stage (线索日期 … 投产日期), then 流失, 流失原因,
// 流失日期, 重点项目编码, 合同引资额(亿元) (exported, not imported).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "investment/store.h"
#include "io/xlsx_writer.h"

namespace tiaodu::investment {

// The headers (without the "*" a template shows on required ones).
namespace header {
inline constexpr const char* kNumber = "线索编号";
inline constexpr const char* kCompany = "企业名称";
inline constexpr const char* kUscc = "统一社会信用代码";
inline constexpr const char* kProject = "项目名称";
inline constexpr const char* kAmount = "意向投资额(亿元)";
inline constexpr const char* kChain = "产业链";
inline constexpr const char* kSegment = "产业链环节";
inline constexpr const char* kSource = "招商方式";
inline constexpr const char* kUnit = "责任单位编码";
inline constexpr const char* kUnitName = "责任单位";
inline constexpr const char* kOfficer = "招商员";
inline constexpr const char* kStage = "阶段";
}  // namespace header

// "线索日期" … "投产日期": the date column of a stage (a code of kLeadStages).
std::string StageDateHeader(std::string_view stage);

// A stage's code from what a sheet shows (线索 … 投产) or the code itself; "" otherwise.
std::string StageFromSheet(std::string_view text);
// A source's code from 以商招商 … 其他 or the code itself; "" otherwise.
std::string SourceFromSheet(std::string_view text);

// The columns, with drop-downs for 阶段 and 招商方式; 产业链 and 招商员 get their choices
// from the caller (the template).
std::vector<io::SheetColumn> LeadColumns();
// One lead's cells, in LeadColumns' order.
std::vector<std::string> LeadCells(const store::LeadRow& r);
// The template's 填写说明.
const std::vector<std::string>& LeadInstructions();

}  // namespace tiaodu::investment
