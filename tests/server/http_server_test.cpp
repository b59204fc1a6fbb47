// Integration tests: the real server on 127.0.0.1 with an ephemeral port, a real SQLite
// file and the real upload probe, driven over real sockets by Beast HTTP and WebSocket
// clients. Jobs run injected runners (pipeline::run is wired by `serve`).
#include "server/http_server.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "server/gunzip.h"
#include "server/http_test_client.h"
#include "server/upload_probe.h"
#include "store/sqlite_store.h"
#include "wait_until.h"

namespace dd::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace fs = std::filesystem;
using tcp = net::ip::tcp;
using nlohmann::json;

using test::read_file;

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary);
  file << text;
}

using Reply = test::HttpReply;

// The runner's thumbnail: the server passes the bytes on without looking at them.
const std::string kFakeJpeg = "\xFF\xD8\xFF\xE0 not really a JPEG";

// A test clip: 2 s of 160x120 test pattern at 25 fps with a sine tone (H.264 + AAC).
const fs::path& test_clip() {
  static const fs::path clip = [] {
    const fs::path path = fs::temp_directory_path() / ("dd_server_clip_" + std::to_string(getpid()) + ".mp4");
    const std::string command =
        "ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc2=size=160x120:rate=25:duration=2 "
        "-f lavfi -i sine=frequency=440:duration=2 -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest '" +
        path.string() + "'";
    EXPECT_EQ(std::system(command.c_str()), 0);
    return path;
  }();
  return clip;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("dd_server_test_" + std::to_string(std::random_device{}()));
    fs::create_directories(root_);
    config_.host = "127.0.0.1";
    config_.port = 0;
    config_.data_dir = root_ / "data";
    config_.web_dir = DD_TEST_WEB_DIR;
    config_.jobs.model_dir = root_ / "no-models";
    config_.keepalive_interval_s = 20;
    config_.jobs.progress_interval_s = 0.05;
    runner_ = success_runner(/*steps=*/5, std::chrono::milliseconds(40));
  }

  void TearDown() override {
    server_.reset();
    store_.reset();
    fs::remove_all(root_);
  }

  void start() {
    if (!store_) {
      auto store = store::open_sqlite_store(config_.data_dir / "dancedynamics.db");
      ASSERT_TRUE(store.has_value()) << store.error().message;
      store_ = std::move(*store);
    }
    auto server = Server::start(config_, *store_, runner_, probe_upload);
    ASSERT_TRUE(server.has_value()) << server.error().message;
    server_ = std::move(*server);
  }

  void restart() {
    server_.reset();
    store_.reset();
    start();
  }

  // A runner that reports `steps` progress reports, then writes real result files.
  jobs::JobRunner success_runner(int steps, std::chrono::milliseconds step_time) {
    return [this, steps, step_time](const fs::path& input, const fs::path& output_dir,
                                    const pipeline::PipelineOptions& options,
                                    const pipeline::ProgressCallback& progress,
                                    std::stop_token stop) -> Result<pipeline::PipelineOutputs> {
      last_options_ = options;
      for (int i = 1; i <= steps; ++i) {
        if (stop.stop_requested()) return make_error(ErrorCode::kCancelled, "stopped");
        progress({static_cast<double>(i) / steps, "pose", "frame " + std::to_string(i * 10), i * 10,
                  steps * 10, 25.0, static_cast<double>(steps - i) * 0.04});
        std::this_thread::sleep_for(step_time);
      }
      fs::create_directories(output_dir);
      pipeline::PipelineOutputs outputs;
      outputs.results_json = output_dir / "results.json";
      outputs.landmarks_csv = output_dir / "landmarks.csv";
      outputs.landmarks_json = output_dir / "landmarks.json";
      outputs.thumbnail_jpg = output_dir / "thumbnail.jpg";
      // Long enough (several KB) that the JSON and CSV answers are worth compressing.
      json timeline = json::array();
      std::string csv = "frame,t,landmark,x,y,z,visibility\n";
      for (int frame = 0; frame < 200; ++frame) {
        timeline.push_back(frame * 0.1);
        for (int landmark = 0; landmark < 3; ++landmark) {
          csv += std::to_string(frame) + "," + std::to_string(frame * 0.04) + "," + std::to_string(landmark) +
                 ",0.5" + std::to_string(frame) + ",0.4" + std::to_string(landmark) + ",0,0.9\n";
        }
      }
      write_file(outputs.results_json, json{{"video_info", {{"filename", input.filename().string()}}},
                                            {"smoothness_score", 72.5},
                                            {"timeline", {{"t", timeline}}}}
                                           .dump());
      write_file(outputs.landmarks_csv, csv);
      write_file(outputs.landmarks_json, json{{"frames", timeline}, {"model", "full"}}.dump(2));
      write_file(outputs.thumbnail_jpg, kFakeJpeg);
      if (options.write_video) {
        outputs.overlay_mp4 = output_dir / "overlay.mp4";
        fs::copy_file(input, outputs.overlay_mp4, fs::copy_options::overwrite_existing);
      }
      return outputs;
    };
  }

  static jobs::JobRunner failing_runner() {
    return
        [](const fs::path&, const fs::path&, const pipeline::PipelineOptions&,
           const pipeline::ProgressCallback& progress, std::stop_token) -> Result<pipeline::PipelineOutputs> {
          progress({0.1, "probe", "probing", 0, 50, 0, 0});
          return make_error(ErrorCode::kInvalidArgument, "the video has no decodable frames");
        };
  }

  // A runner that blocks until it is asked to stop, recording that it was.
  jobs::JobRunner blocking_runner() {
    return [this](const fs::path&, const fs::path& output_dir, const pipeline::PipelineOptions&,
                  const pipeline::ProgressCallback& progress,
                  std::stop_token stop) -> Result<pipeline::PipelineOutputs> {
      fs::create_directories(output_dir);
      ++blocking_started_;
      progress({0.25, "pose", "working", 10, 40, 20, 1.5});
      while (!stop.stop_requested()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      ++blocking_stopped_;
      return make_error(ErrorCode::kCancelled, "stopped");
    };
  }

  Reply request(http::verb method, const std::string& target, const std::string& body = "",
                const std::string& content_type = "",
                const std::map<std::string, std::string>& headers = {}) {
    Reply reply = test::http_request(server_->port(), method, target, body, content_type, headers);
    if (reply.status == 0) ADD_FAILURE() << "no reply to " << target;
    return reply;
  }

  Reply get(const std::string& target, const std::map<std::string, std::string>& headers = {}) {
    return request(http::verb::get, target, "", "", headers);
  }

  static std::string multipart(const std::string& field, const std::string& filename,
                               const std::string& content) {
    return "--XyZzY\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename +
           "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content + "\r\n--XyZzY--\r\n";
  }

  Reply upload(const std::string& filename, const std::string& content, const std::string& field = "file") {
    return request(http::verb::post, "/api/upload", multipart(field, filename, content),
                   "multipart/form-data; boundary=XyZzY");
  }

  std::string upload_clip() {
    Reply reply = upload("dance.mp4", read_file(test_clip()));
    EXPECT_EQ(reply.status, 200) << reply.body;
    return reply.json_body().value("session_id", "");
  }

  size_t session_dir_count() const {
    size_t count = 0;
    std::error_code ec;
    for (auto it = fs::directory_iterator(config_.data_dir / "sessions", ec); it != fs::directory_iterator();
         ++it) {
      ++count;
    }
    return count;
  }

  // Polls the results endpoint until the status is `status`.
  json wait_for_status(const std::string& id, const std::string& status) {
    json body;
    if (test::wait_until([&] {
          body = get("/api/results/" + id).json_body();
          return body.value("status", "") == status;
        }))
      return body;
    ADD_FAILURE() << "session " << id << " never reached " << status << ": " << body.dump();
    return body;
  }

  static void wait_until(const std::function<bool()>& condition) { ASSERT_TRUE(test::wait_until(condition)); }

  fs::path root_;
  ServerConfig config_;
  jobs::JobRunner runner_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Server> server_;
  pipeline::PipelineOptions last_options_;
  std::atomic<int> blocking_started_{0};
  std::atomic<int> blocking_stopped_{0};
};

// A WebSocket client with a receive timeout, so a missing message fails instead of hanging.
class WsClient {
 public:
  WsClient(uint16_t port, const std::string& path) : ws_(io_) {
    ws_.next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    timeval timeout{10, 0};
    setsockopt(ws_.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    ws_.handshake("127.0.0.1", path);
  }

  // The next message, or a JSON null when the connection ended or timed out.
  json next() {
    beast::flat_buffer buffer;
    beast::error_code ec;
    ws_.read(buffer, ec);
    if (ec) return nullptr;
    return json::parse(beast::buffers_to_string(buffer.data()), nullptr, false);
  }

  // Messages until one of `type` (included) arrives; empty when it never does.
  std::vector<json> until(const std::string& type) {
    std::vector<json> messages;
    for (int i = 0; i < 200; ++i) {
      json message = next();
      if (message.is_null()) return {};
      messages.push_back(message);
      if (message.value("type", "") == type) return messages;
    }
    return {};
  }

  void send(const std::string& text) { ws_.write(net::buffer(text)); }

 private:
  net::io_context io_;
  websocket::stream<tcp::socket> ws_;
};

TEST_F(ServerTest, Health_ReportsStatusQueueAndVersion) {
  start();
  Reply reply = get("/health");
  ASSERT_EQ(reply.status, 200);
  json body = reply.json_body();
  EXPECT_EQ(body["status"], "healthy");
  EXPECT_EQ(body["models_loaded"], false);  // the test's model dir is empty
  EXPECT_EQ(body["active_sessions"], 0);
  EXPECT_EQ(body["queue_depth"], 0);
  EXPECT_FALSE(body["version"].get<std::string>().empty());
  EXPECT_EQ(body["timestamp"].get<std::string>().size(), 24u);  // 2026-01-01T00:00:00.000Z
  EXPECT_EQ(body["limits"]["max_file_size"], config_.max_file_size);
  EXPECT_EQ(body["limits"]["max_video_duration"], config_.max_video_duration_s);
  EXPECT_EQ(reply.headers["x-content-type-options"], "nosniff");
  EXPECT_NE(reply.headers["content-security-policy"].find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(reply.headers["referrer-policy"], "no-referrer");
}

TEST_F(ServerTest, Upload_ValidMp4_ReturnsProbedFactsAndStoresUnderSessionId) {
  start();
  Reply reply = upload("../../etc/evil name.MP4", read_file(test_clip()));
  ASSERT_EQ(reply.status, 200) << reply.body;
  json body = reply.json_body();
  EXPECT_EQ(body["success"], true);
  const std::string id = body["session_id"];
  EXPECT_EQ(id.size(), 32u);
  EXPECT_EQ(body["filename"], "evil name.MP4");
  EXPECT_EQ(body["size"], static_cast<int64_t>(fs::file_size(test_clip())));
  EXPECT_NEAR(body["duration"].get<double>(), 2.0, 0.1);
  EXPECT_EQ(body["resolution"], "160x120");
  EXPECT_NEAR(body["fps"].get<double>(), 25.0, 0.01);
  EXPECT_NEAR(body["frame_count"].get<double>(), 50.0, 1.0);
  EXPECT_EQ(read_file(config_.data_dir / "sessions" / id / "input.mp4"), read_file(test_clip()));
  EXPECT_FALSE(fs::exists(root_ / "etc"));
  json sessions = get("/api/sessions").json_body();
  ASSERT_EQ(sessions["count"], 1);
  EXPECT_EQ(sessions["sessions"][0]["session_id"], id);
  EXPECT_EQ(sessions["sessions"][0]["status"], "uploaded");
  EXPECT_EQ(sessions["sessions"][0]["upload_time"], sessions["sessions"][0]["created_at"]);
}

TEST_F(ServerTest, Upload_WithExpectContinue_GetsInterimAnswerThenResult) {
  start();
  net::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server_->port()));
  http::request<http::string_body> req(http::verb::post, "/api/upload", 11);
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::content_type, "multipart/form-data; boundary=XyZzY");
  req.set(http::field::expect, "100-continue");
  req.body() = multipart("file", "dance.mp4", read_file(test_clip()));
  req.prepare_payload();
  http::request_serializer<http::string_body> serializer(req);
  http::write_header(socket, serializer);
  beast::flat_buffer buffer;
  http::response<http::string_body> interim;
  http::read(socket, buffer, interim);
  EXPECT_EQ(interim.result_int(), 100);
  http::write(socket, serializer);
  http::response<http::string_body> final_response;
  http::read(socket, buffer, final_response);
  EXPECT_EQ(final_response.result_int(), 200) << final_response.body();
}

TEST_F(ServerTest, Upload_BadExtension_Is400AndLeavesNoFile) {
  start();
  Reply reply = upload("notes.txt", "hello");
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(reply.json_body()["detail"].get<std::string>().find("mp4"), std::string::npos);
  EXPECT_EQ(session_dir_count(), 0u);
}

TEST_F(ServerTest, Upload_TextNamedMp4_Is400AndLeavesNoFile) {
  start();
  Reply reply = upload("fake.mp4", std::string(5000, 'x'));
  EXPECT_EQ(reply.status, 400) << reply.body;
  const std::string detail = reply.json_body()["detail"].get<std::string>();
  EXPECT_NE(detail.find("not a decodable video"), std::string::npos);
  EXPECT_EQ(detail.find(root_.string()), std::string::npos) << detail;  // no server path
  EXPECT_EQ(detail.find("input.mp4"), std::string::npos) << detail;
  EXPECT_EQ(session_dir_count(), 0u);
  EXPECT_EQ(get("/api/sessions").json_body()["count"], 0);
}

TEST_F(ServerTest, Upload_OverLimitWhileStreaming_Is413AndLeavesNoFile) {
  config_.max_file_size = 64 * 1024;
  start();
  // Within the multipart allowance by Content-Length, so the limit trips while streaming.
  Reply streamed = upload("big.mp4", std::string(512 * 1024, 'v'));
  EXPECT_EQ(streamed.status, 413) << streamed.body;
  EXPECT_EQ(streamed.json_body().contains("detail"), true);
  EXPECT_EQ(session_dir_count(), 0u);
  // Far over the limit by Content-Length: refused before the body is read.
  Reply declared = upload("huge.mp4", std::string(3 * 1024 * 1024, 'v'));
  EXPECT_EQ(declared.status, 413);
  EXPECT_EQ(session_dir_count(), 0u);
  EXPECT_EQ(get("/health").status, 200);  // still serving
}

TEST_F(ServerTest, Upload_MissingFileField_Is422) {
  start();
  Reply other_field = upload("dance.mp4", read_file(test_clip()), "video");
  EXPECT_EQ(other_field.status, 422) << other_field.body;
  EXPECT_EQ(session_dir_count(), 0u);
  // Larger than the allowance for plain form fields: still a misnamed file, not a large form.
  Reply big_other_field = upload("dance.mp4", std::string(256 * 1024, 'v'), "video");
  EXPECT_EQ(big_other_field.status, 422) << big_other_field.body;
  EXPECT_NE(big_other_field.body.find("no 'file' field"), std::string::npos) << big_other_field.body;
  Reply text_only =
      request(http::verb::post, "/api/upload",
              "--XyZzY\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--XyZzY--\r\n",
              "multipart/form-data; boundary=XyZzY");
  EXPECT_EQ(text_only.status, 422) << text_only.body;
  EXPECT_NE(text_only.body.find("no 'file' field"), std::string::npos) << text_only.body;
  EXPECT_EQ(session_dir_count(), 0u);
  Reply not_multipart = request(http::verb::post, "/api/upload", "{}", "application/json");
  EXPECT_EQ(not_multipart.status, 422);
  EXPECT_TRUE(not_multipart.json_body().contains("detail"));
}

TEST_F(ServerTest, Analyze_ValidatesOptionsAndState) {
  runner_ = blocking_runner();
  start();
  EXPECT_EQ(request(http::verb::post, "/api/analyze/0123456789abcdef0123456789abcdef").status, 404);
  EXPECT_EQ(request(http::verb::post, "/api/analyze/..%2f..%2fetc").status, 404);
  const std::string id = upload_clip();
  EXPECT_EQ(request(http::verb::post, "/api/analyze/" + id, "{not json", "application/json").status, 400);
  EXPECT_EQ(request(http::verb::post, "/api/analyze/" + id, R"({"model":"huge"})", "application/json").status,
            422);
  EXPECT_EQ(request(http::verb::post, "/api/analyze/" + id, R"({"min_detection_confidence":1.5})").status,
            422);
  EXPECT_EQ(request(http::verb::post, "/api/analyze/" + id, R"({"write_video":"yes"})").status, 422);
  Reply accepted = request(http::verb::post, "/api/analyze/" + id, R"({"model":"lite","write_video":false})",
                           "application/json");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  json body = accepted.json_body();
  EXPECT_EQ(body["success"], true);
  EXPECT_EQ(body["session_id"], id);
  EXPECT_EQ(body["websocket_url"], "/ws/" + id);
  EXPECT_EQ(request(http::verb::post, "/api/analyze/" + id).status, 409);
  wait_until([&] { return blocking_started_ == 1; });
  json running = get("/api/results/" + id).json_body();
  EXPECT_EQ(running["success"], false);
  EXPECT_EQ(running["status"], "processing");
  EXPECT_TRUE(running["results"].is_null());
  EXPECT_NEAR(running["progress"].get<double>(), 0.25, 1e-9);
  json health = get("/health").json_body();
  EXPECT_EQ(health["active_sessions"], 1);
}

TEST_F(ServerTest, FullFlow_ProgressCompleteResultsDownloadExportsDelete) {
  start();
  const std::string id = upload_clip();
  WsClient ws(server_->port(), "/ws/" + id);
  json connected = ws.next();
  EXPECT_EQ(connected["type"], "connected");
  EXPECT_EQ(connected["status"], "uploaded");

  ASSERT_EQ(request(http::verb::post, "/api/analyze/" + id, R"({"model":"heavy"})").status, 202);
  auto messages = ws.until("complete");
  ASSERT_FALSE(messages.empty());
  double last_progress = -1;
  int progress_count = 0;
  for (const json& message : messages) {
    if (message["type"] != "progress") continue;
    ++progress_count;
    EXPECT_GE(message["progress"].get<double>(), last_progress);
    last_progress = message["progress"].get<double>();
    for (const char* key : {"stage", "message", "frame", "total", "fps", "eta_s", "queue_position"}) {
      EXPECT_TRUE(message.contains(key)) << key << " missing in " << message.dump();
    }
  }
  EXPECT_GE(progress_count, 2);
  EXPECT_NEAR(last_progress, 1.0, 1e-9);
  const json& complete = messages.back();
  EXPECT_NEAR(complete["results"]["smoothness_score"].get<double>(), 72.5, 1e-9);
  EXPECT_EQ(complete["download_url"], "/api/download/" + id);
  EXPECT_EQ(last_options_.pose.model, "heavy");

  json results = get("/api/results/" + id).json_body();
  EXPECT_EQ(results["success"], true);
  EXPECT_EQ(results["status"], "completed");
  EXPECT_EQ(results["session_id"], id);
  EXPECT_NEAR(results["results"]["smoothness_score"].get<double>(), 72.5, 1e-9);
  EXPECT_EQ(results["download_url"], "/api/download/" + id);
  EXPECT_EQ(request(http::verb::post, "/api/analyze/" + id).status, 409);

  const std::string video = read_file(test_clip());
  Reply whole = get("/api/download/" + id);
  ASSERT_EQ(whole.status, 200);
  EXPECT_EQ(whole.body, video);
  EXPECT_EQ(whole.headers["content-type"], "video/mp4");
  EXPECT_EQ(whole.headers["accept-ranges"], "bytes");
  Reply part = get("/api/download/" + id, {{"Range", "bytes=100-1099"}});
  ASSERT_EQ(part.status, 206);
  EXPECT_EQ(part.body, video.substr(100, 1000));
  EXPECT_EQ(part.headers["content-range"], "bytes 100-1099/" + std::to_string(video.size()));
  Reply tail = get("/api/download/" + id, {{"Range", "bytes=-10"}});
  EXPECT_EQ(tail.status, 206);
  EXPECT_EQ(tail.body, video.substr(video.size() - 10));
  Reply bad_range = get("/api/download/" + id, {{"Range", "bytes=999999999-"}});
  EXPECT_EQ(bad_range.status, 416);
  EXPECT_EQ(bad_range.headers["content-range"], "bytes */" + std::to_string(video.size()));

  Reply original = get("/api/video/" + id, {{"Range", "bytes=0-99"}});
  ASSERT_EQ(original.status, 206);
  EXPECT_EQ(original.headers["content-type"], "video/mp4");
  EXPECT_EQ(original.headers["content-range"], "bytes 0-99/" + std::to_string(video.size()));
  EXPECT_EQ(get("/api/video/0123456789abcdef0123456789abcdef").status, 404);
  EXPECT_EQ(request(http::verb::post, "/api/video/" + id).status, 405);

  Reply results_file = get("/api/export/" + id + "/results.json");
  ASSERT_EQ(results_file.status, 200);
  EXPECT_NEAR(results_file.json_body()["smoothness_score"].get<double>(), 72.5, 1e-9);
  Reply csv = get("/api/export/" + id + "/landmarks.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.rfind("frame,t,landmark", 0), 0u);
  EXPECT_NE(csv.headers["content-disposition"].find("attachment"), std::string::npos);
  EXPECT_EQ(get("/api/export/" + id + "/landmarks.json").status, 200);
  EXPECT_EQ(get("/api/export/" + id + "/secrets.txt").status, 400);

  Reply deleted = request(http::verb::delete_, "/api/session/" + id);
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(get("/api/results/" + id).status, 404);
  EXPECT_EQ(get("/api/download/" + id).status, 404);
  EXPECT_FALSE(fs::exists(config_.data_dir / "sessions" / id));
  EXPECT_EQ(request(http::verb::delete_, "/api/session/" + id).status, 404);
}

// Downloads carry the uploaded file's name (RFC 6266 filename* when it is not ASCII), the
// job is told that name for results.json, and the thumbnail the analysis made is served.
TEST_F(ServerTest, DownloadsAreNamedAfterTheUpload_AndTheThumbnailIsServed) {
  start();
  const std::string clip = read_file(test_clip());
  Reply uploaded = upload("Salsa night.mp4", clip);
  ASSERT_EQ(uploaded.status, 200) << uploaded.body;
  const std::string id = uploaded.json_body()["session_id"];
  EXPECT_EQ(get("/api/thumbnail/" + id).status, 404) << "nothing analysed yet";
  ASSERT_EQ(request(http::verb::post, "/api/analyze/" + id).status, 202);
  wait_for_status(id, "completed");
  EXPECT_EQ(last_options_.display_name, "Salsa night.mp4");

  EXPECT_EQ(get("/api/download/" + id).headers["content-disposition"],
            "inline; filename=\"Salsa night_overlay.mp4\"");
  EXPECT_EQ(get("/api/export/" + id + "/landmarks.csv").headers["content-disposition"],
            "attachment; filename=\"Salsa night_landmarks.csv\"");
  EXPECT_EQ(get("/api/export/" + id + "/results.json").headers["content-disposition"],
            "attachment; filename=\"Salsa night_results.json\"");

  Reply thumbnail = get("/api/thumbnail/" + id);
  ASSERT_EQ(thumbnail.status, 200);
  EXPECT_EQ(thumbnail.headers["content-type"], "image/jpeg");
  EXPECT_EQ(thumbnail.body, kFakeJpeg);
  EXPECT_EQ(request(http::verb::post, "/api/thumbnail/" + id).status, 405);
  EXPECT_EQ(get("/api/thumbnail/0123456789abcdef0123456789abcdef").status, 404);
  EXPECT_EQ(get("/api/thumbnail/not-an-id").status, 404);
  json sessions = get("/api/sessions").json_body()["sessions"];
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0]["thumbnail_url"], "/api/thumbnail/" + id);
  EXPECT_TRUE(get("/openapi.json").json_body()["paths"].contains("/api/thumbnail/{session_id}"));

  Reply dancer = upload("T\xC3\xA4nzerin.mov", clip);
  ASSERT_EQ(dancer.status, 200) << dancer.body;
  const std::string dancer_id = dancer.json_body()["session_id"];
  ASSERT_EQ(request(http::verb::post, "/api/analyze/" + dancer_id).status, 202);
  wait_for_status(dancer_id, "completed");
  EXPECT_EQ(get("/api/download/" + dancer_id).headers["content-disposition"],
            "inline; filename=\"T_nzerin_overlay.mp4\"; filename*=UTF-8''T%C3%A4nzerin_overlay.mp4");
  sessions = get("/api/sessions").json_body()["sessions"];
  ASSERT_EQ(sessions.size(), 2u);
  for (const json& session : sessions) {
    EXPECT_EQ(session["thumbnail_url"], "/api/thumbnail/" + session["session_id"].get<std::string>());
  }
}

// JSON and CSV answers are gzip-compressed for clients that accept it and decompress to the
// very bytes others get; video, Range requests and clients without Accept-Encoding get them
// as they are.
TEST_F(ServerTest, JsonAndCsvAnswers_GzipWhenAccepted_PlainOtherwise) {
  start();
  const std::string id = upload_clip();
  for (int i = 0; i < 3; ++i) upload_clip();  // a session list worth compressing
  ASSERT_EQ(request(http::verb::post, "/api/analyze/" + id).status, 202);
  wait_for_status(id, "completed");
  const std::map<std::string, std::string> gzip = {{"Accept-Encoding", "gzip, deflate, br"}};
  for (const std::string& target : std::vector<std::string>{
           "/api/results/" + id, "/api/sessions", "/api/export/" + id + "/results.json",
           "/api/export/" + id + "/landmarks.json", "/api/export/" + id + "/landmarks.csv"}) {
    Reply plain = get(target);
    ASSERT_EQ(plain.status, 200) << target;
    EXPECT_EQ(plain.headers.count("content-encoding"), 0u) << target;
    ASSERT_GE(plain.body.size(), 1024u) << target;
    for (int attempt = 0; attempt < 2; ++attempt) {  // the second export answer reuses the copy
      Reply zipped = get(target, gzip);
      ASSERT_EQ(zipped.status, 200) << target;
      EXPECT_EQ(zipped.headers["content-encoding"], "gzip") << target;
      EXPECT_NE(zipped.headers["vary"].find("Accept-Encoding"), std::string::npos) << target;
      EXPECT_LT(zipped.body.size(), plain.body.size()) << target;
      EXPECT_EQ(test::gunzip(zipped.body), plain.body) << target;
    }
    Reply refused = get(target, {{"Accept-Encoding", "gzip;q=0, identity"}});
    EXPECT_EQ(refused.headers.count("content-encoding"), 0u) << target;
    EXPECT_EQ(refused.body, plain.body) << target;
  }
  Reply range =
      get("/api/export/" + id + "/landmarks.csv", {{"Accept-Encoding", "gzip"}, {"Range", "bytes=0-9"}});
  EXPECT_EQ(range.status, 206);
  EXPECT_EQ(range.headers.count("content-encoding"), 0u);
  EXPECT_EQ(range.body, "frame,t,la");
  Reply video = get("/api/download/" + id, gzip);
  EXPECT_EQ(video.status, 200);
  EXPECT_EQ(video.headers.count("content-encoding"), 0u);
  EXPECT_EQ(video.body, read_file(test_clip()));
}

TEST_F(ServerTest, LateWebSocketClient_GetsStateAndCompleteAtOnce) {
  start();
  const std::string id = upload_clip();
  ASSERT_EQ(request(http::verb::post, "/api/analyze/" + id, R"({"write_video":false})").status, 202);
  wait_for_status(id, "completed");
  EXPECT_TRUE(get("/api/results/" + id).json_body()["download_url"].is_null());
  EXPECT_EQ(get("/api/download/" + id).status, 404);
  WsClient late(server_->port(), "/ws/" + id);
  json connected = late.next();
  EXPECT_EQ(connected["type"], "connected");
  EXPECT_EQ(connected["status"], "completed");
  EXPECT_NEAR(connected["progress"]["progress"].get<double>(), 1.0, 1e-9);
  json complete = late.next();
  EXPECT_EQ(complete["type"], "complete");
  EXPECT_NEAR(complete["results"]["smoothness_score"].get<double>(), 72.5, 1e-9);
}

TEST_F(ServerTest, MotionExports_MadeFromTheLandmarksWithTheQueryFilter) {
  start();
  const std::string id = upload_clip();
  ASSERT_EQ(request(http::verb::get, "/api/export/" + id + "/skeleton.bvh").status, 409);
  ASSERT_EQ(request(http::verb::post, "/api/analyze/" + id, R"({"write_video":false})").status, 202);
  wait_for_status(id, "completed");
  // The fake job's landmarks.json has no frames: put a real dancer's landmarks in its place.
  for (const auto& entry : fs::recursive_directory_iterator(config_.data_dir / "sessions" / id)) {
    if (entry.path().filename() == "landmarks.json")
      fs::copy_file(fs::path(DD_TEST_DATA_DIR) / "aerobics_world_40.json", entry.path(),
                    fs::copy_options::overwrite_existing);
  }
  Reply angles = get("/api/export/" + id + "/angles.csv?filter=none");
  ASSERT_EQ(angles.status, 200) << angles.body;
  EXPECT_EQ(angles.body.rfind("frame,time,filled,left_elbow", 0), 0u);
  EXPECT_EQ(angles.headers["content-type"], "text/csv; charset=utf-8");
  EXPECT_NE(angles.headers["content-disposition"].find("angles.csv"), std::string::npos);
  Reply bvh = get("/api/export/" + id + "/skeleton.bvh");
  ASSERT_EQ(bvh.status, 200) << bvh.body;
  EXPECT_EQ(bvh.body.rfind("HIERARCHY\nROOT Hips", 0), 0u);
  EXPECT_EQ(get("/api/export/" + id + "/landmarks.trc?filter=butterworth:4").status, 200);
  EXPECT_EQ(get("/api/export/" + id + "/landmarks.trc?filter=kalman").status, 400);
  EXPECT_EQ(get("/api/export/" + id + "/skeleton.c3d").status, 400);
}

TEST_F(ServerTest, SeveralWebSocketClients_AllGetComplete) {
  start();
  const std::string id = upload_clip();
  std::vector<std::unique_ptr<WsClient>> clients;
  for (int i = 0; i < 5; ++i) {
    clients.push_back(std::make_unique<WsClient>(server_->port(), "/ws/" + id));
    EXPECT_EQ(clients.back()->next()["type"], "connected");
  }
  ASSERT_EQ(request(http::verb::post, "/api/analyze/" + id).status, 202);
  for (auto& client : clients) EXPECT_FALSE(client->until("complete").empty());
}

TEST_F(ServerTest, ThreeConcurrentSessions_AllComplete) {
  config_.jobs.workers = 2;
  start();
  std::vector<std::string> ids;
  std::vector<std::unique_ptr<WsClient>> clients;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(upload_clip());
    clients.push_back(std::make_unique<WsClient>(server_->port(), "/ws/" + ids.back()));
    EXPECT_EQ(clients.back()->next()["type"], "connected");
  }
  for (const std::string& id : ids) ASSERT_EQ(request(http::verb::post, "/api/analyze/" + id).status, 202);
  for (size_t i = 0; i < ids.size(); ++i) {
    auto messages = clients[i]->until("complete");
    ASSERT_FALSE(messages.empty()) << ids[i];
    for (const json& message : messages) EXPECT_EQ(message["session_id"], ids[i]);
  }
  json sessions = get("/api/sessions").json_body();
  ASSERT_EQ(sessions["count"], 3);
  for (const json& session : sessions["sessions"]) EXPECT_EQ(session["status"], "completed");
}

TEST_F(ServerTest, WebSocket_PingPongAndUnknownSession) {
  start();
  const std::string id = upload_clip();
  WsClient ws(server_->port(), "/ws/" + id);
  EXPECT_EQ(ws.next()["type"], "connected");
  ws.send("ping");
  EXPECT_EQ(ws.next()["type"], "pong");
  ws.send(R"({"type":"ping"})");
  EXPECT_EQ(ws.next()["type"], "pong");

  WsClient unknown(server_->port(), "/ws/0123456789abcdef0123456789abcdef");
  json error = unknown.next();
  EXPECT_EQ(error["type"], "error");
  EXPECT_EQ(error["error"], "session not found");
  EXPECT_TRUE(unknown.next().is_null());  // then closed
}

TEST_F(ServerTest, FailingJob_ReportsFailedShapeAndWebSocketError) {
  runner_ = failing_runner();
  start();
  const std::string id = upload_clip();
  WsClient ws(server_->port(), "/ws/" + id);
  EXPECT_EQ(ws.next()["type"], "connected");
  ASSERT_EQ(request(http::verb::post, "/api/analyze/" + id).status, 202);
  auto messages = ws.until("error");
  ASSERT_FALSE(messages.empty());
  EXPECT_EQ(messages.back()["error"], "the video has no decodable frames");
  json results = get("/api/results/" + id).json_body();
  EXPECT_EQ(results["success"], false);
  EXPECT_EQ(results["status"], "failed");
  EXPECT_EQ(results["error"], "the video has no decodable frames");
  EXPECT_EQ(get("/api/download/" + id).status, 409);
  // A failed session may be analysed again.
  EXPECT_EQ(request(http::verb::post, "/api/analyze/" + id).status, 202);
}

TEST_F(ServerTest, FailingJob_ReasonNamesFilesNotServerPaths) {
  runner_ = [](const fs::path&, const fs::path& output_dir, const pipeline::PipelineOptions&,
               const pipeline::ProgressCallback&, std::stop_token) -> Result<pipeline::PipelineOutputs> {
    return make_error(ErrorCode::kUnavailable,
                      "failed writing " + (output_dir / ".dd-staging-1234" / "landmarks.json").string() +
                          " and " + (output_dir / "input.mp4").string());
  };
  start();
  const std::string id = upload_clip();
  ASSERT_EQ(request(http::verb::post, "/api/analyze/" + id).status, 202);
  wait_until([&] { return get("/api/results/" + id).json_body()["status"] == "failed"; });
  EXPECT_EQ(get("/api/results/" + id).json_body()["error"], "failed writing landmarks.json and input.mp4");
}

// The same holds for the server's own reasons, such as a results file the job did not write.
TEST_F(ServerTest, JobWithoutResultsFile_ReasonNamesFilesNotServerPaths) {
  runner_ = [](const fs::path&, const fs::path& output_dir, const pipeline::PipelineOptions&,
               const pipeline::ProgressCallback&, std::stop_token) -> Result<pipeline::PipelineOutputs> {
    pipeline::PipelineOutputs outputs;
    outputs.results_json = output_dir / "results.json";  // never written
    return outputs;
  };
  start();
  const std::string id = upload_clip();
  ASSERT_EQ(request(http::verb::post, "/api/analyze/" + id).status, 202);
  wait_until([&] { return get("/api/results/" + id).json_body()["status"] == "failed"; });
  EXPECT_EQ(get("/api/results/" + id).json_body()["error"],
            "the job wrote no readable results file: results.json");
}

TEST_F(ServerTest, DeleteRunningJob_CancelsItAndRemovesFiles) {
  runner_ = blocking_runner();
  start();
  const std::string id = upload_clip();
  WsClient ws(server_->port(), "/ws/" + id);
  EXPECT_EQ(ws.next()["type"], "connected");
  ASSERT_EQ(request(http::verb::post, "/api/analyze/" + id).status, 202);
  wait_until([&] { return blocking_started_ == 1; });
  EXPECT_EQ(request(http::verb::delete_, "/api/session/" + id).status, 200);
  wait_until([&] { return blocking_stopped_ == 1; });
  auto messages = ws.until("error");
  ASSERT_FALSE(messages.empty());
  EXPECT_EQ(messages.back()["status"], "cancelled");
  EXPECT_EQ(get("/api/results/" + id).status, 404);
  wait_until([&] { return !fs::exists(config_.data_dir / "sessions" / id); });
  EXPECT_EQ(get("/health").json_body()["active_sessions"], 0);
}

TEST_F(ServerTest, Queue_IsFifoWithPositionsAndTimeout) {
  runner_ = blocking_runner();
  config_.jobs.job_timeout_s = 0.3;
  start();
  const std::string first = upload_clip();
  const std::string second = upload_clip();
  ASSERT_EQ(request(http::verb::post, "/api/analyze/" + first).status, 202);
  wait_until([&] { return blocking_started_ == 1; });
  Reply queued = request(http::verb::post, "/api/analyze/" + second);
  ASSERT_EQ(queued.status, 202);
  EXPECT_EQ(queued.json_body()["queue_position"], 1);
  json waiting = get("/api/results/" + second).json_body();
  EXPECT_EQ(waiting["status"], "queued");
  EXPECT_EQ(waiting["queue_position"], 1);
  EXPECT_EQ(get("/health").json_body()["queue_depth"], 1);
  json timed_out = wait_for_status(first, "failed");
  EXPECT_NE(timed_out["error"].get<std::string>().find("timed out"), std::string::npos) << timed_out.dump();
  wait_for_status(second, "failed");
  EXPECT_EQ(blocking_started_, 2);
}

TEST_F(ServerTest, Restart_KeepsFinishedSessionsAndFailsInterruptedOnes) {
  start();
  const std::string done = upload_clip();
  ASSERT_EQ(request(http::verb::post, "/api/analyze/" + done).status, 202);
  wait_for_status(done, "completed");
  runner_ = blocking_runner();
  restart();
  const std::string running = upload_clip();
  ASSERT_EQ(request(http::verb::post, "/api/analyze/" + running).status, 202);
  wait_until([&] { return blocking_started_ == 1; });
  restart();
  json results = get("/api/results/" + done).json_body();
  EXPECT_EQ(results["status"], "completed");
  EXPECT_NEAR(results["results"]["smoothness_score"].get<double>(), 72.5, 1e-9);
  EXPECT_EQ(get("/api/download/" + done).status, 200);
  json interrupted = get("/api/results/" + running).json_body();
  EXPECT_EQ(interrupted["status"], "failed");
  EXPECT_EQ(interrupted["error"], jobs::kShutdownReason);
}

// An upload cut by a crash leaves a directory without a row; one idle for an hour goes at
// start. A fresh one may be another node's upload still streaming in, and stays.
TEST_F(ServerTest, Restart_RemovesIdleOrphanUploadDirectories) {
  start();
  const std::string id = upload_clip();
  server_.reset();
  const fs::path leftover = config_.data_dir / "sessions" / "deadbeefdeadbeefdeadbeefdeadbeef";
  const fs::path streaming = config_.data_dir / "sessions" / "0123456789abcdef0123456789abcdef";
  fs::create_directories(leftover);
  fs::create_directories(streaming);
  fs::last_write_time(leftover, fs::file_time_type::clock::now() - std::chrono::hours(2));
  start();
  EXPECT_TRUE(test::wait_until([&] { return !fs::exists(leftover); }));
  EXPECT_TRUE(fs::exists(streaming));
  EXPECT_TRUE(fs::exists(config_.data_dir / "sessions" / id / "input.mp4"));
}

TEST_F(ServerTest, Routing_UnknownPaths404WrongMethods405) {
  start();
  EXPECT_EQ(get("/api/nothing").status, 404);
  EXPECT_EQ(get("/api/results/not-an-id").status, 404);
  EXPECT_EQ(get("/no-such-page.html").status, 404);
  EXPECT_EQ(get("/..%2f..%2fetc/passwd").status, 404);
  EXPECT_EQ(get("/%2e%2e/%2e%2e/etc/passwd").status, 404);
  EXPECT_EQ(get("/node_modules/swagger-ui-dist/package.json").status, 404);
  Reply wrong = get("/api/upload");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.headers["allow"], "POST");
  EXPECT_EQ(wrong.json_body()["detail"], "Method Not Allowed");
  EXPECT_EQ(request(http::verb::delete_, "/health").status, 405);
  EXPECT_EQ(request(http::verb::put, "/api/session/0123456789abcdef0123456789abcdef").status, 405);
  EXPECT_EQ(get("/api/analyze/0123456789abcdef0123456789abcdef").status, 405);
}

TEST_F(ServerTest, StaticFiles_ServedFromWebDirWithTypes) {
  config_.web_dir = root_ / "web";
  fs::create_directories(config_.web_dir / "css");
  write_file(config_.web_dir / "index.html", "<!doctype html><title>DanceDynamics</title>");
  write_file(config_.web_dir / "css" / "app.css", "body { color: black; }");
  write_file(config_.web_dir / ".env", "SECRET=1");
  write_file(root_ / "outside.txt", "outside");
  start();
  Reply index = get("/");
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(index.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_EQ(index.body, "<!doctype html><title>DanceDynamics</title>");
  Reply css = get("/css/app.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.headers["content-type"], "text/css; charset=utf-8");
  EXPECT_EQ(get("/.env").status, 404);
  EXPECT_EQ(get("/../outside.txt").status, 404);
  EXPECT_EQ(get("/css/%2e%2e/%2e%2e/outside.txt").status, 404);
  EXPECT_EQ(request(http::verb::post, "/css/app.css").status, 404);
}

TEST_F(ServerTest, DocsAndOpenApi) {
  start();
  Reply docs = get("/api/docs");
  ASSERT_EQ(docs.status, 200);
  EXPECT_NE(docs.body.find("swagger-ui-bundle.js"), std::string::npos);
  EXPECT_EQ(get("/vendor/swagger-ui/swagger-ui-bundle.js").status, 200);
  Reply openapi = get("/openapi.json");
  ASSERT_EQ(openapi.status, 200);
  json document = openapi.json_body();
  EXPECT_EQ(document["openapi"].get<std::string>().substr(0, 2), "3.");
  for (const char* path : {"/api/upload", "/api/analyze/{session_id}", "/api/results/{session_id}",
                           "/api/download/{session_id}", "/api/export/{session_id}/{name}", "/api/sessions",
                           "/api/session/{session_id}", "/health", "/ws/{session_id}"}) {
    EXPECT_TRUE(document["paths"].contains(path)) << path;
  }
  // Every operation sits under a resource's tag, and the document speaks to users only.
  for (const auto& [path, operations] : document["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      ASSERT_TRUE(operation.contains("tags")) << method << " " << path;
      EXPECT_NE(operation["tags"][0], "default") << method << " " << path;
    }
  }
  EXPECT_EQ(openapi.body.find("issue"), std::string::npos);
  EXPECT_EQ(document["components"]["schemas"]["AnalyzeOptions"]["properties"]["overlay_max_size"]["type"],
            "integer");
}

TEST_F(ServerTest, Favicon_IsTheWebAppsIcon) {
  start();
  Reply icon = get("/favicon.ico");
  EXPECT_EQ(icon.status, 200);
  EXPECT_NE(icon.body.find("<svg"), std::string::npos);
}

}  // namespace
}  // namespace dd::server
