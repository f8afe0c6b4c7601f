#include "db/values.h"

#include "base/period.h"

namespace tiaodu::db {

std::optional<CivilDate> GetOptDate(const soci::row& r, std::size_t i) {
  std::string t = GetText(r, i);
  if (t.empty()) return std::nullopt;
  auto d = ParseIsoDate(t);
  if (!d.ok()) return std::nullopt;
  return *d;
}

OptDateBind::OptDateBind(const std::optional<CivilDate>& d) {
  if (d) {
    text = FormatIsoDate(*d);
    ind = soci::i_ok;
  }
}

std::string IdList(const std::vector<int64_t>& ids) {
  std::string out;
  for (int64_t id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out.empty() ? "0" : out;
}

std::string DatesToText(const std::map<std::string, CivilDate>& m) {
  std::string out;
  for (const auto& [k, d] : m) out += (out.empty() ? "" : ";") + k + "=" + FormatIsoDate(d);
  return out;
}

std::map<std::string, CivilDate> DatesFromText(const std::string& s) {
  std::map<std::string, CivilDate> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t end = s.find(';', pos);
    if (end == std::string::npos) end = s.size();
    std::string item = s.substr(pos, end - pos);
    size_t eq = item.find('=');
    if (eq != std::string::npos)
      if (auto d = ParseIsoDate(item.substr(eq + 1)); d.ok()) out[item.substr(0, eq)] = *d;
    pos = end + 1;
  }
  return out;
}

}  // namespace tiaodu::db
