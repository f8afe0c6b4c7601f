#include "org/rules.h"

#include <cctype>

#include "base/validators.h"

namespace tiaodu::org {

const std::vector<KindInfo>& UnitKinds() {
  static const std::vector<KindInfo> kKinds = {
      {"city", "市", true},          {"district", "区", true},
      {"county", "县", true},        {"county_city", "县级市", true},
      {"zone", "功能区", false},     {"town", "乡镇/街道", false},
      {"department", "部门", false}, {"task_force", "专班", false},
  };
  return kKinds;
}

const KindInfo* FindKind(std::string_view code) {
  for (const KindInfo& k : UnitKinds())
    if (code == k.code) return &k;
  return nullptr;
}

Status CheckUnitFields(const std::string& name, const std::string& kind, const std::string& code) {
  std::vector<Detail> bad;
  if (name.empty() || name.size() > 150) bad.push_back({"name", "名称不能为空，且不超过50个汉字"});
  const KindInfo* k = FindKind(kind);
  if (!k) bad.push_back({"kind", "未知的单位类型: " + kind});
  if (k && k->administrative) {
    if (code.empty()) {
      bad.push_back({"code", "行政区须填写 GB/T 2260 行政区划代码"});
    } else if (Status s = ValidateGbt2260(code); !s.ok()) {
      bad.push_back({"code", s.message()});
    }
  } else if (!code.empty()) {
    bool ok = code.size() <= 32;
    for (unsigned char c : code) ok = ok && (std::isalnum(c) || c == '-' || c == '_');
    if (!ok) bad.push_back({"code", "编码只能包含字母、数字、连字符和下划线，最多32位"});
  }
  if (!bad.empty()) return InvalidArgument("单位信息有误", std::move(bad));
  return Status::Ok();
}

bool MoveCreatesCycle(const std::string& unit_path, const std::string& new_parent_path) {
  return new_parent_path.compare(0, unit_path.size(), unit_path) == 0;
}

std::string ChildPath(const std::string& parent_path, int64_t id) {
  return (parent_path.empty() ? std::string("/") : parent_path) + std::to_string(id) + "/";
}

}  // namespace tiaodu::org
