// dd::Error, dd::Result<T> and dd::Status: how every fallible call reports failure.
// Member names follow std::expected so a move to C++23 is one alias away.
#pragma once

#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace dd {

// Modelled on Abseil's canonical codes; the server maps them to HTTP statuses and the
// CLI to exit codes (see app/exit_code.h).
enum class ErrorCode {
  kInvalidArgument,     // the caller's input is wrong (bad option, malformed file)
  kNotFound,            // a named thing does not exist (file, session, model)
  kFailedPrecondition,  // the system is not in a state to do this (job already running)
  kUnavailable,         // a resource is temporarily missing (disk full, DB busy)
  kDataLoss,            // data is corrupt or truncated
  kCancelled,           // the caller asked to stop
  kUnimplemented,       // a valid request we do not support (unknown tflite op)
  kInternal,            // a bug or an unexpected library failure
};

// Short lower-case name of a code, e.g. "invalid_argument".
const char* error_code_name(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
};

// Prints "<message>" to stderr and aborts; used by DD_CHECK only.
[[noreturn]] void check_failed(const char* file, int line, const char* condition, const char* why);

// Guards programmer invariants in every build; never for user input.
#define DD_CHECK(cond, why)                                          \
  do {                                                               \
    if (!(cond)) ::dd::check_failed(__FILE__, __LINE__, #cond, why); \
  } while (false)

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    DD_CHECK(has_value(), "value() on an error Result");
    return std::get<0>(state_);
  }
  const T& value() const& {
    DD_CHECK(has_value(), "value() on an error Result");
    return std::get<0>(state_);
  }
  T&& value() && {
    DD_CHECK(has_value(), "value() on an error Result");
    return std::get<0>(std::move(state_));
  }
  const Error& error() const {
    DD_CHECK(!has_value(), "error() on a value Result");
    return std::get<1>(state_);
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  void value() const { DD_CHECK(ok_, "value() on an error Status"); }
  const Error& error() const {
    DD_CHECK(!ok_, "error() on an ok Status");
    return error_;
  }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Status ok_status() {
  return {};
}

inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

// Early return of the error of a Result/Status expression.
#define DD_TRY(expr)                                                \
  do {                                                              \
    auto dd_try_result_ = (expr);                                   \
    if (!dd_try_result_.has_value()) return dd_try_result_.error(); \
  } while (false)

}  // namespace dd
