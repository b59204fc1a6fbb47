// libFuzzer: HTTP request handling as the server does it: Beast's request parser (the
// server's header and body limits), percent-decoding of the target, then the real router
// (Api::handle) over a temporary SQLite store holding one finished session. Oracle beyond
// the sanitizers: a file answer never lies outside the web directory or DATA_DIR.
#include <unistd.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "core/log.h"
#include "server/api.h"
#include "server/job_queue.h"
#include "store/sqlite_store.h"

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace fs = std::filesystem;

constexpr const char* kSessionId = "0123456789abcdef0123456789abcdef";

struct Fixture {
  fs::path data_dir;
  std::unique_ptr<dd::store::Store> store;
  std::unique_ptr<dd::server::JobQueue> jobs;
  std::unique_ptr<dd::server::Api> api;
  dd::server::ServerConfig config;
};

bool inside(const fs::path& file, const fs::path& dir) {
  std::error_code ec;
  const fs::path canonical_file = fs::weakly_canonical(file, ec);
  const fs::path canonical_dir = fs::weakly_canonical(dir, ec);
  auto [dir_end, file_it] = std::mismatch(canonical_dir.begin(), canonical_dir.end(), canonical_file.begin(),
                                          canonical_file.end());
  return dir_end == canonical_dir.end();
}

// Puts the known session back (a fuzzed DELETE may have removed it).
void ensure_session(Fixture& fixture) {
  if (fixture.store->get_session(kSessionId, false)) return;
  dd::store::Session session;
  session.id = kSessionId;
  session.filename = "clip.mp4";
  const fs::path dir = fixture.data_dir / "sessions" / kSessionId;
  fs::create_directories(dir);
  session.input_path = (dir / "input.mp4").string();
  session.output_dir = dir.string();
  session.created_at_ms = 1;
  (void)fixture.store->create_session(session);
}

Fixture& fixture() {
  static Fixture* instance = [] {
    auto* f = new Fixture;
    f->data_dir = fs::temp_directory_path() / ("dd_fuzz_http_" + std::to_string(getpid()));
    fs::create_directories(f->data_dir / "sessions");
    f->config.data_dir = f->data_dir;
    f->config.web_dir = DD_FUZZ_WEB_DIR;
    f->store = std::move(*dd::store::open_sqlite_store(f->data_dir / "dancedynamics.db"));
    f->jobs = std::make_unique<dd::server::JobQueue>(
        *f->store,
        [](const fs::path&, const fs::path&, const dd::pipeline::PipelineOptions&, const dd::pipeline::ProgressCallback&,
           std::stop_token) -> dd::Result<dd::pipeline::PipelineOutputs> {
          return dd::make_error(dd::ErrorCode::kInternal, "not run while fuzzing");
        },
        dd::server::JobQueueOptions{});
    f->api = std::make_unique<dd::server::Api>(f->config, *f->store, *f->jobs,
                                               [](const fs::path&) -> dd::Result<dd::server::UploadedVideo> {
                                                 return dd::make_error(dd::ErrorCode::kInvalidArgument, "no probe");
                                               });
    return f;
  }();
  return *instance;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  dd::set_log_level("off");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Fixture& f = fixture();
  ensure_session(f);
  http::request_parser<http::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(1024 * 1024);
  parser.eager(true);
  beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec == http::error::need_more) parser.put_eof(ec);
  if (ec || !parser.is_done()) return 0;
  const auto& request = parser.get();
  const std::string target(request.target());
  auto path = dd::server::percent_decode_path(std::string_view(target).substr(0, target.find('?')));
  if (!path || path->empty() || path->front() != '/') return 0;
  dd::server::ApiResponse response =
      f.api->handle(dd::server::ApiRequest{std::string(request.method_string()), *path, request.body()});
  if (response.status < 100 || response.status > 599) __builtin_trap();
  if (!response.file.empty() && !inside(response.file, f.config.web_dir) && !inside(response.file, f.data_dir)) {
    __builtin_trap();
  }
  return 0;
}
