#include "supervision/rules.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/period.h"
#include "supervision/calendar.h"

namespace tiaodu::supervision {

ClockSettings DefaultSettings() {
  ClockSettings s;
  // DESIGN 4.4: receipt the same working day; a plan and the first feedback within 3
  // working days; feedback every 7 working days; completion within 10 working days (or a
  // justified new deadline).
  ClockProfile steps;
  steps.code = "steps";
  steps.name = "13710分步时限（当日签收、3日方案、7日反馈、10日办结）";
  steps.steps = {{kReceipt, "签收", 0, false, 0},
                 {kPlan, "办理方案", 3, false, 0},
                 {kFeedback, "进展反馈", 3, true, 7},
                 {kComplete, "办结", 10, false, 0}};
  // The other public reading: four classes of matters finished in 1, 3, 7 or 10 working
  // days by urgency; receipt stays the same working day.
  ClockProfile urgency;
  urgency.code = "urgency";
  urgency.name = "13710分类时限（按紧急程度1、3、7、10日办结）";
  urgency.steps = {{kReceipt, "签收", 0, false, 0}, {kComplete, "办结", 10, false, 0}};
  urgency.completion_classes = {1, 3, 7, 10};
  s.profiles = {std::move(steps), std::move(urgency)};
  return s;
}

namespace {

constexpr int64_t kDayMillis = 86'400'000;
constexpr int kMaxStepDays = 366;
constexpr int kMaxNewDeadlineDays = 3660;
constexpr size_t kMaxReasonBytes = 2000;
constexpr size_t kMaxProfileCode = 32;

std::string Quote(std::string_view s) { return "“" + std::string(s) + "”"; }
std::string Iso(const CivilDate& d) { return FormatIsoDate(d); }
std::string Num(int64_t n) { return std::to_string(n); }

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

bool KnownStep(std::string_view code) {
  return code == kReceipt || code == kPlan || code == kFeedback || code == kComplete;
}

bool IsProfileCodeChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// 00:00 (local time) of the day after `date`: a deadline on `date` has ended at this instant.
int64_t DayEnd(const CivilDate& date, int offset_minutes) {
  return (DaysFromCivil(date) + 1) * kDayMillis - int64_t{offset_minutes} * 60'000;
}

const ClockStep* CompleteStep(const ClockProfile& p) {
  for (const ClockStep& step : p.steps) {
    if (step.code == kComplete) return &step;
  }
  return nullptr;
}

int CompletionDays(const Task& task, const ClockProfile& p) {
  if (!p.completion_classes.empty() && task.completion_class > 0) return task.completion_class;
  const ClockStep* complete = CompleteStep(p);
  return complete != nullptr ? complete->working_days : 0;
}

std::string ClassList(const std::vector<int>& classes) {
  std::string out;
  for (size_t i = 0; i < classes.size(); ++i) {
    if (i > 0) out += "、";
    out += Num(classes[i]);
  }
  return out;
}

StepStatus NewStep(const ClockStep& def, int seq, const CivilDate& due) {
  StepStatus step;
  step.code = def.code;
  step.name = def.name;
  step.seq = seq;
  step.due = due;
  return step;
}

// "“办理方案”" or "第2次“进展反馈”".
std::string StepLabel(const StepStatus& step) {
  if (step.code == kFeedback) return "第" + Num(step.seq) + "次" + Quote(step.name);
  return Quote(step.name);
}

}  // namespace

Status CheckSettings(const ClockSettings& s) {
  std::vector<Detail> d;
  if (s.utc_offset_minutes <= -24 * 60 || s.utc_offset_minutes >= 24 * 60) {
    d.push_back({"utc_offset_minutes", "时区偏移应在±24小时之内"});
  }
  if (s.office_end_minutes <= 0 || s.office_end_minutes > 24 * 60) {
    d.push_back({"office_end_minutes", "下班时间应在00:01至24:00之间"});
  }
  if (s.yellow_within_days < 0) d.push_back({"yellow_within_days", "黄灯提前天数不能为负数"});
  if (s.red_after_days < 0) d.push_back({"red_after_days", "红灯逾期天数不能为负数"});
  if (s.max_new_deadline_days < 1 || s.max_new_deadline_days > kMaxNewDeadlineDays) {
    d.push_back({"max_new_deadline_days", "延期上限应为1至" + Num(kMaxNewDeadlineDays) + "天"});
  }
  if (s.profiles.empty()) d.push_back({"profiles", "至少需要一个督办时限方案"});
  std::set<std::string> codes;
  for (size_t i = 0; i < s.profiles.size(); ++i) {
    const ClockProfile& p = s.profiles[i];
    std::string field = "profiles[" + Num(static_cast<int64_t>(i)) + "]";
    if (p.code.empty() || p.code.size() > kMaxProfileCode ||
        !std::all_of(p.code.begin(), p.code.end(), IsProfileCodeChar)) {
      d.push_back({field + ".code", "方案代码应为1至32位小写字母、数字、下划线或连字符"});
    } else if (!codes.insert(p.code).second) {
      d.push_back({field + ".code", "方案代码" + Quote(p.code) + "重复"});
    }
    if (IsBlank(p.name)) d.push_back({field + ".name", "请填写方案名称"});
    std::set<std::string> step_codes;
    int completes = 0;
    for (size_t j = 0; j < p.steps.size(); ++j) {
      const ClockStep& step = p.steps[j];
      std::string sf = field + ".steps[" + Num(static_cast<int64_t>(j)) + "]";
      if (!KnownStep(step.code)) {
        d.push_back({sf + ".code",
                     "环节应为receipt（签收）、plan（办理方案）、feedback（进展反馈）或complete（办"
                     "结），而非" +
                         Quote(step.code)});
      } else if (!step_codes.insert(step.code).second) {
        d.push_back({sf + ".code", "环节" + Quote(step.code) + "重复"});
      }
      if (step.code == kComplete) ++completes;
      if (IsBlank(step.name)) d.push_back({sf + ".name", "请填写环节名称"});
      if (step.working_days < 0 || step.working_days > kMaxStepDays) {
        d.push_back({sf + ".working_days", "时限应为0至" + Num(kMaxStepDays) + "个工作日"});
      }
      if (step.repeating && (step.repeat_every < 1 || step.repeat_every > kMaxStepDays)) {
        d.push_back(
            {sf + ".repeat_every", "周期性环节的间隔应为1至" + Num(kMaxStepDays) + "个工作日"});
      }
      if (step.repeating && step.code == kComplete) {
        d.push_back({sf + ".repeating", "办结环节不能周期重复"});
      }
    }
    if (completes != 1) d.push_back({field + ".steps", "方案须有且只有一个办结（complete）环节"});
    std::set<int> classes;
    for (int c : p.completion_classes) {
      if (c < 0 || c > kMaxStepDays) {
        d.push_back({field + ".completion_classes",
                     "办结时限类别应为0至" + Num(kMaxStepDays) + "个工作日"});
      } else if (!classes.insert(c).second) {
        d.push_back({field + ".completion_classes", "办结时限类别" + Num(c) + "重复"});
      }
    }
  }
  if (!d.empty()) return InvalidArgument("督办时限设置有误", std::move(d));
  return Status::Ok();
}

Result<ClockProfile> FindProfile(const ClockSettings& s, std::string_view code) {
  for (const ClockProfile& p : s.profiles) {
    if (p.code == code) return p;
  }
  return NotFound("未知的督办时限方案" + Quote(code));
}

Status CheckTaskClock(const Task& task, const ClockSettings& s) {
  Result<ClockProfile> p = FindProfile(s, task.profile);
  if (!p.ok()) {
    return InvalidArgument("督办时限方案有误", {{"profile", p.status().message()}});
  }
  if (p->completion_classes.empty()) {
    if (task.completion_class != 0) {
      return InvalidArgument("督办时限方案有误",
                             {{"completion_class", Quote(p->name) + "不分办结时限类别"}});
    }
    return Status::Ok();
  }
  const std::vector<int>& classes = p->completion_classes;
  if (std::find(classes.begin(), classes.end(), task.completion_class) == classes.end()) {
    return InvalidArgument(
        "督办时限方案有误",
        {{"completion_class", "请选择办结时限类别：" + ClassList(classes) + "个工作日"}});
  }
  return Status::Ok();
}

Result<CivilDate> OriginalCompletionDue(const Task& task, const Calendar& cal,
                                        const ClockSettings& s) {
  Result<ClockProfile> p = FindProfile(s, task.profile);
  if (!p.ok()) return p.status();
  CivilDate start =
      ClockStartDay(cal, task.assigned_at, s.office_end_minutes, s.utc_offset_minutes);
  return AddWorkingDays(cal, start, CompletionDays(task, *p));
}

Result<ClockState> Evaluate(const Task& task, const Calendar& cal, const ClockSettings& s,
                            int64_t now) {
  Result<ClockProfile> profile = FindProfile(s, task.profile);
  if (!profile.ok()) return profile.status();
  const int offset = s.utc_offset_minutes;

  ClockState st;
  st.start = ClockStartDay(cal, task.assigned_at, s.office_end_minutes, offset);
  const CivilDate today = ToCivil(now, offset);
  // Only what had happened by `now` counts.
  auto done = [&](const std::string& code) -> std::optional<int64_t> {
    auto it = task.done_at.find(code);
    if (it == task.done_at.end() || it->second > now) return std::nullopt;
    return it->second;
  };
  const std::optional<int64_t> completed_at = done(kComplete);
  st.completed = completed_at.has_value();
  st.completion_due =
      task.new_deadline.value_or(AddWorkingDays(cal, st.start, CompletionDays(task, *profile)));

  auto settle = [&](StepStatus& step) {
    step.due_end = DayEnd(step.due, offset);
    if (step.done_at) {
      step.state = *step.done_at < step.due_end ? kDone : kLate;
    } else if (completed_at) {
      step.state = *completed_at >= step.due_end ? kMissed : kWaived;
    } else if (now >= step.due_end) {
      step.state = kOverdue;
      step.overdue_days = static_cast<int>(WorkingDaysBetween(cal, step.due, today));
      bool red = step.code == kComplete || step.overdue_days > s.red_after_days;
      step.light = red ? kRed : kYellow;
    } else {
      step.state = kPending;
    }
  };

  for (const ClockStep& def : profile->steps) {
    if (def.repeating) {
      std::vector<int64_t> made;
      for (int64_t f : task.feedback_at) {
        if (f <= now && (!completed_at || f <= *completed_at)) made.push_back(f);
      }
      std::sort(made.begin(), made.end());
      CivilDate due = AddWorkingDays(cal, st.start, def.working_days);
      int seq = 1;
      for (int64_t f : made) {
        StepStatus step = NewStep(def, seq++, due);
        step.done_at = f;
        settle(step);
        st.steps.push_back(std::move(step));
        due = AddWorkingDays(cal, ToCivil(f, offset), def.repeat_every);
      }
      // The cycle in force: pending or overdue, or (once completed) missed or waived.
      StepStatus step = NewStep(def, seq, due);
      settle(step);
      st.steps.push_back(std::move(step));
      continue;
    }
    StepStatus step =
        NewStep(def, 1,
                def.code == kComplete ? st.completion_due
                                      : AddWorkingDays(cal, st.start, def.working_days));
    step.done_at = done(def.code);
    settle(step);
    st.steps.push_back(std::move(step));
  }

  if (st.completed) {
    st.reason = "已办结";
    return st;
  }
  std::vector<std::string> red, yellow;
  for (const StepStatus& step : st.steps) {
    if (step.state != kOverdue) continue;
    std::string why =
        step.code == kComplete
            ? "办结期限" + Iso(step.due) + "已过"
            : StepLabel(step) +
                  (step.overdue_days > 0 ? "逾期" + Num(step.overdue_days) + "个工作日"
                                         : std::string("已逾期")) +
                  "（应于" + Iso(step.due) + "前完成）";
    (step.light == kRed ? red : yellow).push_back(std::move(why));
  }
  st.escalation = static_cast<int>(red.size());
  if (CompareDates(today, st.completion_due) <= 0) {
    int64_t left = WorkingDaysBetween(cal, today, st.completion_due);
    if (left <= s.yellow_within_days) {
      std::string due = "（" + Iso(st.completion_due) + "）";
      if (CompareDates(today, st.completion_due) == 0) {
        yellow.push_back("今日为办结期限" + due);
      } else if (left == 0) {  // a new deadline on a non-working day, seen the day before
        yellow.push_back("办结期限" + due + "前已无工作日");
      } else {
        yellow.push_back("距办结期限" + due + "仅剩" + Num(left) + "个工作日");
      }
    }
  }
  st.light = !red.empty() ? kRed : !yellow.empty() ? kYellow : kGreen;
  std::vector<std::string> all = red;
  all.insert(all.end(), yellow.begin(), yellow.end());
  for (size_t i = 0; i < all.size(); ++i) {
    if (i > 0) st.reason += "；";
    st.reason += all[i];
  }
  if (st.reason.empty()) st.reason = "按期推进";
  return st;
}

std::vector<std::string> OverdueSteps(const ClockState& state) {
  std::vector<std::string> codes;
  for (const StepStatus& step : state.steps) {
    if (step.state == kOverdue && std::find(codes.begin(), codes.end(), step.code) == codes.end()) {
      codes.push_back(step.code);
    }
  }
  return codes;
}

Status CheckNewDeadline(const Task& task, const Calendar& cal, const ClockSettings& s,
                        const CivilDate& new_deadline, std::string_view reason, int64_t now) {
  Result<CivilDate> original = OriginalCompletionDue(task, cal, s);
  if (!original.ok()) return original.status();
  std::vector<Detail> d;
  if (IsBlank(reason)) {
    d.push_back({"reason", "复杂事项调整办结期限须说明理由"});
  } else if (reason.size() > kMaxReasonBytes) {
    d.push_back({"reason", "理由不能超过" + Num(kMaxReasonBytes) + "字节"});
  }
  if (!IsValidDate(new_deadline)) {
    d.push_back({"new_deadline", "新的办结期限不是有效日期"});
  } else {
    CivilDate today = ToCivil(now, s.utc_offset_minutes);
    CivilDate latest = AddDays(*original, s.max_new_deadline_days);
    if (CompareDates(new_deadline, *original) <= 0) {
      d.push_back({"new_deadline", "新的办结期限应晚于原期限" + Iso(*original)});
    } else if (CompareDates(new_deadline, today) < 0) {
      d.push_back({"new_deadline", "新的办结期限不能早于今天（" + Iso(today) + "）"});
    } else if (CompareDates(new_deadline, latest) > 0) {
      d.push_back({"new_deadline", "新的办结期限最晚为" + Iso(latest) + "（原期限后" +
                                       Num(s.max_new_deadline_days) + "天）"});
    }
  }
  if (!d.empty()) return InvalidArgument("新的办结期限不符合要求", std::move(d));
  return Status::Ok();
}

std::string_view StateName(std::string_view s) {
  if (s == kAssigned) return "已交办";
  if (s == kReceived) return "已签收";
  if (s == kInProgress) return "办理中";
  if (s == kReported) return "待验收";
  if (s == kClosed) return "已办结";
  if (s == kCancelled) return "已撤销";
  return "";
}

std::string_view SourceName(std::string_view s) {
  if (s == "meeting") return "会议议定";
  if (s == "instruction") return "领导批示";
  if (s == "higher") return "上级交办";
  return "";
}

std::string_view LightName(std::string_view light) {
  if (light == kGreen) return "绿灯";
  if (light == kYellow) return "黄灯";
  if (light == kRed) return "红灯";
  return light;
}

// ---------------------------------------------------------------------------------------
// Evidence files

namespace {

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    int n = (c >= 0xC2 && c <= 0xDF) ? 1 : (c >= 0xE0 && c <= 0xEF) ? 2 : (c >= 0xF0 && c <= 0xF4) ? 3 : -1;
    if (n < 0 || i + static_cast<size_t>(n) >= s.size()) return false;
    unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F))
      return false;
    for (int k = 1; k <= n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n + 1;
  }
  return true;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

struct FileKind {
  const char* ext;
  const char* content_type;
};
constexpr FileKind kFileKinds[] = {
    {"pdf", "application/pdf"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"png", "image/png"},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"doc", "application/msword"},
    {"xls", "application/vnd.ms-excel"},
    {"txt", "text/plain; charset=utf-8"},
};
constexpr const char* kAllowed = "pdf、jpg、png、docx、xlsx、doc、xls、txt";

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool ContentMatches(const std::string& ext, std::string_view b) {
  if (ext == "pdf") return StartsWith(b, "%PDF-");
  if (ext == "jpg" || ext == "jpeg") return StartsWith(b, "\xFF\xD8\xFF");
  if (ext == "png") return StartsWith(b, std::string_view("\x89PNG\r\n\x1A\n", 8));
  if (ext == "docx" || ext == "xlsx") return StartsWith(b, std::string_view("PK\x03\x04", 4));
  if (ext == "doc" || ext == "xls") return StartsWith(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
  if (ext == "txt") return ValidUtf8(b);
  return false;
}

}  // namespace

Result<std::string> CheckEvidenceFile(std::string_view name, std::string_view bytes, const FileLimits& limits) {
  if (name.empty() || name.size() > 200) {
    return InvalidArgument("文件名应为1至200字节", {{"name", "文件名长度不符合要求"}});
  }
  if (!ValidUtf8(name)) return InvalidArgument("文件名不是有效的 UTF-8 文本", {{"name", "文件名含有无法识别的字符"}});
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '/' || c == '\\' || c == 0x7F) {
      return InvalidArgument("文件名不能含有路径分隔符或控制字符", {{"name", "文件名含有不允许的字符"}});
    }
  }
  if (bytes.empty()) return InvalidArgument("文件是空的", {{"file", "文件内容为空"}});
  if (static_cast<int64_t>(bytes.size()) > limits.max_bytes) {
    const int64_t mb = limits.max_bytes / (1024 * 1024);
    return Status(Code::kPayloadTooLarge, "文件超过" + std::to_string(mb) + "MB上限",
                  {{"file", "文件大小为" + std::to_string(bytes.size()) + "字节"}});
  }
  const size_t dot = name.rfind('.');
  const std::string ext = dot == std::string_view::npos ? "" : Lower(name.substr(dot + 1));
  const FileKind* kind = nullptr;
  for (const FileKind& k : kFileKinds)
    if (ext == k.ext) kind = &k;
  if (!kind) {
    std::string shown = ext.empty() ? "无扩展名" : "." + ext;
    return Status(Code::kUnsupportedMedia, "不支持的文件类型：" + shown + "（允许 " + kAllowed + "）",
                  {{"name", "文件类型不允许"}});
  }
  if (!ContentMatches(ext, bytes)) {
    return Status(Code::kUnsupportedMedia, "文件内容与扩展名不符：." + ext + " 文件的内容不是该类型",
                  {{"file", "文件内容与扩展名不符"}});
  }
  return std::string(kind->content_type);
}

// ---------------------------------------------------------------------------------------
// Settings text

std::string SettingsToText(const ClockSettings& s, int max_file_mb, int max_files) {
  auto two = [](int v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  std::string out;
  out += "utc_offset_minutes=" + std::to_string(s.utc_offset_minutes) + "\n";
  out += "office_end=" + two(s.office_end_minutes / 60) + ":" + two(s.office_end_minutes % 60) + "\n";
  out += "yellow_within_days=" + std::to_string(s.yellow_within_days) + "\n";
  out += "red_after_days=" + std::to_string(s.red_after_days) + "\n";
  out += "max_new_deadline_days=" + std::to_string(s.max_new_deadline_days) + "\n";
  out += "max_file_mb=" + std::to_string(max_file_mb) + "\n";
  out += "max_files_per_task=" + std::to_string(max_files) + "\n";
  for (const ClockProfile& p : s.profiles) {
    std::string classes;
    for (int c : p.completion_classes) classes += (classes.empty() ? "" : ",") + std::to_string(c);
    out += "profile=" + p.code + "|" + p.name + "|" + classes + "\n";
    for (const ClockStep& st : p.steps) {
      out += "step=" + p.code + "|" + st.code + "|" + st.name + "|" + std::to_string(st.working_days) + "|" +
             std::to_string(st.repeating ? st.repeat_every : 0) + "\n";
    }
  }
  return out;
}

Status SettingsFromText(std::string_view text, ClockSettings* s, int* max_file_mb, int* max_files) {
  *s = DefaultSettings();
  *max_file_mb = 10;
  *max_files = 20;
  std::vector<ClockProfile> profiles;
  int line_no = 0;
  auto bad = [&](const std::string& why) {
    return InvalidArgument("督办设置格式错误", {{"line " + std::to_string(line_no), why}});
  };
  auto split = [](std::string_view v) {
    std::vector<std::string> parts;
    size_t pos = 0;
    while (true) {
      size_t bar = v.find('|', pos);
      parts.emplace_back(v.substr(pos, bar == std::string_view::npos ? std::string_view::npos : bar - pos));
      if (bar == std::string_view::npos) break;
      pos = bar + 1;
    }
    return parts;
  };
  auto number = [](const std::string& v, int* out) {
    if (v.empty() || v.size() > 6) return false;
    size_t i = v[0] == '-' ? 1 : 0;
    if (i == v.size()) return false;
    for (size_t k = i; k < v.size(); ++k)
      if (v[k] < '0' || v[k] > '9') return false;
    *out = std::stoi(v);
    return true;
  };
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) return bad("缺少“=”");
    std::string key(line.substr(0, eq)), value(line.substr(eq + 1));
    int n = 0;
    if (key == "profile") {
      auto parts = split(value);
      if (parts.size() != 3) return bad("应为 代码|名称|时限类别");
      ClockProfile p;
      p.code = parts[0];
      p.name = parts[1];
      if (!parts[2].empty()) {
        size_t cp = 0;
        while (cp <= parts[2].size()) {
          size_t comma = parts[2].find(',', cp);
          std::string item = parts[2].substr(cp, comma == std::string::npos ? std::string::npos : comma - cp);
          if (!number(item, &n)) return bad("时限类别应为整数");
          p.completion_classes.push_back(n);
          if (comma == std::string::npos) break;
          cp = comma + 1;
        }
      }
      profiles.push_back(std::move(p));
    } else if (key == "step") {
      auto parts = split(value);
      if (parts.size() != 5) return bad("应为 方案|步骤|名称|工作日|反馈间隔");
      ClockProfile* p = nullptr;
      for (ClockProfile& q : profiles)
        if (q.code == parts[0]) p = &q;
      if (!p) return bad("步骤所属方案“" + parts[0] + "”未定义");
      ClockStep st;
      st.code = parts[1];
      st.name = parts[2];
      int every = 0;
      if (!number(parts[3], &st.working_days) || !number(parts[4], &every)) return bad("工作日应为整数");
      st.repeating = every > 0;
      st.repeat_every = every;
      p->steps.push_back(std::move(st));
    } else if (key == "office_end") {
      int h = 0, m = 0;
      if (value.size() != 5 || value[2] != ':' || !number(value.substr(0, 2), &h) || !number(value.substr(3), &m)) {
        return bad("下班时间应为 HH:MM");
      }
      s->office_end_minutes = h * 60 + m;
    } else if (!number(value, &n)) {
      return bad("“" + key + "”应为整数");
    } else if (key == "utc_offset_minutes") {
      s->utc_offset_minutes = n;
    } else if (key == "yellow_within_days") {
      s->yellow_within_days = n;
    } else if (key == "red_after_days") {
      s->red_after_days = n;
    } else if (key == "max_new_deadline_days") {
      s->max_new_deadline_days = n;
    } else if (key == "max_file_mb") {
      if (n < 1 || n > 10) return bad("附件大小上限应为1至10MB");
      *max_file_mb = n;
    } else if (key == "max_files_per_task") {
      if (n < 1 || n > 200) return bad("每个任务的附件数应为1至200个");
      *max_files = n;
    } else {
      return bad("未知的设置项“" + key + "”");
    }
  }
  if (!profiles.empty()) s->profiles = std::move(profiles);
  return CheckSettings(*s);
}

}  // namespace tiaodu::supervision
