// Deterministic randomness for the demo generators (demo_indicators, demo_projects,
// demo_investment): a SplitMix64 stream per (what, whom, n), so output does not depend on
// iteration order, and a largest-remainder split of an integer total. No std::
// distributions: their output is not portable across standard libraries. Header-only; pure.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace tiaodu::app {

inline uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

inline uint64_t HashText(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

class Rng {
 public:
  explicit Rng(uint64_t state = 0) : state_(state) {}
  uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return Mix(state_);
  }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Unit(); }
  // An integer in [lo, hi].
  int Int(int lo, int hi) { return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1)); }
  int64_t Int64(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(double p) { return Unit() < p; }
  size_t Index(size_t n) { return static_cast<size_t>(Next() % n); }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Next() % N];
  }

 private:
  uint64_t state_;
};

// An independent stream per (what, whom, n): results do not depend on iteration order or
// on which other units and indicators are generated.
inline Rng Stream(uint64_t seed, std::string_view a, std::string_view b, int64_t n = 0) {
  return Rng(Mix(seed ^ Mix(HashText(a) ^ Mix(HashText(b) + static_cast<uint64_t>(n)))));
}

// Splits `total` (>= 0) into parts proportional to `weights` (>= 0), each at least
// `min_each`, summing exactly to `total` (largest remainders, ties to the earlier part).
inline std::vector<int64_t> Allocate(int64_t total, const std::vector<double>& weights, int64_t min_each) {
  const size_t n = weights.size();
  std::vector<int64_t> out(n, 0);
  if (n == 0) return out;
  if (min_each * static_cast<int64_t>(n) > total) min_each = total / static_cast<int64_t>(n);
  int64_t rest = total - min_each * static_cast<int64_t>(n);
  double sum = 0;
  for (double w : weights) sum += std::max(w, 0.0);
  std::vector<double> frac(n, 0);
  int64_t given = 0;
  for (size_t i = 0; i < n; ++i) {
    double share = sum > 0 ? std::max(weights[i], 0.0) / sum * static_cast<double>(rest)
                           : static_cast<double>(rest) / static_cast<double>(n);
    int64_t whole = static_cast<int64_t>(std::floor(share));
    out[i] = min_each + whole;
    frac[i] = share - static_cast<double>(whole);
    given += whole;
  }
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return frac[a] > frac[b]; });
  for (size_t k = 0; given < rest; k = (k + 1) % n, ++given) ++out[order[k]];
  // Floating error could over-give by a tick in pathological cases; take it back.
  for (size_t k = 0; given > rest; k = (k + 1) % n) {
    if (out[order[n - 1 - k]] > min_each) {
      --out[order[n - 1 - k]];
      --given;
    }
  }
  return out;
}

}  // namespace tiaodu::app
