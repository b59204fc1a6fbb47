#include "jobs/job_queue.h"

#include <fstream>
#include <sstream>
#include <string_view>
#include <system_error>
#include <thread>

#include "core/log.h"
#include "jobs/comparison_session.h"

namespace dd::jobs {
namespace {

namespace fs = std::filesystem;

nlohmann::json progress_json(const pipeline::Progress& progress) {
  return {{"progress", progress.fraction},
          {"stage", progress.stage},
          {"message", progress.message},
          {"frame", progress.frame},
          {"total", progress.total},
          {"fps", progress.fps},
          {"eta_s", progress.eta_s ? nlohmann::json(*progress.eta_s) : nlohmann::json(nullptr)},
          {"queue_position", 0}};
}

Result<std::string> read_results(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return make_error(ErrorCode::kDataLoss, "the job wrote no readable results file: " + path.string());
  std::ostringstream text;
  text << file.rdbuf();
  std::string results = std::move(text).str();
  if (!nlohmann::json::accept(results)) {
    return make_error(ErrorCode::kDataLoss, "the job's results file is not valid JSON: " + path.string());
  }
  return results;
}

// Store errors that say nothing about the job itself (a full disk, a lost database
// connection), as opposed to a session that was deleted, cancelled or taken over.
bool is_transient(ErrorCode code) {
  return code != ErrorCode::kNotFound && code != ErrorCode::kFailedPrecondition &&
         code != ErrorCode::kInvalidArgument;
}

// Failure reasons are shown to clients: they name a session's files, not where the server
// keeps them (its data directory, the job's private staging directory).
std::string without_server_paths(std::string reason, const fs::path& output_dir) {
  const std::string dir = output_dir.string() + "/";
  for (size_t at; output_dir.has_filename() && (at = reason.find(dir)) != std::string::npos;)
    reason.erase(at, dir.size());
  constexpr std::string_view kStaging = ".dd-staging-";
  for (size_t at; (at = reason.find(kStaging)) != std::string::npos;) {
    const size_t slash = reason.find('/', at);
    reason.erase(at, slash == std::string::npos ? kStaging.size() : slash + 1 - at);
  }
  return reason;
}

std::string path_or_empty(const fs::path& path) {
  std::error_code ec;
  return !path.empty() && fs::exists(path, ec) ? path.string() : std::string();
}

}  // namespace

JobQueue::JobQueue(store::Store& store, JobRunner runner, JobQueueOptions options,
                   CompareRunner compare_runner)
    : store_(store),
      runner_(std::move(runner)),
      compare_runner_(std::move(compare_runner)),
      options_(std::move(options)) {}

JobQueue::~JobQueue() {
  stop();
}

void JobQueue::start() {
  for (int i = 0; i < options_.workers; ++i) {
    workers_.emplace_back([this](std::stop_token stop) { work(stop); });
  }
  if (options_.workers > 0) watchdog_ = std::jthread([this](std::stop_token stop) { watch_deadlines(stop); });
}

void JobQueue::notify() {
  {
    std::lock_guard lock(mutex_);
    ++pending_wakeups_;
  }
  wake_.notify_one();
}

bool JobQueue::cancel(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = running_.find(id);
  if (it == running_.end()) return false;
  it->second.cancelled = true;
  it->second.stop.request_stop();
  return true;
}

void JobQueue::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto& [id, job] : running_) job.stop.request_stop();
  }
  for (auto& worker : workers_) worker.request_stop();
  wake_.notify_all();
  workers_.clear();  // joins
  if (watchdog_.joinable()) {
    watchdog_.request_stop();
    watchdog_.join();
  }
}

Result<pipeline::PipelineOptions> JobQueue::pipeline_options(const nlohmann::json& options) const {
  pipeline::PipelineOptions defaults;
  defaults.pose.model = options_.default_model;
  defaults.pose.model_dir = options_.model_dir;
  defaults.pose.num_threads = options_.inference_threads;
  return pipeline::options_from_json(options.is_null() ? nlohmann::json::object() : options, defaults);
}

Result<pipeline::PipelineOutputs> JobQueue::run_analysis_job(const store::Session& session,
                                                             const pipeline::ProgressCallback& progress,
                                                             std::stop_token stop) {
  auto options = pipeline_options(session.options);
  if (!options) return options.error();
  options->display_name = session.filename;  // results.json names the upload, not input.mp4
  return runner_(session.input_path, session.output_dir, *options, progress, stop);
}

void JobQueue::work(std::stop_token stop) {
  while (!stop.stop_requested()) {
    auto claimed = store_.claim_next_job();
    if (!claimed) {
      DD_LOG_ERROR("jobs: cannot claim a job: {}", claimed.error().message);
    } else if (claimed->has_value()) {
      run_job(**claimed);
      continue;
    }
    // Also polls, so a job queued by another API node is picked up within a second.
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, stop, std::chrono::seconds(1), [this] { return pending_wakeups_ > 0; })) {
      --pending_wakeups_;
    }
  }
}

void JobQueue::watch_deadlines(std::stop_token stop) {
  const auto heartbeat_interval = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(options_.heartbeat_interval_s));
  auto next_heartbeat = std::chrono::steady_clock::now() + heartbeat_interval;
  std::unique_lock lock(mutex_);
  while (!stop.stop_requested()) {
    if (std::chrono::steady_clock::now() >= next_heartbeat) {
      lock.unlock();
      send_heartbeats();
      lock.lock();
      next_heartbeat = std::chrono::steady_clock::now() + heartbeat_interval;
    }
    const auto now = std::chrono::steady_clock::now();
    for (auto& [id, job] : running_) {
      if (!job.timed_out && now >= job.deadline) {
        DD_LOG_WARN("jobs: job {} exceeded {} s and is stopped", id, options_.job_timeout_s);
        job.timed_out = true;
        job.stop.request_stop();
      }
    }
    watchdog_wake_.wait_for(lock, stop, std::chrono::milliseconds(100), [] { return false; });
  }
}

void JobQueue::send_heartbeats() {
  std::vector<std::string> ids;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, job] : running_) ids.push_back(id);
  }
  for (const std::string& id : ids) {
    auto renewed = store_.heartbeat(id);
    if (renewed) continue;
    if (is_transient(renewed.error().code)) {
      // The database is unreachable: keep working; if it stays away the lease expires and
      // another node runs the job again.
      DD_LOG_WARN("jobs: cannot renew the lease of job {}: {}", id, renewed.error().message);
      continue;
    }
    stop_lost_job(id, renewed.error().message);
  }
}

// Deleted, cancelled or taken over by another node after a lapsed lease: stop, and leave
// the job's row to whoever owns it now.
void JobQueue::stop_lost_job(const std::string& id, const std::string& why) {
  std::lock_guard lock(mutex_);
  auto it = running_.find(id);
  if (it == running_.end() || it->second.lost) return;
  DD_LOG_INFO("jobs: job {} is no longer ours ({}); stopping it", id, why);
  it->second.lost = true;
  it->second.stop.request_stop();
}

void JobQueue::run_job(const store::Session& session) {
  const std::string id = session.id;
  std::stop_token stop;
  {
    std::lock_guard lock(mutex_);
    auto& job = running_[id];
    job.deadline =
        std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                               std::chrono::duration<double>(options_.job_timeout_s));
    stop = job.stop.get_token();
    if (stopping_) job.stop.request_stop();
  }
  DD_LOG_INFO("jobs: job {} started", id);
  const auto started = std::chrono::steady_clock::now();

  auto last_report = std::chrono::steady_clock::time_point{};
  std::string last_stage;
  const auto interval = std::chrono::duration<double>(options_.progress_interval_s);
  pipeline::ProgressCallback on_progress = [&](const pipeline::Progress& progress) {
    const auto now = std::chrono::steady_clock::now();
    // Throttled, but a stage change and the final report always go through.
    if (progress.stage == last_stage && progress.fraction < 1.0 && now - last_report < interval) return;
    last_report = now;
    last_stage = progress.stage;
    if (auto updated = store_.update_progress(id, progress_json(progress)); !updated) {
      // A full disk or a lost database only costs this report; the job goes on.
      if (is_transient(updated.error().code)) return;
      stop_lost_job(id, updated.error().message);
    }
  };

  const fs::path output_dir = session.output_dir;
  auto outputs = is_comparison(session.options) ? run_comparison_job(session, on_progress, stop)
                                                : run_analysis_job(session, on_progress, stop);

  RunningJob finished;
  {
    std::lock_guard lock(mutex_);
    finished = running_[id];
    running_.erase(id);
  }
  const double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  // Deleted while running: the runner may have written files after the API removed them.
  auto remove_files_if_deleted = [this, &id, &output_dir] {
    auto session_now = store_.get_session(id, /*with_results=*/false);
    if (session_now || session_now.error().code != ErrorCode::kNotFound) return false;
    std::error_code ec;
    fs::remove_all(output_dir, ec);
    DD_LOG_INFO("jobs: job {} ended after its session was deleted", id);
    return true;
  };
  if (finished.lost) {
    // Writing an outcome here could fail or cancel the run another node took over.
    if (!remove_files_if_deleted())
      DD_LOG_INFO("jobs: job {} stopped; its outcome is recorded elsewhere", id);
    return;
  }

  // The outcome is decided once; writing it is retried below when the store cannot take it.
  auto record_failure = [this, &id, &output_dir](store::SessionStatus status, const std::string& message) {
    return std::function<Status()>([this, &id, status, reason = without_server_paths(message, output_dir)] {
      return store_.finish_job_unsuccessfully(id, status, reason);
    });
  };
  std::function<Status()> record;
  if (outputs && !stop.stop_requested()) {
    auto results = read_results(outputs->results_json);
    if (results) {
      store::SessionOutputs paths{path_or_empty(outputs->results_json), path_or_empty(outputs->landmarks_csv),
                                  path_or_empty(outputs->landmarks_json), path_or_empty(outputs->overlay_mp4),
                                  path_or_empty(outputs->thumbnail_jpg)};
      DD_LOG_INFO("jobs: job {} completed in {:.2f} s", id, elapsed_s);
      record = [this, &id, results = std::move(*results), paths] {
        return store_.complete_job(id, results, paths);
      };
    } else {
      record = record_failure(store::SessionStatus::kFailed, results.error().message);
    }
  } else if (finished.timed_out) {
    record = record_failure(store::SessionStatus::kFailed,
                            session_kind(session.options) + " timed out after " +
                                std::to_string(static_cast<int64_t>(options_.job_timeout_s)) + " s");
  } else if (finished.cancelled) {
    record = record_failure(store::SessionStatus::kCancelled, "cancelled");
  } else if (stop.stop_requested() && store_.shared_between_processes()) {
    DD_LOG_INFO("jobs: job {} handed back to the queue at shutdown", id);
    record = [this, &id] { return store_.release_job(id); };
  } else if (stop.stop_requested()) {
    record = record_failure(store::SessionStatus::kFailed, kShutdownReason);
  } else {
    DD_LOG_WARN("jobs: job {} failed after {:.2f} s: {}", id, elapsed_s, outputs.error().message);
    record = record_failure(store::SessionStatus::kFailed, outputs.error().message);
  }
  auto stopping = [this] {
    std::lock_guard lock(mutex_);
    return stopping_;
  };
  Status recorded = record();
  // A full disk or an unreachable database: keep trying, so the session does not stay
  // "processing" once space is freed. At shutdown the next start fails the job instead.
  for (bool warned = false; !recorded && is_transient(recorded.error().code) && !stopping();
       recorded = record()) {
    if (!warned) {
      DD_LOG_WARN("jobs: cannot record the end of job {} yet ({}); retrying every second", id,
                  recorded.error().message);
      warned = true;
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  if (!recorded && !remove_files_if_deleted()) {
    DD_LOG_WARN("jobs: cannot record the end of job {}: {}", id, recorded.error().message);
  }
}

Result<pipeline::PipelineOutputs> JobQueue::run_comparison_job(const store::Session& session,
                                                               const pipeline::ProgressCallback& progress,
                                                               std::stop_token stop) {
  if (!compare_runner_)
    return make_error(ErrorCode::kUnavailable, "comparisons are not available on this server");
  // Checked again here: a source may have been deleted while the job waited in the queue.
  auto reference = comparison_source(store_, comparison_field(session.options, "reference_id"), "reference");
  if (!reference) return reference.error();
  auto student = comparison_source(store_, comparison_field(session.options, "student_id"), "student");
  if (!student) return student.error();
  auto written =
      compare_runner_(*reference, *student, session.output_dir, comparison_options(session.options),
                      /*write_video=*/true, progress, stop);
  if (!written) return written.error();
  pipeline::PipelineOutputs outputs;
  outputs.results_json = written->comparison_json;
  outputs.overlay_mp4 = written->comparison_mp4;
  return outputs;
}

}  // namespace dd::jobs
