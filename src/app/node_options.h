// What `serve` and `worker` share: the data directory, the jobs settings, the store settings
// (DATABASE_URL, leases) and the handling of SIGINT/SIGTERM.
#pragma once

#include <CLI/CLI.hpp>

#include <csignal>
#include <filesystem>

#include "jobs/job_queue.h"
#include "store/open_store.h"

namespace dd::app {

// Adds --data-dir (env DATA_DIR): the database (SQLite) and every session's files.
void add_data_dir_option(CLI::App* command, std::filesystem::path& data_dir);

// Adds --workers, --job-timeout, --model (the default model) and --threads, filling `jobs`.
void add_job_options(CLI::App* command, jobs::JobQueueOptions& jobs);

// Adds --database-url, --job-lease, --job-max-attempts, --worker-id and --db-pool-size to
// `command`, filling `config` (worker_id gets default_worker_id() unless given).
void add_store_options(CLI::App* command, store::StoreConfig& config);

// Blocks SIGINT and SIGTERM in this thread and every thread it starts afterwards, so the
// signals are only ever taken by wait_for_termination_signal; returns the blocked set.
sigset_t block_termination_signals();

// Waits for SIGINT or SIGTERM; returns which.
int wait_for_termination_signal(const sigset_t& signals);

}  // namespace dd::app
