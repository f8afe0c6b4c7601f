// Plain structs of the investment-attraction domain (招商引资) and the industry-chain maps
// (链长制): companies, leads through their stages, activities, contracts, chains with their
// segments and firms, and unit targets. Amounts are in 亿元 as exact Decimals; dates civil.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/decimal.h"

namespace tiaodu::investment {

// Lead stages in order: 线索 → 接洽 → 考察 → 实质性谈判 → 签约 → 注册 → 开工 → 投产.
inline constexpr const char* kLeadStages[] = {"clue",   "contact",    "inspection", "negotiation",
                                              "signed", "registered", "started",    "producing"};
inline constexpr int kLeadStageCount = 8;

struct Company {
  int64_t id = 0;
  std::string name;
  std::string normalized_name;  // for duplicate detection; see rules.h NormalizeCompanyName
  std::string uscc;             // 统一社会信用代码, 18 characters, or empty when unknown
  std::string origin;           // where it comes from: "广东省深圳市", "德国"
  std::set<std::string> tags;   // "央企", "国企", "上市", "500强", "专精特新", "外资", "民营" ...
  std::optional<int64_t> merged_into;  // set when merged by hand into another record
  int version = 1;
};

struct Lead {
  int64_t id = 0;
  int64_t company_id = 0;
  std::string project_name;
  Decimal amount;  // intended investment, 亿元
  std::optional<int64_t> chain_id;
  std::optional<int64_t> segment_id;
  std::string source;  // "business" 以商招商 | "resident" 驻外招商 | "fund" 基金招商 |
                       // "platform" 平台招商 | "other" 其他
  int64_t unit_id = 0;                    // owner unit
  std::optional<int64_t> officer_id;      // the investment officer following it
  std::string stage = "clue";
  std::map<std::string, CivilDate> stage_dates;
  bool lost = false;
  std::string lost_reason;
  std::optional<CivilDate> lost_date;
  std::optional<int64_t> project_id;  // the key project it became
  int version = 1;
  int64_t created_at = 0;
};

struct Contract {
  int64_t id = 0;
  int64_t lead_id = 0;
  CivilDate date;
  Decimal amount;       // 亿元
  std::string kind;     // "framework" 框架协议 | "formal" 正式合同
  int version = 1;
};

struct Activity {
  int64_t id = 0;
  std::string kind;  // "outgoing" 走出去 | "incoming" 请进来 | "event" 推介活动
  CivilDate date;
  std::string title;
  std::string location;
  bool leader_level = false;  // 大员招商 / 顶格招商
  std::string leader;         // the leading official's name, when leader_level
  int64_t unit_id = 0;
  std::vector<int64_t> lead_ids;
  std::string notes;
  int version = 1;
};

struct Segment {
  int64_t id = 0;
  int64_t chain_id = 0;
  std::string position;  // "upstream" | "midstream" | "downstream"
  std::string name;
  int seq = 0;
  std::vector<int64_t> local_firms;   // company ids
  std::vector<int64_t> target_firms;  // company ids
};

struct Chain {
  int64_t id = 0;
  std::string name;        // "艾草", "医疗器械"
  std::string chain_leader;  // 链长 (a leader's name and title)
  std::optional<int64_t> lead_firm_id;  // 链主 (a company)
  std::vector<Segment> segments;
  int version = 1;
};

// A unit's targets for a year.
struct Target {
  int64_t id = 0;
  int64_t unit_id = 0;
  int year = 0;
  int projects_100m = 0;     // 亿元以上项目个数
  Decimal contract_amount;   // 合同引资额, 亿元
  int version = 1;
};

}  // namespace tiaodu::investment
