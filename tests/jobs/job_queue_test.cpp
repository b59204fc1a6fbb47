// The job queue on a real SQLite store: what a node does with a job the store no longer holds
// for it.
#include "jobs/job_queue.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>

#include "store/sqlite_store.h"
#include "wait_until.h"

namespace dd::jobs {
namespace {

namespace fs = std::filesystem;

class JobQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dd_job_queue_test_" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
    auto store = store::open_sqlite_store(dir_ / "dancedynamics.db", store::LeaseOptions{"n1", 30, 3, {}});
    ASSERT_TRUE(store.has_value()) << store.error().message;
    store_ = std::move(*store);
    store::Session session;
    session.id = "a";
    session.filename = "a.mp4";
    session.input_path = (dir_ / "a" / "input.mp4").string();
    session.output_dir = (dir_ / "a").string();
    ASSERT_TRUE(store_->create_session(session));
    ASSERT_TRUE(store_->enqueue_job("a", nlohmann::json::object()));
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  // What another node does when it claims the job after this node's lease lapsed.
  void take_over_as_another_node() {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "dancedynamics.db").c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);  // the node may be renewing its lease at this moment
    EXPECT_EQ(sqlite3_exec(db, "UPDATE sessions SET worker_id = 'n2', attempts = 2 WHERE id = 'a'", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }

  fs::path dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(JobQueueTest, JobTakenOverByAnotherNode_IsStoppedAndLeftToItsNewOwner) {
  std::mutex mutex;
  std::condition_variable changed;
  bool started = false;
  bool report = false;
  std::atomic<bool> stopped{false};
  JobRunner runner = [&](const fs::path&, const fs::path&, const pipeline::PipelineOptions&,
                         const pipeline::ProgressCallback& progress,
                         std::stop_token stop) -> Result<pipeline::PipelineOutputs> {
    {
      std::unique_lock lock(mutex);
      started = true;
      changed.notify_all();
      changed.wait(lock, [&] { return report; });
    }
    // The report (or the next heartbeat) finds the job gone from this node.
    progress({0.5, "pose", "frame 5", 5, 10, 10.0, 0.5});
    std::mutex stop_mutex;
    std::condition_variable_any stop_wait;
    std::unique_lock stop_lock(stop_mutex);
    stop_wait.wait(stop_lock, stop, [] { return false; });
    stopped = true;
    return make_error(ErrorCode::kCancelled, "stopped");
  };
  JobQueueOptions options;
  options.progress_interval_s = 0;
  JobQueue queue(*store_, runner, options);
  queue.start();
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, test::kWaitTimeout, [&] { return started; }));
  }
  take_over_as_another_node();
  {
    std::lock_guard lock(mutex);
    report = true;
  }
  changed.notify_all();
  ASSERT_TRUE(test::wait_until([&] { return stopped.load(); }));
  queue.stop();  // joins the worker, so the job's end is handled

  auto session = store_->get_session("a");
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(session->status, store::SessionStatus::kProcessing);
  EXPECT_EQ(session->worker_id, "n2");
  EXPECT_EQ(session->attempts, 2);
  EXPECT_EQ(session->error, "");
}

}  // namespace
}  // namespace dd::jobs
