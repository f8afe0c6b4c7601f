// The spreadsheet layout of key projects (重点项目): the columns of the import sheet, which its
// .xlsx template and every export of the list share, so that an export imports back unchanged;
// the words a sheet uses for levels and categories; the labels of 联系领导. Pure.
//
// Columns (ProjectColumns), the import's headers (English aliases accepted, see
// ProjectService::Import): 项目编码*, 项目名称*, 级别* (省级/市级/区级), 类别* (产业/基础设施/
// 社会民生/城市更新/农业农村), 行业代码, 产业链, 责任单位编码*, 责任单位名称 (not imported),
// 联系领导, 专班编码, 建设地点, 总投资(亿元)*, 开工年份*, 竣工年份*, 承诺完工日期, one
// "2026年计划投资(亿元)" column per plan year, 阶段 and 状态 (exported, not imported).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "io/xlsx_writer.h"
#include "projects/store.h"

namespace tiaodu::projects {

// The headers (without the "*" a template shows on required ones).
namespace header {
inline constexpr const char* kCode = "项目编码";
inline constexpr const char* kName = "项目名称";
inline constexpr const char* kLevel = "级别";
inline constexpr const char* kCategory = "类别";
inline constexpr const char* kIndustry = "行业代码";
inline constexpr const char* kChain = "产业链";
inline constexpr const char* kUnit = "责任单位编码";
inline constexpr const char* kUnitName = "责任单位名称";
inline constexpr const char* kLeader = "联系领导";
inline constexpr const char* kTaskForce = "专班编码";
inline constexpr const char* kLocation = "建设地点";
inline constexpr const char* kTotal = "总投资(亿元)";
inline constexpr const char* kStartYear = "开工年份";
inline constexpr const char* kEndYear = "竣工年份";
inline constexpr const char* kCommitted = "承诺完工日期";
inline constexpr const char* kStage = "阶段";
inline constexpr const char* kStatus = "状态";
}  // namespace header

// "province" from 省级, 省重点 or province (likewise 市级/市重点/city, 区级/区县级/县级/
// 区县重点/district); "" when the text is none of them.
std::string LevelFromSheet(std::string_view text);
// "industry" from 产业 or industry (likewise the other categories); "".
std::string CategoryFromSheet(std::string_view text);
// What a sheet shows: 省级 / 市级 / 区级, and the category's Chinese name.
std::string LevelForSheet(std::string_view level);
std::string CategoryForSheet(std::string_view category);

// The plan year a header names: "2026年计划投资(亿元)", "2026年计划投资（亿元）",
// "2026年计划投资" or "plan_2026" → 2026; 0 otherwise.
int PlanYearOfHeader(std::string_view header);
std::string PlanHeader(int year);  // "2026年计划投资(亿元)"

// How a sheet names each leader (role leader, any state): the display name, or
// "姓名（用户名）" when another leader has the same display name.
std::map<int64_t, std::string> LeaderLabels(const std::vector<store::LeaderRef>& leaders);

// The columns, with one plan column per year of `plan_years` (ascending).
std::vector<io::SheetColumn> ProjectColumns(const std::vector<int>& plan_years);
// One project's cells, in ProjectColumns' order.
std::vector<std::string> ProjectCells(const store::ProjectRow& r, const std::vector<int>& plan_years,
                                      const std::string& leader_label);
// The template's 填写说明.
const std::vector<std::string>& ProjectInstructions();

// ---- Monthly progress (月度进展) ----
//
// Columns (ProgressColumns), the headers of ProjectService::ImportProgress (aliases there):
// 项目编码*, 项目名称 (not imported), 月份* (2026-06; a date cell or 2026年6月 accepted),
// 本月完成投资(亿元)*, 形象进度, then what an export shows and an import ignores: 年度累计完成
// (亿元), 累计完成投资(亿元), 责任单位, 填报人, 填报时间; and 版本 (exported; when a row gives it,
// the stored report must still be at that version).
namespace progress_header {
inline constexpr const char* kMonth = "月份";
inline constexpr const char* kAmount = "本月完成投资(亿元)";
inline constexpr const char* kNarrative = "形象进度";
inline constexpr const char* kYtd = "年度累计完成(亿元)";
inline constexpr const char* kCumulative = "累计完成投资(亿元)";
inline constexpr const char* kUnit = "责任单位";
inline constexpr const char* kReporter = "填报人";
inline constexpr const char* kReportedAt = "填报时间";
inline constexpr const char* kVersion = "版本";
}  // namespace progress_header

// "2026-06" from 2026-06, 2026-6, 2026/06, 2026.6, 2026年6月, 202606, or a date of that month
// (2026-06-01, 2026-06-30 00:00:00, as a date cell reads); "" when the text is no month.
std::string MonthFromSheet(std::string_view text);

std::vector<io::SheetColumn> ProgressColumns();
// One report's cells, in ProgressColumns' order; `reported_at` as the sheet shows it.
std::vector<std::string> ProgressCells(const store::ProgressRow& r, const std::string& reported_at);
// The progress template's 填写说明.
const std::vector<std::string>& ProgressInstructions();

}  // namespace tiaodu::projects
