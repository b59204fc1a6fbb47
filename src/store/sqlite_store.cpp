#include "store/sqlite_store.h"

#include <sqlite3.h>

#include <chrono>
#include <mutex>
#include <span>
#include <utility>

#include "core/log.h"
#include "store/detail/session_listeners.h"

namespace dd::store {
namespace {

// Schema migrations in order; migration i brings the schema from version i to i + 1.
// Append only: a shipped migration never changes.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE sessions (
  id TEXT PRIMARY KEY NOT NULL,
  filename TEXT NOT NULL,
  input_path TEXT NOT NULL,
  output_dir TEXT NOT NULL,
  status TEXT NOT NULL,
  video_info TEXT NOT NULL DEFAULT '{}',
  options TEXT NOT NULL DEFAULT '{}',
  progress TEXT NOT NULL DEFAULT '{}',
  results TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  results_json_path TEXT NOT NULL DEFAULT '',
  landmarks_csv_path TEXT NOT NULL DEFAULT '',
  landmarks_json_path TEXT NOT NULL DEFAULT '',
  overlay_mp4_path TEXT NOT NULL DEFAULT '',
  thumbnail_jpg_path TEXT NOT NULL DEFAULT '',
  size_bytes INTEGER NOT NULL DEFAULT 0,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  queued_seq INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_by_status ON sessions(status, queued_seq);
)sql",
    R"sql(
CREATE INDEX sessions_by_created ON sessions(created_at_ms);
)sql",
    R"sql(
ALTER TABLE sessions ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN worker_id TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN lease_expires_at_ms INTEGER NOT NULL DEFAULT 0;
)sql",
};

constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));

// Columns of a session row, in the order read_session expects; results last so list
// queries can leave it out.
constexpr const char* kSessionColumns =
    "id, filename, input_path, output_dir, status, video_info, options, progress, error, "
    "results_json_path, landmarks_csv_path, landmarks_json_path, overlay_mp4_path, thumbnail_jpg_path, "
    "size_bytes, created_at_ms, updated_at_ms, queued_seq, attempts, worker_id";

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Error sqlite_error(sqlite3* db, int code, const std::string& what) {
  const std::string message = what + ": " + (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code));
  const int primary = code & 0xff;
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
    return make_error(ErrorCode::kDataLoss, "database is corrupt or not a database: " + message);
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_FULL ||
      primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY) {
    return make_error(ErrorCode::kUnavailable, message);
  }
  return make_error(ErrorCode::kInternal, message);
}

// A prepared statement with positional parameters bound by bind().
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    status_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Status prepared(const char* what) const {
    if (status_ != SQLITE_OK) return sqlite_error(db_, status_, what);
    return ok_status();
  }
  void bind(int index, const std::string& text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  void bind(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }

  // True while a row is available; an error for anything but ROW/DONE.
  Result<bool> step(const char* what) {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return sqlite_error(db_, rc, what);
  }
  std::string text(int column) const {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return data != nullptr ? std::string(data, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))) : "";
  }
  int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int status_ = SQLITE_OK;
};

nlohmann::json parse_json_column(const std::string& text) {
  auto value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return value.is_discarded() ? nlohmann::json::object() : value;
}

Session read_session(const Statement& row) {
  Session session;
  session.id = row.text(0);
  session.filename = row.text(1);
  session.input_path = row.text(2);
  session.output_dir = row.text(3);
  session.status = parse_session_status(row.text(4)).value_or(SessionStatus::kFailed);
  session.video_info = parse_json_column(row.text(5));
  session.options = parse_json_column(row.text(6));
  session.progress = parse_json_column(row.text(7));
  session.error = row.text(8);
  session.outputs.results_json = row.text(9);
  session.outputs.landmarks_csv = row.text(10);
  session.outputs.landmarks_json = row.text(11);
  session.outputs.overlay_mp4 = row.text(12);
  session.outputs.thumbnail_jpg = row.text(13);
  session.size_bytes = row.integer(14);
  session.created_at_ms = row.integer(15);
  session.updated_at_ms = row.integer(16);
  session.queued_seq = row.integer(17);
  session.attempts = row.integer(18);
  session.worker_id = row.text(19);
  return session;
}

class SqliteStore final : public Store {
 public:
  SqliteStore(sqlite3* db, LeaseOptions lease) : db_(db), lease_(std::move(lease)) {}
  ~SqliteStore() override { sqlite3_close_v2(db_); }

  Status exec(const char* sql, const char* what) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
    sqlite3_free(message);
    if (rc != SQLITE_OK) return sqlite_error(db_, rc, what);
    return ok_status();
  }

  Status initialise() {
    std::lock_guard lock(db_mutex_);
    sqlite3_busy_timeout(db_, 5000);
    // The first read of a foreign or damaged file fails here with NOTADB/CORRUPT.
    {
      Statement check(db_, "PRAGMA quick_check");
      DD_TRY(check.prepared("checking the database"));
      auto row = check.step("checking the database");
      if (!row) return row.error();
      if (*row && check.text(0) != "ok") {
        return make_error(ErrorCode::kDataLoss, "database integrity check failed: " + check.text(0));
      }
    }
    DD_TRY(exec("PRAGMA journal_mode=WAL", "enabling WAL"));
    DD_TRY(exec("PRAGMA synchronous=NORMAL", "setting synchronous mode"));
    DD_TRY(exec("PRAGMA foreign_keys=ON", "enabling foreign keys"));
    DD_TRY(migrate());
    return mark_interrupted_jobs();
  }

  Status create_session(const Session& session) override {
    std::lock_guard lock(db_mutex_);
    Statement insert(
        db_,
        "INSERT INTO sessions (id, filename, input_path, output_dir, status, video_info, options, "
        "size_bytes, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    DD_TRY(insert.prepared("preparing insert"));
    const int64_t created = session.created_at_ms != 0 ? session.created_at_ms : now_ms();
    insert.bind(1, session.id);
    insert.bind(2, session.filename);
    insert.bind(3, session.input_path);
    insert.bind(4, session.output_dir);
    insert.bind(5, std::string(session_status_name(SessionStatus::kUploaded)));
    insert.bind(6, session.video_info.dump());
    insert.bind(7, session.options.dump());
    insert.bind(8, session.size_bytes);
    insert.bind(9, created);
    insert.bind(10, created);
    auto done = insert.step("inserting session");
    if (!done) {
      if ((sqlite3_errcode(db_) & 0xff) == SQLITE_CONSTRAINT) {
        return make_error(ErrorCode::kInvalidArgument, "session " + session.id + " already exists");
      }
      return done.error();
    }
    return ok_status();
  }

  Result<Session> get_session(const std::string& id, bool with_results) override {
    std::lock_guard lock(db_mutex_);
    return get_locked(id, with_results);
  }

  Result<std::vector<Session>> list_sessions() override {
    std::lock_guard lock(db_mutex_);
    const std::string sql =
        std::string("SELECT ") + kSessionColumns + " FROM sessions ORDER BY created_at_ms DESC, rowid DESC";
    Statement select(db_, sql.c_str());
    DD_TRY(select.prepared("preparing list"));
    std::vector<Session> sessions;
    while (true) {
      auto row = select.step("listing sessions");
      if (!row) return row.error();
      if (!*row) break;
      sessions.push_back(read_session(select));
    }
    return sessions;
  }

  Status delete_session(const std::string& id) override {
    Session deleted;
    {
      std::lock_guard lock(db_mutex_);
      auto session = get_locked(id, /*with_results=*/false);
      if (!session) return session.error();
      deleted = std::move(*session);
      Statement remove(db_, "DELETE FROM sessions WHERE id = ?");
      DD_TRY(remove.prepared("preparing delete"));
      remove.bind(1, id);
      auto done = remove.step("deleting session");
      if (!done) return done.error();
    }
    listeners_.emit(SessionEventType::kDeleted, deleted);
    return ok_status();
  }

  Result<Session> enqueue_job(const std::string& id, const nlohmann::json& options) override {
    Session queued;
    {
      std::lock_guard lock(db_mutex_);
      auto session = get_locked(id, /*with_results=*/false);
      if (!session) return session.error();
      if (is_active(session->status)) {
        return make_error(
            ErrorCode::kFailedPrecondition,
            "analysis of session " + id + " is already " + std::string(session_status_name(session->status)));
      }
      if (session->status == SessionStatus::kCompleted) {
        return make_error(ErrorCode::kFailedPrecondition, "session " + id + " is already analysed");
      }
      Statement update(
          db_,
          "UPDATE sessions SET status = ?, options = ?, progress = '{}', error = '', updated_at_ms = ?, "
          "queued_seq = (SELECT COALESCE(MAX(queued_seq), 0) + 1 FROM sessions) WHERE id = ?");
      DD_TRY(update.prepared("preparing enqueue"));
      update.bind(1, std::string(session_status_name(SessionStatus::kQueued)));
      update.bind(2, options.dump());
      update.bind(3, now_ms());
      update.bind(4, id);
      auto done = update.step("queueing job");
      if (!done) return done.error();
      auto updated = get_locked(id, /*with_results=*/false);
      if (!updated) return updated.error();
      queued = std::move(*updated);
    }
    listeners_.emit(SessionEventType::kQueued, queued);
    return queued;
  }

  Result<std::optional<Session>> claim_next_job() override {
    DD_TRY(reap_expired_leases());
    Session claimed;
    std::vector<Session> still_queued;
    {
      std::lock_guard lock(db_mutex_);
      // One connection behind a mutex makes select-then-update atomic here; the PostgreSQL
      // back-end does the same with FOR UPDATE SKIP LOCKED.
      Statement select(db_, "SELECT id FROM sessions WHERE status = 'queued' ORDER BY queued_seq");
      DD_TRY(select.prepared("preparing claim"));
      std::vector<std::string> queued_ids;
      while (true) {
        auto row = select.step("claiming job");
        if (!row) return row.error();
        if (!*row) break;
        queued_ids.push_back(select.text(0));
      }
      if (queued_ids.empty()) return std::optional<Session>{};
      Statement update(db_,
                       "UPDATE sessions SET status = 'processing', attempts = attempts + 1, worker_id = ?, "
                       "lease_expires_at_ms = ?, updated_at_ms = ? WHERE id = ?");
      DD_TRY(update.prepared("preparing claim update"));
      update.bind(1, lease_.worker_id);
      update.bind(2, lease_now_ms() + lease_ms());
      update.bind(3, now_ms());
      update.bind(4, queued_ids.front());
      auto done = update.step("claiming job");
      if (!done) return done.error();
      auto session = get_locked(queued_ids.front(), /*with_results=*/false);
      if (!session) return session.error();
      claimed = std::move(*session);
      for (size_t i = 1; i < queued_ids.size(); ++i) {
        if (auto waiting = get_locked(queued_ids[i], /*with_results=*/false))
          still_queued.push_back(std::move(*waiting));
      }
    }
    // Everyone behind moved up one place in the queue.
    for (const Session& waiting : still_queued) listeners_.emit(SessionEventType::kQueued, waiting);
    return std::optional<Session>(std::move(claimed));
  }

  Status heartbeat(const std::string& id) override {
    std::lock_guard lock(db_mutex_);
    Statement update(db_,
                     "UPDATE sessions SET lease_expires_at_ms = ? WHERE id = ? AND status = 'processing' AND "
                     "worker_id = ?");
    DD_TRY(update.prepared("preparing heartbeat"));
    update.bind(1, lease_now_ms() + lease_ms());
    update.bind(2, id);
    update.bind(3, lease_.worker_id);
    auto done = update.step("renewing lease");
    if (!done) return done.error();
    if (sqlite3_changes(db_) == 0) return not_held_error_locked(id);
    return ok_status();
  }

  Status release_job(const std::string& id) override {
    Session released;
    {
      std::lock_guard lock(db_mutex_);
      Statement update(
          db_,
          "UPDATE sessions SET status = 'queued', attempts = MAX(attempts - 1, 0), worker_id = '', "
          "lease_expires_at_ms = 0, progress = '{}', updated_at_ms = ? "
          "WHERE id = ? AND status = 'processing' AND worker_id = ?");
      DD_TRY(update.prepared("preparing release"));
      update.bind(1, now_ms());
      update.bind(2, id);
      update.bind(3, lease_.worker_id);
      auto done = update.step("releasing job");
      if (!done) return done.error();
      if (sqlite3_changes(db_) == 0) return not_held_error_locked(id);
      auto session = get_locked(id, /*with_results=*/false);
      if (!session) return session.error();
      released = std::move(*session);
    }
    listeners_.emit(SessionEventType::kQueued, released);
    return ok_status();
  }

  bool shared_between_processes() const override { return false; }

  Result<int64_t> queue_position(const std::string& id) override {
    std::lock_guard lock(db_mutex_);
    Statement select(
        db_,
        "SELECT COUNT(*) FROM sessions AS other, sessions AS me WHERE me.id = ? AND me.status = 'queued' "
        "AND other.status = 'queued' AND other.queued_seq <= me.queued_seq");
    DD_TRY(select.prepared("preparing queue position"));
    select.bind(1, id);
    auto row = select.step("reading queue position");
    if (!row) return row.error();
    return *row ? select.integer(0) : int64_t{0};
  }

  Status update_progress(const std::string& id, const nlohmann::json& progress) override {
    Session updated;
    {
      std::lock_guard lock(db_mutex_);
      Statement update(
          db_, "UPDATE sessions SET progress = ?, updated_at_ms = ? WHERE id = ? AND status = 'processing'");
      DD_TRY(update.prepared("preparing progress update"));
      update.bind(1, progress.dump());
      update.bind(2, now_ms());
      update.bind(3, id);
      auto done = update.step("updating progress");
      if (!done) return done.error();
      if (sqlite3_changes(db_) == 0) {
        return make_error(ErrorCode::kFailedPrecondition, "session " + id + " is not processing");
      }
      auto session = get_locked(id, /*with_results=*/false);
      if (!session) return session.error();
      updated = std::move(*session);
    }
    listeners_.emit(SessionEventType::kProgress, updated);
    return ok_status();
  }

  Status complete_job(const std::string& id, const std::string& results_json,
                      const SessionOutputs& outputs) override {
    Session completed;
    {
      std::lock_guard lock(db_mutex_);
      Statement update(
          db_,
          "UPDATE sessions SET status = 'completed', results = ?, error = '', results_json_path = ?, "
          "landmarks_csv_path = ?, landmarks_json_path = ?, overlay_mp4_path = ?, thumbnail_jpg_path = ?, "
          "queued_seq = 0, worker_id = '', updated_at_ms = ? WHERE id = ? AND status = 'processing'");
      DD_TRY(update.prepared("preparing completion"));
      update.bind(1, results_json);
      update.bind(2, outputs.results_json);
      update.bind(3, outputs.landmarks_csv);
      update.bind(4, outputs.landmarks_json);
      update.bind(5, outputs.overlay_mp4);
      update.bind(6, outputs.thumbnail_jpg);
      update.bind(7, now_ms());
      update.bind(8, id);
      auto done = update.step("completing job");
      if (!done) return done.error();
      if (sqlite3_changes(db_) == 0) {
        return make_error(ErrorCode::kFailedPrecondition, "session " + id + " is not processing");
      }
      auto session = get_locked(id, /*with_results=*/true);
      if (!session) return session.error();
      completed = std::move(*session);
    }
    listeners_.emit(SessionEventType::kCompleted, completed);
    return ok_status();
  }

  Status finish_job_unsuccessfully(const std::string& id, SessionStatus status,
                                   const std::string& reason) override {
    DD_CHECK(status == SessionStatus::kFailed || status == SessionStatus::kCancelled,
             "finish_job_unsuccessfully takes failed or cancelled");
    Session finished;
    {
      std::lock_guard lock(db_mutex_);
      Statement update(
          db_,
          "UPDATE sessions SET status = ?, error = ?, queued_seq = 0, worker_id = '', updated_at_ms = ? "
          "WHERE id = ? AND status IN ('queued', 'processing')");
      DD_TRY(update.prepared("preparing failure"));
      update.bind(1, std::string(session_status_name(status)));
      update.bind(2, reason);
      update.bind(3, now_ms());
      update.bind(4, id);
      auto done = update.step("finishing job");
      if (!done) return done.error();
      if (sqlite3_changes(db_) == 0) {
        return make_error(ErrorCode::kFailedPrecondition, "session " + id + " has no active job");
      }
      auto session = get_locked(id, /*with_results=*/false);
      if (!session) return session.error();
      finished = std::move(*session);
    }
    listeners_.emit(
        status == SessionStatus::kFailed ? SessionEventType::kFailed : SessionEventType::kCancelled,
        finished);
    return ok_status();
  }

  Result<QueueCounts> queue_counts() override {
    std::lock_guard lock(db_mutex_);
    Statement select(db_,
                     "SELECT COALESCE(SUM(status = 'processing'), 0), COALESCE(SUM(status = 'queued'), 0) "
                     "FROM sessions WHERE status IN ('processing', 'queued')");
    DD_TRY(select.prepared("preparing counts"));
    auto row = select.step("counting jobs");
    if (!row) return row.error();
    QueueCounts counts;
    if (*row) {
      counts.processing = select.integer(0);
      counts.queued = select.integer(1);
    }
    return counts;
  }

  Subscription subscribe(const std::string& id, SessionListener listener) override {
    return listeners_.subscribe(id, std::move(listener));
  }

 private:
  Result<Session> get_locked(const std::string& id, bool with_results) {
    const std::string sql = std::string("SELECT ") + kSessionColumns + (with_results ? ", results" : "") +
                            " FROM sessions WHERE id = ?";
    Statement select(db_, sql.c_str());
    DD_TRY(select.prepared("preparing select"));
    select.bind(1, id);
    auto row = select.step("reading session");
    if (!row) return row.error();
    if (!*row) return make_error(ErrorCode::kNotFound, "session not found: " + id);
    Session session = read_session(select);
    if (with_results) session.results_json = select.text(20);
    return session;
  }

  Status migrate() {
    Statement read_version(db_, "PRAGMA user_version");
    DD_TRY(read_version.prepared("reading schema version"));
    auto row = read_version.step("reading schema version");
    if (!row) return row.error();
    const int version = *row ? static_cast<int>(read_version.integer(0)) : 0;
    if (version > kSchemaVersion) {
      return make_error(ErrorCode::kFailedPrecondition, "database schema version " + std::to_string(version) +
                                                            " is newer than this program's " +
                                                            std::to_string(kSchemaVersion) +
                                                            "; upgrade dancedynamics");
    }
    for (int next = version; next < kSchemaVersion; ++next) {
      DD_TRY(exec("BEGIN IMMEDIATE", "starting migration"));
      Status applied = exec(kMigrations[next], "migrating schema");
      if (applied) {
        const std::string set_version = "PRAGMA user_version = " + std::to_string(next + 1);
        applied = exec(set_version.c_str(), "recording schema version");
      }
      if (!applied) {
        (void)exec("ROLLBACK", "rolling back migration");
        return applied.error();
      }
      DD_TRY(exec("COMMIT", "committing migration"));
      DD_LOG_INFO("store: schema migrated to version {}", next + 1);
    }
    return ok_status();
  }

  int64_t lease_ms() const { return static_cast<int64_t>(lease_.lease_s * 1000.0); }
  int64_t lease_now_ms() const { return lease_.clock ? lease_.clock() : now_ms(); }

  // NotFound when the session is gone, else FailedPrecondition: the job is not this node's.
  Status not_held_error_locked(const std::string& id) {
    auto session = get_locked(id, /*with_results=*/false);
    if (!session) return session.error();
    return make_error(ErrorCode::kFailedPrecondition,
                      "job of session " + id + " is not processing on this node");
  }

  // Re-queues processing jobs whose lease expired (their node died without finishing them),
  // or fails them once they used up max_attempts; emits kQueued or kFailed for each.
  Status reap_expired_leases() {
    std::vector<Session> reaped;
    {
      std::lock_guard lock(db_mutex_);
      Statement select(db_,
                       "SELECT id FROM sessions WHERE status = 'processing' AND lease_expires_at_ms < ?");
      DD_TRY(select.prepared("preparing lease check"));
      select.bind(1, lease_now_ms());
      std::vector<std::string> ids;
      while (true) {
        auto row = select.step("finding expired leases");
        if (!row) return row.error();
        if (!*row) break;
        ids.push_back(select.text(0));
      }
      for (const std::string& id : ids) {
        Statement update(
            db_,
            "UPDATE sessions SET status = CASE WHEN attempts >= ? THEN 'failed' ELSE 'queued' END, "
            "error = CASE WHEN attempts >= ? THEN ? ELSE '' END, worker_id = '', lease_expires_at_ms = 0, "
            "progress = '{}', updated_at_ms = ? WHERE id = ?");
        DD_TRY(update.prepared("preparing lease expiry"));
        update.bind(1, int64_t{lease_.max_attempts});
        update.bind(2, int64_t{lease_.max_attempts});
        update.bind(3, std::string(kLeaseExpiredReason));
        update.bind(4, now_ms());
        update.bind(5, id);
        auto done = update.step("expiring lease");
        if (!done) return done.error();
        if (auto session = get_locked(id, /*with_results=*/false)) reaped.push_back(std::move(*session));
      }
    }
    for (const Session& session : reaped) {
      DD_LOG_WARN("store: lease of job {} expired; it is {}", session.id,
                  session_status_name(session.status));
      listeners_.emit(
          session.status == SessionStatus::kQueued ? SessionEventType::kQueued : SessionEventType::kFailed,
          session);
    }
    return ok_status();
  }

  Status mark_interrupted_jobs() {
    Statement update(
        db_,
        "UPDATE sessions SET status = 'failed', error = ?, queued_seq = 0, worker_id = '', updated_at_ms = ? "
        "WHERE status = 'processing'");
    DD_TRY(update.prepared("preparing recovery"));
    update.bind(1, std::string(kInterruptedReason));
    update.bind(2, now_ms());
    auto done = update.step("recovering interrupted jobs");
    if (!done) return done.error();
    if (const int changed = sqlite3_changes(db_); changed > 0) {
      DD_LOG_WARN("store: {} job(s) were interrupted by the previous server process and are marked failed",
                  changed);
    }
    return ok_status();
  }

  sqlite3* db_;
  const LeaseOptions lease_;
  std::mutex db_mutex_;  // one connection, serialised: SQLite writes are serial anyway
  detail::SessionListeners listeners_;
};

}  // namespace

int sqlite_store_schema_version() {
  return kSchemaVersion;
}

Result<std::unique_ptr<Store>> open_sqlite_store(const std::filesystem::path& db_path,
                                                 const LeaseOptions& lease) {
  std::error_code ec;
  if (db_path.has_parent_path()) std::filesystem::create_directories(db_path.parent_path(), ec);
  if (ec) {
    return make_error(ErrorCode::kUnavailable,
                      "cannot create directory " + db_path.parent_path().string() + ": " + ec.message());
  }
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(db_path.c_str(), &db,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error error = sqlite_error(db, rc, "opening database " + db_path.string());
    sqlite3_close_v2(db);
    return error;
  }
  auto store = std::make_unique<SqliteStore>(db, lease);
  if (Status initialised = store->initialise(); !initialised) {
    Error error = initialised.error();
    error.message = db_path.string() + ": " + error.message;
    return error;
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace dd::store
