// The extractor of 数据核查: reads a report text and finds the figures it states — indicator (by
// the catalog's names and aliases, longest match), value and unit, growth, rank, share, plan
// completion, counts — and the document's period and region. Driven by the catalog and by
// patterns, never by particular texts. Page noise (navigation, advertisements, server warnings,
// link lists, copyright lines) is recognised by the shape of its lines and produces nothing.
// Pure: no I/O. A Catalog is immutable after construction and safe to share between threads.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "factcheck/model.h"

namespace tiaodu::factcheck {

// The catalog as an index of names and aliases for longest-match lookup in text.
class Catalog {
 public:
  explicit Catalog(std::vector<CatalogEntry> entries);

  struct Match {
    int entry = -1;  // index into entries()
    size_t len = 0;  // bytes of the name matched
  };
  // The longest name or alias starting at s[i], if any.
  std::optional<Match> MatchAt(std::string_view s, size_t i) const;
  // The same, when the caller has decoded the character c at s[i] already.
  std::optional<Match> MatchAt(std::string_view s, size_t i, char32_t c) const;
  const std::vector<CatalogEntry>& entries() const { return entries_; }
  // The entry with this code, or null.
  const CatalogEntry* Find(std::string_view code) const;

 private:
  std::vector<CatalogEntry> entries_;
  // By the first character: (name, entry) sorted longest first; first_ marks the characters
  // of the Basic Multilingual Plane that start a name (a quick refusal at most positions).
  std::unordered_map<char32_t, std::vector<std::pair<std::string, int>>> by_first_char_;
  std::bitset<65536> first_;
};

// What kind of line of a page a line is.
enum class LineKind {
  kContent,  // running text: sentences with punctuation
  kHeading,  // a short line without sentence punctuation (title, byline, menu entry)
  kNoise,    // site chrome: links, copyright and disclaimer lines, ads, server warnings
};
LineKind ClassifyLine(std::string_view line);

// Overrides of what the text states.
struct ExtractOptions {
  std::string region;  // if set, the document's region
  std::string period;  // if set, the document's period ("2023", "2024-06")
};

// Reads the facts, region and period of a text (findings are left empty: see checks.h).
// Invalid UTF-8 bytes are treated as separators, never read past the end.
Document Extract(std::string_view text, const Catalog& catalog, const ExtractOptions& options = {});

}  // namespace tiaodu::factcheck
