// The only translation unit of the server that includes Beast: listener, HTTP session
// (with the streaming upload) and WebSocket session, each connection on its own strand.
#include "server/http_server.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include "core/log.h"
#include "core/version.h"
#include "server/access_policy.h"
#include "server/byte_range.h"
#include "server/gzip.h"
#include "server/multipart_parser.h"
#include "server/session_cleaner.h"

namespace dd::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace fs = std::filesystem;
using tcp = net::ip::tcp;

constexpr size_t kHeaderLimitBytes = 16 * 1024;
constexpr uint64_t kSmallBodyLimitBytes = 1024 * 1024;     // JSON options and the like
constexpr uint64_t kMultipartOverheadBytes = 1024 * 1024;  // boundaries, part headers, small fields
constexpr int64_t kOtherFieldsLimitBytes = 64 * 1024;      // non-file form fields, discarded
constexpr std::string_view kNoFileField = "no 'file' field: send the video in the form field named 'file'";
constexpr size_t kChunkBytes = 64 * 1024;
constexpr auto kLingerTime = std::chrono::seconds(2);  // reading (and dropping) a refused body
constexpr size_t kWebSocketMessageLimitBytes = 64 * 1024;
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' "
    "'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'";

std::chrono::steady_clock::duration seconds(double value) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(value));
}

template <class Fields>
void set_common_headers(Fields& fields) {
  fields.set(http::field::server, std::string("dancedynamics/") + kVersion);
  fields.set("X-Content-Type-Options", "nosniff");
  fields.set("Content-Security-Policy", kContentSecurityPolicy);
  fields.set("Referrer-Policy", "no-referrer");
  fields.set("X-Frame-Options", "DENY");
}

struct Context {
  ServerConfig config;
  Api& api;
};

// Receives the parts of an upload: the `file` part streams to DATA_DIR/sessions/<id>/input.<ext>.
class UploadReceiver final : public MultipartHandler {
 public:
  UploadReceiver(Api& api, std::string boundary, int64_t max_file_bytes)
      : api_(api),
        parser_(std::move(boundary)),
        id_(Api::new_session_id()),
        max_file_bytes_(max_file_bytes) {}

  ~UploadReceiver() override {
    if (!committed_) remove_files();
  }

  Status feed(std::string_view chunk) { return parser_.feed(chunk, *this); }
  bool complete() const { return parser_.done(); }
  bool has_file() const { return has_file_; }
  int reject_status() const { return reject_status_; }
  const std::string& reject_detail() const { return reject_detail_; }

  // Probes and records the upload (the API removes the files when it refuses them).
  ApiResponse finish() {
    committed_ = true;
    return api_.finish_upload(id_, filename_, path_, file_bytes_);
  }

  void remove_files() {
    file_.close();
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  Status on_part_begin(const MultipartPartHeader& header) override {
    in_file_ = header.name == "file";
    // A file under another name is a client that named the field differently, not a large form.
    if (!in_file_ && header.filename) return reject(422, std::string(kNoFileField));
    if (!in_file_) return ok_status();
    if (has_file_) return reject(400, "only one file per upload");
    if (!header.filename) return reject(422, "the file field must carry a file");
    const std::string extension = Api::accepted_extension(*header.filename);
    if (extension.empty()) {
      return reject(400, "unsupported file type; accepted: mp4, mov, avi, mkv, webm, m4v");
    }
    has_file_ = true;
    filename_ = *header.filename;
    dir_ = api_.session_dir(id_);
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) return reject_storage(ec.value());
    path_ = dir_ / ("input." + extension);
    errno = 0;
    file_.open(path_, std::ios::binary | std::ios::trunc);
    if (!file_) return reject_storage(errno);
    return ok_status();
  }

  Status on_part_data(std::string_view data) override {
    const int64_t size = static_cast<int64_t>(data.size());
    if (!in_file_) {
      other_bytes_ += size;
      if (other_bytes_ > kOtherFieldsLimitBytes) return reject(413, "form fields too large");
      return ok_status();
    }
    file_bytes_ += size;
    if (file_bytes_ > max_file_bytes_) {
      return reject(413, "file too large; the limit is " + std::to_string(max_file_bytes_) + " bytes");
    }
    errno = 0;
    file_.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!file_) return reject_storage(errno);
    return ok_status();
  }

  Status on_part_end() override {
    if (in_file_) {
      errno = 0;
      file_.close();
      if (!file_) return reject_storage(errno);
    }
    in_file_ = false;
    return ok_status();
  }

 private:
  // A full disk (or quota) is 507 Insufficient Storage, so clients can tell it from a bug.
  Status reject_storage(int error_number) {
    if (error_number == ENOSPC || error_number == EDQUOT) {
      return reject(507, "the server has no space left to store the upload");
    }
    return reject(500, "cannot store the upload");
  }

  Status reject(int status, std::string detail) {
    reject_status_ = status;
    reject_detail_ = detail;
    return make_error(ErrorCode::kInvalidArgument, std::move(detail));
  }

  Api& api_;
  MultipartParser parser_;
  std::string id_;
  int64_t max_file_bytes_;
  bool in_file_ = false;
  bool has_file_ = false;
  bool committed_ = false;
  std::string filename_;
  fs::path dir_;
  fs::path path_;
  std::ofstream file_;
  int64_t file_bytes_ = 0;
  int64_t other_bytes_ = 0;
  int reject_status_ = 0;
  std::string reject_detail_;
};

class WebSocketSession : public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(tcp::socket&& socket, Context& context, std::string id)
      : ws_(std::move(socket)), context_(context), id_(std::move(id)), keepalive_(ws_.get_executor()) {}

  template <class Request>
  void run(Request request) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
      response.set(http::field::server, std::string("dancedynamics/") + kVersion);
    }));
    ws_.read_message_max(kWebSocketMessageLimitBytes);
    ws_.async_accept(request, beast::bind_front_handler(&WebSocketSession::on_accept, shared_from_this()));
  }

 private:
  void on_accept(beast::error_code ec) {
    if (ec) return;
    // Subscribe before reading the state so no event falls between the two; events are
    // posted to this strand, so they queue behind the greeting.
    std::weak_ptr<WebSocketSession> weak = shared_from_this();
    Api& api = context_.api;
    subscription_ = api.store().subscribe(id_, [weak, &api](const store::SessionEvent& event) {
      auto self = weak.lock();
      if (!self) return;
      std::string message = api.websocket_message(event);
      if (message.empty()) return;
      const bool is_progress = event.type == store::SessionEventType::kProgress;
      net::post(self->ws_.get_executor(), [self, message = std::move(message), is_progress]() mutable {
        self->enqueue(std::move(message), is_progress);
      });
    });
    auto greeting = api.websocket_greeting(id_);
    if (!greeting) {
      subscription_.reset();
      close_after_writes_ = true;
      enqueue(nlohmann::json{{"type", "error"}, {"session_id", id_}, {"error", "session not found"}}.dump(),
              false);
      return;
    }
    for (auto& message : *greeting) enqueue(std::move(message), false);
    do_read();
    arm_keepalive();
  }

  void do_read() {
    ws_.async_read(buffer_, beast::bind_front_handler(&WebSocketSession::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, size_t) {
    if (ec) {
      shut_down();
      return;
    }
    const std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (std::string reply = Api::websocket_reply(id_, text); !reply.empty()) enqueue(std::move(reply), false);
    do_read();
  }

  void enqueue(std::string message, bool is_progress) {
    if (closed_) return;
    // A slow client gets the newest progress, not a backlog: replace a waiting progress message.
    if (is_progress && queue_.size() > 1 && queue_.back().is_progress) {
      queue_.back().text = std::move(message);
      return;
    }
    queue_.push_back({std::move(message), is_progress});
    if (queue_.size() == 1) do_write();
  }

  void do_write() {
    ws_.text(true);
    ws_.async_write(net::buffer(queue_.front().text),
                    beast::bind_front_handler(&WebSocketSession::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, size_t) {
    if (ec) {
      shut_down();
      return;
    }
    last_sent_ = std::chrono::steady_clock::now();
    queue_.pop_front();
    if (!queue_.empty()) {
      do_write();
    } else if (close_after_writes_) {
      closed_ = true;
      ws_.async_close(websocket::close_code::policy_error,
                      [self = shared_from_this()](beast::error_code) { self->shut_down(); });
    }
  }

  void arm_keepalive() {
    keepalive_.expires_after(seconds(context_.config.keepalive_interval_s));
    keepalive_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->closed_) return;
      if (std::chrono::steady_clock::now() - self->last_sent_ >=
          seconds(self->context_.config.keepalive_interval_s) / 2) {
        self->enqueue(nlohmann::json{{"type", "keepalive"}, {"session_id", self->id_}}.dump(), false);
      }
      self->arm_keepalive();
    });
  }

  void shut_down() {
    closed_ = true;
    keepalive_.cancel();
    subscription_.reset();
  }

  struct Outgoing {
    std::string text;
    bool is_progress = false;
  };

  websocket::stream<beast::tcp_stream> ws_;
  Context& context_;
  std::string id_;
  beast::flat_buffer buffer_;
  net::steady_timer keepalive_;
  std::deque<Outgoing> queue_;  // front is being written
  std::chrono::steady_clock::time_point last_sent_ = std::chrono::steady_clock::now();
  store::Subscription subscription_;
  bool close_after_writes_ = false;
  bool closed_ = false;
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& socket, Context& context) : stream_(std::move(socket)), context_(context) {
    // File answers go out as a header write then body writes; with Nagle's algorithm the
    // body waits for the client's delayed ACK of the header (~40 ms per static file).
    beast::error_code ignored;
    stream_.socket().set_option(tcp::no_delay(true), ignored);
  }

  void run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
  }

 private:
  void do_read() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimitBytes);
    // The parser checks Content-Length against this while reading the header; the limit
    // is lowered for everything but uploads once the route is known.
    parser_->body_limit(static_cast<uint64_t>(context_.config.max_file_size) + kMultipartOverheadBytes);
    body_.clear();
    body_bytes_ = 0;
    upload_.reset();
    stream_.expires_after(seconds(context_.config.read_timeout_s));
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&HttpSession::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, size_t) {
    if (ec == http::error::end_of_stream) return close();
    if (ec == http::error::header_limit)
      return respond(error_response(431, "request header too large"), true);
    if (ec == http::error::body_limit) {
      return respond(error_response(413, "request body too large; the upload limit is " +
                                             std::to_string(context_.config.max_file_size) + " bytes"),
                     true);
    }
    if (ec) {
      // Timeouts and resets end the connection; a malformed request gets a 400 first.
      if (ec.category() == beast::error_code(http::error::bad_method).category()) {
        return respond(error_response(400, "malformed request"), true);
      }
      return close();
    }
    started_ = std::chrono::steady_clock::now();
    auto& request = parser_->get();
    method_ = std::string(request.method_string());
    target_ = std::string(request.target());
    range_ = std::string(request[http::field::range]);
    accepts_gzip_ = accepts_gzip(request[http::field::accept_encoding]);
    const std::string_view raw_path = std::string_view(target_).substr(0, target_.find('?'));
    auto path = percent_decode_path(raw_path);
    if (!path || path->empty() || path->front() != '/')
      return respond(error_response(400, "malformed request target"), true);
    path_ = std::move(*path);
    if (auto refused = check_access(request)) return respond(std::move(*refused), true);

    if (websocket::is_upgrade(request)) {
      if (path_.rfind("/ws/", 0) == 0 && path_.find('/', 4) == std::string::npos) {
        const std::string id = path_.substr(4);
        DD_LOG_INFO("http: {} {} 101 websocket", method_, target_);
        std::make_shared<WebSocketSession>(stream_.release_socket(), context_, id)->run(parser_->release());
        return;
      }
      return respond(error_response(404, "Not Found"), true);
    }
    if (path_ == "/api/upload" && request.method() == http::verb::post) return start_upload();
    if (auto length = parser_->content_length(); length && *length > kSmallBodyLimitBytes) {
      return respond(error_response(413, "request body too large"), true);
    }
    parser_->body_limit(kSmallBodyLimitBytes);
    read_body();
  }

  // Applies docs/security.md: CORS preflights are answered here; a state-changing or
  // WebSocket request from a foreign origin not in CORS_ORIGINS is 403 (no cross-site
  // uploads or socket hijacking via the cookie); API paths need the token when one is set.
  template <class Request>
  std::optional<ApiResponse> check_access(const Request& request) {
    const ServerConfig& config = context_.config;
    const std::string_view origin = request[http::field::origin];
    cors_origin_.clear();
    preflight_ = false;
    const bool cross_origin = !origin.empty() && !is_same_origin(origin, request[http::field::host]);
    if (cross_origin && is_allowed_origin(origin, config.cors_origins)) cors_origin_ = std::string(origin);
    if (request.method() == http::verb::options && !origin.empty()) {
      if (cross_origin && cors_origin_.empty()) return error_response(403, "origin not allowed");
      preflight_ = true;
      ApiResponse response;
      response.status = 204;
      response.content_type.clear();
      return response;
    }
    const bool safe_method = request.method() == http::verb::get || request.method() == http::verb::head;
    if (cross_origin && cors_origin_.empty() && (!safe_method || websocket::is_upgrade(request))) {
      return error_response(403, "cross-origin request from an origin not in CORS_ORIGINS");
    }
    if (!config.api_token.empty() && path_requires_token(path_)) {
      const size_t question = target_.find('?');
      const std::string_view query =
          question == std::string::npos ? std::string_view() : std::string_view(target_).substr(question + 1);
      if (!token_matches(config.api_token, presented_token(request[http::field::authorization],
                                                           request[http::field::cookie], query))) {
        return error_response(401, "an API token is required (Authorization: Bearer <token>)");
      }
    }
    return std::nullopt;
  }

  template <class Fields>
  void set_access_headers(Fields& fields, int status) const {
    if (status == 401) fields.set(http::field::www_authenticate, "Bearer realm=\"dancedynamics\"");
    if (cors_origin_.empty()) return;
    fields.set(http::field::access_control_allow_origin, cors_origin_);
    fields.set(http::field::vary, "Origin");
    fields.set(http::field::access_control_expose_headers,
               "Content-Range, Content-Disposition, Content-Length");
    if (preflight_) {
      fields.set(http::field::access_control_allow_methods, "GET, POST, DELETE, OPTIONS");
      fields.set(http::field::access_control_allow_headers, "Authorization, Content-Type, Range");
      fields.set(http::field::access_control_max_age, "600");
    }
  }

  void start_upload() {
    const auto& request = parser_->get();
    auto boundary = multipart_boundary(request[http::field::content_type]);
    if (!boundary) {
      return respond(error_response(422, "a multipart/form-data body with a 'file' field is required"), true);
    }
    upload_ =
        std::make_unique<UploadReceiver>(context_.api, std::move(*boundary), context_.config.max_file_size);
    if (beast::iequals(request[http::field::expect], "100-continue")) {
      // curl and other clients wait for this (or a timeout) before sending a large body.
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                       [self = shared_from_this()](beast::error_code ec, size_t) {
                         if (ec) return self->close();
                         self->read_body();
                       });
      return;
    }
    read_body();
  }

  void read_body() {
    if (parser_->is_done()) return on_body_complete();
    // Allocated on first use, so a thousand idle keep-alive connections cost no 64 KiB each.
    chunk_.resize(kChunkBytes);
    parser_->get().body().data = chunk_.data();
    parser_->get().body().size = chunk_.size();
    stream_.expires_at(body_read_deadline());
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::on_body, shared_from_this()));
  }

  void on_body(beast::error_code ec, size_t) {
    if (ec == http::error::need_buffer) ec = {};
    if (ec == http::error::body_limit) {
      if (upload_) upload_->remove_files();
      return respond(error_response(413, "request body too large"), true);
    }
    if (ec) {
      if (upload_) upload_->remove_files();
      return close();
    }
    const size_t received = chunk_.size() - parser_->get().body().size;
    body_bytes_ += received;
    const std::string_view data(chunk_.data(), received);
    if (upload_) {
      if (auto fed = upload_->feed(data); !fed) {
        const int status = upload_->reject_status() != 0 ? upload_->reject_status() : 400;
        const std::string detail = upload_->reject_status() != 0
                                       ? upload_->reject_detail()
                                       : "malformed multipart body: " + fed.error().message;
        upload_->remove_files();
        return respond(error_response(status, detail), true);
      }
    } else {
      body_.append(data);
    }
    read_body();
  }

  // Each read has read_timeout_s, and the body as a whole must keep up min_upload_rate after
  // that much grace: a body trickled a few bytes per read would otherwise hold the
  // connection (and a partial upload) for days.
  std::chrono::steady_clock::time_point body_read_deadline() const {
    const ServerConfig& config = context_.config;
    const auto grace = seconds(config.read_timeout_s);
    auto deadline = std::chrono::steady_clock::now() + grace;
    if (config.min_upload_rate > 0) {
      const auto earned = seconds(static_cast<double>(body_bytes_) / config.min_upload_rate);
      deadline = std::min(deadline, started_ + grace + earned);
    }
    return deadline;
  }

  void on_body_complete() {
    if (!upload_) {
      const size_t question = target_.find('?');
      std::string query = question == std::string::npos ? std::string() : target_.substr(question + 1);
      return respond(context_.api.handle(ApiRequest{method_, path_, std::move(body_), std::move(query)}),
                     false);
    }
    if (!upload_->complete()) {
      upload_->remove_files();
      return respond(error_response(400, "malformed multipart body: no closing boundary"), false);
    }
    if (!upload_->has_file()) {
      upload_->remove_files();
      return respond(error_response(422, kNoFileField), false);
    }
    ApiResponse response = upload_->finish();
    upload_.reset();
    respond(std::move(response), false);
  }

  // Writes `response`. body_unread: the request body was not consumed, so the connection
  // closes after a short linger that lets the client finish sending and read the answer.
  void respond(ApiResponse response, bool body_unread) {
    const unsigned version = parser_ ? parser_->get().version() : 11;
    keep_alive_ = !body_unread && parser_ && parser_->get().keep_alive();
    linger_ = body_unread;
    status_ = response.status;
    if (!response.file.empty()) return respond_file(std::move(response), version);

    auto message = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(response.status), version);
    set_common_headers(*message);
    set_access_headers(*message, response.status);
    if (!response.content_type.empty()) message->set(http::field::content_type, response.content_type);
    message->set(http::field::cache_control, response.cache_control);
    if (!response.allow.empty()) message->set(http::field::allow, response.allow);
    if (!response.content_disposition.empty())
      message->set(http::field::content_disposition, response.content_disposition);
    if (!content_range_.empty()) message->set(http::field::content_range, content_range_);
    if (is_compressible(response.content_type)) {
      add_vary_accept_encoding(*message);
      if (accepts_gzip_ && response.body.size() >= kMinGzipBytes) {
        if (auto compressed = gzip_compress(response.body)) {
          response.body = std::move(*compressed);
          message->set(http::field::content_encoding, "gzip");
        }
      }
    }
    message->body() = std::move(response.body);
    message->keep_alive(keep_alive_);
    message->prepare_payload();
    bytes_ = message->body().size();
    http::async_write(stream_, *message, [self = shared_from_this(), message](beast::error_code ec, size_t) {
      self->on_write(ec);
    });
  }

  static bool is_inside(const fs::path& file, const fs::path& dir) {
    const fs::path relative = file.lexically_normal().lexically_relative(dir.lexically_normal());
    return !relative.empty() && *relative.begin() != "..";
  }

  // Vary tells caches that the answer depends on Accept-Encoding (as well as Origin for CORS).
  template <class Fields>
  static void add_vary_accept_encoding(Fields& fields) {
    const std::string vary(fields[http::field::vary]);
    fields.set(http::field::vary, vary.empty() ? "Accept-Encoding" : vary + ", Accept-Encoding");
  }

  void respond_file(ApiResponse response, unsigned version) {
    // A session's whole JSON/CSV export goes out as its cached gzip copy beside it (made once,
    // never in the web directory); ranges are of the plain file.
    const bool compressible = is_compressible(response.content_type);
    bool gzipped = false;
    if (compressible && accepts_gzip_ && range_.empty() &&
        is_inside(response.file, context_.config.data_dir)) {
      if (auto copy = gzipped_copy(response.file)) {
        response.file = std::move(*copy);
        gzipped = true;
      } else {
        DD_LOG_WARN("http: sending {} uncompressed: {}", path_, copy.error().message);
      }
    }
    auto file = std::make_unique<std::ifstream>(response.file, std::ios::binary);
    std::error_code size_ec;
    const uint64_t size = fs::file_size(response.file, size_ec);
    if (!*file || size_ec) return respond(error_response(404, "Not Found"), false);
    ByteRange range{0, size == 0 ? 0 : size - 1};
    bool partial = false;
    if (!range_.empty()) {
      auto parsed = parse_byte_range(range_, size);
      if (!parsed) {
        ApiResponse refused = error_response(416, "requested range not satisfiable");
        refused.content_disposition.clear();
        content_range_ = "bytes */" + std::to_string(size);
        return respond(std::move(refused), false);
      }
      if (*parsed) {
        range = **parsed;
        partial = true;
      }
    }
    chunk_.resize(kChunkBytes);
    file_send_ = std::make_unique<FileSend>();
    auto& message = file_send_->message;
    message.version(version);
    message.result(partial ? http::status::partial_content : http::status::ok);
    status_ = partial ? 206 : 200;
    set_common_headers(message);
    set_access_headers(message, status_);
    message.set(http::field::content_type, response.content_type);
    message.set(http::field::cache_control, response.cache_control);
    message.set(http::field::accept_ranges, "bytes");
    if (!response.content_disposition.empty())
      message.set(http::field::content_disposition, response.content_disposition);
    if (compressible) add_vary_accept_encoding(message);
    if (gzipped) message.set(http::field::content_encoding, "gzip");
    if (partial) {
      message.set(http::field::content_range, "bytes " + std::to_string(range.first) + "-" +
                                                  std::to_string(range.last) + "/" + std::to_string(size));
    }
    const uint64_t length = size == 0 ? 0 : range.length();
    message.content_length(length);
    message.keep_alive(keep_alive_);
    message.body().data = nullptr;
    message.body().more = length > 0;
    file->seekg(static_cast<std::streamoff>(range.first));
    file_send_->file = std::move(file);
    file_send_->remaining = length;
    file_send_->serializer.emplace(message);
    bytes_ = length;
    http::async_write_header(stream_, *file_send_->serializer,
                             beast::bind_front_handler(&HttpSession::on_file_write, shared_from_this()));
  }

  void on_file_write(beast::error_code ec, size_t) {
    if (ec == http::error::need_buffer) ec = {};
    if (ec) return close();
    if (file_send_->serializer->is_done()) {
      file_send_.reset();
      return on_write({});
    }
    auto& body = file_send_->message.body();
    const size_t want = static_cast<size_t>(std::min<uint64_t>(file_send_->remaining, chunk_.size()));
    if (want > 0) {
      file_send_->file->read(chunk_.data(), static_cast<std::streamsize>(want));
      const size_t got = static_cast<size_t>(file_send_->file->gcount());
      if (got == 0) return close();  // the file shrank under us: end the connection
      file_send_->remaining -= got;
      body.data = chunk_.data();
      body.size = got;
      body.more = file_send_->remaining > 0;
    } else {
      body.data = nullptr;
      body.size = 0;
      body.more = false;
    }
    http::async_write(stream_, *file_send_->serializer,
                      beast::bind_front_handler(&HttpSession::on_file_write, shared_from_this()));
  }

  void on_write(beast::error_code ec) {
    const double elapsed_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_).count();
    DD_LOG_INFO("http: {} {} {} {}B {:.1f}ms", method_, target_, status_, bytes_, elapsed_ms);
    content_range_.clear();
    if (ec) return close();
    if (linger_) return linger();
    if (!keep_alive_) return close();
    do_read();
  }

  // Half-closes and drops whatever the client still sends for a short while, so it sees
  // the response instead of a reset.
  void linger() {
    chunk_.resize(kChunkBytes);
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTime);
    drain();
  }

  void drain() {
    stream_.async_read_some(net::buffer(chunk_), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->close();
      self->drain();
    });
  }

  void close() {
    if (upload_) upload_->remove_files();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  struct FileSend {
    http::response<http::buffer_body> message;
    std::optional<http::response_serializer<http::buffer_body>> serializer;
    std::unique_ptr<std::ifstream> file;
    uint64_t remaining = 0;
  };

  beast::tcp_stream stream_;
  Context& context_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::buffer_body>> parser_;
  std::vector<char> chunk_;
  std::string body_;
  uint64_t body_bytes_ = 0;  // request body bytes received so far
  std::unique_ptr<UploadReceiver> upload_;
  std::unique_ptr<FileSend> file_send_;
  std::string method_, target_, path_, range_, content_range_, cors_origin_;
  bool preflight_ = false;
  bool accepts_gzip_ = false;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  int status_ = 0;
  uint64_t bytes_ = 0;
  bool keep_alive_ = false;
  bool linger_ = false;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& io, tcp::acceptor&& acceptor, Context& context)
      : io_(io), acceptor_(std::move(acceptor)), context_(context), retry_(acceptor_.get_executor()) {}

  void run() { do_accept(); }

  void close() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->retry_.cancel();
      self->acceptor_.close(ignored);
    });
  }

 private:
  void do_accept() {
    acceptor_.async_accept(net::make_strand(io_),
                           beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
  }

  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      // Out of file descriptors (EMFILE) and the like: retrying at once would spin a core
      // while the condition lasts; pending connections wait in the backlog meanwhile.
      DD_LOG_WARN("server: accept failed: {}", ec.message());
      retry_.expires_after(std::chrono::milliseconds(100));
      retry_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
        if (!wait_ec) self->do_accept();
      });
      return;
    }
    std::make_shared<HttpSession>(std::move(socket), context_)->run();
    do_accept();
  }

  net::io_context& io_;
  tcp::acceptor acceptor_;
  Context& context_;
  net::steady_timer retry_;
};

}  // namespace

struct Server::Impl {
  Impl(const ServerConfig& config, store::Store& store, jobs::JobRunner runner, VideoProber prober,
       jobs::CompareRunner compare_runner)
      : jobs(store, std::move(runner), config.jobs, std::move(compare_runner)),
        api(config, store, jobs, std::move(prober)),
        context{config, api},
        io(std::max(1, config.io_threads)) {}

  jobs::JobQueue jobs;
  Api api;
  Context context;
  net::io_context io;  // destroyed first: pending handlers still reference the members above
  std::shared_ptr<Listener> listener;
  std::unique_ptr<SessionCleaner> cleaner;
  std::vector<std::thread> threads;
  uint16_t port = 0;
  std::atomic<bool> stopped{false};
};

Result<std::unique_ptr<Server>> Server::start(const ServerConfig& config, store::Store& store,
                                              jobs::JobRunner runner, VideoProber prober,
                                              jobs::CompareRunner compare_runner) {
  std::error_code fs_ec;
  const fs::path sessions_dir = config.data_dir / "sessions";
  fs::create_directories(sessions_dir, fs_ec);
  if (fs_ec) {
    return make_error(ErrorCode::kUnavailable,
                      "cannot create " + sessions_dir.string() + ": " + fs_ec.message());
  }

  auto impl =
      std::make_unique<Impl>(config, store, std::move(runner), std::move(prober), std::move(compare_runner));
  beast::error_code ec;
  const auto address = net::ip::make_address(config.host, ec);
  if (ec)
    return make_error(ErrorCode::kInvalidArgument, "invalid API_HOST '" + config.host + "': " + ec.message());
  tcp::acceptor acceptor(impl->io);
  const tcp::endpoint endpoint(address, config.port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return make_error(ErrorCode::kUnavailable, "cannot listen on " + config.host + ":" +
                                                   std::to_string(config.port) + ": " + ec.message());
  }
  impl->port = acceptor.local_endpoint().port();
  impl->listener = std::make_shared<Listener>(impl->io, std::move(acceptor), impl->context);
  impl->listener->run();
  CleanupPolicy cleanup;
  cleanup.session_ttl_s = config.session_ttl_s;
  cleanup.max_storage_bytes = config.max_storage_bytes;
  impl->cleaner = std::make_unique<SessionCleaner>(store, config.data_dir, cleanup);
  impl->jobs.start();
  for (int i = 0; i < std::max(1, config.io_threads); ++i) {
    impl->threads.emplace_back([io = &impl->io] { io->run(); });
  }
  DD_LOG_INFO("server: listening on {}:{} with {} I/O threads and {} workers, data in {}", config.host,
              impl->port, std::max(1, config.io_threads), config.jobs.workers, config.data_dir.string());
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  stop();
}

uint16_t Server::port() const {
  return impl_->port;
}

void Server::stop() {
  if (impl_->stopped.exchange(true)) return;
  DD_LOG_INFO("server: shutting down");
  impl_->listener->close();
  impl_->cleaner.reset();
  impl_->jobs.stop();
  // Give the I/O threads a moment to deliver the last job events to WebSocket clients.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  impl_->io.stop();
  for (auto& thread : impl_->threads) thread.join();
  impl_->threads.clear();
  DD_LOG_INFO("server: stopped");
}

}  // namespace dd::server
