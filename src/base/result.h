// Result<T>: either a value or a non-OK Status; a subset of std::expected's API
// (g++ 12 has no <expected> in C++20). Value semantics; not thread-safe to mutate.
#pragma once

#include <cassert>
#include <optional>
#include <utility>

#include "base/status.h"

namespace tiaodu {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "a Result without a value needs an error");
  }

  bool ok() const { return value_.has_value(); }
  bool has_value() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }

  const Status& status() const { return status_; }
  const Status& error() const { return status_; }

  T& value() & { assert(ok()); return *value_; }
  const T& value() const& { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  template <typename U>
  T value_or(U&& fallback) const& { return ok() ? *value_ : T(std::forward<U>(fallback)); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace tiaodu

// Returns the error of a Status or Result expression from the enclosing function.
#define TIAODU_RETURN_IF_ERROR(expr)              \
  do {                                            \
    auto&& tiaodu_s_ = (expr);                    \
    if (!tiaodu_s_.ok()) return ::tiaodu::ToStatus(tiaodu_s_); \
  } while (0)

namespace tiaodu {
inline const Status& ToStatus(const Status& s) { return s; }
template <typename T>
const Status& ToStatus(const Result<T>& r) { return r.status(); }
}  // namespace tiaodu
