// Jobs: the server's scheduler. A thread wakes every `interval` (60 s by default) and
//   - ticks the 13710 clocks (SupervisionService::Tick): lights, escalations, reminders. On
//     PostgreSQL one process at a time runs a tick (a transaction advisory lock); every
//     reminder has a key stored with its notifications, so a restart or a second process
//     neither loses nor repeats one;
//   - on a new (Beijing) date refreshes every key project's status, and escalates overdue
//     project problems (both idempotent).
// Owns its thread; the destructor stops and joins it. The services must outlive it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/services.h"

namespace tiaodu::app {

class Jobs {
 public:
  Jobs(Services& services, std::chrono::milliseconds interval);
  ~Jobs();
  Jobs(const Jobs&) = delete;
  Jobs& operator=(const Jobs&) = delete;

  // One round of the work, as the thread does it (also for the CLI and tests).
  static void RunOnce(Services& services, int* last_day);

 private:
  void Loop();

  Services& services_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace tiaodu::app
