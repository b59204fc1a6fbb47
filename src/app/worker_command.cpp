#include "app/worker_command.h"

#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "app/common_flags.h"
#include "app/exit_code.h"
#include "app/global_options.h"
#include "app/node_options.h"
#include "compare/compare_job.h"
#include "core/log.h"
#include "pipeline/pipeline.h"
#include "server/job_queue.h"
#include "store/open_store.h"

namespace dd::app {
namespace {

struct WorkerConfig {
  std::filesystem::path data_dir = "data";
  int workers = 1;
  double job_timeout_s = 3600;
  double progress_interval_s = 0.25;
  std::string default_model = "full";
  int inference_threads = 0;
};

int run_worker(const WorkerConfig& config, store::StoreConfig store_config, const std::string& model_dir) {
  if (store_config.database_url.empty()) {
    // Two processes on one SQLite file would each fail the other's running jobs at start.
    return report_error(
        make_error(ErrorCode::kFailedPrecondition,
                   "worker needs DATABASE_URL (postgresql://...); with SQLite, `serve` runs the jobs"));
  }
  if (config.workers < 1) {
    return report_error(make_error(ErrorCode::kInvalidArgument, "a worker needs WORKERS of at least 1"));
  }
  store_config.data_dir = config.data_dir;
  auto store = store::open_store(store_config);
  if (!store) return report_error(store.error());
  const sigset_t signals = block_termination_signals();
  server::JobQueueOptions options{config.workers, config.job_timeout_s, config.progress_interval_s, model_dir,
                                  config.default_model};
  options.inference_threads = config.inference_threads;
  server::JobQueue jobs(**store, &pipeline::run, options, &compare::run_comparison);
  jobs.start();
  std::printf("dancedynamics: worker %s running %d job(s) at a time; Ctrl-C stops\n",
              store_config.lease.worker_id.c_str(), config.workers);
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
  command
      ->add_option("--data-dir", config->data_dir,
                   "Directory of the sessions' files (shared with the API nodes)")
      ->envname("DATA_DIR")
      ->capture_default_str();
  // 0 passes the check because CLI11 also checks this subcommand's environment when `serve`
  // runs (WORKERS=0 on an API node); run_worker refuses it.
  command->add_option("--workers", config->workers, "Analysis jobs run at the same time")
      ->envname("WORKERS")
      ->check(CLI::Range(0, 64))
      ->capture_default_str();
  command
      ->add_option("--job-timeout", config->job_timeout_s,
                   "Seconds after which a running job is stopped and failed")
      ->envname("JOB_TIMEOUT_S")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  add_default_model_flag(command, config->default_model);
  command->add_option("--threads", config->inference_threads, "Inference threads per job (0 = all cores)")
      ->envname("DD_THREADS")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  add_store_options(command, *store_config);
  command->callback([config, store_config, &global, exit_code] {
    *exit_code = run_worker(*config, *store_config, global.model_dir);
  });
}

}  // namespace dd::app
