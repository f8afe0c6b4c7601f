#include "org/sheets.h"

#include "org/rules.h"

namespace tiaodu::org {

std::string KindFromSheet(std::string_view text) {
  for (const KindInfo& k : UnitKinds())
    if (text == k.name_zh || text == k.code) return k.code;
  if (text == "乡镇" || text == "街道") return "town";
  return "";
}

std::string KindForSheet(std::string_view kind) {
  const KindInfo* k = FindKind(kind);
  return k ? k->name_zh : std::string(kind);
}

std::optional<bool> ArchivedFromSheet(std::string_view text) {
  for (std::string_view yes : {"是", "已撤销", "撤销", "归档", "已归档"})
    if (text == yes) return true;
  for (std::string_view no : {"否", "正常", ""})
    if (text == no) return false;
  return std::nullopt;
}

std::vector<io::SheetColumn> UnitColumns() {
  using io::Col;
  using io::CellKind;
  std::string kinds;
  io::SheetColumn kind = Col(header::kKind, CellKind::kText, 10, "", true);
  for (const KindInfo& k : UnitKinds()) {
    kind.choices.emplace_back(k.name_zh);
    kinds += (kinds.empty() ? "" : "、") + std::string(k.name_zh);
  }
  kind.note = kinds + "（从下拉列表选择）；市、区、县、县级市须填写 GB/T 2260 行政区划代码作为单位编码";
  io::SheetColumn archived =
      Col(header::kArchived, CellKind::kText, 8, "是 或 否（空白为否）；填“是”撤销（归档）该单位，填“否”恢复", false);
  archived.choices = {"否", "是"};
  return {
      Col(header::kCode, CellKind::kText, 14,
          "单位的唯一编码：行政区填 GB/T 2260 六位代码（如 411303），其他单位填字母、数字、“-”或“_”，最长32位。"
          "系统中已有此编码的单位按本行更新，没有的新建",
          true),
      Col(header::kName, CellKind::kText, 30, "最长150字节（约50个汉字）", true),
      kind,
      Col(header::kParent, CellKind::kText, 14,
          "上级单位的编码，须在您的管理范围内；可以是本表中前后任一行新建的单位。已有单位填写不同的上级即调整隶属关系；"
          "已有单位留空表示上级不变",
          true),
      archived,
      Col(header::kParentName, CellKind::kText, 24, "仅供核对，不导入"),
  };
}

std::vector<std::string> UnitCells(const Unit& u, const Unit* parent) {
  return {u.code, u.name, KindForSheet(u.kind), parent ? parent->code : "", u.archived ? "是" : "否",
          parent ? parent->name : ""};
}

const std::vector<std::string>& UnitInstructions() {
  static const std::vector<std::string> kText = {
      "1. 一行填写一个单位；带 * 的列必填。按“单位编码”匹配：系统中已有的单位按本行更新（名称、类别、上级单位、是否撤销），没有的新建。",
      "2. 类别填 市、区、县、县级市、功能区、乡镇/街道、部门 或 专班（可从下拉列表选择）；市、区、县、县级市的单位编码须为有效的 GB/T 2260 行政区划代码。",
      "3. 上级单位编码须为系统中已有的、或本表中新建的单位，并在您的管理范围内；上级单位可以写在下级单位的后面。不能把单位调到它自己或它的下级单位之下。",
      "4. 已有单位的上级单位编码留空，表示上级不变（根单位、或上级不在您管理范围内的单位，导出时此列为空）。",
      "5. 已撤销填“是”撤销（归档）单位：该单位须没有未撤销的下级单位和在用的用户账户（同一表中一并撤销的下级单位除外）；填“否”恢复，其上级单位须未撤销。",
      "6. 不能调整或撤销您自己所在的单位。“上级单位名称”仅供核对，导入时忽略。",
      "7. 导入是“全部或全不”：任何一行有错，整批不写入，并标出每一个出错的单元格。"};
  return kText;
}

}  // namespace tiaodu::org
