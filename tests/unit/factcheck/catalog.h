// The seed catalog (/work/shared/data/indicators.csv, as src/app seeds it) in the form the
// extractor takes, and small helpers shared by the fact-check tests.
#pragma once

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "app/demo_indicators.h"
#include "factcheck/extractor.h"

namespace tiaodu::factcheck::testing {

inline const Catalog& SeedCatalog() {
  static const Catalog catalog = [] {
    std::vector<CatalogEntry> entries;
    for (const indicators::Indicator& ind : app::SeedCatalog())
      entries.push_back({ind.code, ind.name, ind.aliases, ind.unit});
    return Catalog(std::move(entries));
  }();
  return catalog;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace tiaodu::factcheck::testing
