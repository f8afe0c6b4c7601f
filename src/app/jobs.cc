#include "app/jobs.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <string>

#include "base/period.h"

namespace tiaodu::app {

Jobs::Jobs(Services& services, std::chrono::milliseconds interval)
    : services_(services), interval_(interval), thread_([this] { Loop(); }) {}

Jobs::~Jobs() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Jobs::RunOnce(Services& s, int* last_day) {
  char host[128] = {0};
  gethostname(host, sizeof(host) - 1);
  const std::string me = std::string(host) + ":" + std::to_string(getpid());
  auto tick = s.supervision->Tick(me);
  if (!tick.ok()) {
    spdlog::warn("13710 时钟运行失败 / supervision tick failed: {}", tick.status().message());
  } else if (tick->reminders > 0) {
    spdlog::info("督办提醒 / supervision reminders sent: {} ({} notifications)", tick->reminders,
                 tick->notifications);
  }
  const CivilDate today = ToCivil(s.clock.NowMillis());
  const int day = static_cast<int>(DaysFromCivil(today));
  if (day != *last_day) {
    auto n = s.projects->RefreshAll(today);
    if (n.ok()) {
      *last_day = day;
      spdlog::info("重点项目状态已按 {} 刷新 / project statuses refreshed: {}", FormatIsoDate(today), *n);
    } else {
      spdlog::warn("重点项目状态刷新失败 / refresh failed: {}", n.status().message());
    }
  }
  auto escalated = s.projects->EscalateOverdue(today);
  if (!escalated.ok()) spdlog::warn("问题升级失败 / escalation failed: {}", escalated.status().message());
  else if (*escalated > 0) spdlog::info("逾期问题已升级 / overdue problems escalated: {}", *escalated);
}

void Jobs::Loop() {
  int last_day = -1;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    RunOnce(services_, &last_day);
    lock.lock();
    cv_.wait_for(lock, interval_, [this] { return stop_; });
  }
}

}  // namespace tiaodu::app
