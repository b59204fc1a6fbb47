// server::Api called in-process: every route's success and error answers, with no socket and
// no sleep, and no error answer that shows where the server keeps its files.
#include "server/api.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "jobs/job_queue.h"
#include "server/upload_probe.h"
#include "store/sqlite_store.h"

namespace dd::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kUnknownId = "0123456789abcdef0123456789abcdef";

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("dd_api_test_" + std::to_string(getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "sessions");
    config_.data_dir = root_;
    config_.web_dir = DD_TEST_WEB_DIR;
    config_.jobs.model_dir = root_ / "no-models";
    store_ = std::move(*store::open_sqlite_store(root_ / "dancedynamics.db"));
    // Never started: queued jobs stay queued, so every answer is decided by the API alone.
    jobs_ = std::make_unique<jobs::JobQueue>(
        *store_,
        [](const fs::path&, const fs::path&, const pipeline::PipelineOptions&,
           const pipeline::ProgressCallback&, std::stop_token) -> Result<pipeline::PipelineOutputs> {
          return make_error(ErrorCode::kInternal, "not run by this test");
        },
        config_.jobs);
    api_ = std::make_unique<Api>(config_, *store_, *jobs_, &probe_upload);
  }

  void TearDown() override {
    api_.reset();
    jobs_.reset();
    store_.reset();
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  // Answers a request and keeps every error answer for the path scan.
  ApiResponse call(const std::string& method, const std::string& path, const std::string& body = "") {
    ApiResponse response = api_->handle(ApiRequest{method, path, body, /*query=*/""});
    if (response.status >= 400) errors_.push_back(response.body);
    return response;
  }

  static json body_of(const ApiResponse& response) { return json::parse(response.body, nullptr, false); }

  // A session as an upload leaves it: "uploaded", its file under DATA_DIR/sessions/<id>/.
  std::string uploaded_session(bool with_file = true) {
    const std::string id = Api::new_session_id();
    store::Session session;
    session.id = id;
    session.filename = "dance.mp4";
    session.output_dir = (root_ / "sessions" / id).string();
    session.input_path = (root_ / "sessions" / id / "input.mp4").string();
    session.created_at_ms = 1'700'000'000'000;
    if (with_file) {
      fs::create_directories(session.output_dir);
      std::ofstream(session.input_path) << "not really a video";
    }
    EXPECT_TRUE(store_->create_session(session));
    return id;
  }

  fs::path root_;
  ServerConfig config_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<jobs::JobQueue> jobs_;
  std::unique_ptr<Api> api_;
  std::vector<std::string> errors_;
};

TEST_F(ApiTest, HealthAndDocs) {
  EXPECT_EQ(call("GET", "/health").status, 200);
  EXPECT_EQ(body_of(call("GET", "/health"))["models_loaded"], false);
  EXPECT_EQ(call("GET", "/openapi.json").status, 200);
  ApiResponse wrong_method = call("POST", "/health");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.allow, "GET");
}

TEST_F(ApiTest, StaticFilesAndFavicon) {
  ApiResponse index = call("GET", "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.file, fs::path(DD_TEST_WEB_DIR) / "index.html");
  ApiResponse icon = call("GET", "/favicon.ico");
  EXPECT_EQ(icon.status, 200);
  EXPECT_EQ(icon.content_type, "image/svg+xml");
  EXPECT_EQ(call("GET", "/../etc/passwd").status, 404);
  EXPECT_EQ(call("GET", "/.git/config").status, 404);
  EXPECT_EQ(call("GET", "/node_modules/x.js").status, 404);
  EXPECT_EQ(call("GET", "/api/nothing-here").status, 404);
}

TEST_F(ApiTest, UploadRoute_WithoutMultipartIs422) {
  EXPECT_EQ(call("POST", "/api/upload").status, 422);
  EXPECT_EQ(call("GET", "/api/upload").status, 405);
}

TEST_F(ApiTest, FinishUpload_NotAVideoIs400WithoutServerPaths) {
  const std::string id = Api::new_session_id();
  const fs::path dir = api_->session_dir(id);
  fs::create_directories(dir);
  std::ofstream(dir / "input.mp4") << std::string(5000, 'x');
  ApiResponse refused = api_->finish_upload(id, "fake.mp4", dir / "input.mp4", 5000);
  errors_.push_back(refused.body);
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("not a decodable video"), std::string::npos) << refused.body;
  EXPECT_FALSE(fs::exists(dir));
  EXPECT_EQ(call("GET", "/api/session/" + id).status, 404);
}

TEST_F(ApiTest, SessionRoutes_AnswerUnknownAndMalformedIdsWith404) {
  for (const char* route :
       {"/api/results/", "/api/download/", "/api/video/", "/api/session/", "/api/compare/"}) {
    EXPECT_EQ(call("GET", std::string(route) + kUnknownId).status, 404) << route;
    EXPECT_EQ(call("GET", std::string(route) + "..%2f..").status, 404) << route;
  }
  EXPECT_EQ(call("GET", std::string("/api/export/") + kUnknownId + "/results.json").status, 404);
  EXPECT_EQ(call("GET", std::string("/api/compare/") + kUnknownId + "/video").status, 404);
  EXPECT_EQ(call("POST", std::string("/api/analyze/") + kUnknownId).status, 404);
  EXPECT_EQ(call("DELETE", std::string("/api/session/") + kUnknownId).status, 404);
  ApiResponse wrong_method = call("PUT", std::string("/api/session/") + kUnknownId);
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.allow, "GET, DELETE");
}

TEST_F(ApiTest, UploadedSession_ReadsBeforeItsAnalysis) {
  const std::string id = uploaded_session();
  ApiResponse info = call("GET", "/api/session/" + id);
  ASSERT_EQ(info.status, 200);
  EXPECT_EQ(body_of(info)["status"], "uploaded");
  ApiResponse results = call("GET", "/api/results/" + id);
  ASSERT_EQ(results.status, 200);
  EXPECT_EQ(body_of(results)["success"], false);
  EXPECT_EQ(call("GET", "/api/download/" + id).status, 409);
  EXPECT_EQ(call("GET", "/api/export/" + id + "/results.json").status, 409);
  EXPECT_EQ(call("GET", "/api/export/" + id + "/secrets.txt").status, 400);
  EXPECT_EQ(call("GET", "/api/video/" + id).status, 200);
  EXPECT_EQ(call("GET", "/api/compare/" + id).status, 404);  // not a comparison

  ApiResponse list = call("GET", "/api/sessions");
  ASSERT_EQ(list.status, 200);
  const json entry = body_of(list)["sessions"][0];
  EXPECT_EQ(entry["upload_time"], "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(entry["upload_time"], entry["created_at"]);

  const std::string gone = uploaded_session(/*with_file=*/false);
  EXPECT_EQ(call("GET", "/api/video/" + gone).status, 404);
}

TEST_F(ApiTest, Analyze_ValidatesThenQueuesOnce) {
  const std::string id = uploaded_session();
  EXPECT_EQ(call("POST", "/api/analyze/" + id, "{not json").status, 400);
  ApiResponse bad_option = call("POST", "/api/analyze/" + id, R"({"overlay_max_size": 40})");
  EXPECT_EQ(bad_option.status, 422);
  EXPECT_NE(bad_option.body.find("overlay_max_size"), std::string::npos);
  EXPECT_EQ(call("POST", "/api/analyze/" + id, R"({"model": "huge"})").status, 422);
  ApiResponse queued = call("POST", "/api/analyze/" + id, R"({"model": "lite", "overlay_max_size": 720})");
  ASSERT_EQ(queued.status, 202) << queued.body;
  EXPECT_EQ(body_of(queued)["queue_position"], 1);
  // What the API accepted, a worker can run.
  auto stored = store_->get_session(id, false);
  ASSERT_TRUE(stored);
  auto options = jobs_->pipeline_options(stored->options);
  ASSERT_TRUE(options) << options.error().message;
  EXPECT_EQ(options->pose.model, "lite");
  EXPECT_EQ(options->overlay_max_size, 720);
  EXPECT_EQ(call("POST", "/api/analyze/" + id).status, 409);
  EXPECT_EQ(call("GET", "/api/analyze/" + id).status, 405);
}

TEST_F(ApiTest, Compare_ValidatesItsSources) {
  const std::string reference = uploaded_session();
  const std::string student = uploaded_session();
  EXPECT_EQ(call("POST", "/api/compare", "[]").status, 400);
  EXPECT_EQ(call("POST", "/api/compare", "nope").status, 400);
  EXPECT_EQ(call("POST", "/api/compare", R"({"reference_id": "x"})").status, 400);
  const std::string same = json{{"reference_id", reference}, {"student_id", reference}}.dump();
  EXPECT_EQ(call("POST", "/api/compare", same).status, 400);
  const std::string bad_mirror =
      json{{"reference_id", reference}, {"student_id", student}, {"mirror", "sideways"}}.dump();
  EXPECT_EQ(call("POST", "/api/compare", bad_mirror).status, 400);
  const std::string unknown = json{{"reference_id", kUnknownId}, {"student_id", student}}.dump();
  EXPECT_EQ(call("POST", "/api/compare", unknown).status, 404);
  const std::string not_analysed = json{{"reference_id", reference}, {"student_id", student}}.dump();
  EXPECT_EQ(call("POST", "/api/compare", not_analysed).status, 409);
  EXPECT_EQ(call("GET", "/api/compare").status, 405);
}

TEST_F(ApiTest, Delete_RemovesTheSessionAndItsFiles) {
  const std::string id = uploaded_session();
  ASSERT_EQ(call("POST", "/api/analyze/" + id).status, 202);
  ApiResponse deleted = call("DELETE", "/api/session/" + id);
  EXPECT_EQ(deleted.status, 200);
  EXPECT_FALSE(fs::exists(api_->session_dir(id)));
  EXPECT_EQ(call("GET", "/api/session/" + id).status, 404);
  EXPECT_EQ(call("DELETE", "/api/session/" + id).status, 404);
}

TEST_F(ApiTest, ErrorAnswers_NameNoServerPath) {
  // Drive every error path above once more in this fixture, then scan what clients saw.
  const std::string id = uploaded_session();
  call("GET", "/api/download/" + id);
  call("GET", "/api/export/" + id + "/landmarks.csv");
  call("POST", "/api/analyze/" + id, R"({"model_dir": "/etc"})");
  call("POST", "/api/compare", json{{"reference_id", id}, {"student_id", kUnknownId}}.dump());
  call("GET", "/api/compare/" + id);
  const std::string fake = Api::new_session_id();
  fs::create_directories(api_->session_dir(fake));
  std::ofstream(api_->session_dir(fake) / "input.mp4") << "text";
  errors_.push_back(api_->finish_upload(fake, "x.mp4", api_->session_dir(fake) / "input.mp4", 4).body);
  ASSERT_GE(errors_.size(), 6u);
  const std::string repo = fs::path(DD_TEST_WEB_DIR).parent_path().string();
  for (const std::string& body : errors_) {
    EXPECT_EQ(body.find(root_.string()), std::string::npos) << body;
    EXPECT_EQ(body.find(repo), std::string::npos) << body;
    EXPECT_EQ(body.find("/sessions/"), std::string::npos) << body;
  }
}

}  // namespace
}  // namespace dd::server
