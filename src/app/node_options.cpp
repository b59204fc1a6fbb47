#include "app/node_options.h"

#include "app/common_flags.h"

namespace dd::app {

void add_data_dir_option(CLI::App* command, std::filesystem::path& data_dir) {
  command
      ->add_option("--data-dir", data_dir,
                   "Directory of the database and the sessions' files (shared by all nodes)")
      ->envname("DATA_DIR")
      ->capture_default_str();
}

void add_job_options(CLI::App* command, jobs::JobQueueOptions& jobs) {
  // 0 is an API-only `serve`; `worker` refuses it when it runs (CLI11 checks every
  // subcommand's environment, so WORKERS=0 for `serve` must pass `worker`'s check too).
  command->add_option("--workers", jobs.workers, "Analysis jobs run at the same time (0: none, API only)")
      ->envname("WORKERS")
      ->check(CLI::Range(0, 64))
      ->capture_default_str();
  command
      ->add_option("--job-timeout", jobs.job_timeout_s,
                   "Seconds after which a running job is stopped and failed")
      ->envname("JOB_TIMEOUT_S")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  add_default_model_flag(command, jobs.default_model);
  add_threads_flag(command, jobs.inference_threads);
}

void add_store_options(CLI::App* command, store::StoreConfig& config) {
  config.lease.worker_id = store::default_worker_id();
  command
      ->add_option("--database-url", config.database_url,
                   "PostgreSQL URL (postgresql://...) shared by all nodes; empty: SQLite under the data dir")
      ->envname("DATABASE_URL");
  command
      ->add_option("--job-lease", config.lease.lease_s,
                   "Seconds a claimed job stays this node's without a heartbeat before it is re-queued")
      ->envname("JOB_LEASE_S")
      ->check(CLI::Range(1.0, 3600.0))
      ->capture_default_str();
  command
      ->add_option("--job-max-attempts", config.lease.max_attempts,
                   "Runs of a job whose worker was lost before it is failed")
      ->envname("JOB_MAX_ATTEMPTS")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  command->add_option("--worker-id", config.lease.worker_id, "Name of this node on the jobs it claims")
      ->envname("WORKER_ID")
      ->capture_default_str();
  command->add_option("--db-pool-size", config.pool_size, "PostgreSQL connections of this node")
      ->envname("DB_POOL_SIZE")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
}

sigset_t block_termination_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

int wait_for_termination_signal(const sigset_t& signals) {
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  return signal_number;
}

}  // namespace dd::app
