#include "auth/sheets.h"

#include "auth/rules.h"
#include "http/sheets.h"

namespace tiaodu::auth {

std::string RoleFromSheet(std::string_view text) {
  for (const RoleInfo& r : Roles())
    if (text == r.name_zh || text == r.code) return r.code;
  return "";
}

std::string RoleForSheet(std::string_view role) {
  const RoleInfo* r = FindRole(role);
  return r ? r->name_zh : std::string(role);
}

std::optional<bool> DisabledFromSheet(std::string_view text) {
  if (text == "停用" || text == "已停用") return true;
  if (text == "启用" || text == "正常") return false;
  return std::nullopt;
}

std::vector<io::SheetColumn> UserColumns() {
  using io::CellKind;
  using io::Col;
  std::string names;
  io::SheetColumn role = Col(header::kRole, CellKind::kText, 12, "", true);
  for (const RoleInfo& r : Roles()) {
    role.choices.emplace_back(r.name_zh);
    names += (names.empty() ? "" : "、") + std::string(r.name_zh);
  }
  role.note = names +
              "（从下拉列表选择）。修改已有用户的角色须由安全管理员导入；系统管理员只能新建业务角色的用户（三员分立）";
  io::SheetColumn status = Col(header::kStatus, CellKind::kText, 8,
                               "启用 或 停用；空白表示不变（新用户为启用）");
  status.choices = {"启用", "停用"};
  return {
      Col(header::kUsername, CellKind::kText, 16,
          "登录名：3-32位小写字母、数字、下划线、点或连字符，以字母开头。系统中已有此用户名的用户按本行更新，没有的新建。"
          "新用户没有可用的密码，须由系统管理员重置密码后才能登录",
          true),
      Col(header::kName, CellKind::kText, 12, "最长100字节（约33个汉字）", true),
      role,
      Col(header::kUnit, CellKind::kText, 14, "用户所在单位的编码，如 411303（卧龙区）；须在您的管理范围内", true),
      status,
      Col(header::kUnitName, CellKind::kText, 24, "仅供核对，不导入"),
      Col("已锁定", CellKind::kText, 8, "导出时为当前状态；导入时忽略（解锁由安全管理员操作）"),
      Col("待改密", CellKind::kText, 8, "导出时为当前状态；导入时忽略"),
      Col("最近登录", CellKind::kText, 17, "导出时为最近登录时间；导入时忽略"),
      Col("创建时间", CellKind::kText, 17, "导出时为创建时间；导入时忽略"),
  };
}

std::vector<std::string> UserCells(const User& u, int64_t now) {
  auto yes = [](bool b) { return std::string(b ? "是" : "否"); };
  return {u.username,
          u.display_name,
          RoleForSheet(u.role),
          u.unit_code,
          u.disabled ? "停用" : "启用",
          u.unit_name,
          yes(u.locked_until > now),
          yes(u.must_change_password),
          http::SheetTime(u.last_login_at),
          http::SheetTime(u.created_at)};
}

const std::vector<std::string>& UserInstructions() {
  static const std::vector<std::string> kText = {
      "1. 一行填写一个用户；带 * 的列必填。按“用户名”匹配：系统中已有的用户按本行更新（姓名、角色、所属单位、状态），没有的新建。",
      "2. 本表没有密码列，也不接受密码。导入新建的用户没有可用的密码（系统为其设置一个无人知道的随机密码），"
      "须由系统管理员在“用户管理”中为其重置密码、告知本人后才能登录，首次登录须修改密码。",
      "3. 角色填中文名称（可从下拉列表选择）。三员分立：系统管理员新建用户、修改姓名、单位和状态，只能新建业务角色的用户，"
      "不能修改管理员账户；修改已有用户的角色须由安全管理员导入。不能修改自己的角色，不能停用自己的账户。",
      "4. 所属单位编码须为未撤销的单位，并在您的管理范围内。",
      "5. 状态填 启用 或 停用，空白表示不变（新用户为启用）。停用的用户立即退出登录。",
      "6. 所属单位名称、已锁定、待改密、最近登录、创建时间仅供核对，导入时忽略。",
      "7. 导入是“全部或全不”：任何一行有错，整批不写入，并标出每一个出错的单元格。"};
  return kText;
}

}  // namespace tiaodu::auth
