// The command line: every command and flag of `dancedynamics`, in one place so that tests can
// inspect the declarations without running the program.
#pragma once

#include <CLI/CLI.hpp>

#include "app/global_options.h"

namespace dd::app {

// Adds the global options and every subcommand to `app`; a command's callback stores its exit
// code in *exit_code. `global` and `exit_code` must outlive the parse.
void add_cli(CLI::App& app, GlobalOptions& global, int* exit_code);

}  // namespace dd::app
