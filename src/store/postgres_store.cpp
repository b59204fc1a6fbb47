#include "store/postgres_store.h"

#include <libpq-fe.h>
#include <poll.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "core/log.h"
#include "store/detail/pg_connection.h"
#include "store/detail/session_listeners.h"

namespace dd::store {
namespace {

using detail::pg_connect;
using detail::pg_integer;
using detail::pg_run;
using detail::pg_run_script;
using detail::pg_text;
using detail::pg_trimmed;
using detail::PgConn;
using detail::PgResult;

// Schema migrations in order; migration i brings the schema from version i to i + 1.
// Append only: a shipped migration never changes.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
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
  size_bytes BIGINT NOT NULL DEFAULT 0,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  queued_seq BIGINT NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  worker_id TEXT NOT NULL DEFAULT '',
  lease_expires_at TIMESTAMPTZ,
  inserted_seq BIGSERIAL
);
CREATE SEQUENCE sessions_queue_seq;
-- The claim reads the head of this index; the partial index only holds waiting jobs.
CREATE INDEX sessions_queue ON sessions (queued_seq) WHERE status = 'queued';
CREATE INDEX sessions_leases ON sessions (lease_expires_at) WHERE status = 'processing';
CREATE INDEX sessions_by_created ON sessions (created_at_ms, inserted_seq);
)sql",
};

constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));
constexpr int64_t kMigrationLockKey = 0x64645f6d6967;  // "dd_mig": one migrating node at a time

// Columns of a session row, in the order read_session expects; results last so list
// queries can leave it out.
constexpr const char* kSessionColumns =
    "id, filename, input_path, output_dir, status, video_info, options, progress, error, "
    "results_json_path, landmarks_csv_path, landmarks_json_path, overlay_mp4_path, thumbnail_jpg_path, "
    "size_bytes, created_at_ms, updated_at_ms, queued_seq, attempts, worker_id";
constexpr int kResultsColumn = 20;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string random_hex(int bytes) {
  std::random_device device;
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (int i = 0; i < bytes; ++i) {
    const auto byte = static_cast<unsigned>(device()) & 0xffU;
    text += kDigits[byte >> 4];
    text += kDigits[byte & 0xfU];
  }
  return text;
}

nlohmann::json parse_json_column(const std::string& value) {
  auto parsed = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? nlohmann::json::object() : parsed;
}

Session read_session(const PGresult* result, int row, bool with_results) {
  Session session;
  session.id = pg_text(result, row, 0);
  session.filename = pg_text(result, row, 1);
  session.input_path = pg_text(result, row, 2);
  session.output_dir = pg_text(result, row, 3);
  session.status = parse_session_status(pg_text(result, row, 4)).value_or(SessionStatus::kFailed);
  session.video_info = parse_json_column(pg_text(result, row, 5));
  session.options = parse_json_column(pg_text(result, row, 6));
  session.progress = parse_json_column(pg_text(result, row, 7));
  session.error = pg_text(result, row, 8);
  session.outputs.results_json = pg_text(result, row, 9);
  session.outputs.landmarks_csv = pg_text(result, row, 10);
  session.outputs.landmarks_json = pg_text(result, row, 11);
  session.outputs.overlay_mp4 = pg_text(result, row, 12);
  session.outputs.thumbnail_jpg = pg_text(result, row, 13);
  session.size_bytes = pg_integer(result, row, 14);
  session.created_at_ms = pg_integer(result, row, 15);
  session.updated_at_ms = pg_integer(result, row, 16);
  session.queued_seq = pg_integer(result, row, 17);
  session.attempts = pg_integer(result, row, 18);
  session.worker_id = pg_text(result, row, 19);
  if (with_results) session.results_json = pg_text(result, row, kResultsColumn);
  return session;
}

std::string returning(bool with_results) {
  return std::string(" RETURNING ") + kSessionColumns + (with_results ? ", results" : "");
}

const char* event_name(SessionEventType type) {
  switch (type) {
    case SessionEventType::kQueued: return "queued";
    case SessionEventType::kProgress: return "progress";
    case SessionEventType::kCompleted: return "completed";
    case SessionEventType::kFailed: return "failed";
    case SessionEventType::kCancelled: return "cancelled";
    case SessionEventType::kDeleted: return "deleted";
  }
  return "progress";
}

std::optional<SessionEventType> parse_event_name(const std::string& name) {
  for (auto type : {SessionEventType::kQueued, SessionEventType::kProgress, SessionEventType::kCompleted,
                    SessionEventType::kFailed, SessionEventType::kCancelled, SessionEventType::kDeleted}) {
    if (name == event_name(type)) return type;
  }
  return std::nullopt;
}

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(const PostgresOptions& options)
      : options_(options), pool_(options.url, options.pool_size), node_id_(random_hex(8)) {}

  ~PostgresStore() override {
    stop_listening_ = true;
    if (listener_.joinable()) listener_.join();
  }

  Status initialise() {
    DD_TRY(migrate());
    // Connect the listener before returning, so no event after open is missed.
    auto conn = listen_connection();
    if (!conn) return conn.error();
    listener_ = std::thread([this, first = std::move(*conn)]() mutable { listen(std::move(first)); });
    return ok_status();
  }

  Status create_session(const Session& session) override {
    const int64_t created = session.created_at_ms != 0 ? session.created_at_ms : now_ms();
    auto result = query(
        "INSERT INTO sessions (id, filename, input_path, output_dir, status, video_info, options, "
        "size_bytes, "
        "created_at_ms, updated_at_ms) VALUES ($1, $2, $3, $4, 'uploaded', $5, $6, $7, $8, $8) "
        "ON CONFLICT (id) DO NOTHING",
        {session.id, session.filename, session.input_path, session.output_dir, session.video_info.dump(),
         session.options.dump(), std::to_string(session.size_bytes), std::to_string(created)},
        "inserting session");
    if (!result) return result.error();
    if (std::string_view(PQcmdTuples(result->get())) != "1") {
      return make_error(ErrorCode::kInvalidArgument, "session " + session.id + " already exists");
    }
    return ok_status();
  }

  Result<Session> get_session(const std::string& id, bool with_results) override {
    const std::string sql = std::string("SELECT ") + kSessionColumns + (with_results ? ", results" : "") +
                            " FROM sessions WHERE id = $1";
    auto result = query(sql.c_str(), {id}, "reading session");
    if (!result) return result.error();
    if (PQntuples(result->get()) == 0) return make_error(ErrorCode::kNotFound, "session not found: " + id);
    return read_session(result->get(), 0, with_results);
  }

  Result<std::vector<Session>> list_sessions() override {
    const std::string sql = std::string("SELECT ") + kSessionColumns +
                            " FROM sessions ORDER BY created_at_ms DESC, inserted_seq DESC";
    auto result = query(sql.c_str(), {}, "listing sessions");
    if (!result) return result.error();
    std::vector<Session> sessions;
    for (int row = 0; row < PQntuples(result->get()); ++row)
      sessions.push_back(read_session(result->get(), row, false));
    return sessions;
  }

  Status delete_session(const std::string& id) override {
    const std::string sql = "DELETE FROM sessions WHERE id = $1" + returning(false);
    auto result = query(sql.c_str(), {id}, "deleting session");
    if (!result) return result.error();
    if (PQntuples(result->get()) == 0) return make_error(ErrorCode::kNotFound, "session not found: " + id);
    publish(SessionEventType::kDeleted, read_session(result->get(), 0, false));
    return ok_status();
  }

  Result<Session> enqueue_job(const std::string& id, const nlohmann::json& options) override {
    const std::string sql =
        "UPDATE sessions SET status = 'queued', options = $2, progress = '{}', error = '', attempts = 0, "
        "worker_id = '', lease_expires_at = NULL, updated_at_ms = $3, queued_seq = "
        "nextval('sessions_queue_seq') "
        "WHERE id = $1 AND status NOT IN ('queued', 'processing', 'completed')" +
        returning(false);
    auto result = query(sql.c_str(), {id, options.dump(), std::to_string(now_ms())}, "queueing job");
    if (!result) return result.error();
    if (PQntuples(result->get()) == 0) {
      auto session = get_session(id, /*with_results=*/false);
      if (!session) return session.error();
      if (session->status == SessionStatus::kCompleted) {
        return make_error(ErrorCode::kFailedPrecondition, "session " + id + " is already analysed");
      }
      return make_error(
          ErrorCode::kFailedPrecondition,
          "analysis of session " + id + " is already " + std::string(session_status_name(session->status)));
    }
    Session queued = read_session(result->get(), 0, false);
    publish(SessionEventType::kQueued, queued);
    return queued;
  }

  Result<std::optional<Session>> claim_next_job() override {
    DD_TRY(reap_expired_leases());
    // SKIP LOCKED: concurrent claimers each take a different head row instead of queueing
    // behind one another's row locks.
    const std::string sql =
        "WITH next AS (SELECT id FROM sessions WHERE status = 'queued' ORDER BY queued_seq LIMIT 1 "
        "FOR UPDATE SKIP LOCKED) "
        "UPDATE sessions AS s SET status = 'processing', attempts = s.attempts + 1, worker_id = $1, "
        "progress = '{}', lease_expires_at = " +
        lease_now_sql(4) +
        " + make_interval(secs => $2::float8), updated_at_ms = $3 "
        "FROM next WHERE s.id = next.id RETURNING " +
        prefixed_columns("s.");
    auto result = query(sql.c_str(),
                        {options_.lease.worker_id, std::to_string(options_.lease.lease_s),
                         std::to_string(now_ms()), lease_clock_param()},
                        "claiming job");
    if (!result) return result.error();
    if (PQntuples(result->get()) == 0) return std::optional<Session>{};
    Session claimed = read_session(result->get(), 0, false);
    // Everyone behind moved up one place in the queue.
    notify_queue_moved();
    return std::optional<Session>(std::move(claimed));
  }

  Status heartbeat(const std::string& id) override {
    const std::string sql = "UPDATE sessions SET lease_expires_at = " + lease_now_sql(4) +
                            " + make_interval(secs => $3::float8) "
                            "WHERE id = $1 AND status = 'processing' AND worker_id = $2";
    auto result =
        query(sql.c_str(),
              {id, options_.lease.worker_id, std::to_string(options_.lease.lease_s), lease_clock_param()},
              "renewing lease");
    if (!result) return result.error();
    if (std::string_view(PQcmdTuples(result->get())) == "0") return not_held_error(id);
    return ok_status();
  }

  Status release_job(const std::string& id) override {
    const std::string sql =
        "UPDATE sessions SET status = 'queued', attempts = GREATEST(attempts - 1, 0), worker_id = '', "
        "lease_expires_at = NULL, progress = '{}', updated_at_ms = $3 "
        "WHERE id = $1 AND status = 'processing' AND worker_id = $2" +
        returning(false);
    auto result =
        query(sql.c_str(), {id, options_.lease.worker_id, std::to_string(now_ms())}, "releasing job");
    if (!result) return result.error();
    if (PQntuples(result->get()) == 0) return not_held_error(id);
    publish(SessionEventType::kQueued, read_session(result->get(), 0, false));
    return ok_status();
  }

  bool shared_between_processes() const override { return true; }

  Result<int64_t> queue_position(const std::string& id) override {
    auto result = query(
        "SELECT COUNT(*) FROM sessions AS other, sessions AS me WHERE me.id = $1 AND me.status = 'queued' "
        "AND other.status = 'queued' AND other.queued_seq <= me.queued_seq",
        {id}, "reading queue position");
    if (!result) return result.error();
    return pg_integer(result->get(), 0, 0);
  }

  Status update_progress(const std::string& id, const nlohmann::json& progress) override {
    const std::string sql =
        "UPDATE sessions SET progress = $2, updated_at_ms = $3 WHERE id = $1 AND status = 'processing' "
        "AND worker_id = $4" +
        returning(false);
    auto result =
        query(sql.c_str(), {id, progress.dump(), std::to_string(now_ms()), options_.lease.worker_id},
              "updating progress");
    if (!result) return result.error();
    if (PQntuples(result->get()) == 0) {
      return make_error(ErrorCode::kFailedPrecondition, "session " + id + " is not processing on this node");
    }
    publish(SessionEventType::kProgress, read_session(result->get(), 0, false));
    return ok_status();
  }

  Status complete_job(const std::string& id, const std::string& results_json,
                      const SessionOutputs& outputs) override {
    const std::string sql =
        "UPDATE sessions SET status = 'completed', results = $2, error = '', results_json_path = $3, "
        "landmarks_csv_path = $4, landmarks_json_path = $5, overlay_mp4_path = $6, thumbnail_jpg_path = $7, "
        "queued_seq = 0, worker_id = '', lease_expires_at = NULL, updated_at_ms = $8 "
        "WHERE id = $1 AND status = 'processing' AND worker_id = $9" +
        returning(true);
    auto result = query(
        sql.c_str(),
        {id, results_json, outputs.results_json, outputs.landmarks_csv, outputs.landmarks_json,
         outputs.overlay_mp4, outputs.thumbnail_jpg, std::to_string(now_ms()), options_.lease.worker_id},
        "completing job");
    if (!result) return result.error();
    if (PQntuples(result->get()) == 0) {
      return make_error(ErrorCode::kFailedPrecondition, "session " + id + " is not processing on this node");
    }
    publish(SessionEventType::kCompleted, read_session(result->get(), 0, true));
    return ok_status();
  }

  Status finish_job_unsuccessfully(const std::string& id, SessionStatus status,
                                   const std::string& reason) override {
    DD_CHECK(status == SessionStatus::kFailed || status == SessionStatus::kCancelled,
             "finish_job_unsuccessfully takes failed or cancelled");
    // Any node may cancel (the API node deleting a session); the worker notices at its next
    // heartbeat.
    const std::string sql =
        "UPDATE sessions SET status = $2, error = $3, queued_seq = 0, worker_id = '', lease_expires_at = "
        "NULL, "
        "updated_at_ms = $4 WHERE id = $1 AND status IN ('queued', 'processing')" +
        returning(false);
    auto result =
        query(sql.c_str(), {id, std::string(session_status_name(status)), reason, std::to_string(now_ms())},
              "finishing job");
    if (!result) return result.error();
    if (PQntuples(result->get()) == 0) {
      return make_error(ErrorCode::kFailedPrecondition, "session " + id + " has no active job");
    }
    publish(status == SessionStatus::kFailed ? SessionEventType::kFailed : SessionEventType::kCancelled,
            read_session(result->get(), 0, false));
    return ok_status();
  }

  Result<QueueCounts> queue_counts() override {
    auto result = query(
        "SELECT COUNT(*) FILTER (WHERE status = 'processing'), COUNT(*) FILTER (WHERE status = 'queued') "
        "FROM sessions WHERE status IN ('processing', 'queued')",
        {}, "counting jobs");
    if (!result) return result.error();
    return QueueCounts{pg_integer(result->get(), 0, 0), pg_integer(result->get(), 0, 1)};
  }

  Subscription subscribe(const std::string& id, SessionListener listener) override {
    return listeners_.subscribe(id, std::move(listener));
  }

 private:
  Result<PgResult> query(const char* sql, const std::vector<std::string>& params, const char* what) {
    auto conn = pool_.take();
    if (!conn) return conn.error();
    auto result = pg_run(conn->get(), sql, params, what);
    if (!result && result.error().code == ErrorCode::kUnavailable) {
      // The server may have restarted: one retry on a fresh connection. Every statement
      // here is a single autocommit statement, so it either ran or did not.
      PQreset(conn->get());
      if (PQstatus(conn->get()) == CONNECTION_OK) return pg_run(conn->get(), sql, params, what);
    }
    return result;
  }

  // The time leases are measured against, as SQL reading parameter $`param`: the server's
  // now() when the parameter is empty (no injected clock), else the injected milliseconds.
  static std::string lease_now_sql(int param) {
    return "COALESCE(to_timestamp(NULLIF($" + std::to_string(param) + "::text, '')::float8 / 1000), now())";
  }
  std::string lease_clock_param() const {
    return options_.lease.clock ? std::to_string(options_.lease.clock()) : std::string();
  }

  static std::string prefixed_columns(const std::string& prefix) {
    std::string columns = kSessionColumns;
    std::string out = prefix;
    for (char c : columns) {
      out += c;
      if (c == ' ') out += prefix;
    }
    return out;
  }

  Status not_held_error(const std::string& id) {
    auto session = get_session(id, /*with_results=*/false);
    if (!session) return session.error();
    return make_error(ErrorCode::kFailedPrecondition,
                      "job of session " + id + " is not processing on this node");
  }

  // Re-queues processing jobs whose lease expired (their node died or hung), or fails them
  // once they used up max_attempts. The server's clock decides (see LeaseOptions::clock).
  Status reap_expired_leases() {
    const std::string sql =
        "UPDATE sessions SET status = CASE WHEN attempts >= $1::int THEN 'failed' ELSE 'queued' END, "
        "error = CASE WHEN attempts >= $1::int THEN $2::text ELSE '' END, "
        "queued_seq = CASE WHEN attempts >= $1::int THEN 0 ELSE queued_seq END, "
        "worker_id = '', lease_expires_at = NULL, progress = '{}', updated_at_ms = $3 "
        "WHERE status = 'processing' AND lease_expires_at < " +
        lease_now_sql(4) + returning(false);
    auto result = query(sql.c_str(),
                        {std::to_string(options_.lease.max_attempts), std::string(kLeaseExpiredReason),
                         std::to_string(now_ms()), lease_clock_param()},
                        "expiring leases");
    if (!result) return result.error();
    for (int row = 0; row < PQntuples(result->get()); ++row) {
      Session session = read_session(result->get(), row, false);
      DD_LOG_WARN("store: lease of job {} expired after attempt {}; it is {}", session.id, session.attempts,
                  session_status_name(session.status));
      publish(
          session.status == SessionStatus::kQueued ? SessionEventType::kQueued : SessionEventType::kFailed,
          session);
    }
    return ok_status();
  }

  Status migrate() {
    auto lease = pool_.take();
    if (!lease) return lease.error();
    PGconn* conn = lease->get();
    DD_TRY(pg_run_script(conn, "BEGIN", "starting migration"));
    Status migrated = [&]() -> Status {
      DD_TRY(pg_run(conn, "SELECT pg_advisory_xact_lock($1::bigint)", {std::to_string(kMigrationLockKey)},
                    "locking migrations"));
      DD_TRY(pg_run_script(conn,
                           "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                           "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                           "creating the migrations table"));
      auto current = pg_run(conn, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {},
                            "reading schema version");
      if (!current) return current.error();
      const int version = static_cast<int>(pg_integer(current->get(), 0, 0));
      if (version > kSchemaVersion) {
        return make_error(ErrorCode::kFailedPrecondition,
                          "database schema version " + std::to_string(version) +
                              " is newer than this program's " + std::to_string(kSchemaVersion) +
                              "; upgrade dancedynamics");
      }
      for (int next = version; next < kSchemaVersion; ++next) {
        DD_TRY(pg_run_script(conn, kMigrations[next], "migrating schema"));
        DD_TRY(pg_run(conn, "INSERT INTO schema_migrations (version) VALUES ($1::int)",
                      {std::to_string(next + 1)}, "recording schema version"));
        DD_LOG_INFO("store: PostgreSQL schema migrated to version {}", next + 1);
      }
      return ok_status();
    }();
    if (!migrated) {
      (void)pg_run_script(conn, "ROLLBACK", "rolling back migration");
      return migrated;
    }
    return pg_run_script(conn, "COMMIT", "committing migration");
  }

  // Tells every node (this one directly) that session's state changed.
  void publish(SessionEventType type, const Session& session) {
    const nlohmann::json payload{{"origin", node_id_}, {"type", event_name(type)}, {"id", session.id}};
    if (auto sent = query("SELECT pg_notify($1, $2)", {kPostgresEventChannel, payload.dump()}, "notifying");
        !sent) {
      DD_LOG_WARN("store: cannot notify other nodes of session {}: {}", session.id, sent.error().message);
    }
    listeners_.emit(type, session);
  }

  void notify_queue_moved() {
    const nlohmann::json payload{{"origin", node_id_}, {"type", "queue_moved"}};
    (void)query("SELECT pg_notify($1, $2)", {kPostgresEventChannel, payload.dump()}, "notifying");
    refresh_queued_subscribers();
  }

  // Queued sessions with local subscribers get a kQueued event with their new position.
  void refresh_queued_subscribers() {
    for (const std::string& id : listeners_.subscribed_ids()) {
      auto session = get_session(id, /*with_results=*/false);
      if (session && session->status == SessionStatus::kQueued)
        listeners_.emit(SessionEventType::kQueued, *session);
    }
  }

  Result<PgConn> listen_connection() {
    auto conn = pg_connect(options_.url);
    if (!conn) return conn.error();
    const std::string sql = std::string("LISTEN ") + kPostgresEventChannel;
    DD_TRY(pg_run_script(conn->get(), sql.c_str(), "listening for events"));
    return conn;
  }

  // Relays other nodes' events to this node's subscribers, reading the session's current
  // state from the store (the source of truth) rather than trusting the message.
  void listen(PgConn conn) {
    while (!stop_listening_) {
      if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        auto fresh = listen_connection();
        if (!fresh) {
          DD_LOG_WARN("store: event listener cannot reconnect: {}", fresh.error().message);
          continue;
        }
        conn = std::move(*fresh);
        // Events may have been missed while disconnected: resend the current state.
        for (const std::string& id : listeners_.subscribed_ids()) relay("progress", id);
      }
      pollfd fd{PQsocket(conn.get()), POLLIN, 0};
      if (poll(&fd, 1, 200) <= 0) continue;
      if (PQconsumeInput(conn.get()) == 0) {
        DD_LOG_WARN("store: event listener lost its connection: {}", pg_trimmed(PQerrorMessage(conn.get())));
        conn.reset();
        continue;
      }
      while (PGnotify* notice = PQnotifies(conn.get())) {
        auto payload = nlohmann::json::parse(notice->extra, nullptr, /*allow_exceptions=*/false);
        PQfreemem(notice);
        if (!payload.is_object() || payload.value("origin", "") == node_id_) continue;
        const std::string type = payload.value("type", "");
        if (type == "queue_moved") {
          refresh_queued_subscribers();
        } else {
          relay(type, payload.value("id", ""));
        }
      }
    }
  }

  void relay(const std::string& type_name, const std::string& id) {
    auto type = parse_event_name(type_name);
    if (!type || id.empty() || !listeners_.has_subscribers(id)) return;
    if (*type == SessionEventType::kDeleted) {
      Session gone;
      gone.id = id;
      listeners_.emit(*type, gone);
      return;
    }
    auto session = get_session(id, /*with_results=*/*type == SessionEventType::kCompleted);
    if (!session) return;
    // A late reader sees the state now, which may be past the event: report that state.
    switch (session->status) {
      case SessionStatus::kQueued: type = SessionEventType::kQueued; break;
      case SessionStatus::kProcessing: type = SessionEventType::kProgress; break;
      case SessionStatus::kFailed: type = SessionEventType::kFailed; break;
      case SessionStatus::kCancelled: type = SessionEventType::kCancelled; break;
      case SessionStatus::kCompleted:
        if (session->results_json.empty()) session = get_session(id, /*with_results=*/true);
        if (!session) return;
        type = SessionEventType::kCompleted;
        break;
      case SessionStatus::kUploaded: return;
    }
    listeners_.emit(*type, *session);
  }

  const PostgresOptions options_;
  detail::PgConnectionPool pool_;
  const std::string node_id_;  // tells this node's own notifications apart
  std::atomic<bool> stop_listening_{false};
  std::thread listener_;
  detail::SessionListeners listeners_;
};

}  // namespace

int postgres_store_schema_version() {
  return kSchemaVersion;
}

Result<std::unique_ptr<Store>> open_postgres_store(const PostgresOptions& options) {
  auto store = std::make_unique<PostgresStore>(options);
  DD_TRY(store->initialise());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace dd::store
