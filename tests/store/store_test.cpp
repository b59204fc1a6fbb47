// Tests of the store: the shared behaviour runs against both back-ends (SQLite on a file in
// a temporary directory, PostgreSQL on a fresh database of a throw-away server), then the
// tests of what each back-end does on its own.
#include "store/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/open_store.h"
#include "store/postgres_store.h"
#include "store/sqlite_store.h"
#include "store/throwaway_postgres.h"

namespace dd::store {
namespace {

namespace fs = std::filesystem;

Session make_session(const std::string& id, int64_t created_at_ms = 0) {
  Session session;
  session.id = id;
  session.filename = "dance " + id + ".mp4";
  session.input_path = "/data/sessions/" + id + "/input.mp4";
  session.output_dir = "/data/sessions/" + id;
  session.size_bytes = 1234;
  session.video_info = {{"fps", 30.0}, {"frame_count", 90}};
  session.created_at_ms = created_at_ms;
  return session;
}

// The lease clock of a test: time moves only when the test moves it, so lease expiry is
// tested without racing the wall clock.
class ManualClock {
 public:
  std::function<int64_t()> source() {
    return [this] { return now_ms_.load(); };
  }
  void advance(std::chrono::milliseconds by) { now_ms_ += by.count(); }

 private:
  std::atomic<int64_t> now_ms_{1'700'000'000'000};  // November 2023, in ms since the epoch
};

// Parameter: "sqlite" or "postgres".
class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dd_store_test_" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
    db_path_ = dir_ / "dancedynamics.db";
    if (GetParam() == "postgres") {
      auto& server = testing_pg::ThrowawayPostgres::instance();
      if (server.url().empty() && server.why().starts_with("no PostgreSQL binaries"))
        GTEST_SKIP() << server.why();
      ASSERT_FALSE(server.url().empty()) << server.why();
      database_url_ = server.fresh_database();
      ASSERT_FALSE(database_url_.empty()) << server.why();
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Store> open(LeaseOptions lease = {}) {
    auto store = open_store(StoreConfig{database_url_, dir_, 4, std::move(lease)});
    EXPECT_TRUE(store.has_value()) << (store ? "" : store.error().message);
    return store ? std::move(*store) : nullptr;
  }

  fs::path dir_;
  fs::path db_path_;
  std::string database_url_;
};

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dd_store_test_" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
    db_path_ = dir_ / "dancedynamics.db";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Store> open() {
    auto store = open_sqlite_store(db_path_);
    EXPECT_TRUE(store.has_value()) << (store ? "" : store.error().message);
    return store ? std::move(*store) : nullptr;
  }

  fs::path dir_;
  fs::path db_path_;
};

TEST_P(StoreTest, CreateThenGet_RoundTripsAllFields) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->create_session(make_session("aa")));
  auto session = store->get_session("aa");
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(session->filename, "dance aa.mp4");
  EXPECT_EQ(session->input_path, "/data/sessions/aa/input.mp4");
  EXPECT_EQ(session->status, SessionStatus::kUploaded);
  EXPECT_EQ(session->size_bytes, 1234);
  EXPECT_EQ(session->video_info["frame_count"], 90);
  EXPECT_GT(session->created_at_ms, 0);
}

TEST_P(StoreTest, CreateDuplicateId_IsInvalidArgument) {
  auto store = open();
  ASSERT_TRUE(store->create_session(make_session("aa")));
  auto again = store->create_session(make_session("aa"));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(StoreTest, GetUnknown_IsNotFound) {
  auto store = open();
  auto session = store->get_session("nope");
  ASSERT_FALSE(session.has_value());
  EXPECT_EQ(session.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreTest, ListSessions_NewestFirst) {
  auto store = open();
  ASSERT_TRUE(store->create_session(make_session("old", 1000)));
  ASSERT_TRUE(store->create_session(make_session("new", 2000)));
  auto sessions = store->list_sessions();
  ASSERT_TRUE(sessions.has_value());
  ASSERT_EQ(sessions->size(), 2u);
  EXPECT_EQ((*sessions)[0].id, "new");
  EXPECT_EQ((*sessions)[1].id, "old");
}

TEST_P(StoreTest, DeleteSession_RemovesRowAndEmitsDeleted) {
  auto store = open();
  ASSERT_TRUE(store->create_session(make_session("aa")));
  std::vector<SessionEventType> events;
  auto subscription =
      store->subscribe("aa", [&](const SessionEvent& event) { events.push_back(event.type); });
  ASSERT_TRUE(store->delete_session("aa"));
  EXPECT_EQ(store->get_session("aa").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store->delete_session("aa").error().code, ErrorCode::kNotFound);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0], SessionEventType::kDeleted);
}

TEST_P(StoreTest, Queue_IsFifoWithPositions) {
  auto store = open();
  for (const char* id : {"a", "b", "c"}) ASSERT_TRUE(store->create_session(make_session(id)));
  ASSERT_TRUE(store->enqueue_job("b", {{"model", "lite"}}));
  ASSERT_TRUE(store->enqueue_job("a", nlohmann::json::object()));
  ASSERT_TRUE(store->enqueue_job("c", nlohmann::json::object()));
  EXPECT_EQ(*store->queue_position("b"), 1);
  EXPECT_EQ(*store->queue_position("a"), 2);
  EXPECT_EQ(*store->queue_position("c"), 3);

  std::vector<SessionEventType> a_events;
  auto subscription =
      store->subscribe("a", [&](const SessionEvent& event) { a_events.push_back(event.type); });
  auto first = store->claim_next_job();
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->id, "b");
  EXPECT_EQ((*first)->status, SessionStatus::kProcessing);
  EXPECT_EQ((*first)->options["model"], "lite");
  EXPECT_EQ(*store->queue_position("b"), 0);
  EXPECT_EQ(*store->queue_position("a"), 1);
  ASSERT_EQ(a_events.size(), 1u);  // told that its position changed
  EXPECT_EQ(a_events[0], SessionEventType::kQueued);
  auto counts = store->queue_counts();
  ASSERT_TRUE(counts.has_value());
  EXPECT_EQ(counts->processing, 1);
  EXPECT_EQ(counts->queued, 2);
}

TEST_P(StoreTest, EnqueueActiveOrCompleted_IsFailedPrecondition) {
  auto store = open();
  ASSERT_TRUE(store->create_session(make_session("a")));
  ASSERT_TRUE(store->enqueue_job("a", nlohmann::json::object()));
  EXPECT_EQ(store->enqueue_job("a", nlohmann::json::object()).error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(store->claim_next_job());
  EXPECT_EQ(store->enqueue_job("a", nlohmann::json::object()).error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(store->complete_job("a", R"({"x":1})", SessionOutputs{}));
  EXPECT_EQ(store->enqueue_job("a", nlohmann::json::object()).error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(store->enqueue_job("missing", nlohmann::json::object()).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreTest, ProgressAndCompletion_AreStoredAndEmitted) {
  auto store = open();
  ASSERT_TRUE(store->create_session(make_session("a")));
  std::vector<SessionEvent> events;
  auto subscription = store->subscribe("a", [&](const SessionEvent& event) { events.push_back(event); });
  ASSERT_TRUE(store->enqueue_job("a", nlohmann::json::object()));
  EXPECT_EQ(store->update_progress("a", {{"progress", 0.1}}).error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(store->claim_next_job());
  ASSERT_TRUE(store->update_progress("a", {{"progress", 0.5}, {"stage", "pose"}}));
  SessionOutputs outputs;
  outputs.results_json = "/data/sessions/a/results.json";
  outputs.overlay_mp4 = "/data/sessions/a/overlay.mp4";
  ASSERT_TRUE(store->complete_job("a", R"({"smoothness_score": 80})", outputs));

  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].type, SessionEventType::kQueued);
  EXPECT_EQ(events[1].type, SessionEventType::kProgress);
  EXPECT_NEAR(events[1].session.progress["progress"].get<double>(), 0.5, 1e-12);
  EXPECT_EQ(events[2].type, SessionEventType::kCompleted);
  EXPECT_EQ(events[2].session.results_json, R"({"smoothness_score": 80})");

  auto session = store->get_session("a");
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(session->status, SessionStatus::kCompleted);
  EXPECT_EQ(session->outputs.overlay_mp4, "/data/sessions/a/overlay.mp4");
  EXPECT_EQ(session->progress["stage"], "pose");
  EXPECT_TRUE(store->get_session("a", /*with_results=*/false)->results_json.empty());
}

TEST_P(StoreTest, UnsubscribedListener_GetsNoEvents) {
  auto store = open();
  ASSERT_TRUE(store->create_session(make_session("a")));
  int calls = 0;
  {
    auto subscription = store->subscribe("a", [&](const SessionEvent&) { ++calls; });
    ASSERT_TRUE(store->enqueue_job("a", nlohmann::json::object()));
  }
  ASSERT_TRUE(store->claim_next_job());
  ASSERT_TRUE(store->finish_job_unsuccessfully("a", SessionStatus::kCancelled, "deleted by user"));
  EXPECT_EQ(calls, 1);
  auto session = store->get_session("a");
  EXPECT_EQ(session->status, SessionStatus::kCancelled);
  EXPECT_EQ(session->error, "deleted by user");
  // A cancelled job may be queued again.
  EXPECT_TRUE(store->enqueue_job("a", nlohmann::json::object()));
}

TEST_F(SqliteStoreTest, Reopen_KeepsResultsFailsInterruptedAndKeepsQueued) {
  {
    auto store = open();
    for (const char* id : {"done", "running", "waiting"})
      ASSERT_TRUE(store->create_session(make_session(id)));
    ASSERT_TRUE(store->enqueue_job("done", nlohmann::json::object()));
    ASSERT_TRUE(store->claim_next_job());
    ASSERT_TRUE(store->complete_job("done", R"({"ok":true})", SessionOutputs{}));
    ASSERT_TRUE(store->enqueue_job("running", nlohmann::json::object()));
    ASSERT_TRUE(store->claim_next_job());
    ASSERT_TRUE(store->enqueue_job("waiting", nlohmann::json::object()));
  }
  auto store = open();
  ASSERT_TRUE(store);
  auto done = store->get_session("done");
  EXPECT_EQ(done->status, SessionStatus::kCompleted);
  EXPECT_EQ(done->results_json, R"({"ok":true})");
  auto running = store->get_session("running");
  EXPECT_EQ(running->status, SessionStatus::kFailed);
  EXPECT_EQ(running->error, kInterruptedReason);
  auto waiting = store->get_session("waiting");
  EXPECT_EQ(waiting->status, SessionStatus::kQueued);
  EXPECT_EQ(*store->queue_position("waiting"), 1);
}

TEST_F(SqliteStoreTest, Open_SetsSchemaVersionAndWal) {
  { ASSERT_TRUE(open()); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), sqlite_store_schema_version());
  sqlite3_finalize(stmt);
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(SqliteStoreTest, OpenVersionOneDatabase_MigratesAndKeepsRows) {
  // A database as the first release wrote it: schema version 1 with one session.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path_.c_str(), &db), SQLITE_OK);
  const char* v1 =
      "CREATE TABLE sessions (id TEXT PRIMARY KEY NOT NULL, filename TEXT NOT NULL, input_path TEXT NOT NULL,"
      " output_dir TEXT NOT NULL, status TEXT NOT NULL, video_info TEXT NOT NULL DEFAULT '{}',"
      " options TEXT NOT NULL DEFAULT '{}', progress TEXT NOT NULL DEFAULT '{}', results TEXT NOT NULL "
      "DEFAULT '',"
      " error TEXT NOT NULL DEFAULT '', results_json_path TEXT NOT NULL DEFAULT '',"
      " landmarks_csv_path TEXT NOT NULL DEFAULT '', landmarks_json_path TEXT NOT NULL DEFAULT '',"
      " overlay_mp4_path TEXT NOT NULL DEFAULT '', thumbnail_jpg_path TEXT NOT NULL DEFAULT '',"
      " size_bytes INTEGER NOT NULL DEFAULT 0, created_at_ms INTEGER NOT NULL, updated_at_ms INTEGER NOT "
      "NULL,"
      " queued_seq INTEGER NOT NULL DEFAULT 0);"
      "CREATE INDEX sessions_by_status ON sessions(status, queued_seq);"
      "INSERT INTO sessions (id, filename, input_path, output_dir, status, created_at_ms, updated_at_ms)"
      " VALUES ('old', 'a.mp4', '/x/input.mp4', '/x', 'uploaded', 5, 5);"
      "PRAGMA user_version = 1;";
  ASSERT_EQ(sqlite3_exec(db, v1, nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);

  auto store = open();
  ASSERT_TRUE(store);
  auto session = store->get_session("old");
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(session->filename, "a.mp4");
  ASSERT_EQ(sqlite3_open(db_path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sessions_by_created'",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), 1);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(SqliteStoreTest, NewerSchema_IsRefused) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 999", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = open_sqlite_store(db_path_);
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kFailedPrecondition);
}

TEST_F(SqliteStoreTest, CorruptFile_IsDataLossNotCrash) {
  {
    std::ofstream garbage(db_path_, std::ios::binary);
    for (int i = 0; i < 4096; ++i) garbage << "this is not a database ";
  }
  auto store = open_sqlite_store(db_path_);
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kDataLoss);
  EXPECT_NE(store.error().message.find(db_path_.string()), std::string::npos) << store.error().message;
}

TEST_P(StoreTest, LeaseExpired_RequeuesThenFailsAfterMaxAttempts) {
  ManualClock clock;
  auto store = open(LeaseOptions{"w1", 0.2, 2, clock.source()});
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->create_session(make_session("a")));
  std::vector<SessionEventType> events;
  std::mutex events_mutex;
  auto subscription = store->subscribe("a", [&](const SessionEvent& event) {
    std::lock_guard lock(events_mutex);
    events.push_back(event.type);
  });
  ASSERT_TRUE(store->enqueue_job("a", nlohmann::json::object()));
  auto first = store->claim_next_job();
  ASSERT_TRUE(first.has_value() && first->has_value());
  EXPECT_EQ((*first)->attempts, 1);
  EXPECT_EQ((*first)->worker_id, "w1");
  clock.advance(std::chrono::milliseconds(150));
  auto still_leased = store->claim_next_job();
  ASSERT_TRUE(still_leased.has_value());
  EXPECT_FALSE(still_leased->has_value());
  EXPECT_EQ(store->get_session("a")->status, SessionStatus::kProcessing);
  clock.advance(std::chrono::milliseconds(100));
  auto second = store->claim_next_job();  // re-queued by the expiry, then claimed again
  ASSERT_TRUE(second.has_value() && second->has_value());
  EXPECT_EQ((*second)->id, "a");
  EXPECT_EQ((*second)->attempts, 2);
  clock.advance(std::chrono::milliseconds(250));
  auto third = store->claim_next_job();
  ASSERT_TRUE(third.has_value());
  EXPECT_FALSE(third->has_value());
  auto session = store->get_session("a");
  EXPECT_EQ(session->status, SessionStatus::kFailed);
  EXPECT_EQ(session->error, kLeaseExpiredReason);
  EXPECT_TRUE(session->worker_id.empty());
  std::lock_guard lock(events_mutex);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back(), SessionEventType::kFailed);
}

TEST_P(StoreTest, Heartbeat_KeepsLeaseAndReportsLostJobs) {
  ManualClock clock;
  auto store = open(LeaseOptions{"w1", 0.3, 3, clock.source()});
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->create_session(make_session("a")));
  EXPECT_EQ(store->heartbeat("a").error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(store->enqueue_job("a", nlohmann::json::object()));
  ASSERT_TRUE(store->claim_next_job());
  for (int i = 0; i < 5; ++i) {
    clock.advance(std::chrono::milliseconds(120));
    ASSERT_TRUE(store->heartbeat("a"));
  }
  auto none = store->claim_next_job();  // 0.6 s after the claim, but the lease was renewed
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(store->get_session("a")->status, SessionStatus::kProcessing);
  ASSERT_TRUE(store->finish_job_unsuccessfully("a", SessionStatus::kCancelled, "cancelled: session deleted"));
  EXPECT_EQ(store->heartbeat("a").error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(store->delete_session("a"));
  EXPECT_EQ(store->heartbeat("a").error().code, ErrorCode::kNotFound);
}

TEST_P(StoreTest, ReleaseJob_RequeuesAtOldPlaceWithoutCountingAttempt) {
  auto store = open();
  ASSERT_TRUE(store);
  for (const char* id : {"a", "b"}) {
    ASSERT_TRUE(store->create_session(make_session(id)));
    ASSERT_TRUE(store->enqueue_job(id, nlohmann::json::object()));
  }
  auto claimed = store->claim_next_job();
  ASSERT_TRUE(claimed.has_value() && claimed->has_value());
  EXPECT_EQ((*claimed)->id, "a");
  ASSERT_TRUE(store->release_job("a"));
  auto released = store->get_session("a");
  EXPECT_EQ(released->status, SessionStatus::kQueued);
  EXPECT_EQ(released->attempts, 0);
  EXPECT_EQ(*store->queue_position("a"), 1);
  EXPECT_EQ(store->release_job("a").error().code, ErrorCode::kFailedPrecondition);
  auto again = store->claim_next_job();
  ASSERT_TRUE(again.has_value() && again->has_value());
  EXPECT_EQ((*again)->id, "a");
  EXPECT_EQ((*again)->attempts, 1);
}

// Several nodes on one PostgreSQL database.
class PostgresStoreTest : public StoreTest {};

INSTANTIATE_TEST_SUITE_P(Backends, PostgresStoreTest, ::testing::Values("postgres"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

TEST_P(PostgresStoreTest, ConcurrentClaimsOnTwoNodes_ClaimEveryJobExactlyOnce) {
  auto node1 = open(LeaseOptions{"n1", 30, 3, {}});
  auto node2 = open(LeaseOptions{"n2", 30, 3, {}});
  ASSERT_TRUE(node1 && node2);
  constexpr int kJobs = 60;
  for (int i = 0; i < kJobs; ++i) {
    const std::string id = "job" + std::to_string(i);
    ASSERT_TRUE(node1->create_session(make_session(id)));
    ASSERT_TRUE(node1->enqueue_job(id, nlohmann::json::object()));
  }
  std::mutex mutex;
  std::multiset<std::string> claimed;
  std::set<std::string> workers;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    Store* node = t % 2 == 0 ? node1.get() : node2.get();
    threads.emplace_back([&, node] {
      while (true) {
        auto job = node->claim_next_job();
        if (!job) {
          ++errors;
          return;
        }
        if (!job->has_value()) return;
        std::lock_guard lock(mutex);
        claimed.insert((*job)->id);
        workers.insert((*job)->worker_id);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(claimed.size(), static_cast<size_t>(kJobs));
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), static_cast<size_t>(kJobs));
  EXPECT_EQ(workers, (std::set<std::string>{"n1", "n2"}));
  EXPECT_EQ(node2->queue_counts()->processing, kJobs);
}

TEST_P(PostgresStoreTest, EventsOfAWorkerNode_ReachSubscribersOnAnApiNode) {
  auto api = open(LeaseOptions{"api", 30, 3, {}});
  auto worker = open(LeaseOptions{"worker", 30, 3, {}});
  ASSERT_TRUE(api && worker);
  ASSERT_TRUE(api->create_session(make_session("a")));
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<SessionEvent> events;
  auto subscription = api->subscribe("a", [&](const SessionEvent& event) {
    std::lock_guard lock(mutex);
    events.push_back(event);
    changed.notify_all();
  });
  ASSERT_TRUE(api->enqueue_job("a", nlohmann::json::object()));
  ASSERT_TRUE(worker->claim_next_job());
  ASSERT_TRUE(worker->update_progress("a", {{"progress", 0.5}, {"stage", "pose"}}));
  ASSERT_TRUE(worker->complete_job("a", R"({"score": 7})", SessionOutputs{}));
  std::unique_lock lock(mutex);
  ASSERT_TRUE(changed.wait_for(lock, std::chrono::seconds(5), [&] {
    return !events.empty() && events.back().type == SessionEventType::kCompleted;
  }));
  EXPECT_EQ(events.back().session.results_json, R"({"score": 7})");
  EXPECT_EQ(events.front().type, SessionEventType::kQueued);  // the API node's own event, at once
}

TEST_P(PostgresStoreTest, CompleteByANodeThatLostTheJob_IsRefused) {
  ManualClock clock;
  auto node1 = open(LeaseOptions{"n1", 0.2, 3, clock.source()});
  auto node2 = open(LeaseOptions{"n2", 30, 3, clock.source()});
  ASSERT_TRUE(node1 && node2);
  ASSERT_TRUE(node1->create_session(make_session("a")));
  ASSERT_TRUE(node1->enqueue_job("a", nlohmann::json::object()));
  ASSERT_TRUE(node1->claim_next_job());
  clock.advance(std::chrono::milliseconds(350));  // node 1 "hangs" past its lease
  auto taken = node2->claim_next_job();
  ASSERT_TRUE(taken.has_value() && taken->has_value());
  EXPECT_EQ((*taken)->worker_id, "n2");
  EXPECT_EQ(node1->complete_job("a", "{}", SessionOutputs{}).error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(node1->heartbeat("a").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(node2->complete_job("a", "{}", SessionOutputs{}));
}

TEST_P(PostgresStoreTest, Reopen_KeepsProcessingJobsOfOtherNodesAndConcurrentOpenMigratesOnce) {
  {
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->create_session(make_session("a")));
    ASSERT_TRUE(store->enqueue_job("a", nlohmann::json::object()));
    ASSERT_TRUE(store->claim_next_job());
  }
  std::vector<std::unique_ptr<Store>> stores(3);
  std::vector<std::thread> threads;
  for (auto& store : stores) threads.emplace_back([&] { store = open(); });
  for (auto& thread : threads) thread.join();
  for (auto& store : stores) ASSERT_TRUE(store);
  EXPECT_EQ(stores[0]->get_session("a")->status, SessionStatus::kProcessing);

  PGconn* conn = PQconnectdb(database_url_.c_str());
  PGresult* result = PQexec(conn, "SELECT COUNT(*), MAX(version) FROM schema_migrations");
  ASSERT_EQ(PQresultStatus(result), PGRES_TUPLES_OK);
  EXPECT_EQ(std::stoi(PQgetvalue(result, 0, 0)), postgres_store_schema_version());
  EXPECT_EQ(std::stoi(PQgetvalue(result, 0, 1)), postgres_store_schema_version());
  PQclear(result);
  PQclear(PQexec(conn, "INSERT INTO schema_migrations (version) VALUES (999)"));
  PQfinish(conn);
  auto newer = open_postgres_store(PostgresOptions{database_url_, 2, {}});
  ASSERT_FALSE(newer.has_value());
  EXPECT_EQ(newer.error().code, ErrorCode::kFailedPrecondition);
}

TEST(OpenStoreTest, UnknownSchemeIsInvalidArgumentAndNoServerIsUnavailable) {
  auto foreign = open_store(StoreConfig{"mysql://x@localhost/db", fs::temp_directory_path(), 2, {}});
  ASSERT_FALSE(foreign.has_value());
  EXPECT_EQ(foreign.error().code, ErrorCode::kInvalidArgument);
  auto unreachable = open_store(StoreConfig{"postgresql://dd@127.0.0.1:1/none?connect_timeout=2", {}, 2, {}});
  ASSERT_FALSE(unreachable.has_value());
  EXPECT_EQ(unreachable.error().code, ErrorCode::kUnavailable);
}

TEST(SessionStatusTest, NamesRoundTrip) {
  for (auto status : {SessionStatus::kUploaded, SessionStatus::kQueued, SessionStatus::kProcessing,
                      SessionStatus::kCompleted, SessionStatus::kFailed, SessionStatus::kCancelled}) {
    EXPECT_EQ(parse_session_status(session_status_name(status)), status);
  }
  EXPECT_FALSE(parse_session_status("bogus").has_value());
}

}  // namespace
}  // namespace dd::store
