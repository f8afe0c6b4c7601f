// Request and Response: the HTTP messages as handlers see them, free of any socket or Beast
// type, so that handlers are plain functions testable without a network (Beast's
// handle_request idea). Value types; not thread-safe to mutate concurrently.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace tiaodu::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // raw target, with query
  std::string path;    // percent-decoded path, no query
  std::map<std::string, std::string> query;    // decoded query parameters
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote_ip;

  std::string Header(const std::string& lower_name) const;
  std::string Query(const std::string& name, const std::string& fallback = {}) const;
  std::string Cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  void SetHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

// Splits a request target into path and query (percent-decoding both). False if malformed.
bool ParseTarget(std::string_view target, std::string& path,
                 std::map<std::string, std::string>& query);

Response JsonResponse(int status, std::string json);
// The one mapping of Status codes to HTTP statuses (a switch without default).
int HttpStatusFor(Code code);
// {"error": {"code", "message", "details"}} with the fitting status.
Response ErrorResponse(const Status& status);

}  // namespace tiaodu::http
