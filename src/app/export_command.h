// `dancedynamics export`: motion exports (landmarks.trc, skeleton.bvh, angles.csv) from the
// landmarks.json of an existing result directory, with a choice of trajectory filter.
#pragma once

#include <CLI/CLI.hpp>

namespace dd::app {

struct GlobalOptions;

// Registers the subcommand; its callback stores the exit code in *exit_code.
void add_export_command(CLI::App& app, const GlobalOptions& global, int* exit_code);

}  // namespace dd::app
