// `dancedynamics serve`: the web server (REST + WebSocket API, web app, job queue).
#pragma once

#include <CLI/CLI.hpp>

namespace dd::app {

struct GlobalOptions;

// Registers the subcommand; its callback runs the server until SIGINT/SIGTERM and stores
// the exit code in *exit_code.
void add_serve_command(CLI::App& app, const GlobalOptions& global, int* exit_code);

}  // namespace dd::app
