// `dancedynamics worker`: runs analysis jobs from the shared PostgreSQL store and serves no
// HTTP; as many worker processes as machines allow, next to one or more `serve` nodes.
#pragma once

#include <CLI/CLI.hpp>

namespace dd::app {

struct GlobalOptions;

// Registers the subcommand; its callback runs jobs until SIGINT/SIGTERM (the running jobs
// are handed back to the queue) and stores the exit code in *exit_code.
void add_worker_command(CLI::App& app, const GlobalOptions& global, int* exit_code);

}  // namespace dd::app
