// The two renderings of a fact-check result: the JSON of the output contract (CLI --json and
// POST /api/v1/factcheck) and a plain text report for people (inconsistent findings first, each
// with its sentence). Pure.
#pragma once

#include <string>

#include "factcheck/model.h"

namespace tiaodu::factcheck {

// {"facts": [...], "findings": [...]} — with_context adds "region" and "period" (the API).
std::string ToJson(const Document& doc, bool with_context);

// A Chinese report: region and period, the findings (inconsistent first), then every fact.
std::string ToText(const Document& doc);

}  // namespace tiaodu::factcheck
