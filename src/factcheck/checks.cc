#include "factcheck/checks.h"

#include <algorithm>
#include <unordered_map>

#include "factcheck/numbers.h"

namespace tiaodu::factcheck {

const char* CheckName(Check c) {
  switch (c) {
    case Check::kShare:
      return "share";
    case Check::kCompletion:
      return "completion";
    case Check::kSum:
      return "sum";
    case Check::kRepeat:
      return "repeat";
    case Check::kLedger:
      return "ledger";
  }
  return "";
}

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kConsistent:
      return "consistent";
    case Verdict::kInconsistent:
      return "inconsistent";
  }
  return "";
}

Decimal HalfUlp(int decimals) {
  if (decimals < 0) decimals = 0;
  if (decimals >= Decimal::kScale) return Decimal::FromRaw(0);
  int64_t raw = 5;
  for (int d = decimals + 1; d < Decimal::kScale; ++d) raw *= 10;
  return Decimal::FromRaw(raw);
}

int DecimalsOf(Decimal d) {
  std::string t = d.ToString();
  size_t dot = t.find('.');
  return dot == std::string::npos ? 0 : static_cast<int>(t.size() - dot - 1);
}

namespace {

// value rounded to `places` (half away from zero).
Decimal Round(Decimal v, int places) {
  auto r = Decimal::Parse(v.Format(places));
  return r.ok() ? *r : v;
}

// `v` in `from` expressed in `to`, or none when the units do not convert.
std::optional<Decimal> Convert(Decimal v, const std::string& from, const std::string& to) {
  return ConvertUnits(v, from, to);
}

bool Convertible(const std::string& a, const std::string& b) {
  return a == b || ConvertUnits(Decimal::FromInt(1), a, b).has_value();
}

std::string Show(Decimal v, const std::string& unit) { return v.ToString() + unit; }

std::string Name(const Fact& f) { return f.label.empty() ? std::string("（未命名）") : f.label; }

bool IsAmount(const Fact& f) {
  return f.value && f.unit != "%" && f.unit != "‰" && f.unit != "个百分点" && f.unit != "倍" &&
         !f.share && !f.completion;
}

Decimal Abs(Decimal d) { return d.Abs(); }

// part / whole × 100, or none.
std::optional<Decimal> Percent(Decimal part, Decimal whole) {
  if (whole.IsZero()) return std::nullopt;
  auto q = part.Div(whole);
  if (!q.ok()) return std::nullopt;
  auto p = q->Mul(Decimal::FromInt(100));
  if (!p.ok()) return std::nullopt;
  return *p;
}

class Checker {
 public:
  Checker(const std::vector<Fact>& facts, const std::vector<LedgerFigure>* ledger)
      : facts_(facts), ledger_(ledger) {}

  std::vector<Finding> Run() {
    // Sentence ranges.
    size_t i = 0;
    while (i < facts_.size()) {
      size_t j = i;
      while (j < facts_.size() && facts_[j].sentence == facts_[i].sentence) ++j;
      Shares(i, j);
      Completions(i, j);
      Sums(i, j);
      i = j;
    }
    Repeats();
    if (ledger_ && !ledger_->empty()) Ledger();
    std::stable_sort(out_.begin(), out_.end(),
                     [](const Finding& a, const Finding& b) { return a.offset < b.offset; });
    return std::move(out_);
  }

 private:
  void Add(Check check, bool ok, Decimal stated, Decimal computed, const Fact& at,
           std::string explanation) {
    Finding f;
    f.check = check;
    f.verdict = ok ? Verdict::kConsistent : Verdict::kInconsistent;
    f.stated = stated;
    f.computed = computed;
    f.quote = at.quote;
    f.explanation = std::move(explanation);
    f.offset = at.offset;
    out_.push_back(std::move(f));
  }

  // A stated percentage against part ÷ whole, within the rounding of the stated digits.
  void Percentage(Check check, const Fact& pct, const Fact& part, const Fact& whole) {
    auto w = Convert(*whole.value, whole.unit, part.unit);
    if (!w) return;
    auto computed = Percent(*part.value, *w);
    if (!computed) return;
    const Decimal stated = *pct.value;
    const bool ok = Abs(*computed - stated) <= HalfUlp(pct.decimals);
    const int places = pct.decimals + 1;
    const Decimal shown = Round(*computed, places);
    std::string what = check == Check::kShare ? "占比" : "完成计划";
    Add(check, ok, stated, shown, pct,
        Name(part) + " " + Show(*part.value, part.unit) + " ÷ " + Name(whole) + " " +
            Show(*whole.value, whole.unit) + " = " + shown.ToString() + "%，所述" + what + " " +
            stated.ToString() + "%" + (ok ? "在所写位数的舍入范围内一致" : "与计算结果不符"));
  }

  void Shares(size_t b, size_t e) {
    for (size_t i = b; i < e; ++i) {
      const Fact& s = facts_[i];
      if (!s.share || !s.value) continue;
      // The part: the amount just before.
      int part = -1;
      for (size_t k = i; k-- > b;)
        if (IsAmount(facts_[k])) {
          part = static_cast<int>(k);
          break;
        }
      if (part < 0) continue;
      const Fact& p = facts_[part];
      int whole = -1;
      if (s.share_of.empty()) {
        if (!p.after_qizhong) continue;
        for (size_t k = part; k-- > b;)
          if (IsAmount(facts_[k]) && facts_[k].offset < p.qizhong_at &&
              Convertible(facts_[k].unit, p.unit)) {
            whole = static_cast<int>(k);
            break;
          }
      } else {
        // A figure named like the whole, in this sentence or before, of the same time and
        // kind (a result is not a share of a plan, nor 2024's of 2023's). The nearest wins.
        for (size_t k = i; k-- > 0;) {
          const Fact& w = facts_[k];
          if (static_cast<int>(k) == part || !IsAmount(w) || !Convertible(w.unit, p.unit) ||
              w.label.empty() || w.target != p.target ||
              (w.sentence != s.sentence && w.time != s.time))
            continue;
          if (s.share_of == w.label ||
              (s.share_of.size() > w.label.size() && s.share_of.ends_with(w.label))) {
            whole = static_cast<int>(k);
            break;
          }
        }
      }
      if (whole < 0) continue;
      Percentage(Check::kShare, s, p, facts_[whole]);
    }
  }

  static bool IsPlan(const Fact& f) {
    return IsAmount(f) &&
           (f.label.find("计划") != std::string::npos ||
            f.label.find("目标") != std::string::npos || f.label.find("任务") != std::string::npos);
  }

  void Completions(size_t b, size_t e) {
    std::vector<size_t> pcts, plans, actuals;
    for (size_t i = b; i < e; ++i) {
      const Fact& f = facts_[i];
      if (f.completion && f.value) pcts.push_back(i);
    }
    if (pcts.empty()) return;
    for (size_t i = b; i < pcts.front(); ++i) {
      if (IsPlan(facts_[i]))
        plans.push_back(i);
      else if (IsAmount(facts_[i]) && !facts_[i].target)
        actuals.push_back(i);
    }
    if (plans.empty() || actuals.empty()) return;  // the plan is not stated: not checkable
    const size_t n = pcts.size();
    if (plans.size() < n || actuals.size() < n) return;
    for (size_t k = 0; k < n; ++k) {
      const Fact& plan = facts_[plans[plans.size() - n + k]];
      const Fact& actual = facts_[actuals[actuals.size() - n + k]];
      if (!Convertible(plan.unit, actual.unit)) continue;
      Percentage(Check::kCompletion, facts_[pcts[k]], actual, plan);
    }
  }

  // Σ parts against a stated total.
  void SumAgainst(const Fact& total, const std::vector<size_t>& parts, bool subset) {
    if (parts.size() < 2 || total.approximate) return;
    Decimal sum;
    // Counts are exact; amounts carry the rounding of each figure written.
    const bool exact = IsCountUnit(total.unit);
    Decimal tol = exact ? Decimal() : HalfUlp(total.decimals);
    bool approx = false;
    std::string list;
    for (size_t k : parts) {
      const Fact& p = facts_[k];
      auto v = Convert(*p.value, p.unit, total.unit);
      if (!v) return;
      auto s = Decimal::CheckedAdd(sum, *v);
      if (!s.ok()) return;
      sum = *s;
      if (!exact) tol = tol + HalfUlp(p.decimals);
      approx = approx || p.approximate || p.bound != 0;
      if (!list.empty()) list += " + ";
      list += Show(*p.value, p.unit);
    }
    const Decimal stated = *total.value;
    std::string head = "分项 " + list + " = " + Show(sum, total.unit) + "，";
    if (subset) {
      // "共N个，其中…": the listed parts may not be all, but they cannot exceed the whole.
      if (sum > stated + tol) {
        Add(Check::kSum, false, stated, sum, total,
            head + "超过所述总数 " + Show(stated, total.unit));
      } else if (Abs(sum - stated) <= tol && !approx) {
        Add(Check::kSum, true, stated, sum, total,
            head + "与所述总数 " + Show(stated, total.unit) + " 一致");
      }
      return;
    }
    if (total.bound > 0) {
      if (sum + tol >= stated) {
        Add(Check::kSum, true, stated, sum, total,
            head + "所述“超过/以上 " + Show(stated, total.unit) + "”是下限，成立");
      } else if (!approx) {
        Add(Check::kSum, false, stated, sum, total,
            head + "达不到所述下限 " + Show(stated, total.unit));
      }
      return;
    }
    if (total.bound < 0) {
      if (sum <= stated + tol) {
        Add(Check::kSum, true, stated, sum, total,
            head + "未超过所述上限 " + Show(stated, total.unit));
      } else if (!approx) {
        Add(Check::kSum, false, stated, sum, total,
            head + "超过所述上限 " + Show(stated, total.unit));
      }
      return;
    }
    if (approx) return;
    const bool ok = Abs(sum - stated) <= tol;
    Add(Check::kSum, ok, stated, sum, total,
        head + (ok ? "与所述合计 " + Show(stated, total.unit) + " 一致"
                   : "与所述合计 " + Show(stated, total.unit) + " 不符"));
  }

  void Sums(size_t b, size_t e) {
    // Totals named as such (总数, 合计, 共): the parts before them in the sentence.
    size_t start = b;
    for (size_t i = b; i < e; ++i) {
      const Fact& t = facts_[i];
      if (!t.sum_total || !IsAmount(t)) continue;
      std::vector<size_t> parts;
      for (size_t k = start; k < i; ++k)
        if (IsAmount(facts_[k]) && !facts_[k].sum_total && Convertible(facts_[k].unit, t.unit) &&
            IsCountUnit(facts_[k].unit) == IsCountUnit(t.unit) &&
            (facts_[k].unit == t.unit || !IsCountUnit(t.unit)))
          parts.push_back(k);
      SumAgainst(t, parts, false);
      start = i + 1;
    }
    // "X，其中A a、B b": the parts after 其中 against the figure before it.
    for (size_t i = b; i < e; ++i) {
      const Fact& f = facts_[i];
      if (!f.after_qizhong) continue;
      int total = -1;
      for (size_t k = i; k-- > b;)
        if (IsAmount(facts_[k]) && facts_[k].offset < f.qizhong_at && facts_[k].unit == f.unit) {
          total = static_cast<int>(k);
          break;
        }
      // "…完成428.6亿元。其中，第一产业…": the last such figure of the sentence just before.
      if (total < 0 && f.qizhong_opens)
        for (size_t k = b; k-- > 0 && facts_[k].sentence == f.sentence - 1;)
          if (IsAmount(facts_[k]) && facts_[k].unit == f.unit) {
            // Only the sentence's first such figure is its whole.
            total = static_cast<int>(k);
          }
      if (total < 0) break;
      std::vector<size_t> parts;
      for (size_t k = i; k < e; ++k)
        if (facts_[k].after_qizhong && IsAmount(facts_[k]) &&
            facts_[k].unit == facts_[total].unit && !facts_[k].sum_total)
          parts.push_back(k);
      SumAgainst(facts_[total], parts, true);
      break;
    }
  }

  // The same quantity (indicator, its words, the time spoken of) stated in different sentences.
  void Repeats() {
    struct Seen {
      size_t first;
      bool reported = false;
    };
    std::unordered_map<std::string, Seen> seen;
    for (size_t i = 0; i < facts_.size(); ++i) {
      const Fact& f = facts_[i];
      if (!f.indicator || !f.headline || f.target || !f.value || f.approximate || f.bound != 0)
        continue;
      std::string key = *f.indicator + "\x1f" + f.label + "\x1f" + f.time + "\x1f" +
                        (IsCountUnit(f.unit) ? f.unit : "");
      auto [it, fresh] = seen.try_emplace(key, Seen{i});
      if (fresh) continue;
      const Fact& a = facts_[it->second.first];
      if (a.sentence == f.sentence) continue;
      auto v = Convert(*f.value, f.unit, a.unit);
      if (!v) continue;
      Decimal tol = std::max(HalfUlp(a.decimals), HalfUlp(f.decimals + 0));
      // Compare in a's unit; f's rounding in a's unit may be coarser.
      auto f_tol = Convert(HalfUlp(f.decimals), f.unit, a.unit);
      if (f_tol && *f_tol > tol) tol = *f_tol;
      bool same = Abs(*v - *a.value) <= tol;
      bool growth_differs =
          a.growth_pct && f.growth_pct &&
          Abs(*a.growth_pct - *f.growth_pct) >
              std::max(HalfUlp(DecimalsOf(*a.growth_pct)), HalfUlp(DecimalsOf(*f.growth_pct)));
      if (!same) {
        Add(Check::kRepeat, false, *f.value, *a.value, f,
            Name(f) + "前文为 " + Show(*a.value, a.unit) + "，此处为 " + Show(*f.value, f.unit) +
                "，同一数据两处不一致");
        it->second.reported = true;
      } else if (growth_differs) {
        Add(Check::kRepeat, false, *f.growth_pct, *a.growth_pct, f,
            Name(f) + "增速前文为 " + a.growth_pct->ToString() + "%，此处为 " +
                f.growth_pct->ToString() + "%，同一数据两处不一致");
        it->second.reported = true;
      } else if (!it->second.reported) {
        Add(Check::kRepeat, true, *f.value, *a.value, f,
            Name(f) + "两处所述 " + Show(*a.value, a.unit) + " 与 " + Show(*f.value, f.unit) +
                " 一致");
        it->second.reported = true;
      }
    }
  }

  // Headline results against the approved figures of the document's region and period.
  void Ledger() {
    for (const Fact& f : facts_) {
      // Only what the text states as the region's result ("全区GDP完成216亿元"): a bare
      // "新建高标准农田9000亩" in a plan is not compared.
      if (!f.indicator || !f.headline || !f.result_verb || f.target || !f.value || f.approximate)
        continue;
      const LedgerFigure* fig = nullptr;
      for (const LedgerFigure& l : *ledger_)
        if (l.code == *f.indicator) fig = &l;
      if (!fig) continue;
      auto v = Convert(fig->value, fig->unit, f.unit);
      if (!v) continue;
      const Decimal tol = HalfUlp(f.decimals);
      bool ok = f.bound > 0   ? *v + tol >= *f.value
                : f.bound < 0 ? *v <= *f.value + tol
                              : Abs(*v - *f.value) <= tol;
      Decimal shown = Round(*v, std::max(f.decimals, 0) + 2);
      Add(Check::kLedger, ok, *f.value, shown, f,
          Name(f) + "文中为 " + Show(*f.value, f.unit) + "，台账审定数为 " +
              Show(fig->value, fig->unit) +
              (f.unit != fig->unit ? "（合 " + Show(shown, f.unit) + "）" : "") +
              (ok ? "，一致" : "，不一致"));
      if (f.growth_pct && fig->yoy) {
        const int gd = DecimalsOf(*f.growth_pct);
        bool gok = Abs(*fig->yoy - *f.growth_pct) <= HalfUlp(gd);
        Add(Check::kLedger, gok, *f.growth_pct, *fig->yoy, f,
            Name(f) + "增速文中为 " + f.growth_pct->ToString() + "%，台账为 " +
                fig->yoy->ToString() + "%" + (gok ? "，一致" : "，不一致"));
      }
    }
  }

  const std::vector<Fact>& facts_;
  const std::vector<LedgerFigure>* ledger_;
  std::vector<Finding> out_;
};

}  // namespace

std::vector<Finding> RunChecks(const std::vector<Fact>& facts,
                               const std::vector<LedgerFigure>* ledger) {
  return Checker(facts, ledger).Run();
}

}  // namespace tiaodu::factcheck
