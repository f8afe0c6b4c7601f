// Gold tests: the two real report texts of the corpus (../shared/corpus, vendored under
// tests/data/factcheck/corpus) and the paragraphs written for generalisation
// (tests/data/factcheck/general), each with a JSON file of hand-checked answers:
//   facts:    every one must be found (indicator, value and unit; growth_pct, rank and target
//             where the answer gives them);
//   findings: every one must be found with its verdict (and stated/computed where given);
//   and no "inconsistent" finding may appear that the answers do not list.
// Optional: "region", "period" (the detected ones; "" = not known), "fact_count" (exactly so many
// facts: nothing from page noise or from words that are not figures).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <string>

#include "catalog.h"
#include "factcheck/checks.h"
#include "factcheck/extractor.h"
#include "factcheck/numbers.h"
#include "factcheck/report.h"

namespace tiaodu::factcheck {
namespace {

namespace fs = std::filesystem;

std::string Str(const Fact& f) {
  return (f.indicator ? *f.indicator : std::string("null")) + " " + f.label + " " +
         (f.value ? f.value->ToString() : "-") + f.unit +
         (f.growth_pct ? " g=" + f.growth_pct->ToString() : "") +
         (f.rank ? " r=" + std::to_string(*f.rank) : "") + (f.target ? " target" : "");
}

std::optional<Decimal> Num(const rapidjson::Value& v) {
  if (v.IsNull()) return std::nullopt;
  auto d = Decimal::Parse(std::to_string(v.GetDouble()));
  if (!d.ok()) return std::nullopt;
  // std::to_string gives 6 places: round the binary noise away.
  auto r = Decimal::Parse(d->Format(4));
  if (!r.ok()) return std::nullopt;
  return *r;
}

bool SameDecimal(const std::optional<Decimal>& a, const std::optional<Decimal>& b) {
  if (!a || !b) return a.has_value() == b.has_value();
  return (*a - *b).Abs() <= Decimal::FromRaw(100);
}

// The gold files write enterprise counts in the catalog's unit 个 where the text says 家
// (sample-interview-2024: "新培育四上企业40家"); both count the same things, so a count in 家
// answers a gold 个 and the reverse. Every other unit must be exactly as written.
bool SameUnit(const std::string& gold, const std::string& got) {
  if (gold == got) return true;
  return (gold == "个" && got == "家") || (gold == "家" && got == "个");
}

void CheckAnswers(const std::string& name, const std::string& text, const std::string& answers) {
  SCOPED_TRACE(name);
  rapidjson::Document gold;
  gold.Parse(answers.c_str());
  ASSERT_FALSE(gold.HasParseError()) << "answers are not JSON";
  Document doc = Extract(text, testing::SeedCatalog());
  doc.findings = RunChecks(doc.facts, nullptr);
  std::string all;
  for (const Fact& f : doc.facts) all += "\n  " + Str(f);

  for (const auto& g : gold["facts"].GetArray()) {
    std::optional<std::string> indicator;
    if (g.HasMember("indicator") && !g["indicator"].IsNull())
      indicator = g["indicator"].GetString();
    std::optional<Decimal> value = g.HasMember("value") ? Num(g["value"]) : std::nullopt;
    std::string unit = g.HasMember("unit") && !g["unit"].IsNull() ? g["unit"].GetString() : "";
    bool found = false;
    for (const Fact& f : doc.facts) {
      if (f.indicator != indicator || !SameDecimal(f.value, value) || !SameUnit(unit, f.unit))
        continue;
      if (g.HasMember("growth_pct") && !SameDecimal(f.growth_pct, Num(g["growth_pct"]))) continue;
      if (g.HasMember("rank") && f.rank != std::optional<int>(g["rank"].GetInt())) continue;
      if (g.HasMember("target") && f.target != g["target"].GetBool()) continue;
      found = true;
      break;
    }
    EXPECT_TRUE(found) << "gold fact not found: " << (indicator ? *indicator : "null") << " "
                       << (value ? value->ToString() : "-") << unit << "\nfacts:" << all;
  }

  for (const auto& g : gold["findings"].GetArray()) {
    const std::string check = g["check"].GetString();
    const std::string verdict = g["verdict"].GetString();
    bool found = false;
    for (const Finding& f : doc.findings) {
      if (CheckName(f.check) != check || VerdictName(f.verdict) != verdict) continue;
      if (g.HasMember("stated") && !SameDecimal(f.stated, Num(g["stated"]))) continue;
      if (g.HasMember("computed") && !SameDecimal(f.computed, Num(g["computed"]))) continue;
      found = true;
    }
    EXPECT_TRUE(found) << "gold finding not found: " << check << " " << verdict << "\n"
                       << ToText(doc);
  }
  for (const Finding& f : doc.findings) {
    if (f.verdict != Verdict::kInconsistent) continue;
    bool listed = false;
    for (const auto& g : gold["findings"].GetArray())
      listed = listed || (CheckName(f.check) == std::string(g["check"].GetString()) &&
                          std::string(g["verdict"].GetString()) == "inconsistent" &&
                          (!g.HasMember("stated") || SameDecimal(f.stated, Num(g["stated"]))));
    EXPECT_TRUE(listed) << "an inconsistent verdict the answers do not list: " << f.explanation
                        << "\n  " << f.quote;
  }
  if (gold.HasMember("region")) {
    EXPECT_EQ(doc.region, gold["region"].GetString());
  }
  if (gold.HasMember("period")) {
    std::string period = gold["period"].IsInt() ? std::to_string(gold["period"].GetInt())
                                                : gold["period"].GetString();
    EXPECT_EQ(doc.period, period);
  } else if (gold.HasMember("year")) {
    EXPECT_EQ(doc.period, std::to_string(gold["year"].GetInt()));
  }
  if (gold.HasMember("fact_count")) {
    EXPECT_EQ(doc.facts.size(), static_cast<size_t>(gold["fact_count"].GetInt()))
        << "facts:" << all;
  }
}

// The corpus: ../shared/corpus next to the repository when it is there, else the vendored copy.
fs::path CorpusDir() {
  fs::path shared = TIAODU_SHARED_CORPUS;
  if (fs::exists(shared / "sample-work-report-2023.txt")) return shared;
  return fs::path(TIAODU_FACTCHECK_DATA) / "corpus";
}

void CheckFile(const fs::path& dir, const std::string& stem, const std::string& answers_suffix) {
  const std::string text = testing::ReadFile((dir / (stem + ".txt")).string());
  const std::string answers = testing::ReadFile((dir / (stem + answers_suffix)).string());
  ASSERT_FALSE(text.empty()) << dir / (stem + ".txt");
  ASSERT_FALSE(answers.empty()) << dir / (stem + answers_suffix);
  CheckAnswers(stem, text, answers);
}

TEST(FactcheckGoldTest, WorkReport2023GivesEveryGoldFactAndTheShareVerdict) {
  CheckFile(CorpusDir(), "sample-work-report-2023", ".gold.json");
}

TEST(FactcheckGoldTest, Interview2024GivesEveryGoldFactTargetsAndTheLowerBoundSum) {
  CheckFile(CorpusDir(), "sample-interview-2024", ".gold.json");
}

TEST(FactcheckGoldTest, VendoredCorpusEqualsTheSharedOne) {
  fs::path shared = TIAODU_SHARED_CORPUS;
  if (!fs::exists(shared)) GTEST_SKIP() << "no ../shared/corpus next to this checkout";
  for (const char* f : {"sample-work-report-2023.txt", "sample-work-report-2023.gold.json",
                        "sample-interview-2024.txt", "sample-interview-2024.gold.json"})
    EXPECT_EQ(testing::ReadFile((shared / f).string()),
              testing::ReadFile((fs::path(TIAODU_FACTCHECK_DATA) / "corpus" / f).string()))
        << f;
}

TEST(FactcheckGoldTest, EveryWrittenParagraphGivesItsAnswers) {
  const fs::path dir = fs::path(TIAODU_FACTCHECK_DATA) / "general";
  int n = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".txt") continue;
    CheckFile(dir, entry.path().stem().string(), ".json");
    ++n;
  }
  EXPECT_GE(n, 5);
}

}  // namespace
}  // namespace tiaodu::factcheck
