// `dancedynamics serve`: the web server (REST + WebSocket API, web app, job queue).
#pragma once

#include <CLI/CLI.hpp>

namespace dd::app {

// The environment variable of the API token (never a flag: a flag would show in `ps`).
inline constexpr const char* kApiTokenVariable = "API_TOKEN";

struct GlobalOptions;

// Registers the subcommand; its callback runs the server until SIGINT/SIGTERM and stores
// the exit code in *exit_code.
void add_serve_command(CLI::App& app, const GlobalOptions& global, int* exit_code);

}  // namespace dd::app
