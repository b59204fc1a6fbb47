// HTTP Range header (RFC 9110 §14) for single byte ranges, as video players send them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/result.h"

namespace dd::server {

struct ByteRange {
  uint64_t first = 0;  // inclusive
  uint64_t last = 0;   // inclusive
  uint64_t length() const { return last - first + 1; }
};

// The range a `Range` header selects in a resource of `size` bytes. nullopt when the header
// should be ignored (not a bytes range, or several ranges: the whole file is sent);
// InvalidArgument when it is unsatisfiable (answer 416).
Result<std::optional<ByteRange>> parse_byte_range(std::string_view header, uint64_t size);

}  // namespace dd::server
