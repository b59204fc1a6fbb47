// The server against hostile and unauthorised clients, over real sockets: API token, CORS
// and security headers; slow, idle and oversized requests; endless chunked uploads; invalid
// WebSocket frames; unknown and path-like session ids. Plus the access policy's functions.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "server/access_policy.h"
#include "server/http_server.h"
#include "store/sqlite_store.h"
#include "wait_until.h"

namespace dd::server {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kKnownId = "0123456789abcdef0123456789abcdef";
constexpr const char* kUnknownId = "fedcba9876543210fedcba9876543210";

// A raw TCP client: hostile clients send what no HTTP library would.
class RawSocket {
 public:
  explicit RawSocket(uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~RawSocket() {
    if (fd_ >= 0) close(fd_);
  }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;
  RawSocket(RawSocket&& other) noexcept : fd_(std::exchange(other.fd_, -1)), connected_(other.connected_) {}

  bool connected() const { return connected_; }

  // False when the server has closed (or reset) the connection.
  bool send_bytes(std::string_view bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }

  // Everything received until the peer closes or `timeout` passes; closed() tells which.
  std::string read_until_closed(std::chrono::milliseconds timeout) {
    std::string data;
    const auto deadline = Clock::now() + timeout;
    char buffer[4096];
    while (Clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      const int left_ms = static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
      if (poll(&p, 1, std::max(left_ms, 1)) <= 0) continue;
      const ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      data.append(buffer, static_cast<size_t>(n));
    }
    return data;
  }

  // The first response's bytes (headers and a Content-Length body), waiting up to `timeout`.
  std::string read_response(std::chrono::milliseconds timeout) {
    std::string data;
    const auto deadline = Clock::now() + timeout;
    char buffer[4096];
    while (Clock::now() < deadline) {
      const size_t header_end = data.find("\r\n\r\n");
      if (header_end != std::string::npos) {
        size_t length = 0;
        std::string lower = data.substr(0, header_end);
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        if (size_t at = lower.find("content-length: "); at != std::string::npos)
          length = std::stoul(lower.substr(at + 16));
        if (data.size() >= header_end + 4 + length) return data;
      }
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      const ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      data.append(buffer, static_cast<size_t>(n));
    }
    return data;
  }

  bool closed() const { return closed_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
};

int status_of(const std::string& response) {
  if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12) return 0;
  return std::stoi(response.substr(9, 3));
}

// A header's value in a raw response (case-insensitive name); empty when absent.
std::string header_of(const std::string& response, std::string name) {
  std::string lower = response.substr(0, response.find("\r\n\r\n"));
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  const size_t at = lower.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  const size_t start = at + name.size() + 4;
  return response.substr(start, lower.find("\r\n", start) - start);
}

// True when the server's (unmasked) frames after the handshake in `data` include a close frame.
bool has_close_frame(const std::string& data) {
  size_t at = data.find("\r\n\r\n");
  if (at == std::string::npos) return false;
  at += 4;
  while (at + 2 <= data.size()) {
    const auto byte = [&](size_t i) { return static_cast<unsigned char>(data[i]); };
    if ((byte(at) & 0x0f) == 0x8) return true;
    size_t length = byte(at + 1) & 0x7f;
    size_t header = 2;
    if (length == 126) {
      if (at + 4 > data.size()) return false;
      length = (byte(at + 2) << 8) | byte(at + 3);
      header = 4;
    } else if (length == 127) {
      return false;  // the server never sends 64-bit lengths here
    }
    at += header + length;
  }
  return false;
}

std::string body_of(const std::string& response) {
  const size_t at = response.find("\r\n\r\n");
  return at == std::string::npos ? "" : response.substr(at + 4);
}

class SecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("dd_security_test_" + std::to_string(std::random_device{}()));
    config_.host = "127.0.0.1";
    config_.port = 0;
    config_.data_dir = root_ / "data";
    config_.web_dir = DD_TEST_WEB_DIR;
    config_.jobs.model_dir = root_ / "no-models";
    config_.read_timeout_s = 1;
  }

  void TearDown() override {
    server_.reset();
    store_.reset();
    fs::remove_all(root_);
  }

  // Starts the server with one uploaded (not analysed) session, kKnownId.
  void start() {
    fs::create_directories(config_.data_dir / "sessions" / kKnownId);
    auto store = store::open_sqlite_store(config_.data_dir / "dancedynamics.db");
    ASSERT_TRUE(store.has_value()) << store.error().message;
    store_ = std::move(*store);
    store::Session session;
    session.id = kKnownId;
    session.filename = "clip.mp4";
    session.input_path = (config_.data_dir / "sessions" / kKnownId / "input.mp4").string();
    session.output_dir = (config_.data_dir / "sessions" / kKnownId).string();
    session.created_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
    ASSERT_TRUE(store_->create_session(session).has_value());
    auto runner = [](const fs::path&, const fs::path&, const pipeline::PipelineOptions&,
                     const pipeline::ProgressCallback&,
                     std::stop_token) -> Result<pipeline::PipelineOutputs> {
      return make_error(ErrorCode::kInternal, "no analysis in these tests");
    };
    auto prober = [](const fs::path&) -> Result<UploadedVideo> {
      return make_error(ErrorCode::kInvalidArgument, "not a video");
    };
    auto server = Server::start(config_, *store_, runner, prober);
    ASSERT_TRUE(server.has_value()) << server.error().message;
    server_ = std::move(*server);
  }

  uint16_t port() const { return server_->port(); }

  // Sends `piece` every 100 ms (calling between() after each) until the server closes the
  // connection; the seconds that took, or nullopt if it stayed open for `limit`.
  static std::optional<double> trickle_until_cut(RawSocket& socket, const std::string& piece,
                                                 std::chrono::seconds limit,
                                                 const std::function<void()>& between = {}) {
    const auto start_time = Clock::now();
    while (Clock::now() - start_time < limit) {
      bool cut = !socket.send_bytes(piece);
      if (between) between();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (!cut) {
        socket.read_until_closed(std::chrono::milliseconds(1));
        cut = socket.closed();
      }
      if (cut) return std::chrono::duration<double>(Clock::now() - start_time).count();
    }
    return std::nullopt;
  }

  // Sends `raw` on a fresh connection and returns the response.
  std::string exchange(const std::string& raw,
                       std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    RawSocket socket(port());
    EXPECT_TRUE(socket.connected());
    socket.send_bytes(raw);
    return socket.read_response(timeout);
  }

  std::string get(const std::string& target, const std::string& extra_headers = "") {
    return exchange("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
                    extra_headers + "\r\n");
  }

  // Milliseconds for a fresh connection's GET /health; -1 when it fails.
  double time_health() {
    const auto start = Clock::now();
    const std::string response = get("/health");
    if (status_of(response) != 200) return -1;
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
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

  static std::string websocket_upgrade(const std::string& target, const std::string& extra_headers = "") {
    return "GET " + target +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
           extra_headers + "\r\n";
  }

  fs::path root_;
  ServerConfig config_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Server> server_;
};

TEST(AccessPolicyTest, PresentedToken_HeaderBeatsCookieBeatsQuery) {
  EXPECT_EQ(presented_token("Bearer abc", "dd_token=def", "token=ghi"), "abc");
  EXPECT_EQ(presented_token("bearer  abc ", "", ""), "abc");
  EXPECT_EQ(presented_token("", "a=1; dd_token=def; b=2", "token=ghi"), "def");
  EXPECT_EQ(presented_token("Basic eHg6eXk=", "", "x=1&token=g%2Bh"), "g+h");
  EXPECT_EQ(presented_token("", "dd_tokenx=1", "tokens=2"), "");
  EXPECT_EQ(presented_token("", "", "token=%zz"), "");
}

TEST(AccessPolicyTest, TokenMatches_OnlyExactNonEmpty) {
  EXPECT_TRUE(token_matches("s3cret", "s3cret"));
  EXPECT_FALSE(token_matches("s3cret", "s3cre"));
  EXPECT_FALSE(token_matches("s3cret", "s3cret "));
  EXPECT_FALSE(token_matches("s3cret", ""));
  EXPECT_FALSE(token_matches("", ""));
}

TEST(AccessPolicyTest, OriginsAndPaths) {
  EXPECT_TRUE(is_same_origin("http://localhost:7860", "localhost:7860"));
  EXPECT_TRUE(is_same_origin("https://Example.org", "example.org"));
  EXPECT_FALSE(is_same_origin("http://evil.example", "localhost:7860"));
  EXPECT_FALSE(is_same_origin("null", "localhost:7860"));
  EXPECT_EQ(parse_origin_list(" https://a.example/, ,http://b.example:8080 "),
            (std::vector<std::string>{"https://a.example", "http://b.example:8080"}));
  EXPECT_TRUE(is_allowed_origin("https://a.example", {"https://a.example"}));
  EXPECT_FALSE(is_allowed_origin("https://a.example.evil", {"https://a.example"}));
  EXPECT_TRUE(is_allowed_origin("https://x", {"*"}));
  EXPECT_TRUE(path_requires_token("/api/sessions"));
  EXPECT_TRUE(path_requires_token("/ws/abc"));
  EXPECT_FALSE(path_requires_token("/api/docs"));
  EXPECT_FALSE(path_requires_token("/health"));
  EXPECT_FALSE(path_requires_token("/apix"));
  EXPECT_FALSE(path_requires_token("/index.html"));
}

TEST_F(SecurityTest, SecurityHeaders_OnEveryKindOfResponse) {
  start();
  for (const std::string& target :
       std::vector<std::string>{"/", "/health", "/api/sessions", "/api/docs", "/no-such-file", "/api/nothing",
                                "/vendor/swagger-ui/swagger-ui.css"}) {
    const std::string response = get(target);
    SCOPED_TRACE(target);
    EXPECT_NE(status_of(response), 0);
    EXPECT_EQ(header_of(response, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(header_of(response, "Referrer-Policy"), "no-referrer");
    EXPECT_EQ(header_of(response, "X-Frame-Options"), "DENY");
    const std::string csp = header_of(response, "Content-Security-Policy");
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos);
  }
}

TEST_F(SecurityTest, ApiToken_RequiredForApiAndWebSocketOnly) {
  config_.api_token = "correct horse battery staple";
  start();
  const std::string none = get("/api/sessions");
  EXPECT_EQ(status_of(none), 401);
  EXPECT_NE(header_of(none, "WWW-Authenticate").find("Bearer"), std::string::npos);
  EXPECT_EQ(status_of(get("/api/sessions", "Authorization: Bearer wrong\r\n")), 401);
  EXPECT_EQ(status_of(get("/api/sessions", "Authorization: Bearer correct horse battery staple\r\n")), 200);
  EXPECT_EQ(status_of(get("/api/sessions", "Cookie: theme=dark; dd_token=correct horse battery staple\r\n")),
            200);
  EXPECT_EQ(status_of(get("/api/sessions?token=correct%20horse%20battery%20staple")), 200);
  EXPECT_EQ(status_of(get(std::string("/api/results/") + kKnownId)), 401);
  EXPECT_EQ(status_of(exchange("DELETE /api/session/" + std::string(kKnownId) +
                               " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")),
            401);
  EXPECT_TRUE(store_->get_session(kKnownId, false).has_value());
  // Uploads are refused before a byte of the body is stored.
  const std::string body =
      "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp4\"\r\n\r\nxx\r\n--B--\r\n";
  EXPECT_EQ(
      status_of(exchange("POST /api/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
                         "boundary=B\r\nContent-Length: " +
                         std::to_string(body.size()) + "\r\n\r\n" + body)),
      401);
  EXPECT_EQ(session_dir_count(), 1u);
  // The web app, its health check and the docs stay reachable, so the app can ask for the token.
  EXPECT_EQ(status_of(get("/")), 200);
  EXPECT_EQ(status_of(get("/health")), 200);
  EXPECT_EQ(status_of(get("/api/docs")), 200);
  EXPECT_EQ(status_of(get("/openapi.json")), 200);
  // WebSocket: refused without the token, accepted with it in the query.
  EXPECT_EQ(status_of(exchange(websocket_upgrade(std::string("/ws/") + kKnownId))), 401);
  EXPECT_EQ(status_of(exchange(websocket_upgrade(std::string("/ws/") + kKnownId +
                                                 "?token=correct%20horse%20battery%20staple"))),
            101);
}

TEST_F(SecurityTest, Cors_OnlyConfiguredOriginsGetHeadersAndPreflights) {
  config_.cors_origins = {"https://app.example"};
  start();
  const std::string allowed = get("/api/sessions", "Origin: https://app.example\r\n");
  EXPECT_EQ(status_of(allowed), 200);
  EXPECT_EQ(header_of(allowed, "Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(header_of(allowed, "Vary"), "Origin, Accept-Encoding");  // JSON may be gzipped
  const std::string foreign = get("/api/sessions", "Origin: https://evil.example\r\n");
  EXPECT_EQ(header_of(foreign, "Access-Control-Allow-Origin"), "");

  const std::string preflight = exchange(
      "OPTIONS /api/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://app.example\r\n"
      "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: authorization\r\n\r\n");
  EXPECT_EQ(status_of(preflight), 204);
  EXPECT_NE(header_of(preflight, "Access-Control-Allow-Methods").find("POST"), std::string::npos);
  EXPECT_NE(header_of(preflight, "Access-Control-Allow-Headers").find("Authorization"), std::string::npos);
  EXPECT_EQ(
      status_of(exchange("OPTIONS /api/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil.example\r\n"
                         "Access-Control-Request-Method: POST\r\n\r\n")),
      403);

  // A cross-site form post or socket from a foreign page is refused (no CSRF via the cookie).
  EXPECT_EQ(status_of(exchange("DELETE /api/session/" + std::string(kKnownId) +
                               " HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil.example\r\n\r\n")),
            403);
  EXPECT_TRUE(store_->get_session(kKnownId, false).has_value());
  EXPECT_EQ(status_of(exchange(
                websocket_upgrade(std::string("/ws/") + kKnownId, "Origin: https://evil.example\r\n"))),
            403);
  // The server's own pages are same-origin.
  const std::string host = "127.0.0.1:" + std::to_string(port());
  EXPECT_EQ(status_of(exchange("POST /api/analyze/" + std::string(kUnknownId) + " HTTP/1.1\r\nHost: " + host +
                               "\r\nOrigin: http://" + host + "\r\nContent-Length: 0\r\n\r\n")),
            404);
}

TEST_F(SecurityTest, Slowloris_HeaderDeadlineClosesWhileOthersAreServed) {
  start();
  RawSocket slow(port());
  ASSERT_TRUE(slow.connected());
  slow.send_bytes("GET /health HTTP/1.1\r\n");
  // One header byte every 100 ms: each byte arrives in time, the whole header never does.
  const auto seconds =
      trickle_until_cut(slow, "X", std::chrono::seconds(4), [&] { EXPECT_GE(time_health(), 0.0); });
  ASSERT_TRUE(seconds.has_value());
  EXPECT_LT(*seconds, 2.5);  // read_timeout_s is 1
}

TEST_F(SecurityTest, IdleAndSlowBodyConnections_AreClosed) {
  start();
  RawSocket idle(port());
  idle.read_until_closed(std::chrono::milliseconds(3000));
  EXPECT_TRUE(idle.closed());
  RawSocket slow_body(port());
  slow_body.send_bytes("POST /api/analyze/" + std::string(kKnownId) +
                       " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{");
  slow_body.read_until_closed(std::chrono::milliseconds(3000));
  EXPECT_TRUE(slow_body.closed());
}

TEST_F(SecurityTest, ThousandIdleConnections_HealthStaysFast) {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < 4096 && limit.rlim_max >= 4096) {
    limit.rlim_cur = 4096;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  config_.read_timeout_s = 30;
  start();
  std::vector<RawSocket> idle;
  idle.reserve(1000);
  for (int i = 0; i < 1000; ++i) {
    idle.emplace_back(port());
    ASSERT_TRUE(idle.back().connected()) << "connection " << i;
  }
  std::vector<double> times_ms;
  for (int i = 0; i < 50; ++i) {
    const double ms = time_health();
    ASSERT_GE(ms, 0.0) << "request " << i;
    times_ms.push_back(ms);
  }
  std::sort(times_ms.begin(), times_ms.end());
  std::printf("/health with 1000 idle connections: p50 %.2f ms, max %.2f ms\n", times_ms[25],
              times_ms.back());
  EXPECT_LT(times_ms[25], 50.0);
  EXPECT_LT(times_ms.back(), 1000.0);
  // The idle ones are still open (none was dropped to serve the others).
  int open = 0;
  for (auto& socket : idle) {
    socket.read_until_closed(std::chrono::milliseconds(0));
    open += socket.closed() ? 0 : 1;
  }
  EXPECT_EQ(open, 1000);
}

TEST_F(SecurityTest, OversizedHeaderAndAbsurdLengths_AreRefused) {
  start();
  EXPECT_EQ(status_of(get("/health", "X-Big: " + std::string(20000, 'a') + "\r\n")), 431);
  std::string many;
  for (int i = 0; i < 2000; ++i) many += "X-" + std::to_string(i) + ": 1\r\n";
  EXPECT_EQ(status_of(get("/health", many)), 431);
  EXPECT_EQ(
      status_of(exchange("POST /api/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
                         "boundary=B\r\nContent-Length: 1000000000000000\r\n\r\n")),
      413);
  EXPECT_EQ(status_of(exchange("POST /api/analyze/" + std::string(kKnownId) +
                               " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10000000\r\n\r\n{")),
            413);
  EXPECT_EQ(status_of(exchange("POST /api/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               "Content-Length: 99999999999999999999999999\r\n\r\n")),
            400);
  EXPECT_EQ(status_of(exchange("GARBAGE\r\n\r\n")), 400);
  EXPECT_EQ(session_dir_count(), 1u);
}

TEST_F(SecurityTest, ChunkedUploadWithoutEnd_TimesOutAndLeavesNoFile) {
  start();
  RawSocket socket(port());
  const std::string part =
      "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp4\"\r\n\r\n" +
      std::string(100000, 'v');
  char size[16];
  std::snprintf(size, sizeof(size), "%zx\r\n", part.size());
  socket.send_bytes(
      "POST /api/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=B\r\n"
      "Transfer-Encoding: chunked\r\n\r\n" +
      std::string(size) + part + "\r\n");
  // The upload streams to its directory, until the read timeout cuts the connection.
  EXPECT_TRUE(test::wait_until([&] { return session_dir_count() == 2u; }));
  socket.read_until_closed(test::kWaitTimeout);
  EXPECT_TRUE(socket.closed());
  EXPECT_TRUE(test::wait_until([&] { return session_dir_count() == 1u; }));
  EXPECT_EQ(store_->list_sessions()->size(), 1u);
}

// Every 64 KiB read arrives well within read_timeout_s (1 s here), but the body averages
// ~200 KiB/s: below UPLOAD_MIN_RATE the connection is cut once the grace (read_timeout_s)
// has passed, instead of lasting the 10 s the trickle would take.
TEST_F(SecurityTest, UploadBelowMinimumRate_IsCutAndLeavesNoFile) {
  config_.min_upload_rate = 1024 * 1024;
  start();
  RawSocket socket(port());
  const std::string head = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp4\"\r\n\r\n";
  const size_t body_size = head.size() + 2000000;
  socket.send_bytes(
      "POST /api/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=B\r\n"
      "Content-Length: " +
      std::to_string(body_size) + "\r\n\r\n" + head);
  const auto seconds = trickle_until_cut(socket, std::string(20 * 1024, 'v'), std::chrono::seconds(8));
  ASSERT_TRUE(seconds.has_value());
  EXPECT_LT(*seconds, 3.0);  // 1 s of grace + ~0.25 s earned by the bytes received at 1 MiB/s
  EXPECT_TRUE(test::wait_until([&] { return session_dir_count() == 1u; }));
  EXPECT_EQ(store_->list_sessions()->size(), 1u);
}

TEST_F(SecurityTest, InvalidWebSocketFrames_CloseOnlyThatConnection) {
  start();
  const std::vector<std::string> frames = {
      std::string("\x81\x04ping", 6),                                               // unmasked client frame
      std::string("\x83\x80\x00\x00\x00\x00", 6),                                   // reserved opcode 3
      std::string("\xF1\x80\x00\x00\x00\x00", 6),                                   // RSV bits set
      std::string("\x81\xFF\x7F\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x01\x02\x03\x04", 14),  // 2^63-byte frame
      std::string("\x81\xFF\x00\x00\x00\x00\x00\x01\x86\xA0\x01\x02\x03\x04",
                  14),                                     // 100 kB text: over the limit
      std::string("\x89\xFE\x01\x00\x01\x02\x03\x04", 8),  // 256-byte ping (control max is 125)
  };
  for (const std::string& frame : frames) {
    RawSocket socket(port());
    socket.send_bytes(websocket_upgrade(std::string("/ws/") + kKnownId));
    const std::string handshake = socket.read_response(std::chrono::milliseconds(3000));
    ASSERT_EQ(status_of(handshake), 101);
    socket.send_bytes(frame);
    // The server answers with a close frame (then waits for the client's, or times out).
    const std::string reply = handshake + socket.read_until_closed(std::chrono::milliseconds(2000));
    EXPECT_TRUE(socket.closed() || has_close_frame(reply)) << "frame " << &frame - frames.data();
  }
  EXPECT_GE(time_health(), 0.0);
}

TEST_F(SecurityTest, UnknownSessionIds_Are404OnEveryRoute) {
  start();
  const std::string id = kUnknownId;
  for (const std::string& target :
       std::vector<std::string>{"/api/results/" + id, "/api/download/" + id, "/api/video/" + id,
                                "/api/export/" + id + "/results.json", "/api/session/" + id}) {
    EXPECT_EQ(status_of(get(target)), 404) << target;
  }
  EXPECT_EQ(status_of(exchange("DELETE /api/session/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")), 404);
  EXPECT_EQ(status_of(exchange("POST /api/analyze/" + id +
                               " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")),
            404);
  RawSocket socket(port());
  socket.send_bytes(websocket_upgrade("/ws/" + id));
  const std::string reply = socket.read_until_closed(std::chrono::milliseconds(1000));
  EXPECT_EQ(status_of(reply), 101);
  EXPECT_NE(reply.find("session not found"), std::string::npos);
  EXPECT_TRUE(has_close_frame(reply));
}

TEST_F(SecurityTest, PathLikeIds_AreRefusedWithoutTouchingFiles) {
  start();
  const std::vector<std::string> ids = {"..",
                                        "../../../../etc/passwd",
                                        "%2e%2e",
                                        "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                                        "..%2f..%2f..%2fetc%2fpasswd",
                                        "%2fetc%2fpasswd",
                                        "/etc/passwd",
                                        "..%5c..%5cwindows",
                                        "0123456789abcdef0123456789abcde%00",
                                        "0123456789ABCDEF0123456789ABCDEF",
                                        std::string(kKnownId) + "%2f..",
                                        "%252e%252e"};
  for (const std::string& id : ids) {
    for (const std::string& route :
         std::vector<std::string>{"/api/results/", "/api/download/", "/api/video/", "/api/session/"}) {
      const std::string response = get(route + id);
      const int status = status_of(response);
      EXPECT_TRUE(status == 400 || status == 404) << route << id << " -> " << status;
      EXPECT_EQ(body_of(response).find("root:"), std::string::npos);
    }
    const std::string deleted =
        exchange("DELETE /api/session/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    EXPECT_TRUE(status_of(deleted) == 400 || status_of(deleted) == 404) << id;
  }
  for (const std::string& target : std::vector<std::string>{
           "/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "//etc/passwd",
           "/vendor/swagger-ui/../../../../etc/passwd", "/.%2e/.%2e/etc/passwd",
           "/vendor/swagger-ui/%2e%2e/%2e%2e/package.json", "/node_modules/swagger-ui-dist/package.json"}) {
    const std::string response = get(target);
    const int status = status_of(response);
    EXPECT_TRUE(status == 400 || status == 404) << target << " -> " << status;
    EXPECT_EQ(body_of(response).find("root:"), std::string::npos);
  }
  EXPECT_TRUE(fs::exists(config_.data_dir / "dancedynamics.db"));
  EXPECT_TRUE(store_->get_session(kKnownId, false).has_value());
}

}  // namespace
}  // namespace dd::server
