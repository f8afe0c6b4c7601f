// libFuzzer target for the fact-check extractor and checks (src/factcheck), built with clang and
// ASan/UBSan by scripts/fuzz (tests/fuzz/CMakeLists.txt). The input is a report text as a user
// pastes it: any bytes, valid UTF-8 or not.
//
// Besides crashes, leaks and undefined behaviour, it checks what the extractor promises: every
// fact's offset lies inside the text and its quote is a piece of the text; a value, a growth or
// a rank is there for every fact; two runs give the same answer; the JSON of the answer is valid
// JSON with as many facts and findings as the answer has; and the checks (with a ledger that
// holds every indicator) give verdicts only on figures that exist.
#include <rapidjson/document.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "factcheck/checks.h"
#include "factcheck/extractor.h"
#include "factcheck/report.h"

namespace {

using namespace tiaodu;
using namespace tiaodu::factcheck;

// A part of the seed catalog: names that share prefixes (公共预算收入 in 一般公共预算收入), ASCII
// aliases, units of every family the checks convert.
const Catalog& FuzzCatalog() {
  static const Catalog catalog(std::vector<CatalogEntry>{
      {"gdp", "地区生产总值", {"生产总值", "GDP", "经济总量"}, "亿元"},
      {"industrial_va", "规模以上工业增加值", {"规上工业增加值", "规上工业"}, "亿元"},
      {"budget_revenue", "一般公共预算收入", {"公共预算收入"}, "亿元"},
      {"tax_revenue", "税收收入", {"税收"}, "亿元"},
      {"disposable_income_urban", "城镇居民人均可支配收入", {"城镇居民收入"}, "元"},
      {"key_projects", "重点项目个数", {"重点项目", "省重点项目", "市重点项目"}, "个"},
      {"key_project_plan", "重点项目年度计划投资", {"年度计划投资", "计划投资"}, "亿元"},
      {"key_project_completed", "重点项目累计完成投资", {"累计完成投资", "完成投资"}, "亿元"},
      {"hog_slaughter", "生猪出栏", {}, "头"},
      {"grain_output", "粮食总产量", {"粮食产量"}, "万吨"},
      {"pm25", "PM2.5平均浓度", {"PM2.5"}, "微克/立方米"},
  });
  return catalog;
}

void Require(bool ok, const char* what) {
  if (!ok) {
    fprintf(stderr, "factcheck_fuzz: broken promise: %s\n", what);
    abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Document doc = Extract(text, FuzzCatalog());
  for (const Fact& f : doc.facts) {
    Require(f.offset < text.size(), "offset inside the text");
    Require(text.find(f.quote) != std::string_view::npos, "quote is a piece of the text");
    Require(f.value || f.growth_pct || f.rank, "a fact states something");
    Require(f.value.has_value() == !f.unit.empty(), "a unit exactly when a value");
  }
  std::vector<LedgerFigure> ledger;
  for (const CatalogEntry& e : FuzzCatalog().entries())
    ledger.push_back({e.code, e.unit, Decimal::FromInt(100), Decimal::FromInt(5)});
  doc.findings = RunChecks(doc.facts, &ledger);
  Require(doc.findings.size() <= 5 * doc.facts.size(), "findings only about facts");

  Document again = Extract(text, FuzzCatalog());
  again.findings = RunChecks(again.facts, &ledger);
  const std::string json = ToJson(doc, true);
  Require(json == ToJson(again, true), "the same answer twice");

  rapidjson::Document parsed;
  parsed.Parse(json.c_str(), json.size());
  Require(!parsed.HasParseError(), "valid JSON");
  Require(parsed["facts"].Size() == doc.facts.size(), "every fact in the JSON");
  Require(parsed["findings"].Size() == doc.findings.size(), "every finding in the JSON");
  (void)ToText(doc);
  return 0;
}
