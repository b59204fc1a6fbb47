// libFuzzer: analysis options JSON: the body of POST /api/analyze/<id> through the router's
// validation, then (when accepted) the job queue's conversion into pipeline options, as a
// worker would do it. The session is reset to "uploaded" after every accepted request.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "api_fixture.h"
#include "core/log.h"

namespace {

namespace fs = std::filesystem;

constexpr const char* kSessionId = "0123456789abcdef0123456789abcdef";

using Fixture = dd::fuzz::ApiFixture;

void reset_session(Fixture& f) {
  (void)f.store->delete_session(kSessionId);
  dd::store::Session session;
  session.id = kSessionId;
  session.filename = "clip.mp4";
  session.input_path = (f.data_dir / "input.mp4").string();
  session.output_dir = f.data_dir.string();
  session.created_at_ms = 1;
  (void)f.store->create_session(session);
}

Fixture& fixture() {
  static Fixture* instance = [] {
    Fixture* f = dd::fuzz::make_api_fixture("dd_fuzz_options", {}).release();
    reset_session(*f);
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
  const std::string body(reinterpret_cast<const char*>(data), size);
  dd::server::ApiResponse response =
      f.api->handle(dd::server::ApiRequest{"POST", std::string("/api/analyze/") + kSessionId, body, ""});
  if (response.status == 202) {
    auto session = f.store->get_session(kSessionId, false);
    if (!session) __builtin_trap();
    // What the API accepts, a worker must be able to run.
    if (!f.jobs->pipeline_options(session->options)) __builtin_trap();
    reset_session(f);
  } else if (response.status != 400 && response.status != 422) {
    __builtin_trap();
  }
  return 0;
}
