// Storage housekeeping: removes sessions older than SESSION_TTL and, while the sessions'
// files exceed MAX_STORAGE_GB, the oldest ones; at start and then hourly. Jobs that are
// queued or running are never touched.
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
};

// Removes the sessions the policy condemns at time now_ms; returns how many it removed.
// Fails only when the store cannot list sessions.
Result<int> clean_sessions(store::Store& store, const std::filesystem::path& data_dir, const CleanupPolicy& policy,
                           int64_t now_ms);

// Runs clean_sessions at construction and then every `interval_s` until destroyed.
class SessionCleaner {
 public:
  SessionCleaner(store::Store& store, std::filesystem::path data_dir, CleanupPolicy policy, double interval_s = 3600);
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
