// Deterministic demo data for the investment-attraction domain (招商引资): companies, industry
// chains (链长制), leads through their stages, contracts, activities and unit targets for
// Nanyang, and a synthetic province for benchmarks. Pure: no database, no clock, no I/O
// ("today" is passed in). The result is investment::BulkData, whose references are positions
// (see investment/service.h); in addition every Company, Chain, Lead, Contract and Activity
// carries its own position as its id, and every Segment its position within its chain, so that
// the rules (FindDuplicates, ComputeSigningStats, Gaps ...) work on the data as generated.
//
// What the generated data guarantee (the tests check each):
//   - companies (~150 for Nanyang) pass investment::CheckCompany: realistic names by origin
//     ("深圳市鼎信电子科技有限公司", "南阳瑞丰艾草制品有限公司", "克劳斯汽车电子（太仓）有限
//     公司"), an origin ("广东省深圳市", "上海市", "德国", "河南省南阳市" ...), known tags (央企,
//     国企, 上市, 500强, 专精特新, 高新技术企业, 外资, 民营, 独角兽); most carry a USCC valid by
//     GB 32100 (base/validators.h ValidateUscc; its embedded organisation code is valid by
//     GB 11714 too), foreign firms without a Chinese entity and a few others none. USCCs are
//     unique except for one pair of records of a renamed firm; names are unique, also after
//     NormalizeCompanyName, except for three pairs typed twice ("XX（深圳）有限责任公司" and
//     "XX(深圳)有限公司") — FindDuplicates finds all four pairs;
//   - chains: 艾草, 医疗器械, 电子信息, 绿色食品, 生物医药, 智能制造, 新能源汽车, 新材料, each
//     with a chain leader ("市委副书记 李明远"), a local lead firm (链主), 5–7 segments over
//     upstream/midstream/downstream with local and target firms; 1–2 segments of each chain
//     have no local firm (gaps) but target firms; every chain passes CheckChain;
//   - leads (~300) pass CheckLead; stage_dates holds every stage up to the current one, each
//     strictly later than the one before, none after today; every stage is some lead's
//     current stage; ~10% are lost (with a reason and a lost date after their last stage date,
//     not after today), a few of them after signing; leads before 签约 have no contracts;
//   - a lead that reached 签约 has contracts (one formal contract, one framework agreement, or a
//     framework agreement and a formal contract) dated on or before its signing date, within
//     the signing date's half-year and not before its 实质性谈判 date; its intended amount is
//     at least its contracts' total;
//   - signing dates run from 2022-01-01 (or a year before today, when that is earlier) to
//     today; leads sit at county-level units (classified as GenerateNanyangProjects does; towns
//     get none) and ~10 at the city itself (a root aggregate, e.g. 411300);
//   - the published figures, by ComputeSigningStats over a unit's leads: 卧龙区 (411303)
//     2024-01-01…2024-06-30 exactly 48 signed projects and 243.8亿元 of contracts, when today is
//     2024-07-01 or later; 南阳官庄工区 (Z411373) 2022-01-01…2022-12-31 exactly 37 signed
//     projects and 769.03亿元, when today is 2023-01-01 or later;
//   - activities, each linked to at least one lead and dated not after today: 走出去 visits
//     (a unit's outside firms of one origin first contacted in one month, visited on the
//     earliest of those 接洽 dates, not before any of their 线索 dates), 请进来 inspections (on
//     an outside firm's 考察 date) and the city's yearly 推介活动 (linked to the 线索 they
//     produced within 30 days); some leader-level (大员招商 / 顶格招商) with the leader named
//     ("卧龙区委书记 ...", "市长 ...");
//   - signings of ordinary units are spread over the years (each year at least one while
//     the unit has enough);
//   - targets for every unit with leads in its subtree and every year from the first signing
//     year to today's year, set from the figures actually reached (past years: 亿元以上
//     projects and contract amount at 90–108% of the year's result, the amount in whole
//     亿元, or tenths below 10亿元; this year's projected from the year to date, or last
//     year's + 5–15% before March), so that they are roughly met;
//   - the same inputs and seed give the same output on every run.
#pragma once

#include <cstdint>
#include <vector>

#include "app/demo_indicators.h"
#include "base/clock.h"
#include "investment/service.h"

namespace tiaodu::app {

// About 300 leads across Nanyang's county-level units and the city itself, 2022..today, with
// about 150 companies, the eight chains, contracts, activities and targets (see above).
//
// `units`: as for GenerateNanyangProjects (aggregates, county-level units, towns). A root
// aggregate (parent 0) owns the city's leads (the scope of the city's departments).
// `officer_ids`: the investment officers; all leads of the k-th unit that gets leads go to
// officer_ids[k % size] (none when empty).
investment::BulkData GenerateNanyangInvestment(const std::vector<DemoUnit>& units,
                                               const std::vector<int64_t>& officer_ids,
                                               const CivilDate& today, uint64_t seed);

// Benchmarks: `count` leads over `units` (any tree; every unit takes leads, no officers): the
// first unit gets exactly min(count, 5000), the rest are dealt round-robin over the others
// (with a single unit, it gets all). About count/4 companies (all with a valid USCC except
// foreign ones without a Chinese entity), the eight chains, contracts for every signed lead,
// an inspection activity for ~10% of the leads, targets per unit and year. The same
// guarantees as above apply except the pinned figures and the duplicates.
investment::BulkData GenerateProvinceInvestment(const std::vector<DemoUnit>& units, int count,
                                                const CivilDate& today, uint64_t seed);

}  // namespace tiaodu::app
