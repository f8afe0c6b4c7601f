#include "base/clock.h"

#include <chrono>
#include <cstdio>

namespace tiaodu {

int64_t SystemClock::NowMillis() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {
// Days since 1970-01-01 to civil date (Howard Hinnant's algorithm, public domain facts).
CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
}  // namespace

CivilDate ToCivil(int64_t millis, int offset_minutes) {
  int64_t ms = millis + static_cast<int64_t>(offset_minutes) * 60000;
  return CivilFromDays(FloorDiv(ms, 86400000));
}

std::string FormatIsoUtc(int64_t millis) {
  CivilDate d = ToCivil(millis, 0);
  int64_t ms_of_day = millis - FloorDiv(millis, 86400000) * 86400000;
  int64_t secs = ms_of_day / 1000;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", d.year, d.month, d.day,
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60));
  return buf;
}

}  // namespace tiaodu
