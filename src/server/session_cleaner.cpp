#include "server/session_cleaner.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <system_error>
#include <vector>

#include "core/log.h"

namespace dd::server {
namespace {

namespace fs = std::filesystem;

int64_t directory_bytes(const fs::path& dir) {
  int64_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) {
      const auto size = it->file_size(size_ec);
      if (!size_ec) total += static_cast<int64_t>(size);
    }
  }
  return total;
}

bool remove_session(store::Store& store, const fs::path& dir, const std::string& id) {
  if (!store.delete_session(id).has_value()) return false;
  std::error_code ec;
  fs::remove_all(dir, ec);
  return true;
}

// The newest modification time of dir and its direct entries, in unix ms; nullopt if unreadable.
std::optional<int64_t> last_change_ms(const fs::path& dir) {
  std::error_code ec;
  auto newest = fs::last_write_time(dir, ec);
  if (ec) return std::nullopt;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::error_code time_ec;
    const auto changed = it->last_write_time(time_ec);
    if (!time_ec) newest = std::max(newest, changed);
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::file_clock::to_sys(newest).time_since_epoch())
      .count();
}

int remove_orphan_directories(store::Store& store, const fs::path& sessions_dir, double idle_s,
                              int64_t now_ms) {
  int removed = 0;
  std::error_code ec;
  for (auto it = fs::directory_iterator(sessions_dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    const std::string id = it->path().filename().string();
    auto session = store.get_session(id, /*with_results=*/false);
    if (session || session.error().code != ErrorCode::kNotFound) continue;
    const auto changed_ms = last_change_ms(it->path());
    if (!changed_ms || static_cast<double>(now_ms - *changed_ms) < idle_s * 1000.0) continue;
    DD_LOG_INFO("server: removing orphan session directory {}", it->path().string());
    std::error_code remove_ec;
    fs::remove_all(it->path(), remove_ec);
    if (!remove_ec) ++removed;
  }
  return removed;
}

int64_t unix_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<int> clean_sessions(store::Store& store, const fs::path& data_dir, const CleanupPolicy& policy,
                           int64_t now_ms) {
  auto sessions = store.list_sessions();
  if (!sessions) return sessions.error();
  std::reverse(sessions->begin(), sessions->end());  // oldest first
  const fs::path sessions_dir = data_dir / "sessions";
  int removed = 0;
  struct Kept {
    std::string id;
    int64_t bytes;
  };
  std::vector<Kept> kept;
  int64_t total_bytes = 0;
  for (const store::Session& session : *sessions) {
    const fs::path dir = sessions_dir / session.id;
    const int64_t bytes = directory_bytes(dir);
    total_bytes += bytes;
    if (store::is_active(session.status)) continue;
    const double age_s = static_cast<double>(now_ms - session.created_at_ms) / 1000.0;
    if (policy.session_ttl_s > 0 && age_s > policy.session_ttl_s) {
      if (remove_session(store, dir, session.id)) {
        ++removed;
        total_bytes -= bytes;
      }
      continue;
    }
    kept.push_back({session.id, bytes});
  }
  for (const Kept& session : kept) {
    if (policy.max_storage_bytes <= 0 || total_bytes <= policy.max_storage_bytes) break;
    if (remove_session(store, sessions_dir / session.id, session.id)) {
      ++removed;
      total_bytes -= session.bytes;
    }
  }
  if (removed > 0)
    DD_LOG_INFO("server: cleanup removed {} session(s); {} bytes remain", removed, total_bytes);
  remove_orphan_directories(store, sessions_dir, policy.orphan_idle_s, now_ms);
  return removed;
}

SessionCleaner::SessionCleaner(store::Store& store, fs::path data_dir, CleanupPolicy policy,
                               double interval_s)
    : store_(store), data_dir_(std::move(data_dir)), policy_(policy), interval_s_(interval_s) {
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

SessionCleaner::~SessionCleaner() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

void SessionCleaner::run(std::stop_token stop) {
  const auto interval = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(interval_s_));
  std::unique_lock lock(mutex_);
  while (!stop.stop_requested()) {
    if (auto cleaned = clean_sessions(store_, data_dir_, policy_, unix_now_ms()); !cleaned) {
      DD_LOG_WARN("server: cleanup failed: {}", cleaned.error().message);
    }
    wake_.wait_for(lock, stop, interval, [] { return false; });
  }
}

}  // namespace dd::server
