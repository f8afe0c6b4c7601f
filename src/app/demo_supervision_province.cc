#include "app/demo_supervision_province.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/demo_random.h"
#include "base/period.h"
#include "supervision/calendar.h"
#include "supervision/rules.h"

namespace tiaodu::app {
namespace {

using supervision::BulkData;
using supervision::Calendar;
using supervision::TaskEvent;
using supervision::TaskFile;
using supervision::TaskRecord;

constexpr int64_t kMinute = 60'000;
constexpr int kOffset = 480;                  // Beijing time
constexpr int kOfficeStart = 8 * 60 + 30;     // 08:30
constexpr int kOfficeEnd = 18 * 60;           // 18:00
constexpr int kOfficeEndRule = 17 * 60 + 30;  // 17:30: assigned later → clock starts next day
constexpr int kWindow = 60;                   // working days of assignments
constexpr int kFirstUnitTasks = 500;

int64_t At(const CivilDate& d, int minute) { return (DaysFromCivil(d) * 1440 + minute - kOffset) * kMinute; }
std::string Num(int64_t n) { return std::to_string(n); }
std::string MonthDay(const CivilDate& d) { return Num(d.month) + "月" + Num(d.day) + "日"; }
std::string YearMonthDay(const CivilDate& d) { return Num(d.year) + "年" + MonthDay(d); }

std::string Replace(std::string s, const std::string& key, const std::string& value) {
  for (size_t at = s.find(key); at != std::string::npos; at = s.find(key, at + value.size()))
    s.replace(at, key.size(), value);
  return s;
}

// {u}: the owner unit's name.
constexpr const char* kTitles[] = {
    "督促{u}加快推进省重点项目建设进度",
    "推动{u}解决企业反映的项目用地审批问题",
    "督导{u}落实稳就业政策措施",
    "协调{u}化解工业园区企业融资难题",
    "督促{u}完成高标准农田建设年度任务",
    "推进{u}城镇老旧小区改造工程",
    "督办{u}群众反映的供暖管网改造问题",
    "落实{u}安全生产隐患大排查大整治工作",
    "督促{u}完成秋冬季大气污染防治任务",
    "推进{u}营商环境评价反馈问题整改",
    "督促{u}按时报送新入库规上企业统计数据",
    "推动{u}新建产业项目尽快投产达效",
    "督办{u}拖欠企业账款清理工作",
    "推进{u}农村人居环境整治提升",
    "落实{u}粮食安全责任制考核反馈问题整改",
    "督促{u}加快专项债券项目资金支出进度",
    "推动{u}招商引资签约项目尽快开工",
    "督办{u}12345热线群众反映集中问题",
};

constexpr const char* kReasons[] = {
    "该事项涉及跨部门审批，需报省直有关部门审核，办理周期较长",
    "该事项需分批组织实施并逐项验收",
    "该事项涉及资金筹措和招标采购程序，需按程序分步推进",
    "该事项需结合季度统计数据才能反映成效",
};

constexpr const char* kFeedbacks[] = {
    "已召开专题推进会，逐项明确责任单位和完成时限，目前完成进度约{p}%。",
    "已完成现场核查和问题梳理，正在按方案推进，目前完成进度约{p}%。",
    "主要工作按计划推进，已协调解决具体问题{n}个，目前完成进度约{p}%。",
};

constexpr const char* kResults[] = {
    "已按要求办理完毕，有关问题已整改到位，现申请验收。",
    "各项任务已全部完成，相关手续已办理完毕，并建立长效工作机制，现申请验收。",
};

constexpr const char* kAccepts[] = {
    "经核查，办理结果符合要求，同意办结。",
    "经现场核查，问题已整改到位，同意办结。",
};

constexpr const char* kCancelReasons[] = {
    "该事项已并入省政府专项工作统一推进，本督办事项撤销。",
    "经核实，该问题已在交办前解决，撤销督办。",
};

enum class Who { kOwner, kSupervisor };

struct Step {
  int day;  // working days after the clock's start day
  const char* kind;
  Who who = Who::kOwner;
};

class Generator {
 public:
  Generator(const std::vector<DemoUnit>& units, int64_t assigning_unit_id, int64_t supervisor_id,
            int64_t now, uint64_t seed)
      : units_(units),
        cal_(supervision::OfficialCalendar()),
        assigning_(assigning_unit_id),
        supervisor_(supervisor_id),
        now_(now),
        today_(ToCivil(now, kOffset)),
        seed_(seed) {
    for (CivilDate d = today_; static_cast<int>(days_.size()) < kWindow + 2; d = AddDays(d, -1)) {
      if (supervision::IsWorkingDay(cal_, d)) days_.push_back(d);
    }
    for (size_t i = 0; i < units_.size(); ++i) siblings_[units_[i].parent_id].push_back(i);
  }

  BulkData Run(int count) {
    BulkData out;
    const size_t n = units_.size();
    if (n == 0 || count <= 0) return out;
    std::vector<int64_t> per_unit(n, 0);
    per_unit[0] = n == 1 ? count : std::min(count, kFirstUnitTasks);
    if (n > 1) {
      std::vector<double> weights;
      for (size_t i = 1; i < n; ++i) weights.push_back(Stream(seed_, "weight", units_[i].code).Uniform(0.7, 1.3));
      std::vector<int64_t> rest = Allocate(count - per_unit[0], weights, 1);
      for (size_t i = 1; i < n; ++i) per_unit[i] = rest[i - 1];
    }
    for (size_t u = 0; u < n; ++u)
      for (int64_t m = 0; m < per_unit[u]; ++m) Make(u, m);
    std::stable_sort(built_.begin(), built_.end(),
                     [](const Built& a, const Built& b) { return a.task.assigned_at < b.task.assigned_at; });
    // Codes in order of assignment, as many digits as the year needs (so they sort).
    std::map<int, int> per_year;
    for (const Built& b : built_) ++per_year[ToCivil(b.task.assigned_at, kOffset).year];
    std::map<int, int> seq;
    for (Built& b : built_) {
      const int year = ToCivil(b.task.assigned_at, kOffset).year;
      const size_t width = std::max<size_t>(4, Num(per_year[year]).size());
      std::string number = Num(++seq[year]);
      b.task.code = "DB" + Num(year) + "-" + std::string(width - std::min(width, number.size()), '0') + number;
      out.tasks.push_back(std::move(b.task));
      out.events.push_back(std::move(b.events));
      out.files.push_back(std::move(b.files));
    }
    return out;
  }

 private:
  struct Built {
    TaskRecord task;
    std::vector<TaskEvent> events;
    std::vector<std::pair<TaskFile, std::string>> files;
  };

  // An assignment whose clock starts on days_[k]: before 17:30 that day, or (~12%) after
  // 17:30 on the working day before; never after now.
  int64_t AssignAt(int k, Rng& r) const {
    const bool late = r.Chance(0.12);
    const CivilDate d = days_[late ? k + 1 : k];
    const int64_t at = late ? At(d, r.Int(17 * 60 + 32, 17 * 60 + 58)) : At(d, r.Int(8 * 60 + 40, 17 * 60 + 20));
    if (at <= now_) return at;
    const int64_t lo = At(d, 8 * 60 + 40);  // only today can be after now
    if (lo < now_ - kMinute) return lo + r.Int64(0, (now_ - kMinute - lo) / kMinute) * kMinute;
    return At(days_[k + 1], r.Int(17 * 60 + 35, 17 * 60 + 58));
  }

  // A time on working day `d` after `after` (and not after now), in office hours; nullopt
  // when the day has none left.
  std::optional<int64_t> TimeOn(const CivilDate& d, int64_t after, Rng& r) const {
    const int64_t day_lo = At(d, kOfficeStart);
    const int64_t day_hi = std::min(At(d, kOfficeEnd), now_);
    int64_t from = after < day_lo ? day_lo : after + 3 * kMinute;
    int64_t to = after < day_lo ? At(d, 14 * 60 + 30) : after + 30 * kMinute;
    to = std::min(to, day_hi);
    if (from > to) {
      from = std::max(day_lo, after + kMinute);
      if (from > day_hi) return std::nullopt;
      to = from;
    }
    return from + r.Int64(0, (to - from) / kMinute) * kMinute;
  }

  void Make(size_t u, int64_t m) {
    const DemoUnit& owner = units_[u];
    Rng r = Stream(seed_, "task", owner.code, m);
    Built b;
    TaskRecord& t = b.task;
    t.unit_id = assigning_;
    t.owner_unit_id = owner.id;
    t.assigned_by = supervisor_;
    t.profile = "steps";
    t.title = Replace(r.Pick(kTitles), "{u}", owner.name);
    t.description = "请" + owner.name + "按照“13710”工作制度要求抓好落实，按时签收、制定方案、反馈进展，按期办结。";
    const double src = r.Unit();
    t.source = src < 0.45 ? "instruction" : src < 0.85 ? "higher" : "meeting";
    const int year = today_.year;
    t.source_ref = t.source == "instruction" ? "省领导批示〔" + Num(year) + "〕" + Num(r.Int(1, 400)) + "号"
                   : t.source == "higher"    ? "督查通知〔" + Num(year) + "〕" + Num(r.Int(1, 120)) + "号"
                                             : "省政府第" + Num(r.Int(20, 60)) + "次常务会议";
    // Co-units: 1–2 other units under the owner's parent.
    if (r.Chance(0.15)) {
      const std::vector<size_t>& sib = siblings_[owner.parent_id];
      const int want = r.Int(1, 2);
      for (int tries = 0; tries < 6 && static_cast<int>(t.co_unit_ids.size()) < want && sib.size() > 1; ++tries) {
        const int64_t id = units_[sib[r.Index(sib.size())]].id;
        if (id != owner.id && std::find(t.co_unit_ids.begin(), t.co_unit_ids.end(), id) == t.co_unit_ids.end())
          t.co_unit_ids.push_back(id);
      }
    }
    t.assigned_at = AssignAt(r.Int(0, kWindow - 1), r);
    t.created_at = t.assigned_at;
    const CivilDate start = supervision::ClockStartDay(cal_, t.assigned_at, kOfficeEndRule, kOffset);
    CivilDate due = supervision::AddWorkingDays(cal_, start, 10);
    if (r.Chance(0.65)) {  // a complex matter with a justified long deadline
      due = supervision::AddWorkingDays(cal_, start, r.Int(20, 60));
      t.deadline = due;
      t.deadline_reason = std::string(r.Pick(kReasons)) + "，经研究确定" + YearMonthDay(due) + "前办结。";
    }
    const int c = static_cast<int>(supervision::WorkingDaysBetween(cal_, start, due));
    const int kd = static_cast<int>(supervision::WorkingDaysBetween(cal_, start, today_));

    std::vector<Step> steps;
    auto add = [&](int day, const char* kind, Who who = Who::kOwner) { steps.push_back({day, kind, who}); };
    if (kd >= 0) Plan(add, r, kd, c);
    std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.day < b.day; });
    Play(b, steps, start, due, owner, r);
  }

  template <typename Add>
  void Plan(Add& add, Rng& r, int kd, int c) {
    const bool cancelled = kd >= 3 && r.Chance(0.012);
    const double nr = kd == 0 ? 0.55 : kd <= 4 ? 0.18 : kd <= 10 ? 0.03 : 0.0;
    if (cancelled) {
      add(0, "received");
      add(r.Int(2, std::min(kd, 8)), "cancelled", Who::kSupervisor);
      return;
    }
    if (r.Chance(nr)) return;  // not yet received
    const int rcv = std::min(kd, r.Chance(0.1) ? 1 : 0);
    add(rcv, "received");
    const int plan = std::max(rcv, r.Chance(0.1) ? r.Int(4, 5) : r.Int(1, 3));
    if (plan > kd) return;  // received, no plan yet
    add(plan, "plan");
    // Completion: what happened by now.
    enum { kOpen, kReported, kClosed } outcome = kOpen;
    int report = -1;
    if (kd > c) {
      const double u = r.Unit();
      outcome = u < 0.78 ? kClosed : u < 0.88 ? kReported : kOpen;
      if (outcome != kOpen) {
        report = r.Chance(0.75) ? r.Int(std::max(plan + 1, c - 6), c) : c + r.Int(1, 4);
        report = std::min(report, outcome == kClosed ? kd - 1 : kd);
      }
    } else if (kd >= 6 && r.Chance(0.10) && std::max(plan + 1, 5) <= kd - 1) {  // reported early
      outcome = r.Chance(0.6) ? kClosed : kReported;
      report = r.Int(std::max(plan + 1, 5), kd - 1);
    }
    if (report >= 0 && report <= plan) report = plan + 1;
    if (report > kd) outcome = kOpen;
    // Progress feedback every 5–7 working days from the first (due 3 working days after
    // the start); ~12% of the open ones stopped reporting 1–2 weeks ago.
    int last = kd;
    if (outcome != kOpen) last = report - 1;
    else if (r.Chance(0.12)) last = kd - r.Int(8, 11);
    for (int day = std::max(plan, r.Int(2, 3)); day <= last; day += r.Int(5, 7)) add(day, "feedback");
    if (outcome == kOpen) return;
    add(report, "file");
    add(report, "reported");
    if (outcome == kClosed) add(std::min(kd, report + r.Int(1, 3)), "accepted", Who::kSupervisor);
  }

  // Turns the steps into events at times in office hours, in order, stopping at the first
  // that would fall after now; then sets the record from what happened.
  void Play(Built& b, const std::vector<Step>& steps, const CivilDate& start, const CivilDate& due,
            const DemoUnit& owner, Rng& r) {
    TaskRecord& t = b.task;
    auto event = [&](const std::string& kind, const std::string& text, Who who, int64_t at) {
      TaskEvent e;
      e.kind = kind;
      e.text = text;
      if (who == Who::kSupervisor) e.user_id = supervisor_;
      e.unit_id = who == Who::kOwner ? owner.id : assigning_;
      e.at = at;
      b.events.push_back(std::move(e));
    };
    const char* source = t.source == "meeting" ? "会议议定" : t.source == "instruction" ? "领导批示" : "上级交办";
    event("assigned", std::string(source) + "（" + t.source_ref + "）；办结期限" + YearMonthDay(due), Who::kSupervisor,
          t.assigned_at);
    int64_t prev = t.assigned_at;
    for (const Step& s : steps) {
      std::optional<int64_t> at = TimeOn(supervision::AddWorkingDays(cal_, start, s.day), prev, r);
      if (!at) break;
      prev = *at;
      const std::string kind = s.kind;
      std::string text;
      if (kind == "received") {
        text = "已签收，即安排专人办理。";
        t.received_at = *at;
        t.state = supervision::kReceived;
      } else if (kind == "plan") {
        text = "成立工作专班，制定推进方案，明确责任人和时间节点，计划于" + MonthDay(due) + "前办结。";
        t.plan = text;
        t.planned_at = *at;
        t.state = supervision::kInProgress;
      } else if (kind == "feedback") {
        text = Replace(Replace(r.Pick(kFeedbacks), "{p}", Num(r.Int(30, 90))), "{n}", Num(r.Int(2, 6)));
      } else if (kind == "file") {
        const std::string bytes = "关于" + t.title + "的情况说明\n\n省政府督查室：\n\n    " + t.title +
                                  "一事，我单位已按要求办理完毕，相关问题已整改到位。\n\n    特此说明。\n\n" +
                                  owner.name + "\n" + YearMonthDay(ToCivil(*at, kOffset)) + "\n";
        TaskFile f;
        f.name = "情况说明.txt";
        f.content_type = supervision::CheckEvidenceFile(f.name, bytes, {}).value_or("text/plain");
        f.size = static_cast<int64_t>(bytes.size());
        f.unit_id = owner.id;
        f.at = *at;
        text = f.name;
        b.files.emplace_back(std::move(f), bytes);
      } else if (kind == "reported") {
        text = r.Pick(kResults);
        t.result = text;
        t.reported_at = *at;
        t.state = supervision::kReported;
      } else if (kind == "accepted") {
        text = r.Pick(kAccepts);
        t.closed_at = *at;
        t.state = supervision::kClosed;
      } else if (kind == "cancelled") {
        text = r.Pick(kCancelReasons);
        t.cancel_reason = text;
        t.closed_at = *at;
        t.state = supervision::kCancelled;
      }
      event(kind, text, s.who, *at);
    }
    t.updated_at = b.events.back().at;
    built_.push_back(std::move(b));
  }

  const std::vector<DemoUnit>& units_;
  const Calendar& cal_;
  const int64_t assigning_, supervisor_, now_;
  const CivilDate today_;
  const uint64_t seed_;
  std::vector<CivilDate> days_;  // working days on or before today, newest first
  std::map<int64_t, std::vector<size_t>> siblings_;  // parent id → positions in units_
  std::vector<Built> built_;
};

}  // namespace

BulkData GenerateProvinceSupervision(const std::vector<DemoUnit>& units, int64_t assigning_unit_id,
                                     int64_t supervisor_id, int count, int64_t now, uint64_t seed) {
  return Generator(units, assigning_unit_id, supervisor_id, now, seed).Run(count);
}

}  // namespace tiaodu::app
