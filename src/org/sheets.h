// The spreadsheet layout of units (单位): the columns of the import sheet, which its .xlsx
// template and the export of the list (GET /units?format=xlsx) share, so that an export
// imports back unchanged; the words a sheet uses for kinds and for 已撤销. Pure.
//
// Columns (UnitColumns), headers as the import finds them (English aliases accepted, see
// OrgService::Import): 单位编码*, 单位名称*, 类别* (市/区/县/县级市/功能区/乡镇/街道/部门/
// 专班), 上级单位编码* (blank on an existing unit: its parent is kept), 已撤销 (是/否), and
// 上级单位名称 (exported, not imported).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/xlsx_writer.h"
#include "org/model.h"

namespace tiaodu::org {

// The headers (without the "*" a template shows on required ones).
namespace header {
inline constexpr const char* kCode = "单位编码";
inline constexpr const char* kName = "单位名称";
inline constexpr const char* kKind = "类别";
inline constexpr const char* kParent = "上级单位编码";
inline constexpr const char* kArchived = "已撤销";
inline constexpr const char* kParentName = "上级单位名称";
}  // namespace header

// "district" from 区 or district (any kind by its Chinese name or its code); "" otherwise.
std::string KindFromSheet(std::string_view text);
// What a sheet shows for a kind: its Chinese name (乡镇/街道 for town).
std::string KindForSheet(std::string_view kind);
// 是 / 已撤销 / 归档 / 已归档 → true; 否 / 正常 / blank → false; nullopt for anything else.
std::optional<bool> ArchivedFromSheet(std::string_view text);

// The columns of the import sheet, the template and the export.
std::vector<io::SheetColumn> UnitColumns();
// One unit's cells, in UnitColumns' order; `parent` is null for a root or a parent outside the
// reader's scope (both shown blank).
std::vector<std::string> UnitCells(const Unit& u, const Unit* parent);
// The template's 填写说明.
const std::vector<std::string>& UnitInstructions();

}  // namespace tiaodu::org
