// Tests of storage housekeeping on a real SQLite store and real session directories.
#include "server/session_cleaner.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>

#include "store/sqlite_store.h"

namespace dd::server {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kNowMs = 1'800'000'000'000;
constexpr int64_t kHourMs = 3'600'000;

class SessionCleanerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir_ = fs::temp_directory_path() / ("dd_cleaner_test_" + std::to_string(std::random_device{}()));
    auto store = store::open_sqlite_store(data_dir_ / "dancedynamics.db");
    ASSERT_TRUE(store.has_value());
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(data_dir_);
  }

  void add(const std::string& id, int64_t age_ms, size_t bytes) {
    store::Session session;
    session.id = id;
    session.filename = id + ".mp4";
    session.output_dir = (data_dir_ / "sessions" / id).string();
    session.input_path = session.output_dir + "/input.mp4";
    session.created_at_ms = kNowMs - age_ms;
    ASSERT_TRUE(store_->create_session(session));
    fs::create_directories(session.output_dir);
    std::ofstream(session.input_path, std::ios::binary) << std::string(bytes, 'x');
  }

  bool exists(const std::string& id) {
    return store_->get_session(id).has_value() && fs::exists(data_dir_ / "sessions" / id);
  }

  fs::path data_dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(SessionCleanerTest, Ttl_RemovesOldFinishedSessionsOnly) {
  add("old", 30 * kHourMs, 100);
  add("old_running", 30 * kHourMs, 100);
  add("new", 1 * kHourMs, 100);
  ASSERT_TRUE(store_->enqueue_job("old_running", nlohmann::json::object()));
  auto removed = clean_sessions(*store_, data_dir_, CleanupPolicy{24 * 3600.0, 0, 3600}, kNowMs);
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(*removed, 1);
  EXPECT_FALSE(exists("old"));
  EXPECT_FALSE(fs::exists(data_dir_ / "sessions" / "old"));
  EXPECT_TRUE(exists("old_running"));
  EXPECT_TRUE(exists("new"));
}

TEST_F(SessionCleanerTest, StorageLimit_RemovesOldestFirstUntilUnder) {
  add("a", 5 * kHourMs, 1000);
  add("b", 4 * kHourMs, 1000);
  add("c", 3 * kHourMs, 1000);
  auto removed = clean_sessions(*store_, data_dir_, CleanupPolicy{0, 2000, 3600}, kNowMs);
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(*removed, 1);
  EXPECT_FALSE(exists("a"));
  EXPECT_TRUE(exists("b"));
  EXPECT_TRUE(exists("c"));
}

TEST_F(SessionCleanerTest, NoLimits_RemovesNothing) {
  add("a", 500 * kHourMs, 1000);
  auto removed = clean_sessions(*store_, data_dir_, CleanupPolicy{0, 0, 3600}, kNowMs);
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(*removed, 0);
  EXPECT_TRUE(exists("a"));
}

void set_change_time(const fs::path& dir, int64_t unix_ms) {
  const auto time = std::chrono::file_clock::from_sys(
      std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(unix_ms)));
  for (const auto& entry : fs::directory_iterator(dir)) fs::last_write_time(entry.path(), time);
  fs::last_write_time(dir, time);
}

// A directory without a row may be an upload still streaming in (here or on another node
// sharing DATA_DIR): only one unchanged for orphan_idle_s is a leftover. A row protects a
// directory however old its files are.
TEST_F(SessionCleanerTest, OrphanDirectories_OnlyIdleOnesRemoved) {
  add("recorded", 0, 10);
  set_change_time(data_dir_ / "sessions" / "recorded", kNowMs - 100 * kHourMs);
  for (const char* name : {"streaming", "leftover"}) {
    fs::create_directories(data_dir_ / "sessions" / name);
    std::ofstream(data_dir_ / "sessions" / name / "input.mp4") << "partial";
  }
  set_change_time(data_dir_ / "sessions" / "streaming", kNowMs - 60'000);
  set_change_time(data_dir_ / "sessions" / "leftover", kNowMs - 2 * kHourMs);
  auto removed = clean_sessions(*store_, data_dir_, CleanupPolicy{0, 0, 3600}, kNowMs);
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(*removed, 0);  // sessions; orphans are not counted
  EXPECT_TRUE(exists("recorded"));
  EXPECT_TRUE(fs::exists(data_dir_ / "sessions" / "streaming" / "input.mp4"));
  EXPECT_FALSE(fs::exists(data_dir_ / "sessions" / "leftover"));
}

}  // namespace
}  // namespace dd::server
