// libFuzzer: HTTP request handling as the server does it: Beast's request parser (the
// server's header and body limits), percent-decoding of the target, then the real router
// (Api::handle) over a temporary SQLite store holding one finished session. Oracle beyond
// the sanitizers: a file answer never lies outside the web directory or DATA_DIR.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "api_fixture.h"
#include "core/log.h"

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace fs = std::filesystem;

constexpr const char* kSessionId = "0123456789abcdef0123456789abcdef";

using Fixture = dd::fuzz::ApiFixture;

bool inside(const fs::path& file, const fs::path& dir) {
  std::error_code ec;
  const fs::path canonical_file = fs::weakly_canonical(file, ec);
  const fs::path canonical_dir = fs::weakly_canonical(dir, ec);
  auto [dir_end, file_it] =
      std::mismatch(canonical_dir.begin(), canonical_dir.end(), canonical_file.begin(), canonical_file.end());
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
    dd::server::ServerConfig config;
    config.web_dir = DD_FUZZ_WEB_DIR;
    return dd::fuzz::make_api_fixture("dd_fuzz_http", config).release();
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
  const size_t query_start = target.find('?');
  auto path = dd::server::percent_decode_path(std::string_view(target).substr(0, query_start));
  if (!path || path->empty() || path->front() != '/') return 0;
  dd::server::ApiResponse response = f.api->handle(dd::server::ApiRequest{
      std::string(request.method_string()), *path, request.body(),
      query_start == std::string::npos ? std::string() : target.substr(query_start + 1)});
  if (response.status < 100 || response.status > 599) __builtin_trap();
  if (!response.file.empty() && !inside(response.file, f.config.web_dir) &&
      !inside(response.file, f.data_dir)) {
    __builtin_trap();
  }
  return 0;
}
