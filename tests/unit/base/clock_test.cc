#include "base/clock.h"

#include <gtest/gtest.h>

namespace tiaodu {

TEST(ClockTest, FormatsUtcInIso8601) {
  EXPECT_EQ(FormatIsoUtc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIsoUtc(1719705600000), "2024-06-30T00:00:00Z");
}

TEST(ClockTest, CivilDateUsesBeijingOffsetByDefault) {
  // 2024-06-30T20:00:00Z is already 1 July in Beijing.
  CivilDate d = ToCivil(1719777600000);
  EXPECT_EQ(d.year, 2024);
  EXPECT_EQ(d.month, 7);
  EXPECT_EQ(d.day, 1);
}

TEST(ClockTest, FakeClockMovesOnlyWhenTold) {
  FakeClock clock(1000);
  EXPECT_EQ(clock.NowMillis(), 1000);
  clock.Advance(500);
  EXPECT_EQ(clock.NowMillis(), 1500);
}

}  // namespace tiaodu
