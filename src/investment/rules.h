// The rules of 招商引资 as pure functions: company names and duplicates, lead stage
// transitions and what each stage needs, amounts and their units, signing statistics, chain
// gaps, and target progress. No I/O; "today" is passed in. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/decimal.h"
#include "base/result.h"
#include "investment/model.h"

namespace tiaodu::investment {

// ---- Companies ----

// The name used to find duplicates: spaces (ASCII, U+3000) removed; full-width brackets
// （）【】 → ( ); "有限责任公司" → "有限公司"; "股份有限公司" kept as is; ASCII lower-cased.
// "比亚迪（深圳） 有限责任公司" and "比亚迪(深圳)有限公司" normalise to the same text.
std::string NormalizeCompanyName(std::string_view name);

// Checks a company's own fields: name 2–200 bytes; USCC empty or valid (base/validators.h
// ValidateUscc, whose message names the failing check character); tags from the known list
// ("央企", "国企", "上市", "500强", "专精特新", "高新技术企业", "外资", "民营", "独角兽");
// origin at most 100 bytes. InvalidArgument with details.
Status CheckCompany(const Company& c);
const std::vector<std::string>& KnownCompanyTags();

// A possible duplicate of `c` among `others` (never itself, never merged records): the same
// USCC (reason "统一社会信用代码相同"), or the same normalised name (reason "名称相同（忽略括号、
// 空格和“有限责任公司/有限公司”的差别）").
struct DuplicateHit {
  int64_t company_id = 0;
  std::string reason;
};
std::vector<DuplicateHit> FindDuplicates(const Company& c, const std::vector<Company>& others);

// ---- Amounts ----

// Parses an amount given with or without a money unit into 亿元: "12.5" (亿元 implied),
// "12.5亿元", "125000万元", "1250000000元". Other units ("12个", "12万美元") and bad numbers
// are InvalidArgument, naming `field`, e.g. "金额单位应为元、万元或亿元". Negative amounts are
// refused; so are amounts above 10000亿元 (absurd for one project).
Result<Decimal> ParseAmountYi(std::string_view text, const std::string& field);

// ---- Leads ----

int LeadStageIndex(std::string_view stage);  // -1 when unknown
// "线索", "接洽", "考察", "实质性谈判", "签约", "注册", "开工", "投产".
std::string_view LeadStageName(std::string_view stage);
// "以商招商", "驻外招商", "基金招商", "平台招商", "其他"; unknown → the code itself.
std::string_view SourceName(std::string_view source);

// Checks a lead's own fields: project name 2–200 bytes; amount > 0 and <= 10000; source
// known; stage known. InvalidArgument with details.
Status CheckLead(const Lead& l);

// A stage change of a lead with `contracts` on record:
//   - only to the next stage (a jump is refused, naming both stages: "不能从“接洽”直接到“签约”，
//     须逐级推进");
//   - never backwards (FailedPrecondition); a lost lead must be reopened first;
//   - 签约 needs at least one contract dated on or before the change date;
//   - the date is not before the current stage's date and not after today.
// Errors: FailedPrecondition (state) or InvalidArgument (the date).
Status CheckLeadStageChange(const Lead& l, std::string_view to, const CivilDate& date,
                            const std::vector<Contract>& contracts, const CivilDate& today);
// Losing needs a reason (InvalidArgument) and an open lead (FailedPrecondition: already lost,
// or already producing — a lead in production is not lost). Reopening needs a lost lead.
Status CheckLose(const Lead& l, const std::string& reason);
Status CheckReopen(const Lead& l);

// Checks a contract: date not after today; amount > 0; kind "framework" or "formal".
Status CheckContract(const Contract& c, const CivilDate& today);

// ---- Statistics ----

// Signing figures of a set of leads in [from, to] (inclusive dates):
//   signed_projects  leads that reached 签约 within the range (by stage_dates["signed"]);
//   projects_100m    of those, the ones whose contracts total at least 1亿元;
//   contract_amount  the sum of all contracts dated within the range (of any lead).
// Lost leads still count for what they signed.
struct SigningStats {
  int signed_projects = 0;
  int projects_100m = 0;
  Decimal contract_amount;
};
SigningStats ComputeSigningStats(const std::vector<Lead>& leads, const std::vector<Contract>& contracts,
                                 const CivilDate& from, const CivilDate& to);

// Progress against a unit's year target at `as_of` (within the target's year):
// shares in percent of the count and of the amount, the elapsed share of the year in
// percent (by day), and a status: "ahead" when both shares >= elapsed, "behind" when either
// is below elapsed − 10 points, else "on_track".
struct TargetProgress {
  std::optional<Decimal> count_share, amount_share;
  Decimal elapsed;
  std::string status;
};
TargetProgress ComputeTargetProgress(const Target& t, const SigningStats& ytd, const CivilDate& as_of);

// ---- Chains ----

// Positions "upstream" 上游 / "midstream" 中游 / "downstream" 下游.
std::string_view PositionName(std::string_view position);
// Segments without a local firm (补链 gaps), in the chain's order.
std::vector<const Segment*> Gaps(const Chain& chain);
// Checks a chain: name 1–100 bytes; every segment with a known position and a name; no
// company both local and target in one segment. InvalidArgument with details.
Status CheckChain(const Chain& chain);

}  // namespace tiaodu::investment
