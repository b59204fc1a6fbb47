#include "app/worker_command.h"

#include <cstdio>
#include <memory>
#include <string>

#include "app/exit_code.h"
#include "app/global_options.h"
#include "app/node_options.h"
#include "compare/compare_job.h"
#include "core/log.h"
#include "jobs/job_queue.h"
#include "pipeline/pipeline.h"
#include "store/open_store.h"

namespace dd::app {
namespace {

struct WorkerConfig {
  std::filesystem::path data_dir = "data";
  jobs::JobQueueOptions jobs;
};

int run_worker(const WorkerConfig& config, store::StoreConfig store_config) {
  if (store_config.database_url.empty()) {
    // Two processes on one SQLite file would each fail the other's running jobs at start.
    return report_error(
        make_error(ErrorCode::kFailedPrecondition,
                   "worker needs DATABASE_URL (postgresql://...); with SQLite, `serve` runs the jobs"));
  }
  if (config.jobs.workers < 1) {
    return report_error(make_error(ErrorCode::kInvalidArgument, "a worker needs WORKERS of at least 1"));
  }
  store_config.data_dir = config.data_dir;
  auto store = store::open_store(store_config);
  if (!store) return report_error(store.error());
  const sigset_t signals = block_termination_signals();
  jobs::JobQueue jobs(**store, &pipeline::run, config.jobs, &compare::run_comparison);
  jobs.start();
  std::printf("dancedynamics: worker %s running %d job(s) at a time; Ctrl-C stops\n",
              store_config.lease.worker_id.c_str(), config.jobs.workers);
  std::fflush(stdout);
  const int signal_number = wait_for_termination_signal(signals);
  DD_LOG_INFO("worker: {} received, handing running jobs back",
              signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  jobs.stop();
  return kExitOk;
}

}  // namespace

void add_worker_command(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  auto config = std::make_shared<WorkerConfig>();
  auto store_config = std::make_shared<store::StoreConfig>();
  auto* command =
      app.add_subcommand("worker", "Run analysis jobs from the shared PostgreSQL queue (no HTTP)");
  add_data_dir_option(command, config->data_dir);
  add_job_options(command, config->jobs);
  add_store_options(command, *store_config);
  command->callback([config, store_config, &global, exit_code] {
    config->jobs.model_dir = global.model_dir;
    *exit_code = run_worker(*config, *store_config);
  });
}

}  // namespace dd::app
