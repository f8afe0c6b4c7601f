// The spreadsheet layout of indicator values: the columns of the import sheet, which its
// .xlsx template and every export of values share (so an export imports back unchanged), the
// cells of one value in that layout, the template's 填写说明, and the whole filtered list as
// such a sheet. Used by the routes and by `tiaodu import|export indicator-values`.
#pragma once

#include <string>
#include <vector>

#include "auth/model.h"
#include "base/result.h"
#include "indicators/model.h"
#include "indicators/service.h"
#include "indicators/store.h"
#include "io/xlsx_writer.h"

namespace tiaodu::indicators {

// 单位编码*, 单位名称, 指标编码* (a drop-down of the catalog's codes), 指标名称, 期别*, 数值*,
// 同比增长(%), 备注, 状态 — the headers IndicatorService::Import reads.
std::vector<io::SheetColumn> ValueColumns(const std::vector<Indicator>& catalog);

// One value's cells, in ValueColumns' order.
std::vector<std::string> ValueCells(const store::ValueRow& r);

// The template's 填写说明, one paragraph a line.
const std::vector<std::string>& ValueInstructions();

// The .xlsx template: the columns with their notes and drop-down, one example row, 填写说明.
Result<std::string> ValueTemplateXlsx(IndicatorService& svc, const auth::Actor& actor);

// The whole filtered list (not one page; at most 200,000 rows) as a sheet in the import
// layout, without drop-downs. Filters as IndicatorService::ListValues.
Result<io::Sheet> ValueExportSheet(IndicatorService& svc, const auth::Actor& actor,
                                   const std::string& unit_code, const std::string& indicator_code,
                                   store::ValueQuery q);

}  // namespace tiaodu::indicators
