// The public notice (公示) of a 免申即享 run: the list of the enterprises that are granted a
// benefit without applying, with their amounts, as an official document (.docx, GB/T 9704
// layout like the monthly bulletin). NoticeData is what BenefitService::Notice reads in one
// transaction; NoticeDocx renders it. Everything in the notice comes from the data (its date is
// the run's publication, approval or run date, never "now"), so the same data gives the same
// bytes. Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/decimal.h"
#include "base/result.h"
#include "io/docx_writer.h"

namespace tiaodu::benefits {

// One line of the notice's table: a matched enterprise and its granted amount (元).
struct NoticeRow {
  std::string name, uscc, unit_name;
  Decimal granted;
};

struct NoticeData {
  int64_t run_id = 0;
  int year = 0;
  std::string policy_title, doc_number, issuer;
  std::string office;  // who publishes and receives objections: the issuer, else the run's unit
  bool approved = false;  // approved or published; otherwise the notice is a marked draft
  std::string reviewed_by, approved_by;  // display names ("" = not yet)
  std::string approved_date;             // "2026年11月24日" ("" = not yet)
  std::string date;  // 发布日期: published, else approved, else run date — "2026年11月24日"
  int enterprises = 0, matched = 0;
  Decimal granted;               // the run's total
  std::vector<NoticeRow> rows;   // matched results, in the run's order
};

// "2026年11月24日" of a timestamp (milliseconds), Beijing time.
std::string NoticeDate(int64_t millis);
// "关于<policy>（<year>年度）免申即享兑现名单的公示"
std::string NoticeTitle(const NoticeData& d);
// The draft mark shown under the title of a run not yet approved.
inline constexpr const char* kNoticeDraftMark = "（草稿，未经批准，不得公开）";
// The document: A4, margins 37/35/28/26 mm (top/bottom/left/right), title 2号 方正小标宋简体,
// body 3号 仿宋_GB2312, the table 五号 with its header repeated on each page; the draft mark in
// red under the title when not approved.
io::docx::Document NoticeDocument(const NoticeData& d);
// Its .docx bytes.
Result<std::string> NoticeDocx(const NoticeData& d);
// The download's name: the title, "（草稿）" for a draft, ".docx".
std::string NoticeFileName(const NoticeData& d);

}  // namespace tiaodu::benefits
