// Helpers for reading SOCI rows the same way on SQLite and PostgreSQL, whose drivers report
// integer columns with different widths. Include only from store .cc files.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>

namespace tiaodu::db {

inline bool IsNull(const soci::row& r, std::size_t i) { return r.get_indicator(i) == soci::i_null; }

inline int64_t GetInt(const soci::row& r, std::size_t i, int64_t fallback = 0) {
  if (IsNull(r, i)) return fallback;
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_integer: return r.get<int>(i);
    case soci::dt_long_long: return r.get<long long>(i);
    case soci::dt_unsigned_long_long: return static_cast<int64_t>(r.get<unsigned long long>(i));
    case soci::dt_double: return static_cast<int64_t>(r.get<double>(i));
    case soci::dt_string: return std::stoll(r.get<std::string>(i));
    default: return fallback;
  }
}

inline std::optional<int64_t> GetOptInt(const soci::row& r, std::size_t i) {
  if (IsNull(r, i)) return std::nullopt;
  return GetInt(r, i);
}

inline std::string GetText(const soci::row& r, std::size_t i) {
  if (IsNull(r, i)) return {};
  if (r.get_properties(i).get_data_type() == soci::dt_string) return r.get<std::string>(i);
  return std::to_string(GetInt(r, i));
}

}  // namespace tiaodu::db

namespace tiaodu::db {

// A LIKE pattern matching `text` anywhere, with % _ and \ taken literally. Use with
// "LOWER(col) LIKE :p ESCAPE '\'" (ContainsPattern lower-cases ASCII) so both databases
// search case-insensitively.
inline std::string ContainsPattern(const std::string& text) {
  std::string p = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') p.push_back('\\');
    p.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return p + "%";
}

}  // namespace tiaodu::db
