// Storage housekeeping: removes sessions older than SESSION_TTL and, while the sessions'
// files exceed MAX_STORAGE_GB, the oldest ones; at start and then hourly. Jobs that are
// queued or running are never touched. Session directories without a store row that have
// not changed for an hour (uploads cut by a crash) are removed too.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <thread>

#include "core/result.h"
#include "store/store.h"

namespace dd::server {

struct CleanupPolicy {
  double session_ttl_s = 24 * 3600;  // 0 keeps sessions forever
  int64_t max_storage_bytes = 0;     // 0 means no limit
  // A directory without a store row may be an upload still streaming in, on this node or, with
  // a shared DATA_DIR, on another; one unchanged for this long is a leftover. (A live upload
  // writes at least every read timeout, or is cut.)
  double orphan_idle_s = 3600;
};

// Removes the sessions the policy condemns at time now_ms (unix ms), and the orphan
// directories idle since before now_ms - orphan_idle_s; returns how many sessions it removed.
// Fails only when the store cannot list sessions.
Result<int> clean_sessions(store::Store& store, const std::filesystem::path& data_dir,
                           const CleanupPolicy& policy, int64_t now_ms);

// Runs clean_sessions at construction and then every `interval_s` until destroyed.
class SessionCleaner {
 public:
  SessionCleaner(store::Store& store, std::filesystem::path data_dir, CleanupPolicy policy,
                 double interval_s = 3600);
  ~SessionCleaner();
  SessionCleaner(const SessionCleaner&) = delete;
  SessionCleaner& operator=(const SessionCleaner&) = delete;

 private:
  void run(std::stop_token stop);

  store::Store& store_;
  std::filesystem::path data_dir_;
  CleanupPolicy policy_;
  double interval_s_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::jthread thread_;
};

}  // namespace dd::server
