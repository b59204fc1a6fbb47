// The store: sessions and their job queue behind one interface, so a second back-end
// (PostgreSQL, DESIGN §7) can replace the embedded SQLite one without touching callers.
// All state a second API node would need lives here: the queue, progress and events.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/session.h"

namespace dd::store {

// What changed in a session; subscribers get the session as it is after the change.
enum class SessionEventType { kQueued, kProgress, kCompleted, kFailed, kCancelled, kDeleted };

struct SessionEvent {
  SessionEventType type = SessionEventType::kProgress;
  Session session;  // results_json is filled for kCompleted only
};

using SessionListener = std::function<void(const SessionEvent&)>;

// Keeps a listener registered while alive; destroying it unsubscribes.
class Subscription {
 public:
  Subscription() = default;
  explicit Subscription(std::function<void()> cancel) : cancel_(std::move(cancel)) {}
  Subscription(Subscription&& other) noexcept : cancel_(std::move(other.cancel_)) { other.cancel_ = nullptr; }
  Subscription& operator=(Subscription&& other) noexcept;
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;
  ~Subscription() { reset(); }
  void reset();

 private:
  std::function<void()> cancel_;
};

// How a node claims jobs: the worker id recorded on its claims and the lease that other
// nodes honour (a job whose lease ran out is re-queued, at most max_attempts runs in all).
struct LeaseOptions {
  std::string worker_id = "local";
  double lease_s = 30;   // JOB_LEASE_S
  int max_attempts = 3;  // JOB_MAX_ATTEMPTS
  // Milliseconds since the epoch that leases are measured against. Empty (the default): the
  // real clock, which for PostgreSQL is its server's, so the nodes' clocks may differ.
  // Tests set it to move time on by hand instead of waiting for a lease to run out.
  std::function<int64_t()> clock;
};

// Reason recorded on a job whose lease expired max_attempts times.
inline constexpr const char* kLeaseExpiredReason =
    "worker lost: the job's lease expired on its last allowed attempt";

struct QueueCounts {
  int64_t processing = 0;
  int64_t queued = 0;
};

// Thread-safe: every method may be called from any thread.
class Store {
 public:
  virtual ~Store() = default;

  // Adds a new session (status uploaded). InvalidArgument when the id exists.
  virtual Status create_session(const Session& session) = 0;

  // The session with `id`; NotFound when there is none. With_results=false skips results_json.
  virtual Result<Session> get_session(const std::string& id, bool with_results = true) = 0;

  // All sessions, newest first, without results_json.
  virtual Result<std::vector<Session>> list_sessions() = 0;

  // Removes the row (files are the caller's); NotFound when absent. Emits kDeleted.
  virtual Status delete_session(const std::string& id) = 0;

  // Queues a job with `options`: FailedPrecondition when already queued, processing or
  // completed; NotFound when absent. Emits kQueued and returns the updated session.
  virtual Result<Session> enqueue_job(const std::string& id, const nlohmann::json& options) = 0;

  // Claims the oldest queued job for this node (status becomes processing, attempts + 1,
  // lease from now); first re-queues (or fails, after max_attempts) jobs whose lease expired.
  // Nullopt when none waits.
  virtual Result<std::optional<Session>> claim_next_job() = 0;

  // Extends the lease of a job this node processes. NotFound when the session is gone,
  // FailedPrecondition when the job is no longer this node's (cancelled, finished, re-queued).
  virtual Status heartbeat(const std::string& id) = 0;

  // Hands a job this node processes back to the queue at its old place, the attempt not
  // counted (graceful shutdown); emits kQueued. FailedPrecondition when it is not this node's.
  virtual Status release_job(const std::string& id) = 0;

  // True when other processes share this store (PostgreSQL): a stopping node hands its jobs
  // back instead of failing them, since another node can run them.
  virtual bool shared_between_processes() const = 0;

  // 1-based position of a queued job among the queued ones; 0 when not queued.
  virtual Result<int64_t> queue_position(const std::string& id) = 0;

  // Records a progress report of a processing job and emits kProgress.
  // FailedPrecondition when the job is no longer processing.
  virtual Status update_progress(const std::string& id, const nlohmann::json& progress) = 0;

  // Marks a processing job completed with its results; emits kCompleted.
  virtual Status complete_job(const std::string& id, const std::string& results_json,
                              const SessionOutputs& outputs) = 0;

  // Marks a queued or processing job failed (or cancelled) with `reason`; emits kFailed or
  // kCancelled. FailedPrecondition when the job is not active.
  virtual Status finish_job_unsuccessfully(const std::string& id, SessionStatus status,
                                           const std::string& reason) = 0;

  // Number of processing and queued jobs.
  virtual Result<QueueCounts> queue_counts() = 0;

  // Registers `listener` for events of session `id` (called on the thread that made the
  // change, so it must be quick and must not call back into the store synchronously).
  virtual Subscription subscribe(const std::string& id, SessionListener listener) = 0;
};

}  // namespace dd::store
