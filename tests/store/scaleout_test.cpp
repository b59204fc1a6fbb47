// Integration tests of the scale-out deployment: real `dancedynamics serve` (WORKERS=0) and
// `dancedynamics worker` processes on a throw-away PostgreSQL server, driven over real
// sockets (HTTP uploads, a WebSocket client) with the real pipeline on generated clips.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "server/http_test_client.h"
#include "store/throwaway_postgres.h"
#include "wait_until.h"

namespace dd {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace fs = std::filesystem;
using tcp = net::ip::tcp;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

using test::read_file;

// A child process of the real binary; its output goes to `log`. Killed when destroyed.
class Process {
 public:
  Process(const std::vector<std::string>& args, const std::map<std::string, std::string>& env, fs::path log)
      : log_(std::move(log)) {
    pid_ = fork();
    if (pid_ == 0) {
      const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(fd, 1);
      dup2(fd, 2);
      for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
      std::vector<char*> argv;
      for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~Process() { kill_now(); }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  void signal(int number) const {
    if (pid_ > 0) ::kill(pid_, number);
  }
  void kill_now() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  // True when the process exited within `timeout`.
  bool wait_exit(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  std::string log() const { return read_file(log_); }

 private:
  pid_t pid_ = -1;
  fs::path log_;
};

// Polls every 50 ms: each check reads a log file or the database.
bool wait_for(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  return test::wait_until(condition, timeout, std::chrono::milliseconds(50));
}

int count_of(const std::string& text, const std::string& needle) {
  int count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

class ScaleOutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto& server = testing_pg::ThrowawayPostgres::instance();
    if (server.url().empty() && server.why().starts_with("no PostgreSQL binaries"))
      GTEST_SKIP() << server.why();
    ASSERT_FALSE(server.url().empty()) << server.why();
    database_url_ = server.fresh_database();
    ASSERT_FALSE(database_url_.empty()) << server.why();
    root_ = fs::temp_directory_path() / ("dd_scaleout_" + std::to_string(std::random_device{}()));
    fs::create_directories(root_);
    db_ = PQconnectdb(database_url_.c_str());
    ASSERT_EQ(PQstatus(db_), CONNECTION_OK);
  }

  void TearDown() override {
    processes_.clear();
    if (db_ != nullptr) PQfinish(db_);
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  std::map<std::string, std::string> node_env() const {
    return {{"DATABASE_URL", database_url_},
            {"DATA_DIR", (root_ / "data").string()},
            {"DD_MODEL_DIR", DD_TEST_MODEL_DIR},
            {"JOB_LEASE_S", "2"},
            {"JOB_MAX_ATTEMPTS", "3"},
            {"DD_THREADS", "1"},
            {"DD_LOG_LEVEL", "info"}};
  }

  void start_api() {
    auto env = node_env();
    env["WORKERS"] = "0";
    env["API_HOST"] = "127.0.0.1";
    env["API_PORT"] = "0";
    api_ = std::make_unique<Process>(std::vector<std::string>{DD_CLI_PATH, "serve"}, env, root_ / "api.log");
    const std::regex serving(R"(serving on http://127\.0\.0\.1:(\d+))");
    std::smatch match;
    ASSERT_TRUE(wait_for(
        [&] {
          const std::string log = api_->log();
          if (!std::regex_search(log, match, serving)) return false;
          port_ = static_cast<uint16_t>(std::stoi(match[1].str()));
          return true;
        },
        std::chrono::seconds(15)))
        << api_->log();
  }

  Process& start_worker(const std::string& id) {
    auto env = node_env();
    env["WORKERS"] = "1";
    env["WORKER_ID"] = id;
    auto process = std::make_unique<Process>(std::vector<std::string>{DD_CLI_PATH, "worker"}, env,
                                             root_ / (id + ".log"));
    Process& started = *process;
    processes_[id] = std::move(process);
    EXPECT_TRUE(wait_for([&] { return started.log().find("running 1 job") != std::string::npos; },
                         std::chrono::seconds(15)))
        << started.log();
    return started;
  }

  // A tiny generated clip of `frames` frames at 10 fps, without audio.
  fs::path make_clip(int frames) {
    const fs::path path = root_ / ("clip" + std::to_string(frames) + ".mp4");
    if (fs::exists(path)) return path;
    const std::string command =
        "ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc2=size=128x96:rate=10 -frames:v " +
        std::to_string(frames) + " -pix_fmt yuv420p '" + path.string() + "'";
    EXPECT_EQ(std::system(command.c_str()), 0);
    return path;
  }

  // status 0 while the node is not up (yet).
  test::HttpReply request(http::verb method, const std::string& target, const std::string& body = "",
                          const std::string& content_type = "") {
    return test::http_request(port_, method, target, body, content_type);
  }

  std::string upload(const fs::path& clip) {
    const std::string body =
        "--XyZzY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dance.mp4\"\r\n"
        "Content-Type: video/mp4\r\n\r\n" +
        read_file(clip) + "\r\n--XyZzY--\r\n";
    const test::HttpReply reply =
        request(http::verb::post, "/api/upload", body, "multipart/form-data; boundary=XyZzY");
    EXPECT_EQ(reply.status, 200) << reply.body;
    const json answer = reply.json_body();
    return answer.is_object() ? answer.value("session_id", "") : "";
  }

  void analyze(const std::string& id) {
    const test::HttpReply reply = request(http::verb::post, "/api/analyze/" + id,
                                          R"({"model":"lite","write_video":false})", "application/json");
    EXPECT_EQ(reply.status, 202) << reply.body;
  }

  // The session's row: status, worker_id, attempts, progress (empty strings when absent).
  std::map<std::string, std::string> row(const std::string& id) {
    const char* params[] = {id.c_str()};
    PGresult* result =
        PQexecParams(db_, "SELECT status, worker_id, attempts::text, progress FROM sessions WHERE id = $1", 1,
                     nullptr, params, nullptr, nullptr, 0);
    std::map<std::string, std::string> fields;
    if (PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) == 1) {
      fields = {{"status", PQgetvalue(result, 0, 0)},
                {"worker_id", PQgetvalue(result, 0, 1)},
                {"attempts", PQgetvalue(result, 0, 2)},
                {"progress", PQgetvalue(result, 0, 3)}};
    }
    PQclear(result);
    return fields;
  }

  // Waits until the job runs on some worker and has reported progress; returns the worker.
  std::string wait_until_running(const std::string& id) {
    std::string worker;
    EXPECT_TRUE(wait_for(
        [&] {
          auto fields = row(id);
          if (fields["status"] != "processing") return false;
          auto progress = json::parse(fields["progress"], nullptr, false);
          if (!progress.is_object() || progress.value("frame", 0) < 2) return false;
          worker = fields["worker_id"];
          return true;
        },
        std::chrono::seconds(30)));
    return worker;
  }

  // The row turns completed just before the worker logs it: allow it a moment.
  static bool logged_soon(const Process& process, const std::string& line) {
    return wait_for([&] { return count_of(process.log(), line) == 1; }, std::chrono::seconds(5));
  }

  bool wait_completed(const std::vector<std::string>& ids, std::chrono::seconds timeout) {
    return wait_for(
        [&] {
          for (const auto& id : ids) {
            if (row(id)["status"] != "completed") return false;
          }
          return true;
        },
        timeout);
  }

  std::string database_url_;
  fs::path root_;
  PGconn* db_ = nullptr;
  uint16_t port_ = 0;
  std::unique_ptr<Process> api_;
  std::map<std::string, std::unique_ptr<Process>> processes_;
};

TEST_F(ScaleOutTest, TwelveJobsOnThreeWorkers_EachCompletesOnceOnSomeWorkerAndWebSocketSeesIt) {
  ASSERT_NO_FATAL_FAILURE(start_api());
  for (const char* id : {"w1", "w2", "w3"}) start_worker(id);
  const fs::path clip = make_clip(6);
  std::vector<std::string> ids;
  for (int i = 0; i < 12; ++i) ids.push_back(upload(clip));
  ASSERT_EQ(ids.size(), 12u);

  // A WebSocket client on the API node, which runs no jobs itself.
  net::io_context io;
  websocket::stream<tcp::socket> ws(io);
  ws.next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
  timeval timeout{20, 0};
  setsockopt(ws.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  ws.handshake("127.0.0.1", "/ws/" + ids.back());

  for (const auto& id : ids) analyze(id);
  std::vector<json> messages;
  for (int i = 0; i < 500; ++i) {
    beast::flat_buffer buffer;
    beast::error_code ec;
    ws.read(buffer, ec);
    ASSERT_FALSE(ec) << "WebSocket ended before complete: " << ec.message();
    messages.push_back(json::parse(beast::buffers_to_string(buffer.data()), nullptr, false));
    if (messages.back().value("type", "") == "complete") break;
  }
  ASSERT_FALSE(messages.empty());
  EXPECT_EQ(messages.back().value("type", ""), "complete");
  EXPECT_TRUE(messages.back().contains("results"));
  const bool saw_worker_progress = std::any_of(messages.begin(), messages.end(), [](const json& message) {
    return message.value("type", "") == "progress" && message.value("status", "") == "processing" &&
           message.value("frame", 0) > 0;
  });
  EXPECT_TRUE(saw_worker_progress);

  ASSERT_TRUE(wait_completed(ids, std::chrono::seconds(50)));
  // The row turns completed just before the worker logs it.
  wait_for(
      [&] {
        int logged = 0;
        for (const auto& [worker, process] : processes_) logged += count_of(process->log(), " completed in ");
        return logged >= 12;
      },
      std::chrono::seconds(5));
  std::map<std::string, int> jobs_per_worker;
  for (const auto& id : ids) {
    EXPECT_EQ(row(id)["attempts"], "1") << id;
    int runs = 0;
    for (const auto& [worker, process] : processes_) {
      const int completed_here = count_of(process->log(), "job " + id + " completed");
      runs += completed_here;
      jobs_per_worker[worker] += completed_here;
    }
    EXPECT_EQ(runs, 1) << "job " << id << " completed " << runs << " times";
  }
  for (const char* worker : {"w1", "w2", "w3"})
    EXPECT_GT(jobs_per_worker[worker], 0) << worker << " ran none";
  EXPECT_EQ(count_of(api_->log(), "job "), 0) << "the API node (WORKERS=0) ran a job";
}

TEST_F(ScaleOutTest, KilledWorkersJob_CompletesOnAnotherAndSigtermHandsJobBack) {
  ASSERT_NO_FATAL_FAILURE(start_api());
  start_worker("w1");
  start_worker("w2");
  // 20 s of video: long enough that a job is still running when the test looks (a 3 s clip could
  // finish on an idle machine between two polls of its progress, and the test never saw it run).
  const fs::path clip = make_clip(200);

  const std::string first = upload(clip);
  analyze(first);
  const std::string holder = wait_until_running(first);
  ASSERT_TRUE(holder == "w1" || holder == "w2") << holder;
  processes_[holder]->kill_now();  // kill -9 mid-job: its lease (2 s) expires
  const std::string survivor = holder == "w1" ? "w2" : "w1";
  ASSERT_TRUE(wait_completed({first}, std::chrono::seconds(40))) << processes_[survivor]->log();
  EXPECT_EQ(row(first)["attempts"], "2");
  EXPECT_TRUE(logged_soon(*processes_[survivor], "job " + first + " completed"));

  const std::string second = upload(clip);
  analyze(second);
  ASSERT_EQ(wait_until_running(second), survivor);
  processes_[survivor]->signal(SIGTERM);
  ASSERT_TRUE(processes_[survivor]->wait_exit(std::chrono::seconds(10)));
  auto handed_back = row(second);
  EXPECT_EQ(handed_back["status"], "queued");
  EXPECT_EQ(handed_back["attempts"], "0");
  EXPECT_EQ(handed_back["worker_id"], "");
  Process& late = start_worker("w3");
  ASSERT_TRUE(wait_completed({second}, std::chrono::seconds(40))) << late.log();
  EXPECT_TRUE(logged_soon(late, "job " + second + " completed"));
}

TEST_F(ScaleOutTest, DeletedSession_StopsItsJobOnTheWorkerWithinASecond) {
  ASSERT_NO_FATAL_FAILURE(start_api());
  Process& worker = start_worker("w1");
  const std::string id = upload(make_clip(60));
  analyze(id);
  ASSERT_EQ(wait_until_running(id), "w1");
  const auto deleted_at = Clock::now();
  EXPECT_EQ(request(http::verb::delete_, "/api/session/" + id).status, 200);
  // The worker's next heartbeat (every 0.5 s) finds the row gone and stops the job.
  ASSERT_TRUE(
      wait_for([&] { return worker.log().find("job " + id + " is no longer ours") != std::string::npos; },
               std::chrono::seconds(5)))
      << worker.log();
  const double noticed_after_s = std::chrono::duration<double>(Clock::now() - deleted_at).count();
  EXPECT_LT(noticed_after_s, 2.0);  // ~0.5 s idle; generous for a loaded 2-core machine
  // The pipeline then ends at its next stop check (a frame on this machine).
  ASSERT_TRUE(wait_for(
      [&] {
        return worker.log().find("job " + id + " ended after its session was deleted") != std::string::npos;
      },
      std::chrono::seconds(15)))
      << worker.log();
  const double stopped_after_s = std::chrono::duration<double>(Clock::now() - deleted_at).count();
  std::printf("job told to stop %.2f s and ended %.2f s after the DELETE\n", noticed_after_s,
              stopped_after_s);
  EXPECT_EQ(count_of(worker.log(), "job " + id + " completed"), 0);
  EXPECT_FALSE(fs::exists(root_ / "data" / "sessions" / id));
}

}  // namespace
}  // namespace dd
