// Integration tests of the comparison API (issue 12): the real server on an ephemeral port with a
// real SQLite file and the real upload probe, driven over real sockets. Analyses run a fake runner
// that writes a synthetic dancer's landmarks.json; comparisons run the real compare::run_comparison.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <numbers>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "compare/compare_job.h"
#include "pose/landmarks_json.h"
#include "server/http_server.h"
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

constexpr double kClipFps = 25;
constexpr int kClipFrames = 100;  // 4 s

using test::read_file;

// A 4 s 160x120 test pattern at 25 fps with a tone: the "video" both dancers were filmed in.
const fs::path& test_clip() {
  static const fs::path clip = [] {
    const fs::path path =
        fs::temp_directory_path() / ("dd_compare_api_clip_" + std::to_string(getpid()) + ".mp4");
    const std::string command =
        "ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc2=size=160x120:rate=25:duration=4 "
        "-f lavfi -i sine=frequency=440:duration=4 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac "
        "-shortest '" +
        path.string() + "'";
    EXPECT_EQ(std::system(command.c_str()), 0);
    return path;
  }();
  return clip;
}

enum class Dancer { kTeacher, kMirrored };

// The mirror-image counterpart of a landmark (left <-> right).
int mirrored_index(int index) {
  static constexpr std::array<std::pair<int, int>, 5> kFace = {{{1, 4}, {2, 5}, {3, 6}, {7, 8}, {9, 10}}};
  for (auto [a, b] : kFace) {
    if (index == a) return b;
    if (index == b) return a;
  }
  if (index >= 11) return index % 2 == 1 ? index + 1 : index - 1;
  return index;
}

// A synthetic dancer at time t: arms and legs swing at different rates so every moment differs.
std::array<pose::Landmark, pose::kLandmarkCount> teacher_pose(double t) {
  std::array<pose::Landmark, pose::kLandmarkCount> points{};
  auto set = [&](int index, double x, double y) {
    points[index] = {static_cast<float>(x), static_cast<float>(y), 0.0f, 0.95f, 1.0f};
  };
  constexpr double kTwoPi = 2 * std::numbers::pi;
  set(pose::kNose, 0.5, 0.18);
  for (int i = 1; i <= 10; ++i) set(i, 0.5 + (i % 2 == 1 ? 0.02 : -0.02), 0.16 + 0.005 * i);
  const double left_arm = -0.4 + 1.1 * std::sin(kTwoPi * t / 1.6);
  const double right_arm = std::numbers::pi + 0.4 - 1.0 * std::sin(kTwoPi * t / 1.1 + 1.0);
  const double left_forearm = left_arm + 0.8 * std::sin(kTwoPi * t / 0.9);
  const double right_forearm = right_arm - 0.6 * std::sin(kTwoPi * t / 1.3 + 0.5);
  const double left_leg = 0.35 * std::sin(kTwoPi * t / 2.0);
  const double right_leg = -0.3 * std::sin(kTwoPi * t / 1.7 + 0.7);
  struct Limb {
    int root, middle, end, tip_a, tip_b;
    double root_x, root_y, a1, a2;
  };
  // Angles from the +x axis for arms, from straight down for legs.
  const Limb arms[] = {{pose::kLeftShoulder, pose::kLeftElbow, pose::kLeftWrist, pose::kLeftPinky,
                        pose::kLeftIndex, 0.56, 0.3, left_arm, left_forearm},
                       {pose::kRightShoulder, pose::kRightElbow, pose::kRightWrist, pose::kRightPinky,
                        pose::kRightIndex, 0.44, 0.3, right_arm, right_forearm}};
  for (const Limb& arm : arms) {
    set(arm.root, arm.root_x, arm.root_y);
    const double ex = arm.root_x + 0.1 * std::cos(arm.a1), ey = arm.root_y + 0.1 * std::sin(arm.a1);
    const double wx = ex + 0.09 * std::cos(arm.a2), wy = ey + 0.09 * std::sin(arm.a2);
    set(arm.middle, ex, ey);
    set(arm.end, wx, wy);
    set(arm.tip_a, wx + 0.02 * std::cos(arm.a2), wy + 0.02 * std::sin(arm.a2));
    set(arm.tip_b, wx + 0.025 * std::cos(arm.a2), wy + 0.025 * std::sin(arm.a2));
  }
  set(pose::kLeftThumb, points[pose::kLeftWrist].x, points[pose::kLeftWrist].y - 0.01);
  set(pose::kRightThumb, points[pose::kRightWrist].x, points[pose::kRightWrist].y - 0.01);
  const Limb legs[] = {{pose::kLeftHip, pose::kLeftKnee, pose::kLeftAnkle, pose::kLeftHeel,
                        pose::kLeftFootIndex, 0.54, 0.55, left_leg, left_leg * 0.5},
                       {pose::kRightHip, pose::kRightKnee, pose::kRightAnkle, pose::kRightHeel,
                        pose::kRightFootIndex, 0.46, 0.55, right_leg, right_leg * 0.5}};
  for (const Limb& leg : legs) {
    set(leg.root, leg.root_x, leg.root_y);
    const double kx = leg.root_x + 0.15 * std::sin(leg.a1), ky = leg.root_y + 0.15 * std::cos(leg.a1);
    const double ax = kx + 0.15 * std::sin(leg.a2), ay = ky + 0.15 * std::cos(leg.a2);
    set(leg.middle, kx, ky);
    set(leg.end, ax, ay);
    set(leg.tip_a, ax - 0.01, ay + 0.01);
    set(leg.tip_b, ax + 0.03, ay + 0.01);
  }
  return points;
}

pose::PoseSequence dancer_sequence(Dancer dancer) {
  pose::PoseSequence sequence;
  sequence.width = 160;
  sequence.height = 120;
  sequence.fps = kClipFps;
  for (int i = 0; i < kClipFrames; ++i) {
    pose::PoseFrame frame;
    frame.index = i;
    frame.timestamp_s = i / kClipFps;
    frame.detected = true;
    frame.pose_score = 1.0f;
    const auto teacher = teacher_pose(frame.timestamp_s);
    for (int j = 0; j < pose::kLandmarkCount; ++j) {
      pose::Landmark point = teacher[j];
      if (dancer == Dancer::kMirrored) {
        // A mirrored film: the image flips, so the model calls the dancer's right arm the left one.
        point = teacher[mirrored_index(j)];
        point.x = 1.0f - point.x;
      }
      frame.landmarks[j] = point;
      frame.world[j] = {(point.x - 0.5f) * 2, (point.y - 0.5f) * 2, 0.0f, point.visibility, 1.0f};
    }
    sequence.frames.push_back(frame);
  }
  return sequence;
}

using Reply = test::HttpReply;

// A WebSocket client with a receive timeout, so a missing message fails instead of hanging.
class WsClient {
 public:
  WsClient(uint16_t port, const std::string& path) : ws_(io_) {
    ws_.next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    timeval timeout{20, 0};
    setsockopt(ws_.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    ws_.handshake("127.0.0.1", path);
  }

  // Messages until one of `type` (included) arrives; empty when it never does.
  std::vector<json> until(const std::string& type) {
    std::vector<json> messages;
    for (int i = 0; i < 500; ++i) {
      beast::flat_buffer buffer;
      beast::error_code ec;
      ws_.read(buffer, ec);
      if (ec) return {};
      messages.push_back(json::parse(beast::buffers_to_string(buffer.data()), nullptr, false));
      if (messages.back().value("type", "") == type) return messages;
    }
    return {};
  }

 private:
  net::io_context io_;
  websocket::stream<tcp::socket> ws_;
};

class CompareApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("dd_compare_api_test_" + std::to_string(std::random_device{}()));
    fs::create_directories(root_);
    config_.host = "127.0.0.1";
    config_.port = 0;
    config_.data_dir = root_ / "data";
    config_.jobs.model_dir = root_ / "no-models";
    config_.jobs.progress_interval_s = 0.02;
    auto store = store::open_sqlite_store(config_.data_dir / "dancedynamics.db");
    ASSERT_TRUE(store.has_value()) << store.error().message;
    store_ = std::move(*store);
  }

  void TearDown() override {
    server_.reset();
    store_.reset();
    fs::remove_all(root_);
  }

  void start(jobs::CompareRunner compare_runner = &compare::run_comparison) {
    auto server = Server::start(config_, *store_, analysis_runner(), probe_upload, std::move(compare_runner));
    ASSERT_TRUE(server.has_value()) << server.error().message;
    server_ = std::move(*server);
  }

  // The analysis: writes the synthetic dancer chosen for the session (by its directory name).
  jobs::JobRunner analysis_runner() {
    return [this](const fs::path& input, const fs::path& output_dir, const pipeline::PipelineOptions&,
                  const pipeline::ProgressCallback& progress,
                  std::stop_token stop) -> Result<pipeline::PipelineOutputs> {
      Dancer dancer = Dancer::kTeacher;
      {
        std::lock_guard lock(mutex_);
        if (auto it = dancers_.find(output_dir.filename().string()); it != dancers_.end())
          dancer = it->second;
      }
      while (block_analyses_ && !stop.stop_requested())
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      if (stop.stop_requested()) return make_error(ErrorCode::kCancelled, "stopped");
      progress({0.5, "pose", "tracking", kClipFrames / 2, kClipFrames, 100, 0.1});
      fs::create_directories(output_dir);
      pipeline::PipelineOutputs outputs;
      outputs.results_json = output_dir / "results.json";
      outputs.landmarks_json = output_dir / "landmarks.json";
      std::ofstream(outputs.results_json)
          << json{{"video_info", {{"filename", input.filename().string()}}}}.dump();
      DD_TRY(
          pose::write_landmarks_json(outputs.landmarks_json, {"input.mp4", "full", dancer_sequence(dancer)}));
      return outputs;
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

  Reply post_compare(const json& body) {
    return request(http::verb::post, "/api/compare", body.dump(), "application/json");
  }

  std::string upload(const std::string& filename, Dancer dancer) {
    const std::string body = "--XyZzY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
                             filename + "\"\r\nContent-Type: video/mp4\r\n\r\n" + read_file(test_clip()) +
                             "\r\n--XyZzY--\r\n";
    Reply reply = request(http::verb::post, "/api/upload", body, "multipart/form-data; boundary=XyZzY");
    EXPECT_EQ(reply.status, 200) << reply.body;
    const std::string id = reply.json_body().value("session_id", "");
    std::lock_guard lock(mutex_);
    dancers_[id] = dancer;
    return id;
  }

  // Starts an analysis that holds the only worker until block_analyses_ is cleared.
  void occupy_worker() {
    block_analyses_ = true;
    const std::string busy = upload("busy.mp4", Dancer::kTeacher);
    ASSERT_EQ(request(http::verb::post, "/api/analyze/" + busy).status, 202);
    wait_for_status("/api/results/" + busy, "processing");
  }

  // Uploads and analyses a clip of `dancer`; returns the completed session's id.
  std::string analysed(const std::string& filename, Dancer dancer) {
    const std::string id = upload(filename, dancer);
    EXPECT_EQ(request(http::verb::post, "/api/analyze/" + id).status, 202);
    wait_for_status("/api/results/" + id, "completed");
    return id;
  }

  // Polls `target` until its status is `status`.
  json wait_for_status(const std::string& target, const std::string& status) {
    json body;
    if (test::wait_until([&] {
          body = get(target).json_body();
          return body.value("status", "") == status;
        }))
      return body;
    ADD_FAILURE() << target << " never reached " << status << ": " << body.dump();
    return body;
  }

  fs::path root_;
  ServerConfig config_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Server> server_;
  std::mutex mutex_;
  std::map<std::string, Dancer> dancers_;
  std::atomic<bool> block_analyses_{false};  // analyses wait while set: keeps the one worker busy
};

TEST_F(CompareApiTest, Compare_IdenticalDancers_ProgressOverWebSocketThenPerfectScores) {
  start();
  const std::string reference = analysed("teacher.mp4", Dancer::kTeacher);
  const std::string student = analysed("student.mp4", Dancer::kTeacher);
  occupy_worker();  // so the WebSocket is connected before the comparison starts
  Reply accepted = post_compare({{"reference_id", reference}, {"student_id", student}});
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  const json queued = accepted.json_body();
  const std::string id = queued["session_id"];
  EXPECT_EQ(id.size(), 32u);
  EXPECT_EQ(queued["kind"], "comparison");
  EXPECT_EQ(queued["mirror"], "auto");
  EXPECT_EQ(queued["websocket_url"], "/ws/" + id);

  WsClient ws(server_->port(), "/ws/" + id);
  block_analyses_ = false;
  const auto messages = ws.until("complete");
  ASSERT_FALSE(messages.empty()) << "no complete message";
  EXPECT_EQ(messages.front()["type"], "connected");
  EXPECT_EQ(messages.front()["status"], "queued");
  std::set<std::string> stages;
  double last_progress = 0;
  for (const json& message : messages) {
    if (message["type"] != "progress") continue;
    stages.insert(message.value("stage", ""));
    EXPECT_GE(message["progress"].get<double>(), last_progress);  // never goes back
    last_progress = message["progress"].get<double>();
  }
  EXPECT_EQ(stages.count("compare"), 1u) << json(stages).dump();
  EXPECT_EQ(stages.count("encode"), 1u) << json(stages).dump();
  const json& complete = messages.back();
  EXPECT_NEAR(complete["results"]["similarity"].get<double>(), 100.0, 1.0);

  Reply reply = get("/api/compare/" + id);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json body = reply.json_body();
  EXPECT_EQ(body["success"], true);
  EXPECT_EQ(body["status"], "completed");
  EXPECT_EQ(body["kind"], "comparison");
  EXPECT_EQ(body["reference"]["session_id"], reference);
  EXPECT_EQ(body["reference"]["filename"], "teacher.mp4");
  EXPECT_EQ(body["student"]["filename"], "student.mp4");
  const json& comparison = body["comparison"];
  EXPECT_NEAR(comparison["similarity"].get<double>(), 100.0, 1.0);
  EXPECT_NEAR(comparison["offset_s"].get<double>(), 0.0, 1.0 / kClipFps);
  EXPECT_NEAR(comparison["tempo_ratio"].get<double>(), 1.0, 0.02);
  EXPECT_EQ(comparison["mirror"], false);
  for (const char* part : {"head", "torso", "left_arm", "right_arm", "left_leg", "right_leg"}) {
    ASSERT_TRUE(comparison["body_parts"].contains(part)) << part;
    EXPECT_NEAR(comparison["body_parts"][part].get<double>(), 100.0, 1.0) << part;
  }
  const auto& t = comparison["timeline"]["t"];
  ASSERT_GE(t.size(), 30u);  // ~10 points per second of a 4 s reference
  EXPECT_EQ(t.size(), comparison["timeline"]["similarity"].size());
  EXPECT_NEAR(t.back().get<double>(), 4.0, 0.2);

  // The side-by-side video, with Range requests like /api/video.
  ASSERT_EQ(body["video_url"], "/api/compare/" + id + "/video");
  Reply whole = get(body["video_url"]);
  ASSERT_EQ(whole.status, 200);
  EXPECT_EQ(whole.headers["content-type"], "video/mp4");
  EXPECT_EQ(whole.headers["accept-ranges"], "bytes");
  EXPECT_GT(whole.body.size(), 1000u);
  Reply part = get(body["video_url"], {{"Range", "bytes=0-99"}});
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.body, whole.body.substr(0, 100));
  EXPECT_EQ(part.headers["content-range"], "bytes 0-99/" + std::to_string(whole.body.size()));
  EXPECT_EQ(get("/api/results/" + id).json_body()["results"], comparison);

  // Listings tell the kinds apart.
  std::map<std::string, std::string> kinds;
  const json listing = get("/api/sessions").json_body();
  for (const json& session : listing["sessions"]) {
    kinds[session["session_id"].get<std::string>()] = session["kind"].get<std::string>();
  }
  EXPECT_EQ(kinds[reference], "analysis");
  EXPECT_EQ(kinds[student], "analysis");
  EXPECT_EQ(kinds[id], "comparison");
  EXPECT_EQ(get("/api/session/" + id).json_body()["kind"], "comparison");
  EXPECT_EQ(get("/api/session/" + reference).json_body()["kind"], "analysis");
}

TEST_F(CompareApiTest, Compare_MirroredStudent_AutoDetectsMirrorAndOffForcesIt) {
  start();
  const std::string reference = analysed("teacher.mp4", Dancer::kTeacher);
  const std::string student = analysed("facing.mp4", Dancer::kMirrored);
  Reply automatic = post_compare({{"reference_id", reference}, {"student_id", student}, {"mirror", "auto"}});
  ASSERT_EQ(automatic.status, 202) << automatic.body;
  Reply off = post_compare({{"reference_id", reference}, {"student_id", student}, {"mirror", "off"}});
  ASSERT_EQ(off.status, 202) << off.body;
  const json found = wait_for_status("/api/compare/" + automatic.json_body()["session_id"].get<std::string>(),
                                     "completed")["comparison"];
  const json forced = wait_for_status("/api/compare/" + off.json_body()["session_id"].get<std::string>(),
                                      "completed")["comparison"];
  EXPECT_EQ(found["mirror"], true);
  EXPECT_NEAR(found["similarity"].get<double>(), 100.0, 2.0);
  EXPECT_EQ(forced["mirror"], false);
  EXPECT_LT(forced["similarity"].get<double>(), found["similarity"].get<double>() - 10.0);
}

TEST_F(CompareApiTest, Compare_BadRequests_AnsweredWithClearErrors) {
  start();
  const std::string reference = analysed("teacher.mp4", Dancer::kTeacher);
  const std::string unanalysed = upload("raw.mp4", Dancer::kTeacher);
  auto detail = [](const Reply& reply) { return reply.json_body().value("detail", ""); };

  Reply not_json = request(http::verb::post, "/api/compare", "{oops", "application/json");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(detail(not_json), "request body is not valid JSON");
  EXPECT_EQ(request(http::verb::post, "/api/compare", "[1,2]", "application/json").status, 400);
  Reply missing = post_compare({{"reference_id", reference}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(detail(missing), "student_id (a session id) is required");
  Reply unknown_field = post_compare({{"reference_id", reference}, {"student_id", unanalysed}, {"speed", 2}});
  EXPECT_EQ(unknown_field.status, 400);
  EXPECT_EQ(detail(unknown_field), "unknown field: speed");
  Reply bad_mirror =
      post_compare({{"reference_id", reference}, {"student_id", unanalysed}, {"mirror", "yes"}});
  EXPECT_EQ(bad_mirror.status, 400);
  EXPECT_EQ(detail(bad_mirror), "mirror must be one of auto, on, off");
  EXPECT_EQ(post_compare({{"reference_id", reference}, {"student_id", unanalysed}, {"mirror", true}}).status,
            400);
  Reply same = post_compare({{"reference_id", reference}, {"student_id", reference}});
  EXPECT_EQ(same.status, 400);
  EXPECT_NE(detail(same).find("same session"), std::string::npos) << detail(same);
  Reply absent =
      post_compare({{"reference_id", reference}, {"student_id", "0123456789abcdef0123456789abcdef"}});
  EXPECT_EQ(absent.status, 404);
  EXPECT_EQ(detail(absent), "student session not found: 0123456789abcdef0123456789abcdef");
  EXPECT_EQ(post_compare({{"reference_id", "../etc"}, {"student_id", reference}}).status, 404);
  Reply not_analysed = post_compare({{"reference_id", reference}, {"student_id", unanalysed}});
  EXPECT_EQ(not_analysed.status, 409);
  EXPECT_EQ(detail(not_analysed),
            "student session " + unanalysed + " has not been analysed (status uploaded)");
  EXPECT_EQ(request(http::verb::get, "/api/compare").status, 405);

  // A comparison is not a source, not an analysis and not re-queueable as one.
  const std::string other = analysed("other.mp4", Dancer::kTeacher);
  Reply accepted = post_compare({{"reference_id", reference}, {"student_id", other}});
  ASSERT_EQ(accepted.status, 202);
  const std::string comparison = accepted.json_body()["session_id"];
  wait_for_status("/api/compare/" + comparison, "completed");
  Reply nested = post_compare({{"reference_id", comparison}, {"student_id", other}});
  EXPECT_EQ(nested.status, 400);
  EXPECT_EQ(detail(nested), "reference session " + comparison + " is a comparison, not an analysis");
  EXPECT_EQ(request(http::verb::post, "/api/analyze/" + comparison).status, 409);
  EXPECT_EQ(get("/api/compare/" + reference).status, 404);  // an analysis, not a comparison
  EXPECT_EQ(get("/api/compare/0123456789abcdef0123456789abcdef").status, 404);
  EXPECT_EQ(get("/api/compare/" + reference + "/video").status, 404);
  EXPECT_EQ(request(http::verb::delete_, "/api/compare/" + comparison).status, 405);
}

TEST_F(CompareApiTest, DeletingReference_KeepsAFinishedComparisonWhole) {
  start();
  const std::string reference = analysed("teacher.mp4", Dancer::kTeacher);
  const std::string student = analysed("student.mp4", Dancer::kTeacher);
  Reply accepted = post_compare({{"reference_id", reference}, {"student_id", student}});
  ASSERT_EQ(accepted.status, 202);
  const std::string id = accepted.json_body()["session_id"];
  const json before = wait_for_status("/api/compare/" + id, "completed");
  const std::string video_before = get("/api/compare/" + id + "/video").body;

  EXPECT_EQ(request(http::verb::delete_, "/api/session/" + reference).status, 200);
  EXPECT_FALSE(fs::exists(config_.data_dir / "sessions" / reference));
  Reply after = get("/api/compare/" + id);
  ASSERT_EQ(after.status, 200);
  EXPECT_EQ(after.json_body()["comparison"], before["comparison"]);
  EXPECT_EQ(after.json_body()["reference"]["filename"], "teacher.mp4");  // kept for display
  Reply video_after = get("/api/compare/" + id + "/video");
  EXPECT_EQ(video_after.status, 200);
  EXPECT_EQ(video_after.body, video_before);

  // Deleting the comparison removes only its own files.
  EXPECT_EQ(request(http::verb::delete_, "/api/session/" + id).status, 200);
  EXPECT_FALSE(fs::exists(config_.data_dir / "sessions" / id));
  EXPECT_TRUE(fs::exists(config_.data_dir / "sessions" / student / "landmarks.json"));
  EXPECT_EQ(get("/api/compare/" + id).status, 404);
}

TEST_F(CompareApiTest, SourceDeletedWhileQueued_FailsTheComparisonWithAClearError) {
  start();
  const std::string reference = analysed("teacher.mp4", Dancer::kTeacher);
  const std::string student = analysed("student.mp4", Dancer::kTeacher);
  occupy_worker();  // the comparison waits in the queue
  Reply accepted = post_compare({{"reference_id", reference}, {"student_id", student}});
  ASSERT_EQ(accepted.status, 202);
  const std::string id = accepted.json_body()["session_id"];
  EXPECT_EQ(get("/api/compare/" + id).json_body()["status"], "queued");
  EXPECT_EQ(get("/api/compare/" + id).json_body()["queue_position"], 1);
  EXPECT_EQ(get("/api/compare/" + id + "/video").status, 409);

  EXPECT_EQ(request(http::verb::delete_, "/api/session/" + student).status, 200);
  block_analyses_ = false;
  WsClient ws(server_->port(), "/ws/" + id);
  const auto messages = ws.until("error");
  ASSERT_FALSE(messages.empty());
  EXPECT_EQ(messages.back()["error"], "student session not found: " + student);
  const json failed = get("/api/compare/" + id).json_body();
  EXPECT_EQ(failed["status"], "failed");
  EXPECT_EQ(failed["success"], false);
  EXPECT_EQ(failed["error"], "student session not found: " + student);
}

TEST_F(CompareApiTest, WithoutACompareRunner_TheJobFailsAndSaysWhy) {
  start(jobs::CompareRunner{});
  const std::string reference = analysed("teacher.mp4", Dancer::kTeacher);
  const std::string student = analysed("student.mp4", Dancer::kTeacher);
  Reply accepted = post_compare({{"reference_id", reference}, {"student_id", student}});
  ASSERT_EQ(accepted.status, 202);
  const json failed =
      wait_for_status("/api/compare/" + accepted.json_body()["session_id"].get<std::string>(), "failed");
  EXPECT_EQ(failed["error"], "comparisons are not available on this server");
}

TEST_F(CompareApiTest, OpenApi_DocumentsTheComparisonRoutes) {
  start();
  const json paths = get("/openapi.json").json_body()["paths"];
  ASSERT_TRUE(paths.contains("/api/compare"));
  EXPECT_TRUE(paths["/api/compare"]["post"]["responses"].contains("409"));
  EXPECT_TRUE(paths.contains("/api/compare/{session_id}"));
  EXPECT_TRUE(paths["/api/compare/{session_id}/video"]["get"]["responses"].contains("206"));
  const json schemas = get("/openapi.json").json_body()["components"]["schemas"];
  EXPECT_EQ(schemas["CompareRequest"]["properties"]["mirror"]["enum"], json::array({"auto", "on", "off"}));
}

}  // namespace
}  // namespace dd::server
