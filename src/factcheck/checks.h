// The checks of 数据核查 on the facts of one document: a stated share or plan-completion
// percentage against its parts, an enumerated sum against its stated total ("超过/以上" totals are
// lower bounds), the same quantity stated twice with different values, and the text's figures
// against the approved figures of the ledger. A check that the text does not allow (a plan that
// is not stated, a total of approximate parts) gives no finding rather than a guess.
// Pure: no I/O.
#pragma once

#include <vector>

#include "factcheck/model.h"

namespace tiaodu::factcheck {

// The findings on `facts` (as Extract gives them, in text order). `ledger` holds the approved
// figures of the document's region and period; null or empty means no ledger comparison.
std::vector<Finding> RunChecks(const std::vector<Fact>& facts,
                               const std::vector<LedgerFigure>* ledger);

// Half a unit of the last digit written: 93.9 → 0.05, 216 → 0.5 (as a Decimal).
Decimal HalfUlp(int decimals);

// Digits after the point of a decimal's shortest text (10.80 → 1).
int DecimalsOf(Decimal d);

}  // namespace tiaodu::factcheck
