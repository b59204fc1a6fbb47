// Process exit codes of the dancedynamics CLI, one per error class (documented in README).
#pragma once

#include "core/result.h"

namespace dd::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;  // bad command line (CLI11's own code for parse errors)

// 3 invalid input, 4 not found, 5 corrupt data, 6 unavailable, 7 cancelled, 8 unsupported,
// 9 wrong state, 10 internal error.
int exit_code_for(ErrorCode code);

// Prints "dancedynamics: <message>" to stderr and returns the exit code for the error.
int report_error(const Error& error);

}  // namespace dd::app
