#include "benefits/blocks.h"

#include <gtest/gtest.h>

#include <string>

#include "base/period.h"

namespace tiaodu::benefits {
namespace {

// Specification of the stored forms of a run (decision 0021): what is encoded reads back the
// same, results are about 10 bytes each, and a damaged block is refused, never misread.

Enterprise Sample(int64_t id) {
  Enterprise e;
  e.id = id;
  e.name = "不存入快照";
  e.industry = "C39";
  e.scale = Scale::kAboveQuota;
  e.certifications = {"专精特新", "高新技术企业"};
  e.unit_code = "411302";
  e.unit_ancestors = {"411300"};
  e.founded = CivilDate{1998, 2, 28};
  YearFigures y2023;
  y2023.revenue = Decimal::FromInt(123'000'000);
  y2023.employees = Decimal::FromInt(80);
  YearFigures y2024;
  y2024.revenue = Decimal::FromRaw(123'456'789'012);  // not whole 元
  y2024.tax_paid = Decimal::FromInt(-5);              // refunds are negative
  y2024.rd_spending = Decimal::FromInt(0);
  e.years = {{2023, y2023}, {2024, y2024}};
  return e;
}

TEST(RegisterSnapshotTest, KeepsEverythingTheRulesReadOfEachEnterpriseTheUnitTreeIncluded) {
  Enterprise bare;
  bare.id = 7;  // ids need not ascend
  const std::vector<Enterprise> in = {Sample(1000), bare, Sample(1'000'000'000'000)};
  auto snapshot = RegisterSnapshot::Parse(EncodeSnapshot({&in[0], &in[1], &in[2]}));
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
  ASSERT_EQ(snapshot->size(), 3u);
  for (size_t i = 0; i < in.size(); ++i) {
    const Enterprise e = snapshot->At(i);
    EXPECT_EQ(snapshot->id(i), in[i].id);
    EXPECT_EQ(e.id, in[i].id);
    EXPECT_EQ(e.name, "");  // not kept
    EXPECT_EQ(e.unit_ancestors, in[i].unit_ancestors);  // the tree as the run saw it
    EXPECT_EQ(snapshot->format(), 2);
    EXPECT_EQ(e.industry, in[i].industry);
    EXPECT_EQ(e.scale, in[i].scale);
    EXPECT_EQ(e.certifications, in[i].certifications);
    EXPECT_EQ(e.unit_code, in[i].unit_code);
    EXPECT_EQ(e.founded.has_value(), in[i].founded.has_value());
    if (e.founded) {
      EXPECT_TRUE(CompareDates(*e.founded, *in[i].founded) == 0);
    }
    ASSERT_EQ(e.years.size(), in[i].years.size());
    for (const auto& [year, f] : in[i].years) {
      const YearFigures& g = e.years.at(year);
      EXPECT_EQ(g.revenue, f.revenue);
      EXPECT_EQ(g.tax_paid, f.tax_paid);
      EXPECT_EQ(g.rd_spending, f.rd_spending);
      EXPECT_EQ(g.employees, f.employees);
    }
  }
  EXPECT_EQ(RegisterSnapshot::Parse(EncodeSnapshot({}))->size(), 0u);
}

TEST(RegisterSnapshotTest, ASnapshotOfTheFirstFormatWithoutTheUnitTreeStillReads) {
  Enterprise e;
  e.id = 1;
  e.industry = "C39";
  e.unit_code = "411302";
  std::string bytes = EncodeSnapshot({&e});
  // Format 2 is format 1 with the ancestors' count (here one byte, 0) after the unit code:
  // header [2][1 enterprise][2 texts]["C39"]["411302"] = 14 bytes, then id, industry, unit.
  ASSERT_EQ(bytes[0], 2);
  ASSERT_EQ(bytes[17], 0);
  bytes[0] = 1;
  bytes.erase(17, 1);
  auto old = RegisterSnapshot::Parse(bytes);
  ASSERT_TRUE(old.ok()) << old.status().message();
  EXPECT_EQ(old->format(), 1);
  EXPECT_EQ(old->At(0).unit_code, "411302");
  EXPECT_EQ(old->At(0).industry, "C39");
  EXPECT_TRUE(old->At(0).unit_ancestors.empty());
  bytes[0] = 3;  // a format not known yet
  EXPECT_FALSE(RegisterSnapshot::Parse(bytes).ok());
}

TEST(RegisterSnapshotTest, ADamagedSnapshotIsRefused) {
  const Enterprise one = Sample(1), two = Sample(2);
  const std::string bytes = EncodeSnapshot({&one, &two});
  for (size_t cut = 0; cut < bytes.size(); ++cut)
    EXPECT_FALSE(RegisterSnapshot::Parse(bytes.substr(0, cut)).ok()) << cut;
  EXPECT_FALSE(RegisterSnapshot::Parse(bytes + "x").ok());
  EXPECT_FALSE(RegisterSnapshot::Parse("\x09" + bytes.substr(1)).ok());  // another format
}

ResultsBlock SampleBlock() {
  ResultsBlock b;
  b.names = {"rd_spending[2024]", "industry"};
  b.errors = {"除数为0：rd_spending / revenue"};
  StoredResult matched;
  matched.enterprise = 70000;
  matched.met = 0b111;
  matched.requested = Decimal::FromInt(500000);
  matched.granted = Decimal::FromRaw(123'456'780'000);  // 123456.78 元
  StoredResult near;
  near.enterprise = 3;
  near.outcome = Outcome::kNearMiss;
  near.met = 0b011;
  near.failed = uint64_t{1} << 63;  // the 64th condition
  near.requested = Decimal::FromRaw(1);  // not whole 分: kept exactly
  StoredResult missing;
  missing.outcome = Outcome::kDataMissing;
  missing.missing = {1, 0};
  StoredResult error;
  error.enterprise = 9;
  error.outcome = Outcome::kDataError;
  error.error = 0;
  b.results = {matched, near, missing, error};
  return b;
}

TEST(ResultsBlockTest, ReadsBackEveryResultAsEncoded) {
  const ResultsBlock in = SampleBlock();
  auto out = DecodeResults(EncodeResults(in));
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->names, in.names);
  EXPECT_EQ(out->errors, in.errors);
  ASSERT_EQ(out->results.size(), in.results.size());
  for (size_t i = 0; i < in.results.size(); ++i) {
    const StoredResult &a = in.results[i], &b = out->results[i];
    EXPECT_EQ(b.enterprise, a.enterprise);
    EXPECT_EQ(b.outcome, a.outcome);
    EXPECT_EQ(b.met, a.met);
    EXPECT_EQ(b.failed, a.failed);
    EXPECT_EQ(b.missing, a.missing);
    EXPECT_EQ(b.error, a.error);
    EXPECT_EQ(b.requested, a.requested);
    EXPECT_EQ(b.granted, a.granted);
  }
}

TEST(ResultsBlockTest, ATypicalNearMissTakesAboutTenBytes) {
  ResultsBlock b;
  for (int i = 0; i < 1000; ++i) {
    StoredResult r;
    r.enterprise = 99000 + i;
    r.outcome = Outcome::kNearMiss;
    r.met = 0b1011;
    r.failed = 0b0100;
    r.requested = Decimal::FromInt(100000 + i);
    b.results.push_back(r);
  }
  EXPECT_LE(EncodeResults(b).size(), 10u * 1000 + 16);
}

TEST(ResultsBlockTest, ADamagedBlockIsRefused) {
  const std::string bytes = EncodeResults(SampleBlock());
  for (size_t cut = 0; cut < bytes.size(); ++cut)
    EXPECT_FALSE(DecodeResults(bytes.substr(0, cut)).ok()) << cut;
  EXPECT_FALSE(DecodeResults(bytes + "x").ok());
  // An outcome that does not exist: one result, no tables, so its flags are byte 4 (after the
  // format, the two empty tables and the count).
  ResultsBlock one;
  one.results.resize(1);
  std::string bad_outcome = EncodeResults(one);
  ASSERT_TRUE(DecodeResults(bad_outcome).ok());
  bad_outcome[4] = static_cast<char>(bad_outcome[4] | 0x07);
  EXPECT_FALSE(DecodeResults(bad_outcome).ok());
}

TEST(ResultsBlockTest, ResultsAreOrderedAsTheRunsListShowsThem) {
  const std::vector<int64_t> ids = {50, 40, 30, 20, 10};
  auto result = [](int32_t enterprise, Outcome o, std::optional<int> requested) {
    StoredResult r;
    r.enterprise = enterprise;
    r.outcome = o;
    if (requested) r.requested = Decimal::FromInt(*requested);
    return r;
  };
  std::vector<StoredResult> rs = {result(0, Outcome::kDataError, std::nullopt),
                                  result(1, Outcome::kNearMiss, 10),
                                  result(2, Outcome::kMatched, 5),
                                  result(3, Outcome::kMatched, 7),
                                  result(4, Outcome::kMatched, 5)};
  InApiOrder(rs, ids);
  std::vector<int64_t> order;
  for (const auto& r : rs) order.push_back(ids[r.enterprise]);
  // Matched by amount then company id (10 before 30), then the near miss, then the error.
  EXPECT_EQ(order, (std::vector<int64_t>{20, 10, 30, 40, 50}));
}


// Whether `rs` are in the list's order (outcome, amount descending, company id).
bool InListOrder(const std::vector<StoredResult>& rs, const std::vector<int64_t>& ids) {
  for (size_t i = 1; i < rs.size(); ++i) {
    const StoredResult &a = rs[i - 1], &b = rs[i];
    const int64_t ra = a.requested ? a.requested->raw() : 0,
                  rb = b.requested ? b.requested->raw() : 0;
    if (a.outcome != b.outcome) {
      if (a.outcome > b.outcome) return false;
    } else if (ra != rb) {
      if (ra < rb) return false;
    } else if (ids[a.enterprise] >= ids[b.enterprise]) {
      return false;
    }
  }
  return true;
}

TEST(ResultsBlockTest, ManyResultsAreOrderedTheSameByIdsInAnyOrderAndAnyAmounts) {
  // Ascending ids (as a run reads the register) take the packed keys; descending ids, an amount
  // of a fraction of 分 or one too large for the keys take the general comparison.
  for (int variant = 0; variant < 4; ++variant) {
    std::vector<int64_t> ids;
    std::vector<StoredResult> rs;
    uint64_t seed = 12345;
    auto next = [&] { return seed = seed * 6364136223846793005ULL + 1442695040888963407ULL; };
    for (int i = 0; i < 3000; ++i) {
      ids.push_back(variant == 1 ? 1'000'000 - i * 7 : 100 + i * 3);
      StoredResult r;
      r.enterprise = i;
      const int o = static_cast<int>(next() >> 61) % 4;
      r.outcome = o == 0 ? Outcome::kMatched : o == 1 ? Outcome::kNearMiss
                : o == 2 ? Outcome::kDataMissing : Outcome::kDataError;
      if (next() % 5) r.requested = Decimal::FromInt(static_cast<int64_t>(next() % 7) * 10000);
      rs.push_back(r);
    }
    if (variant == 2) rs[17].requested = Decimal::FromRaw(1);
    if (variant == 3) rs[17].requested = Decimal::FromInt(int64_t{1} << 40);
    InApiOrder(rs, ids);
    EXPECT_EQ(rs.size(), 3000u);
    EXPECT_TRUE(InListOrder(rs, ids)) << variant;
  }
}

}  // namespace
}  // namespace tiaodu::benefits
