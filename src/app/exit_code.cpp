#include "app/exit_code.h"

#include <cstdio>

namespace dd::app {

int exit_code_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 3;
    case ErrorCode::kNotFound: return 4;
    case ErrorCode::kDataLoss: return 5;
    case ErrorCode::kUnavailable: return 6;
    case ErrorCode::kCancelled: return 7;
    case ErrorCode::kUnimplemented: return 8;
    case ErrorCode::kFailedPrecondition: return 9;
    case ErrorCode::kInternal: return 10;
  }
  return 10;
}

int report_error(const Error& error) {
  std::fprintf(stderr, "dancedynamics: %s\n", error.message.c_str());
  return exit_code_for(error.code);
}

}  // namespace dd::app
