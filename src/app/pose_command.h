// `dancedynamics pose` (video -> landmark JSON) and `dancedynamics compare-landmarks`
// (agreement of two landmark JSON files, e.g. ours against a MediaPipe reference run).
#pragma once

#include <CLI/CLI.hpp>

namespace dd::app {

struct GlobalOptions;

// Registers both subcommands; their callbacks store the exit code in *exit_code.
void add_pose_commands(CLI::App& app, const GlobalOptions& global, int* exit_code);

}  // namespace dd::app
