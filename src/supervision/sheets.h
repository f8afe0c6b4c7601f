// The spreadsheet layout of supervision tasks (督办任务): the columns of the import sheet,
// which its .xlsx template and every export of the task list share, so that an export imports
// back unchanged; the words a sheet uses for sources; the parsing of a cell of unit codes. Pure.
//
// Columns (TaskColumns), the import's headers (English aliases accepted, see
// SupervisionService::ImportTasks): 任务编号 (empty → a new task), 任务名称*, 任务内容,
// 来源* (会议议定/领导批示/上级交办), 来源文号, 责任单位编码*, 协办单位编码 (several, separated by
// 、 , or ;), 办结时限* (the completion deadline in force), 办结时限理由, 督办时限方案,
// 紧急程度(工作日); then columns exported and not imported (责任单位 … 办结时间).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/xlsx_writer.h"
#include "supervision/service.h"

namespace tiaodu::supervision {

// The headers (without the "*" a template shows on required ones).
namespace header {
inline constexpr const char* kCode = "任务编号";
inline constexpr const char* kTitle = "任务名称";
inline constexpr const char* kDescription = "任务内容";
inline constexpr const char* kSource = "来源";
inline constexpr const char* kSourceRef = "来源文号";
inline constexpr const char* kOwner = "责任单位编码";
inline constexpr const char* kCoUnits = "协办单位编码";
inline constexpr const char* kDeadline = "办结时限";
inline constexpr const char* kReason = "办结时限理由";
inline constexpr const char* kProfile = "督办时限方案";
inline constexpr const char* kClass = "紧急程度(工作日)";
}  // namespace header

// "meeting" from 会议议定 or meeting (likewise 领导批示/instruction, 上级交办/higher); "".
std::string SourceFromSheet(std::string_view text);

// The unit codes of a 协办单位编码 cell: separated by 、 , ; (ASCII or full-width) or spaces,
// each trimmed, empty ones dropped, in the order written.
std::vector<std::string> SplitUnitCodes(std::string_view text);

// A date as a sheet may hold it: "2026-12-31", "2026/12/31", "2026.12.31" (one-digit months
// and days too), or a date-time at midnight. nullopt when the text is none of them.
std::optional<CivilDate> DateFromSheet(std::string_view text);

// The columns; `profiles` are the codes of the clock profiles in force (the drop-down of
// 督办时限方案).
std::vector<io::SheetColumn> TaskColumns(const std::vector<std::string>& profiles);
// Where the imported columns end: TaskColumns()[kImportedColumns…] are exported only.
inline constexpr size_t kImportedColumns = 11;
// One task's cells, in TaskColumns' order.
std::vector<std::string> TaskCells(const TaskRow& r);
// The template's 填写说明.
const std::vector<std::string>& TaskInstructions();

}  // namespace tiaodu::supervision
