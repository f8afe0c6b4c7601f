// Status: the outcome of an operation that can fail in an expected way.
// A Status is a value (code + Chinese message + details); it never throws. Copyable, not
// thread-safe to mutate concurrently (like any value). The HTTP layer maps each code to one
// status code in a single switch (http/errors.cc).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace tiaodu {

enum class Code {
  kOk,
  kInvalidArgument,     // bad input: malformed, wrong type, failed validation
  kUnauthenticated,     // no valid session / wrong credentials
  kPermissionDenied,    // role or data scope does not allow it
  kNotFound,            // no such object (or not visible in scope)
  kConflict,            // stale version, duplicate natural key
  kFailedPrecondition,  // the object's state does not allow the operation
  kLocked,              // account locked after failed logins
  kPayloadTooLarge,     // body or file over the limit
  kUnsupportedMedia,    // wrong content type
  kUnavailable,         // database busy / shutting down
  kInternal,            // a bug or an unexpected library failure
};

// One field-level problem, e.g. {"field": "uscc", "reason": "校验位错误"}.
struct Detail {
  std::string field;
  std::string reason;
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message, std::vector<Detail> details = {})
      : code_(code), message_(std::move(message)), details_(std::move(details)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<Detail>& details() const { return details_; }

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::vector<Detail> details_;
};

// Machine-readable name of a code, e.g. "invalid_argument".
const char* CodeName(Code code);

inline Status InvalidArgument(std::string msg, std::vector<Detail> d = {}) {
  return Status(Code::kInvalidArgument, std::move(msg), std::move(d));
}
inline Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
inline Status PermissionDenied(std::string msg = "无权执行此操作") {
  return Status(Code::kPermissionDenied, std::move(msg));
}
inline Status Conflict(std::string msg) { return Status(Code::kConflict, std::move(msg)); }
inline Status FailedPrecondition(std::string msg) {
  return Status(Code::kFailedPrecondition, std::move(msg));
}
// The answer to an optimistic-concurrency write whose version is stale (409).
inline Status StaleVersion() { return Conflict("数据已被他人修改，请刷新后重试"); }
inline Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }

}  // namespace tiaodu
