// The job queue's worker pool: claims queued sessions from the store in FIFO order, runs
// the injected job runner (pipeline::run in production; compare::run_comparison for sessions
// whose options.kind is "comparison") with progress, cancellation and a per-job timeout, keeps
// each running job's lease alive with heartbeats (which also notice a job cancelled or deleted
// by another node), and records the outcome in the store.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "compare/compare_job.h"
#include "pipeline/pipeline.h"
#include "store/store.h"

namespace dd::jobs {

// Same signature as pipeline::run, so `serve` passes it directly and tests inject their own.
using JobRunner = std::function<Result<pipeline::PipelineOutputs>(
    const std::filesystem::path& input, const std::filesystem::path& output_dir,
    const pipeline::PipelineOptions& options, const pipeline::ProgressCallback& progress,
    std::stop_token stop)>;

// Same signature as compare::run_comparison, so `serve` passes it directly and tests inject their own.
using CompareRunner = std::function<Result<compare::CompareOutputs>(
    const compare::CompareInput& reference, const compare::CompareInput& student,
    const std::filesystem::path& output_dir, const compare::CompareOptions& options, bool write_video,
    const pipeline::ProgressCallback& progress, std::stop_token stop)>;

// The one jobs configuration of a node (`serve` and `worker` fill it from the same flags).
struct JobQueueOptions {
  int workers = 1;                     // WORKERS: jobs run at the same time (0: none, an API-only node)
  double job_timeout_s = 3600;         // JOB_TIMEOUT_S: a job running longer is stopped and failed
  double progress_interval_s = 0.25;   // minimum time between stored progress reports (~4 a second)
  std::filesystem::path model_dir;     // the .tflite files
  std::string default_model = "full";  // MODEL_COMPLEXITY: the model of a request that names none
  double heartbeat_interval_s = 0.5;   // lease renewal; also how soon a job cancelled elsewhere stops
  int inference_threads = 0;           // DD_THREADS: per job; 0 = all cores
};

// Reason recorded when a job is stopped by stop() (server shutdown) on a store no other
// process shares; on a shared store the job is handed back to the queue instead.
inline constexpr const char* kShutdownReason = "interrupted by server shutdown";

class JobQueue {
 public:
  // Without a compare runner, comparison jobs fail with "comparisons are not available".
  JobQueue(store::Store& store, JobRunner runner, JobQueueOptions options, CompareRunner compare_runner = {});
  ~JobQueue();
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  // Starts the worker threads (none when workers is 0: an API-only node).
  void start();

  // Wakes a worker: a job was queued.
  void notify();

  // Asks the job of session `id` to stop if it runs on this node; returns whether it did.
  bool cancel(const std::string& id);

  // Stops every running job (handed back to the queue on a shared store, else failed with
  // kShutdownReason) and joins the workers.
  void stop();

  // Options for the pipeline from a session's stored options over this queue's defaults;
  // InvalidArgument when the stored options are not valid (see pipeline::options_from_json).
  Result<pipeline::PipelineOptions> pipeline_options(const nlohmann::json& options) const;

 private:
  struct RunningJob {
    std::stop_source stop;
    std::chrono::steady_clock::time_point deadline;
    bool timed_out = false;
    bool cancelled = false;
    // The store no longer holds the job for this node (deleted, cancelled, or re-queued after
    // a lapsed lease and perhaps running elsewhere): its outcome is not this node's to write.
    bool lost = false;
  };

  void work(std::stop_token stop);
  void watch_deadlines(std::stop_token stop);
  void send_heartbeats();
  void stop_lost_job(const std::string& id, const std::string& why);
  void run_job(const store::Session& session);
  // Runs an analysis session's job: the runner with the session's options.
  Result<pipeline::PipelineOutputs> run_analysis_job(const store::Session& session,
                                                     const pipeline::ProgressCallback& progress,
                                                     std::stop_token stop);
  // Runs a comparison session's job; its outputs in the pipeline's terms (comparison.json as
  // results_json, comparison.mp4 as overlay_mp4) so run_job records both kinds alike.
  Result<pipeline::PipelineOutputs> run_comparison_job(const store::Session& session,
                                                       const pipeline::ProgressCallback& progress,
                                                       std::stop_token stop);

  store::Store& store_;
  JobRunner runner_;
  CompareRunner compare_runner_;
  JobQueueOptions options_;
  std::mutex mutex_;
  std::condition_variable_any wake_;           // workers: a job was queued
  std::condition_variable_any watchdog_wake_;  // only woken by stop
  int pending_wakeups_ = 0;
  std::map<std::string, RunningJob> running_;  // by session id
  std::vector<std::jthread> workers_;
  std::jthread watchdog_;
  bool stopping_ = false;
};

}  // namespace dd::jobs
