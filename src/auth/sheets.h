// The spreadsheet layout of users (用户): the columns of the import sheet, which its .xlsx
// template and the export of the list (GET /users?format=xlsx) share, so that an export
// imports back unchanged; the words a sheet uses for roles and states. Pure. There is never a
// password column (docs/decisions/0016-user-import-without-passwords.md).
//
// Columns (UserColumns), headers as the import finds them (English aliases accepted, see
// AuthService::Import): 用户名*, 姓名*, 角色* (the Chinese role name or its code), 所属单位编码*,
// 状态 (启用/停用; blank keeps it, or 启用 for a new user), and, exported but not imported,
// 所属单位名称, 已锁定, 待改密, 最近登录, 创建时间.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/model.h"
#include "io/xlsx_writer.h"

namespace tiaodu::auth {

// The headers (without the "*" a template shows on required ones).
namespace header {
inline constexpr const char* kUsername = "用户名";
inline constexpr const char* kName = "姓名";
inline constexpr const char* kRole = "角色";
inline constexpr const char* kUnit = "所属单位编码";
inline constexpr const char* kStatus = "状态";
inline constexpr const char* kUnitName = "所属单位名称";
}  // namespace header

// "statistician" from 统计员 or statistician; "" for anything else.
std::string RoleFromSheet(std::string_view text);
// What a sheet shows for a role: its Chinese name.
std::string RoleForSheet(std::string_view role);
// Whether a 状态 cell says disabled: 停用 / 已停用 → true, 启用 / 正常 → false; nullopt for
// anything else (blank included: the caller decides what blank means).
std::optional<bool> DisabledFromSheet(std::string_view text);

// The columns of the import sheet, the template and the export.
std::vector<io::SheetColumn> UserColumns();
// One user's cells, in UserColumns' order (`now` decides 已锁定; times in Beijing time).
std::vector<std::string> UserCells(const User& u, int64_t now);
// The template's 填写说明 (it says that a new user has no password until one is reset).
const std::vector<std::string>& UserInstructions();

}  // namespace tiaodu::auth
