// libFuzzer: the streaming multipart/form-data parser. The first byte picks the chunk size
// the body is fed in (so part boundaries straddle chunks); the rest is the body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/multipart_parser.h"

namespace {

// Checks the parser's callback order and that it never hands out more bytes than it got.
class CheckingHandler final : public dd::server::MultipartHandler {
 public:
  dd::Status on_part_begin(const dd::server::MultipartPartHeader& header) override {
    if (in_part_) __builtin_trap();
    in_part_ = true;
    if (header.name.size() > 64 * 1024) __builtin_trap();
    return dd::ok_status();
  }
  dd::Status on_part_data(std::string_view data) override {
    if (!in_part_) __builtin_trap();
    data_bytes_ += data.size();
    return dd::ok_status();
  }
  dd::Status on_part_end() override {
    if (!in_part_) __builtin_trap();
    in_part_ = false;
    return dd::ok_status();
  }
  size_t data_bytes() const { return data_bytes_; }

 private:
  bool in_part_ = false;
  size_t data_bytes_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const size_t chunk = static_cast<size_t>(data[0]) + 1;
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  // Also the boundary parsing of the Content-Type header, on the body's first line.
  const std::string_view first_line = body.substr(0, body.find('\n'));
  (void)dd::server::multipart_boundary(first_line);

  dd::server::MultipartParser parser("fuzzboundary", 1024);
  CheckingHandler handler;
  for (size_t offset = 0; offset < body.size(); offset += chunk) {
    if (!parser.feed(body.substr(offset, chunk), handler)) break;
  }
  if (handler.data_bytes() > body.size()) __builtin_trap();
  return 0;
}
