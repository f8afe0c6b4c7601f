#include "supervision/sheets.h"

#include "base/period.h"
#include "http/sheets.h"
#include "supervision/rules.h"

namespace tiaodu::supervision {
namespace {

// Source codes and the words a sheet may use for them (the first is what it shows).
struct SourceWords {
  const char* code;
  std::vector<std::string_view> words;
};
const std::vector<SourceWords>& Sources() {
  static const std::vector<SourceWords> k = {{"meeting", {"会议议定", "meeting"}},
                                             {"instruction", {"领导批示", "instruction"}},
                                             {"higher", {"上级交办", "higher"}}};
  return k;
}

std::string StepLabel(const std::string& step) {
  if (step == kReceipt) return "签收";
  if (step == kPlan) return "办理方案";
  if (step == kFeedback) return "进展反馈";
  if (step == kComplete) return "办结";
  return step;
}

std::string DateText(const std::optional<CivilDate>& d) { return d ? FormatIsoDate(*d) : std::string(); }
std::string TimeText(const std::optional<int64_t>& millis) {
  return millis ? http::SheetTime(*millis) : std::string();
}

}  // namespace

std::string SourceFromSheet(std::string_view text) {
  for (const SourceWords& s : Sources())
    for (std::string_view w : s.words)
      if (text == w) return s.code;
  return "";
}

std::vector<std::string> SplitUnitCodes(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) out.push_back(current);
    current.clear();
  };
  size_t i = 0;
  while (i < text.size()) {
    bool separator = false;
    for (std::string_view sep : {"、", "，", "；", "\u3000"}) {
      if (text.substr(i).starts_with(sep)) {
        flush();
        i += sep.size();
        separator = true;
        break;
      }
    }
    if (separator) continue;
    const char ch = text[i++];
    if (ch == ',' || ch == ';' || ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') flush();
    else current += ch;
  }
  flush();
  return out;
}

std::optional<CivilDate> DateFromSheet(std::string_view text) {
  // A spreadsheet's date-time at midnight is the date.
  for (std::string_view midnight : {" 00:00:00", "T00:00:00", " 00:00"})
    if (text.size() > 10 && text.ends_with(midnight)) text.remove_suffix(midnight.size());
  int field[3] = {0, 0, 0};
  int width[3] = {0, 0, 0};
  size_t part = 0;
  char separator = 0;
  for (char ch : text) {
    if (ch >= '0' && ch <= '9') {
      if (++width[part] > 4) return std::nullopt;
      field[part] = field[part] * 10 + (ch - '0');
      continue;
    }
    const bool allowed = ch == '-' || ch == '/' || ch == '.';
    if (!allowed || part == 2 || width[part] == 0 || (separator && ch != separator)) return std::nullopt;
    separator = ch;
    ++part;
  }
  if (part != 2 || width[0] != 4 || width[1] > 2 || width[2] == 0 || width[2] > 2) return std::nullopt;
  const CivilDate d{field[0], field[1], field[2]};
  if (!IsValidDate(d)) return std::nullopt;
  return d;
}

std::vector<io::SheetColumn> TaskColumns(const std::vector<std::string>& profiles) {
  using io::CellKind;
  using io::Col;
  io::SheetColumn source = Col(header::kSource, CellKind::kText, 10,
                               "会议议定、领导批示或上级交办（从下拉列表选择）", true);
  for (const SourceWords& s : Sources()) source.choices.emplace_back(s.words.front());
  io::SheetColumn profile = Col(header::kProfile, CellKind::kText, 12,
                                "steps＝13710分步时限（默认，空白即此方案）；urgency＝按紧急程度1、3、7、10个工作日办结");
  profile.choices = profiles;
  return {
      Col(header::kCode, CellKind::kText, 14,
          "新任务留空，导入时自动编号（如 DB2026-0001）；填写已有任务的编号则核对该任务，只能调整办结时限"),
      Col(header::kTitle, CellKind::kText, 36, "最长200个汉字", true),
      Col(header::kDescription, CellKind::kText, 40, "任务的具体要求；可不填"),
      source,
      Col(header::kSourceRef, CellKind::kText, 20, "批示件、上级文号或会议名称；可不填"),
      Col(header::kOwner, CellKind::kText, 14, "牵头办理单位的编码，如 411303（卧龙区）；须在您的管理范围内", true),
      Col(header::kCoUnits, CellKind::kText, 24, "配合单位的编码，多个用“、”“,”或“;”隔开；不能含责任单位；可不填"),
      Col(header::kDeadline, CellKind::kDate, 12,
          "日期，如 2026-12-31，不早于今天；晚于13710时限（10个工作日）须在“办结时限理由”中说明", true),
      Col(header::kReason, CellKind::kText, 24,
          "办结时限晚于13710时限（复杂事项）或调整已有任务的办结时限时必填"),
      profile,
      Col(header::kClass, CellKind::kInteger, 10, "督办时限方案为 urgency 时填 1、3、7 或 10；其他方案留空"),
      Col("责任单位", CellKind::kText, 16, "导出时为单位名称；导入时忽略"),
      Col("协办单位", CellKind::kText, 24, "导出时为单位名称；导入时忽略"),
      Col("来源会议", CellKind::kText, 24, "导入时忽略"),
      Col("交办单位", CellKind::kText, 16, "导入时忽略（为导入人的单位）"),
      Col("交办人", CellKind::kText, 10, "导入时忽略"),
      Col("交办时间", CellKind::kText, 17, "导入时忽略"),
      Col("下一节点", CellKind::kText, 10, "导入时忽略"),
      Col("下一时限", CellKind::kDate, 12, "导入时忽略"),
      Col("状态", CellKind::kText, 10, "导入时忽略（状态随办理推进）"),
      Col("亮灯", CellKind::kText, 8, "导入时忽略"),
      Col("亮灯原因", CellKind::kText, 30, "导入时忽略"),
      Col("已升级至", CellKind::kText, 16, "导入时忽略"),
      Col("签收时间", CellKind::kText, 17, "导入时忽略"),
      Col("申请办结时间", CellKind::kText, 17, "导入时忽略"),
      Col("办结时间", CellKind::kText, 17, "导入时忽略"),
  };
}

std::vector<std::string> TaskCells(const TaskRow& r) {
  const TaskRecord& t = r.task;
  std::string co_codes, co_names;
  for (const UnitRef& u : r.co_units) {
    co_codes += (co_codes.empty() ? "" : "、") + u.code;
    co_names += (co_names.empty() ? "" : "、") + u.name;
  }
  return {t.code,
          t.title,
          t.description,
          std::string(SourceName(t.source)),
          t.source_ref,
          r.owner.code,
          co_codes,
          DateText(t.completion_due ? t.completion_due : t.deadline),
          t.deadline_reason,
          t.profile,
          t.completion_class ? std::to_string(t.completion_class) : std::string(),
          r.owner.name,
          co_names,
          t.meeting_id ? r.meeting_title : std::string(),
          r.unit.name,
          r.assigned_by.name,
          http::SheetTime(t.assigned_at),
          t.next_due ? StepLabel(t.next_step) : std::string(),
          DateText(t.next_due),
          std::string(StateName(t.state)),
          std::string(LightName(t.light)),
          t.light_reason,
          r.escalated_to ? r.escalated_to->name : std::string(),
          TimeText(t.received_at),
          TimeText(t.reported_at),
          TimeText(t.closed_at)};
}

const std::vector<std::string>& TaskInstructions() {
  static const std::vector<std::string> kText = {
      "1. 一行填写一个督办任务；带 * 的列必填。导入即交办：新任务由导入人所在单位交办，责任单位和协办单位会收到交办通知。",
      "2. “任务编号”留空表示新任务，导入时按年度自动编号（如 DB2026-0001）；填写已有任务的编号则与该任务核对：完全一致的不变。",
      "3. 已交办的任务只能调整办结时限（须填写“办结时限理由”，新时限晚于原13710时限、不早于今天、最多延后180天）；已办结、已撤销或待验收的任务不能调整。其他列与系统不一致时整批拒绝并说明原因。",
      "4. 来源填 会议议定、领导批示 或 上级交办（可从下拉列表选择）；日期填 2026-12-31 这样的日期。",
      "5. 协办单位编码可填多个，用“、”“,”或“;”隔开；责任单位和协办单位须在您的管理范围内，责任单位不能同时是协办单位。",
      "6. 督办时限方案留空为 13710 分步时限（steps）；按紧急程度（urgency）时在“紧急程度(工作日)”填 1、3、7 或 10。",
      "7. 导入是“全部或全不”：任何一行有错，整批不写入，并标出每一个出错的单元格。“责任单位”及其后各列由系统维护，导入时忽略。"};
  return kText;
}

}  // namespace tiaodu::supervision
