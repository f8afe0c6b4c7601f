#include "factcheck/routes.h"

#include "factcheck/report.h"
#include "http/message.h"

namespace tiaodu::factcheck {

using http::Access;
using http::ErrorResponse;
using http::JsonResponse;
using http::RouteContext;

std::vector<http::Route> FactcheckRoutes(FactcheckService& svc) {
  std::vector<http::Route> r;
  // The text is the raw body (text/plain; UTF-8; at most 2 MB). ?region= and ?period= replace
  // what the text states. Answers the facts and findings with the region and period used.
  r.push_back({"POST", "/api/v1/factcheck", Access::kPermission, "factcheck.use", "",
               [&svc](RouteContext& c) {
                 if (c.req.body.size() > kMaxTextBytes)
                   return ErrorResponse(Status(Code::kPayloadTooLarge, "文本过长：最多 2 MB"));
                 ExtractOptions overrides;
                 overrides.region = c.req.Query("region");
                 overrides.period = c.req.Query("period");
                 auto doc = svc.Check(*c.actor, c.req.body, overrides);
                 if (!doc.ok()) return ErrorResponse(doc.status());
                 return JsonResponse(200, ToJson(*doc, /*with_context=*/true));
               },
               /*raw_body=*/true});
  return r;
}

}  // namespace tiaodu::factcheck
