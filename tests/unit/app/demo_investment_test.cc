#include "app/demo_investment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/period.h"
#include "base/validators.h"
#include "investment/rules.h"

namespace tiaodu {

void PrintTo(const Decimal& d, std::ostream* os) { *os << d.ToString(); }

namespace app {
namespace {

using investment::Activity;
using investment::BulkData;
using investment::Chain;
using investment::Company;
using investment::Contract;
using investment::Lead;
using investment::Segment;
using investment::Target;

constexpr uint64_t kSeed = 2024;
constexpr int64_t kCity = 1;
constexpr int64_t kWolong = 3;       // 411303
constexpr int64_t kGuanzhuang = 17;  // Z411373
const std::vector<int64_t> kOfficers = {401, 402, 403};

Decimal D(std::string_view text) { return Decimal::Parse(text).value_or(Decimal()); }
bool Before(const CivilDate& a, const CivilDate& b) { return CompareDates(a, b) < 0; }
std::string Iso(const CivilDate& d) { return FormatIsoDate(d); }

// 南阳市 and its 17 children (ids 1..18), three towns under 卧龙区 and two under 西峡县.
std::vector<DemoUnit> NanyangUnits() {
  const char* rows[][2] = {
      {"411300", "南阳市"},
      {"411302", "宛城区"},
      {"411303", "卧龙区"},
      {"411321", "南召县"},
      {"411322", "方城县"},
      {"411323", "西峡县"},
      {"411324", "镇平县"},
      {"411325", "内乡县"},
      {"411326", "淅川县"},
      {"411327", "社旗县"},
      {"411328", "唐河县"},
      {"411329", "新野县"},
      {"411330", "桐柏县"},
      {"411381", "邓州市"},
      {"Z411371", "南阳高新技术产业开发区"},
      {"Z411372", "南阳市城乡一体化示范区"},
      {"Z411373", "南阳官庄工区"},
      {"Z411374", "南阳鸭河工区"},
  };
  std::vector<DemoUnit> units;
  int64_t id = 1;
  for (const auto& row : rows) {
    units.push_back({id, row[0], row[1], id == 1 ? 0 : kCity});
    ++id;
  }
  units.push_back({101, "T411303-01", "七一街道", kWolong});
  units.push_back({102, "T411303-02", "石桥镇", kWolong});
  units.push_back({103, "T411303-03", "潦河镇", kWolong});
  units.push_back({104, "T411323-01", "丁河镇", 6});
  units.push_back({105, "T411323-02", "军马河镇", 6});
  return units;
}

// Just after the pinned half year, a year later, today-ish, and a date when only 官庄工区's
// figure is pinned.
const CivilDate kTodays[] = {{2024, 7, 1}, {2025, 6, 20}, {2026, 11, 24}, {2023, 5, 10}};
constexpr CivilDate kToday = {2026, 11, 24};

BulkData Nanyang(const CivilDate& today = kToday, uint64_t seed = kSeed) {
  return GenerateNanyangInvestment(NanyangUnits(), kOfficers, today, seed);
}

// The figures of one unit's leads (and only their contracts).
investment::SigningStats UnitStats(const BulkData& d, int64_t unit_id, const CivilDate& from,
                                   const CivilDate& to) {
  std::vector<Lead> leads;
  std::vector<Contract> contracts;
  std::set<int64_t> ids;
  for (const Lead& l : d.leads) {
    if (l.unit_id != unit_id) continue;
    leads.push_back(l);
    ids.insert(l.id);
  }
  for (const Contract& c : d.contracts) {
    if (ids.count(c.lead_id)) contracts.push_back(c);
  }
  return investment::ComputeSigningStats(leads, contracts, from, to);
}

std::map<int64_t, std::vector<const Contract*>> ContractsByLead(const BulkData& d) {
  std::map<int64_t, std::vector<const Contract*>> out;
  for (const Contract& c : d.contracts) out[c.lead_id].push_back(&c);
  return out;
}

std::string Fingerprint(const BulkData& d) {
  std::string s;
  for (const Company& c : d.companies) s += c.name + "|" + c.uscc + "|" + c.origin + ";";
  for (const Chain& c : d.chains) {
    s += c.name + c.chain_leader + std::to_string(c.lead_firm_id.value_or(-1));
    for (const Segment& g : c.segments) {
      s += g.name;
      for (int64_t f : g.local_firms) s += "L" + std::to_string(f);
      for (int64_t f : g.target_firms) s += "T" + std::to_string(f);
    }
  }
  for (const Lead& l : d.leads) {
    s += l.project_name + l.amount.ToString() + l.stage + l.source + std::to_string(l.company_id) +
         std::to_string(l.unit_id) + (l.lost ? l.lost_reason : "");
    for (const auto& [k, v] : l.stage_dates) s += k + Iso(v);
  }
  for (const Contract& c : d.contracts)
    s += std::to_string(c.lead_id) + Iso(c.date) + c.amount.ToString() + c.kind;
  for (const Activity& a : d.activities)
    s += a.title + Iso(a.date) + a.leader + std::to_string(a.lead_ids.size());
  for (const Target& t : d.targets) {
    s += std::to_string(t.unit_id) + std::to_string(t.year) + std::to_string(t.projects_100m) +
         t.contract_amount.ToString();
  }
  return s;
}

// ---- The published figures ----

TEST(DemoInvestmentTest, WolongFirstHalfOf2024IsExactlyThePublishedFigure) {
  for (const CivilDate& today : kTodays) {
    if (Before(today, {2024, 7, 1})) continue;
    BulkData d = Nanyang(today);
    investment::SigningStats s = UnitStats(d, kWolong, {2024, 1, 1}, {2024, 6, 30});
    EXPECT_EQ(s.signed_projects, 48) << Iso(today);
    EXPECT_EQ(s.contract_amount, D("243.8")) << Iso(today);
    EXPECT_GT(s.projects_100m, 30) << Iso(today);
    EXPECT_LT(s.projects_100m, 48) << Iso(today);  // some signed below 1亿元
  }
}

TEST(DemoInvestmentTest, GuanzhuangYear2022IsExactlyThePublishedFigure) {
  for (const CivilDate& today : kTodays) {
    BulkData d = Nanyang(today);
    investment::SigningStats s = UnitStats(d, kGuanzhuang, {2022, 1, 1}, {2022, 12, 31});
    EXPECT_EQ(s.signed_projects, 37) << Iso(today);
    EXPECT_EQ(s.contract_amount, D("769.03")) << Iso(today);
  }
}

// ---- Companies ----

TEST(DemoInvestmentTest, CompaniesPassTheChecksWithValidUsccs) {
  for (const CivilDate& today : kTodays) {
    BulkData d = Nanyang(today);
    EXPECT_GE(d.companies.size(), 130u);
    EXPECT_LE(d.companies.size(), 170u);
    int with_uscc = 0;
    std::set<std::string> origins, tags;
    for (size_t i = 0; i < d.companies.size(); ++i) {
      const Company& c = d.companies[i];
      EXPECT_EQ(c.id, static_cast<int64_t>(i));
      Status st = investment::CheckCompany(c);
      EXPECT_TRUE(st.ok()) << c.name << ": " << st.message();
      EXPECT_FALSE(c.origin.empty()) << c.name;
      EXPECT_FALSE(c.tags.empty()) << c.name;
      EXPECT_TRUE(c.name.ends_with("公司")) << c.name;
      origins.insert(c.origin);
      tags.insert(c.tags.begin(), c.tags.end());
      if (!c.uscc.empty()) {
        ++with_uscc;
        EXPECT_TRUE(ValidateUscc(c.uscc).ok()) << c.name << " " << c.uscc;
        EXPECT_TRUE(ValidateOrgCode(c.uscc.substr(8, 9)).ok()) << c.uscc;
      }
    }
    EXPECT_GT(with_uscc, static_cast<int>(d.companies.size()) * 8 / 10);
    EXPECT_LT(with_uscc, static_cast<int>(d.companies.size()));
    for (const char* o : {"广东省深圳市", "浙江省杭州市", "上海市", "江苏省苏州市", "北京市",
                          "德国", "河南省南阳市"}) {
      EXPECT_TRUE(origins.count(o)) << o;
    }
    for (const char* t : {"央企", "上市", "500强", "专精特新", "外资", "民营", "国企"}) {
      EXPECT_TRUE(tags.count(t)) << t;
    }
  }
}

TEST(DemoInvestmentTest, DuplicatePairsExistAndFindDuplicatesFindsThem) {
  BulkData d = Nanyang();
  std::set<std::pair<int64_t, int64_t>> pairs;
  int by_name = 0, by_uscc = 0;
  for (const Company& c : d.companies) {
    for (const investment::DuplicateHit& hit : investment::FindDuplicates(c, d.companies)) {
      if (c.id > hit.company_id) continue;  // each pair once
      pairs.insert({c.id, hit.company_id});
      (hit.reason == "统一社会信用代码相同" ? by_uscc : by_name)++;
    }
  }
  EXPECT_EQ(pairs.size(), 4u);
  EXPECT_EQ(by_uscc, 1);
  EXPECT_EQ(by_name, 3);
  bool brackets = false;
  for (const auto& [a, b] : pairs) {
    const std::string& x = d.companies[a].name;
    const std::string& y = d.companies[b].name;
    EXPECT_NE(x, y);
    if (x.find("（深圳）有限责任公司") != std::string::npos &&
        y.find("(深圳)有限公司") != std::string::npos) {
      brackets = true;
    }
  }
  EXPECT_TRUE(brackets);
  // Every USCC appears once, except the renamed firm's.
  std::map<std::string, int> usccs;
  for (const Company& c : d.companies)
    if (!c.uscc.empty()) ++usccs[c.uscc];
  int shared = 0;
  for (const auto& [u, n] : usccs) shared += n > 1;
  EXPECT_EQ(shared, 1);
}

// ---- Chains ----

TEST(DemoInvestmentTest, ChainsHaveLeadersLeadFirmsSegmentsAndGaps) {
  BulkData d = Nanyang();
  std::set<std::string> names;
  for (size_t ci = 0; ci < d.chains.size(); ++ci) {
    const Chain& c = d.chains[ci];
    names.insert(c.name);
    EXPECT_EQ(c.id, static_cast<int64_t>(ci));
    Status st = investment::CheckChain(c);
    EXPECT_TRUE(st.ok()) << c.name << ": " << st.message();
    EXPECT_FALSE(c.chain_leader.empty()) << c.name;
    EXPECT_GE(c.segments.size(), 4u) << c.name;
    EXPECT_LE(c.segments.size(), 8u) << c.name;
    std::set<std::string> positions;
    bool lead_firm_local = false;
    for (const Segment& s : c.segments) {
      positions.insert(s.position);
      for (int64_t f : s.local_firms) {
        ASSERT_LT(f, static_cast<int64_t>(d.companies.size()));
        EXPECT_EQ(d.companies[f].origin, "河南省南阳市") << d.companies[f].name;
        if (c.lead_firm_id && f == *c.lead_firm_id) lead_firm_local = true;
      }
      for (int64_t f : s.target_firms) {
        ASSERT_LT(f, static_cast<int64_t>(d.companies.size()));
        EXPECT_NE(d.companies[f].origin, "河南省南阳市") << d.companies[f].name;
      }
    }
    EXPECT_TRUE(lead_firm_local) << c.name;
    EXPECT_EQ(positions.size(), 3u) << c.name;
    std::vector<const Segment*> gaps = investment::Gaps(c);
    EXPECT_GE(gaps.size(), 1u) << c.name;
    EXPECT_LE(gaps.size(), 2u) << c.name;
    for (const Segment* g : gaps) EXPECT_FALSE(g->target_firms.empty()) << c.name << " " << g->name;
  }
  for (const char* n : {"艾草", "医疗器械", "电子信息", "绿色食品", "生物医药", "智能制造"}) {
    EXPECT_TRUE(names.count(n)) << n;
  }
}

// ---- Leads ----

TEST(DemoInvestmentTest, LeadsPassTheChecksAndCoverEveryStage) {
  for (const CivilDate& today : kTodays) {
    BulkData d = Nanyang(today);
    // About 300 with both published figures pinned; without 卧龙区's (before 2024-07) fewer.
    EXPECT_GE(d.leads.size(), Before(today, {2024, 7, 1}) ? 200u : 280u) << Iso(today);
    EXPECT_LE(d.leads.size(), 330u) << Iso(today);
    std::set<std::string> stages, sources;
    std::set<int64_t> units, officers;
    int lost = 0, lost_after_signing = 0, with_chain = 0;
    for (size_t i = 0; i < d.leads.size(); ++i) {
      const Lead& l = d.leads[i];
      EXPECT_EQ(l.id, static_cast<int64_t>(i));
      Status st = investment::CheckLead(l);
      EXPECT_TRUE(st.ok()) << l.project_name << ": " << st.message();
      ASSERT_LT(l.company_id, static_cast<int64_t>(d.companies.size()));
      if (l.chain_id) {
        ++with_chain;
        ASSERT_LT(*l.chain_id, static_cast<int64_t>(d.chains.size()));
        ASSERT_TRUE(l.segment_id);
        EXPECT_LT(*l.segment_id, static_cast<int64_t>(d.chains[*l.chain_id].segments.size()));
      }
      stages.insert(l.stage);
      sources.insert(l.source);
      units.insert(l.unit_id);
      if (l.officer_id) officers.insert(*l.officer_id);
      if (l.lost) {
        ++lost;
        if (l.stage_dates.count("signed")) ++lost_after_signing;
      }
    }
    EXPECT_EQ(stages.size(), 8u) << Iso(today);
    EXPECT_EQ(sources.size(), 5u);
    EXPECT_GT(with_chain, static_cast<int>(d.leads.size()) * 3 / 4);
    EXPECT_GE(lost, static_cast<int>(d.leads.size()) * 7 / 100) << Iso(today);
    EXPECT_LE(lost, static_cast<int>(d.leads.size()) * 15 / 100) << Iso(today);
    if (!Before(today, {2025, 1, 1})) {
      EXPECT_GE(lost_after_signing, 1);
    }
    EXPECT_EQ(officers, std::set<int64_t>(kOfficers.begin(), kOfficers.end()));
    // County-level units and the city itself; no towns.
    EXPECT_EQ(units.size(), 18u);
    for (int64_t u : units) EXPECT_LE(u, 18);
  }
}

TEST(DemoInvestmentTest, StagesAreReachedOneByOneInOrderNeverInTheFuture) {
  for (const CivilDate& today : kTodays) {
    BulkData d = Nanyang(today);
    auto contracts = ContractsByLead(d);
    for (const Lead& l : d.leads) {
      int current = investment::LeadStageIndex(l.stage);
      ASSERT_GE(current, 0);
      EXPECT_EQ(l.stage_dates.size(), static_cast<size_t>(current + 1)) << l.project_name;
      // Replay the lead through the rules: each stage change from the one before.
      Lead replay = l;
      replay.stage = "clue";
      replay.lost = false;
      replay.stage_dates = {{"clue", l.stage_dates.at("clue")}};
      std::vector<Contract> mine;
      for (const Contract* c : contracts[l.id]) mine.push_back(*c);
      for (int i = 1; i <= current; ++i) {
        const char* stage = investment::kLeadStages[i];
        ASSERT_TRUE(l.stage_dates.count(stage)) << l.project_name << " " << stage;
        const CivilDate& date = l.stage_dates.at(stage);
        EXPECT_TRUE(Before(l.stage_dates.at(investment::kLeadStages[i - 1]), date))
            << l.project_name;
        Status st = investment::CheckLeadStageChange(replay, stage, date, mine, today);
        EXPECT_TRUE(st.ok()) << l.project_name << " → " << stage << ": " << st.message();
        replay.stage = stage;
        replay.stage_dates[stage] = date;
      }
      for (const auto& [stage, date] : l.stage_dates)
        EXPECT_FALSE(Before(today, date)) << l.project_name;
      if (l.lost) {
        EXPECT_TRUE(investment::CheckLose(replay, l.lost_reason).ok()) << l.project_name;
        ASSERT_TRUE(l.lost_date);
        EXPECT_FALSE(Before(today, *l.lost_date));
        EXPECT_TRUE(Before(l.stage_dates.at(l.stage), *l.lost_date)) << l.project_name;
      } else {
        EXPECT_TRUE(l.lost_reason.empty());
      }
    }
  }
}

TEST(DemoInvestmentTest, SignedLeadsHaveContractsOnOrBeforeTheSigningDate) {
  for (const CivilDate& today : kTodays) {
    BulkData d = Nanyang(today);
    auto contracts = ContractsByLead(d);
    std::set<std::string> kinds;
    int both = 0;
    for (const Lead& l : d.leads) {
      auto signed_on = l.stage_dates.find("signed");
      const auto& mine = contracts[l.id];
      if (signed_on == l.stage_dates.end()) {
        EXPECT_TRUE(mine.empty()) << l.project_name;
        continue;
      }
      ASSERT_FALSE(mine.empty()) << l.project_name;
      Decimal total;
      std::set<std::string> lead_kinds;
      for (const Contract* c : mine) {
        EXPECT_TRUE(investment::CheckContract(*c, today).ok()) << l.project_name;
        EXPECT_FALSE(Before(signed_on->second, c->date)) << l.project_name;
        EXPECT_FALSE(Before(c->date, l.stage_dates.at("negotiation"))) << l.project_name;
        EXPECT_EQ(c->date.year, signed_on->second.year);
        EXPECT_EQ(c->date.month <= 6, signed_on->second.month <= 6) << l.project_name;
        total = total + c->amount;
        kinds.insert(c->kind);
        lead_kinds.insert(c->kind);
      }
      both += lead_kinds.size() == 2;
      EXPECT_GE(l.amount, total) << l.project_name;
    }
    EXPECT_EQ(kinds.size(), 2u);
    EXPECT_GE(both, 5);
  }
}

// ---- Activities and targets ----

TEST(DemoInvestmentTest, ActivitiesAreLinkedToLeadsSomeLeaderLevel) {
  for (const CivilDate& today : kTodays) {
    BulkData d = Nanyang(today);
    std::map<std::string, int> kinds;
    int leader_level = 0;
    for (size_t i = 0; i < d.activities.size(); ++i) {
      const Activity& a = d.activities[i];
      EXPECT_EQ(a.id, static_cast<int64_t>(i));
      ++kinds[a.kind];
      EXPECT_FALSE(a.title.empty());
      EXPECT_FALSE(a.location.empty()) << a.title;
      EXPECT_FALSE(Before(today, a.date)) << a.title;
      EXPECT_FALSE(a.lead_ids.empty()) << a.title;
      if (a.leader_level) {
        ++leader_level;
        EXPECT_FALSE(a.leader.empty()) << a.title;
      } else {
        EXPECT_TRUE(a.leader.empty()) << a.title;
      }
      for (int64_t id : a.lead_ids) {
        ASSERT_LT(id, static_cast<int64_t>(d.leads.size()));
        const Lead& l = d.leads[id];
        if (a.kind == "event") {  // the clues it produced, within 30 days
          EXPECT_FALSE(Before(l.stage_dates.at("clue"), a.date)) << a.title;
          EXPECT_LE(DaysBetween(a.date, l.stage_dates.at("clue")), 30) << a.title;
        } else if (a.kind == "outgoing") {  // firms known by then, visited no later than contact
          EXPECT_FALSE(Before(a.date, l.stage_dates.at("clue"))) << a.title;
          EXPECT_FALSE(Before(l.stage_dates.at("contact"), a.date)) << a.title;
        } else {  // on the inspection date
          EXPECT_EQ(Iso(a.date), Iso(l.stage_dates.at("inspection"))) << a.title;
        }
      }
    }
    EXPECT_GE(kinds["outgoing"], 10) << Iso(today);
    EXPECT_GE(kinds["incoming"], 30) << Iso(today);
    EXPECT_GE(kinds["event"], 1) << Iso(today);
    EXPECT_GE(leader_level, 10) << Iso(today);
    EXPECT_LT(leader_level, static_cast<int>(d.activities.size()) / 2) << Iso(today);
  }
}

TEST(DemoInvestmentTest, TargetsPerUnitAndYearAreRoughlyMet) {
  BulkData d = Nanyang();
  std::set<std::pair<int64_t, int>> seen;
  int met = 0, past = 0;
  for (const Target& t : d.targets) {
    EXPECT_TRUE(seen.insert({t.unit_id, t.year}).second);
    EXPECT_GE(t.projects_100m, 0);
    EXPECT_GT(t.contract_amount.Sign(), 0);
    if (t.year >= kToday.year) continue;
    ++past;
    // Subtree figures: the city's are everyone's.
    investment::SigningStats s = t.unit_id == kCity
                                     ? investment::ComputeSigningStats(
                                           d.leads, d.contracts, {t.year, 1, 1}, {t.year, 12, 31})
                                     : UnitStats(d, t.unit_id, {t.year, 1, 1}, {t.year, 12, 31});
    investment::TargetProgress p = investment::ComputeTargetProgress(t, s, {t.year, 12, 31});
    ASSERT_TRUE(p.amount_share);
    if (*p.amount_share >= Decimal::FromInt(85) && *p.amount_share <= Decimal::FromInt(125)) ++met;
    if (t.projects_100m > 0) {
      EXPECT_LE(std::abs(s.projects_100m - t.projects_100m), std::max(2, t.projects_100m / 5))
          << t.unit_id << " " << t.year;
    }
  }
  // 18 units (17 county-level and the city) × 2022..2026.
  EXPECT_EQ(d.targets.size(), 18u * 5u);
  EXPECT_GE(met, past * 95 / 100);
}

// ---- Determinism and scale ----

TEST(DemoInvestmentTest, SameInputsSameOutput) {
  EXPECT_EQ(Fingerprint(Nanyang()), Fingerprint(Nanyang()));
  EXPECT_NE(Fingerprint(Nanyang(kToday, 1)), Fingerprint(Nanyang(kToday, 2)));
  EXPECT_TRUE(GenerateNanyangInvestment({}, kOfficers, kToday, kSeed).leads.empty());
  // No officers: leads without one.
  BulkData d = GenerateNanyangInvestment(NanyangUnits(), {}, kToday, kSeed);
  for (const Lead& l : d.leads) EXPECT_FALSE(l.officer_id);
}

std::vector<DemoUnit> ProvinceUnits(int n) {
  std::vector<DemoUnit> units;
  for (int i = 0; i < n; ++i) {
    char code[16], name[32];
    std::snprintf(code, sizeof code, "P%03d", i);
    std::snprintf(name, sizeof name, i == 0 ? "示范省" : "示范县%03d", i);
    units.push_back({i + 1, code, name, i == 0 ? 0 : 1});
  }
  return units;
}

TEST(DemoProvinceInvestmentTest, CountLeadsTheFirstUnitWithFiveThousand) {
  std::vector<DemoUnit> units = ProvinceUnits(21);
  BulkData d = GenerateProvinceInvestment(units, 9000, kToday, 7);
  ASSERT_EQ(d.leads.size(), 9000u);
  std::map<int64_t, int> per_unit;
  for (const Lead& l : d.leads) {
    ++per_unit[l.unit_id];
    ASSERT_TRUE(investment::CheckLead(l).ok()) << l.project_name;
    EXPECT_FALSE(l.officer_id);
  }
  EXPECT_EQ(per_unit[1], 5000);
  for (int64_t u = 2; u <= 21; ++u) EXPECT_EQ(per_unit[u], 200) << u;
  EXPECT_GE(d.companies.size(), 2200u);
  EXPECT_LE(d.companies.size(), 2300u);
  std::set<std::string> names;
  for (const Company& c : d.companies) {
    ASSERT_TRUE(investment::CheckCompany(c).ok()) << c.name;
    EXPECT_TRUE(names.insert(investment::NormalizeCompanyName(c.name)).second) << c.name;
  }
  auto contracts = ContractsByLead(d);
  for (const Lead& l : d.leads) {
    auto s = l.stage_dates.find("signed");
    if (s == l.stage_dates.end()) continue;
    ASSERT_FALSE(contracts[l.id].empty());
    for (const Contract* c : contracts[l.id]) EXPECT_FALSE(Before(s->second, c->date));
  }
  EXPECT_GE(d.contracts.size(), 6000u);
  EXPECT_GE(d.activities.size(), 600u);
  EXPECT_LE(d.activities.size(), 1500u);
  EXPECT_EQ(d.chains.size(), 8u);
  EXPECT_EQ(d.targets.size(), 21u * 5u);
  EXPECT_EQ(Fingerprint(GenerateProvinceInvestment(units, 9000, kToday, 7)), Fingerprint(d));
}

TEST(DemoProvinceInvestmentTest, FewerThanFiveThousandAllGoToTheFirstUnit) {
  BulkData d = GenerateProvinceInvestment(ProvinceUnits(5), 300, kToday, 7);
  ASSERT_EQ(d.leads.size(), 300u);
  for (const Lead& l : d.leads) EXPECT_EQ(l.unit_id, 1);
  EXPECT_TRUE(GenerateProvinceInvestment(ProvinceUnits(5), 0, kToday, 7).leads.empty());
  EXPECT_TRUE(GenerateProvinceInvestment({}, 10, kToday, 7).leads.empty());
}

}  // namespace
}  // namespace app
}  // namespace tiaodu
