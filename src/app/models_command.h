// `dancedynamics models`: checks that the model files are installed and intact.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>

namespace dd::app {

struct GlobalOptions;

// Registers the subcommand; its callback stores the exit code in *exit_code.
void add_models_command(CLI::App& app, const GlobalOptions& global, int* exit_code);

}  // namespace dd::app
