// `dancedynamics analyze`: the whole job from the command line (video -> results.json,
// landmarks, overlay video, thumbnail) with a progress bar.
#pragma once

#include <CLI/CLI.hpp>

namespace dd::app {

struct GlobalOptions;

// Registers the subcommand; its callback stores the exit code in *exit_code.
void add_analyze_command(CLI::App& app, const GlobalOptions& global, int* exit_code);

}  // namespace dd::app
