// Clock: the only source of "now" in Tiaodu. Injected everywhere time matters, so that
// deadline rules are testable with FakeClock. Implementations are thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace tiaodu {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch, UTC.
  virtual int64_t NowMillis() const = 0;
};

// The real wall clock.
class SystemClock : public Clock {
 public:
  int64_t NowMillis() const override;
};

// The wall clock shifted by a fixed offset: `serve --now` starts the server's time at a given
// instant and lets it run on (demonstrations, and tests that restart a real server).
class OffsetClock : public Clock {
 public:
  explicit OffsetClock(int64_t offset_millis) : offset_(offset_millis) {}
  int64_t NowMillis() const override { return system_.NowMillis() + offset_; }

 private:
  SystemClock system_;
  int64_t offset_;
};

// A clock that only moves when told to. Thread-safe.
class FakeClock : public Clock {
 public:
  explicit FakeClock(int64_t start_millis) : now_(start_millis) {}
  int64_t NowMillis() const override { return now_.load(); }
  void Set(int64_t millis) { now_.store(millis); }
  void Advance(int64_t millis) { now_.fetch_add(millis); }

 private:
  std::atomic<int64_t> now_;
};

// "2024-06-30T08:00:00Z" for a millisecond timestamp (UTC).
std::string FormatIsoUtc(int64_t millis);
// Civil date parts (UTC, or shifted by offset_minutes, e.g. +480 for Beijing time).
struct CivilDate {
  int year;
  int month;
  int day;
};
CivilDate ToCivil(int64_t millis, int offset_minutes = 480);

}  // namespace tiaodu
