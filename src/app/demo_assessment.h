// The demo's assessment: the city's monthly scheme for its counties, districts and zones
// (南阳市县区经济工作月度考评), and its league tables published for every month of 2024 from
// February (January is not published on its own), so the flags move month to month.
#pragma once

#include "app/services.h"

namespace tiaodu::app {

// Creates the scheme (once) and publishes the months not yet published. Returns the scheme id.
Result<int64_t> LoadAssessmentDemo(Services& s);

// The province's scheme for benchmarks: ranks the root's children on one indicator's growth
// (`indicator`), key-project completion, investment targets and the 13710 on-time rate.
// Nothing is published. Returns the scheme id.
Result<int64_t> LoadProvinceAssessment(Services& s, const std::string& root_code, const std::string& indicator);

}  // namespace tiaodu::app
