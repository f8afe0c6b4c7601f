// Jobs: the server's periodic work until the scheduler of the supervision module replaces it.
// A thread wakes every `interval`; on a new (Beijing) date it refreshes every key project's
// status (statuses depend on the date), and on every wake it escalates overdue problems.
// Both are idempotent, so several server processes running them do no harm. Owns its thread;
// the destructor stops and joins it. The services must outlive it.
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
