#include "benefits/blocks.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace tiaodu::benefits {
namespace {

// Snapshot formats: 1 kept the unit code only; 2 also keeps the codes of the units above it (the
// unit tree as the run saw it: `unit = "…"` holds for the unit's subtree, decision 0019).
constexpr uint8_t kSnapshotFormat = 2;
constexpr uint8_t kResultsFormat = 1;

// Appends unsigned LEB128 varints, zigzag-coded signed values and length-prefixed texts.
class Writer {
 public:
  void Byte(uint8_t b) { out_.push_back(static_cast<char>(b)); }
  void Unsigned(uint64_t v) {
    while (v >= 0x80) {
      Byte(static_cast<uint8_t>(v | 0x80));
      v >>= 7;
    }
    Byte(static_cast<uint8_t>(v));
  }
  void Signed(int64_t v) {
    Unsigned((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
  }
  void Text(std::string_view s) {
    Unsigned(s.size());
    out_.append(s);
  }
  void Texts(const std::vector<std::string>& texts) {
    Unsigned(texts.size());
    for (const auto& t : texts) Text(t);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads what Writer wrote; any read past the end or malformed value sets `bad`.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool bad() const { return bad_; }
  bool done() const { return pos_ == in_.size(); }
  size_t position() const { return pos_; }
  void Fail() { bad_ = true; }
  uint8_t Byte() {
    if (pos_ >= in_.size()) {
      bad_ = true;
      return 0;
    }
    return static_cast<uint8_t>(in_[pos_++]);
  }
  uint64_t Unsigned() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const uint8_t b = Byte();
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    bad_ = true;
    return 0;
  }
  int64_t Signed() {
    const uint64_t u = Unsigned();
    return static_cast<int64_t>(u >> 1) ^ -static_cast<int64_t>(u & 1);
  }
  // A count or index that must be below `limit` (so that a bad block cannot make a huge
  // allocation or an out-of-range reference).
  size_t Below(uint64_t limit) {
    const uint64_t v = Unsigned();
    if (v >= limit) {
      bad_ = true;
      return 0;
    }
    return static_cast<size_t>(v);
  }
  std::string Text() {
    const size_t n = Below(in_.size() - pos_ + 1);
    if (bad_) return {};
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  std::vector<std::string> Texts() {
    const size_t n = Below(in_.size() + 1);
    std::vector<std::string> out;
    for (size_t i = 0; i < n && !bad_; ++i) out.push_back(Text());
    return out;
  }

 private:
  std::string_view in_;
  size_t pos_ = 0;
  bool bad_ = false;
};

// Texts numbered in the order first seen.
class Interner {
 public:
  uint32_t Id(const std::string& s) {
    auto [it, added] = ids_.try_emplace(s, static_cast<uint32_t>(texts_.size()));
    if (added) texts_.push_back(s);
    return it->second;
  }
  const std::vector<std::string>& texts() const { return texts_; }

 private:
  std::unordered_map<std::string, uint32_t> ids_;
  std::vector<std::string> texts_;
};

Status Malformed(const char* what) {
  return Internal(std::string("存储的") + what + "已损坏，无法读取");
}

// A raw Decimal: whole units when exact (most figures), else the raw value; `whole` says which.
int64_t Compact(int64_t raw, int64_t unit, bool& whole) {
  whole = raw % unit == 0;
  return whole ? raw / unit : raw;
}

constexpr int64_t kCent = Decimal::kOne / 100;

}  // namespace

std::string EncodeSnapshot(const std::vector<const Enterprise*>& enterprises) {
  // Body first (the string table is only known at the end), then header + table + body.
  Interner strings;
  Writer body;
  int64_t previous_id = 0;
  for (const Enterprise* each : enterprises) {
    const Enterprise& e = *each;
    body.Signed(e.id - previous_id);
    previous_id = e.id;
    body.Unsigned(strings.Id(e.industry));
    body.Unsigned(strings.Id(e.unit_code));
    body.Unsigned(e.unit_ancestors.size());
    for (const auto& a : e.unit_ancestors) body.Unsigned(strings.Id(a));
    body.Byte(e.scale ? static_cast<uint8_t>(static_cast<int>(*e.scale) + 1) : 0);
    body.Unsigned(e.certifications.size());
    for (const auto& c : e.certifications) body.Unsigned(strings.Id(c));
    if (e.founded) {
      body.Unsigned(static_cast<uint64_t>(e.founded->year));
      body.Byte(static_cast<uint8_t>(e.founded->month));
      body.Byte(static_cast<uint8_t>(e.founded->day));
    } else {
      body.Unsigned(0);
    }
    body.Unsigned(e.years.size());
    for (const auto& [year, f] : e.years) {
      body.Signed(year);
      const std::optional<Decimal>* values[] = {&f.revenue, &f.tax_paid, &f.rd_spending,
                                                &f.employees};
      uint8_t flags = 0;
      int64_t compact[4] = {};
      for (int k = 0; k < 4; ++k) {
        if (!*values[k]) continue;
        bool whole = false;
        compact[k] = Compact((*values[k])->raw(), Decimal::kOne, whole);
        flags |= static_cast<uint8_t>((1 << k) | (whole ? 0x10 << k : 0));
      }
      body.Byte(flags);
      for (int k = 0; k < 4; ++k)
        if (flags & (1 << k)) body.Signed(compact[k]);
    }
  }
  Writer out;
  out.Byte(kSnapshotFormat);
  out.Unsigned(enterprises.size());
  out.Texts(strings.texts());
  std::string bytes = out.Take();
  bytes += body.Take();
  return bytes;
}

namespace {

// Reads one enterprise's record (written by EncodeSnapshot after the header, in `format`) into
// `e`; the id is stored as the difference from the previous one (`previous_id`).
void ReadEnterprise(Reader& in, uint8_t format, const std::vector<std::string>& strings,
                    int64_t previous_id, Enterprise& e) {
  e.id = previous_id + in.Signed();
  e.industry = strings[in.Below(strings.size())];
  e.unit_code = strings[in.Below(strings.size())];
  if (format >= 2)
    for (size_t n = in.Below(strings.size() + 1); n > 0 && !in.bad(); --n)
      e.unit_ancestors.push_back(strings[in.Below(strings.size())]);
  const uint8_t scale = in.Byte();
  if (scale > kScaleCount) in.Fail();
  if (scale && scale <= kScaleCount) e.scale = static_cast<Scale>(scale - 1);
  for (size_t n = in.Below(strings.size() + 1); n > 0 && !in.bad(); --n)
    e.certifications.insert(strings[in.Below(strings.size())]);
  if (const uint64_t year = in.Unsigned(); year) {
    const int month = in.Byte(), day = in.Byte();
    e.founded = CivilDate{static_cast<int>(year), month, day};
  }
  for (size_t n = in.Below(1u << 16); n > 0 && !in.bad(); --n) {
    YearFigures& f = e.years[static_cast<int>(in.Signed())];
    std::optional<Decimal>* values[] = {&f.revenue, &f.tax_paid, &f.rd_spending, &f.employees};
    const uint8_t flags = in.Byte();
    for (int k = 0; k < 4; ++k) {
      if (!(flags & (1 << k))) continue;
      const int64_t v = in.Signed();
      *values[k] = Decimal::FromRaw(flags & (0x10 << k) ? v * Decimal::kOne : v);
    }
  }
}

}  // namespace

Result<RegisterSnapshot> RegisterSnapshot::Parse(std::string bytes) {
  RegisterSnapshot out;
  Reader in(bytes);
  out.format_ = in.Byte();
  if (out.format_ < 1 || out.format_ > kSnapshotFormat) return Malformed("企业名录快照");
  const size_t count = in.Below(bytes.size() + 1);
  out.strings_ = in.Texts();
  if (in.bad()) return Malformed("企业名录快照");
  out.offsets_.reserve(count);
  out.ids_.reserve(count);
  int64_t id = 0;
  for (size_t i = 0; i < count; ++i) {
    out.offsets_.push_back(static_cast<uint32_t>(in.position()));
    Enterprise e;
    ReadEnterprise(in, out.format_, out.strings_, id, e);
    if (in.bad()) return Malformed("企业名录快照");
    id = e.id;
    out.ids_.push_back(id);
  }
  if (!in.done()) return Malformed("企业名录快照");
  out.bytes_ = std::move(bytes);
  return out;
}

Enterprise RegisterSnapshot::At(size_t i) const {
  Reader in(std::string_view(bytes_).substr(offsets_[i]));
  Enterprise e;
  ReadEnterprise(in, format_, strings_, i ? ids_[i - 1] : 0, e);
  return e;
}

std::string EncodeResults(const ResultsBlock& block) {
  Writer out;
  out.Byte(kResultsFormat);
  out.Texts(block.names);
  out.Texts(block.errors);
  out.Unsigned(block.results.size());
  for (const StoredResult& r : block.results) {
    // Flags: bits 0-2 the outcome, 3 requested known, 4 requested raw (not whole 分),
    // 5 granted known, 6 granted raw, 7 missing names or an error follow.
    bool requested_cents = false, granted_cents = false;
    const int64_t requested = r.requested ? Compact(r.requested->raw(), kCent, requested_cents) : 0;
    const int64_t granted = r.granted ? Compact(r.granted->raw(), kCent, granted_cents) : 0;
    const bool extra = !r.missing.empty() || r.error >= 0;
    uint8_t flags = static_cast<uint8_t>(r.outcome);
    if (r.requested) flags |= 0x08 | (requested_cents ? 0 : 0x10);
    if (r.granted) flags |= 0x20 | (granted_cents ? 0 : 0x40);
    if (extra) flags |= 0x80;
    out.Byte(flags);
    out.Unsigned(static_cast<uint64_t>(r.enterprise));
    out.Unsigned(r.met);
    out.Unsigned(r.failed);
    if (extra) {
      out.Unsigned(r.missing.size());
      for (int32_t m : r.missing) out.Unsigned(static_cast<uint64_t>(m));
      out.Unsigned(static_cast<uint64_t>(r.error + 1));
    }
    if (r.requested) out.Signed(requested);
    if (r.granted) out.Signed(granted);
  }
  return out.Take();
}

Result<ResultsBlock> DecodeResults(std::string_view bytes) {
  Reader in(bytes);
  ResultsBlock block;
  if (in.Byte() != kResultsFormat) return Malformed("匹配结果");
  block.names = in.Texts();
  block.errors = in.Texts();
  const size_t count = in.Below(bytes.size() + 1);
  if (in.bad()) return Malformed("匹配结果");
  block.results.resize(count);
  for (StoredResult& r : block.results) {
    const uint8_t flags = in.Byte();
    const int outcome = flags & 0x07;
    if (outcome > static_cast<int>(Outcome::kDataError)) return Malformed("匹配结果");
    r.outcome = static_cast<Outcome>(outcome);
    r.enterprise = static_cast<int32_t>(in.Below(INT32_MAX));
    r.met = in.Unsigned();
    r.failed = in.Unsigned();
    if (flags & 0x80) {
      for (size_t n = in.Below(block.names.size() + 1); n > 0; --n)
        r.missing.push_back(static_cast<int32_t>(in.Below(block.names.size())));
      r.error = static_cast<int32_t>(in.Below(block.errors.size() + 1)) - 1;
    }
    if (flags & 0x08) {
      const int64_t v = in.Signed();
      r.requested = Decimal::FromRaw(flags & 0x10 ? v : v * kCent);
    }
    if (flags & 0x20) {
      const int64_t v = in.Signed();
      r.granted = Decimal::FromRaw(flags & 0x40 ? v : v * kCent);
    }
    if (in.bad()) return Malformed("匹配结果");
  }
  if (!in.done()) return Malformed("匹配结果");
  return block;
}

void InApiOrder(std::vector<StoredResult>& results, const std::vector<int64_t>& company_ids) {
  // Sorts small keys, then moves each result once (a run has tens of thousands). When the
  // results come by ascending company id (a run's do: the register is read by id) and every
  // amount is a whole number of 分 below 2^41, a key is one integer: outcome, amount
  // descending, position.
  constexpr int kPositionBits = 20, kCentBits = 41;
  bool packable = results.size() < (size_t{1} << kPositionBits);
  for (size_t i = 0; i < results.size() && packable; ++i) {
    const StoredResult& r = results[i];
    const int64_t raw = r.requested ? r.requested->raw() : 0;
    packable = raw >= 0 && raw % kCent == 0 && raw / kCent < (int64_t{1} << kCentBits) &&
               (i == 0 || company_ids[results[i - 1].enterprise] < company_ids[r.enterprise]);
  }
  std::vector<uint32_t> order(results.size());
  if (packable) {
    std::vector<uint64_t> keys(results.size());
    for (size_t i = 0; i < results.size(); ++i) {
      const StoredResult& r = results[i];
      const uint64_t cents = r.requested ? static_cast<uint64_t>(r.requested->raw() / kCent) : 0;
      keys[i] = (static_cast<uint64_t>(r.outcome) << (kCentBits + kPositionBits)) |
                (((uint64_t{1} << kCentBits) - 1 - cents) << kPositionBits) | i;
    }
    std::sort(keys.begin(), keys.end());
    for (size_t i = 0; i < keys.size(); ++i)
      order[i] = static_cast<uint32_t>(keys[i] & ((uint64_t{1} << kPositionBits) - 1));
  } else {
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
      const StoredResult &a = results[x], &b = results[y];
      if (a.outcome != b.outcome) return a.outcome < b.outcome;
      const int64_t ra = a.requested ? a.requested->raw() : 0,
                    rb = b.requested ? b.requested->raw() : 0;
      if (ra != rb) return ra > rb;
      return company_ids[a.enterprise] < company_ids[b.enterprise];
    });
  }
  std::vector<StoredResult> sorted;
  sorted.reserve(results.size());
  for (uint32_t i : order) sorted.push_back(std::move(results[i]));
  results = std::move(sorted);
}

ResultsBlock ComputeResults(const Policy& policy, const std::vector<Facts>& facts,
                            const std::vector<int64_t>& ids, std::optional<Decimal> budget,
                            BudgetMode mode, RunTotals& totals) {
  ResultsBlock block;
  std::vector<AwardRequest> requests;
  Interner names, errors;
  Evaluation ev;
  for (size_t i = 0; i < facts.size(); ++i) {
    Evaluate(policy, facts[i], ev);
    if (ev.outcome == Outcome::kNotMatched) continue;
    StoredResult x;
    x.enterprise = static_cast<int32_t>(i);
    x.outcome = ev.outcome;
    x.met = ev.met;
    x.failed = ev.failed;
    for (const auto& m : ev.missing_attributes)
      x.missing.push_back(static_cast<int32_t>(names.Id(m)));
    if (!ev.error.empty()) x.error = static_cast<int32_t>(errors.Id(ev.error));
    x.requested = ev.amount;
    switch (ev.outcome) {
      case Outcome::kMatched:
        ++totals.matched;
        requests.push_back({ids[i], *ev.amount});
        break;
      case Outcome::kNearMiss:
        ++totals.near_miss;
        break;
      case Outcome::kDataMissing:
        ++totals.data_missing;
        break;
      default:
        ++totals.data_error;
        break;
    }
    block.results.push_back(std::move(x));
  }
  block.names = names.texts();
  block.errors = errors.texts();
  std::unordered_map<int64_t, Decimal> granted;
  for (const Award& a : ApplyBudget(requests, budget, mode)) {
    granted[a.enterprise_id] = a.granted;
    totals.requested += a.requested;
    totals.granted += a.granted;
  }
  for (auto& x : block.results)
    if (x.outcome == Outcome::kMatched) x.granted = granted[ids[x.enterprise]];
  InApiOrder(block.results, ids);
  return block;
}

namespace {

std::string Joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "；") + p;
  return out;
}

std::string AmountText(const std::optional<Decimal>& d) { return d ? d->ToString() : ""; }

// A result's values as CompareResults shows them, by field (nullptr: not stored).
std::vector<std::pair<const char*, std::string>> Fields(const StoredResult* r,
                                                        const ResultsBlock& block,
                                                        const Policy& policy) {
  if (!r) return {{"outcome", "not_matched"}};
  std::vector<std::string> missing;
  for (int32_t m : r->missing) missing.push_back(block.names[m]);
  return {{"outcome", OutcomeName(r->outcome)},
          {"met", Joined(ConditionTexts(policy, r->met))},
          {"failed", Joined(ConditionTexts(policy, r->failed))},
          {"missing", Joined(missing)},
          {"error", r->error >= 0 ? block.errors[r->error] : ""},
          {"requested", AmountText(r->requested)},
          {"granted", AmountText(r->granted)}};
}

}  // namespace

std::vector<ResultDifference> CompareResults(const ResultsBlock& stored,
                                             const ResultsBlock& recomputed, const Policy& policy) {
  std::unordered_map<int32_t, const StoredResult*> again;
  for (const StoredResult& r : recomputed.results) again[r.enterprise] = &r;
  std::vector<ResultDifference> out;
  auto compare = [&](int32_t enterprise, const StoredResult* was, const StoredResult* now) {
    const auto a = Fields(was, stored, policy), b = Fields(now, recomputed, policy);
    // A result on one side only differs by its outcome; its other fields are not compared.
    for (size_t k = 0; k < std::min(a.size(), b.size()); ++k) {
      if (a[k].second != b[k].second)
        out.push_back({enterprise, a[k].first, a[k].second, b[k].second});
    }
  };
  std::unordered_map<int32_t, bool> seen;
  for (const StoredResult& r : stored.results) {
    seen[r.enterprise] = true;
    auto it = again.find(r.enterprise);
    compare(r.enterprise, &r, it == again.end() ? nullptr : it->second);
  }
  for (const StoredResult& r : recomputed.results)
    if (!seen.count(r.enterprise)) compare(r.enterprise, nullptr, &r);
  if (out.empty()) {
    for (size_t i = 0; i < stored.results.size() && i < recomputed.results.size(); ++i) {
      if (stored.results[i].enterprise == recomputed.results[i].enterprise) continue;
      size_t j = 0;
      while (recomputed.results[j].enterprise != stored.results[i].enterprise) ++j;
      out.push_back({stored.results[i].enterprise, "order", "第" + std::to_string(i + 1) + "位",
                     "第" + std::to_string(j + 1) + "位"});
      break;
    }
  }
  return out;
}

}  // namespace tiaodu::benefits
