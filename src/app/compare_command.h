// `dancedynamics compare`: a student's dance against a reference (videos or analysis result
// directories) -> comparison.json and a side-by-side comparison.mp4, with a short summary.
#pragma once

#include <CLI/CLI.hpp>

namespace dd::app {

struct GlobalOptions;

// Registers the subcommand; its callback stores the exit code in *exit_code.
void add_compare_command(CLI::App& app, const GlobalOptions& global, int* exit_code);

}  // namespace dd::app
