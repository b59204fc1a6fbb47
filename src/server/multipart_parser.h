// Streaming multipart/form-data parser (RFC 7578): fed the request body chunk by chunk,
// it hands part data to a handler as it arrives, so an upload never sits whole in memory.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dd::server {

struct MultipartPartHeader {
  std::string name;                     // form field name
  std::optional<std::string> filename;  // present for file fields (client-supplied, untrusted)
  std::string content_type;
};

// Receives parts in order; an error from any callback stops the parse and is returned by feed().
class MultipartHandler {
 public:
  virtual ~MultipartHandler() = default;
  virtual Status on_part_begin(const MultipartPartHeader& header) = 0;
  virtual Status on_part_data(std::string_view data) = 0;
  virtual Status on_part_end() = 0;
};

// The boundary parameter of a multipart/form-data Content-Type; nullopt for any other type.
std::optional<std::string> multipart_boundary(std::string_view content_type);

class MultipartParser {
 public:
  explicit MultipartParser(std::string boundary, size_t max_part_header_bytes = 16 * 1024);

  // Consumes the next chunk of the body. InvalidArgument for a malformed body; otherwise
  // the first error a handler callback returned.
  Status feed(std::string_view chunk, MultipartHandler& handler);

  // True once the closing boundary was seen (the body is complete and well formed).
  bool done() const { return state_ == State::kEpilogue; }

 private:
  enum class State { kPreamble, kAfterBoundary, kHeaders, kBody, kEpilogue };

  Status parse_headers(std::string_view block, MultipartHandler& handler);

  std::string delimiter_;  // CRLF "--" boundary
  size_t max_part_header_bytes_;
  std::string buffer_;  // bytes not yet consumed
  State state_ = State::kPreamble;
};

}  // namespace dd::server
