#include "server/byte_range.h"

#include <charconv>
#include <string>

namespace dd::server {
namespace {

std::optional<uint64_t> parse_number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Error unsatisfiable(std::string_view header) {
  return make_error(ErrorCode::kInvalidArgument, "unsatisfiable range: " + std::string(header));
}

}  // namespace

Result<std::optional<ByteRange>> parse_byte_range(std::string_view header, uint64_t size) {
  constexpr std::string_view kPrefix = "bytes=";
  if (header.substr(0, kPrefix.size()) != kPrefix) return std::optional<ByteRange>{};
  std::string_view spec = header.substr(kPrefix.size());
  while (!spec.empty() && spec.front() == ' ') spec.remove_prefix(1);
  while (!spec.empty() && spec.back() == ' ') spec.remove_suffix(1);
  if (spec.find(',') != std::string_view::npos) return std::optional<ByteRange>{};
  const size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return unsatisfiable(header);
  const std::string_view first_text = spec.substr(0, dash);
  const std::string_view last_text = spec.substr(dash + 1);
  if (first_text.empty()) {
    // Suffix range: the last N bytes.
    auto suffix = parse_number(last_text);
    if (!suffix || *suffix == 0 || size == 0) return unsatisfiable(header);
    const uint64_t length = *suffix < size ? *suffix : size;
    return std::optional<ByteRange>(ByteRange{size - length, size - 1});
  }
  auto first = parse_number(first_text);
  if (!first || *first >= size) return unsatisfiable(header);
  uint64_t last = size - 1;
  if (!last_text.empty()) {
    auto parsed_last = parse_number(last_text);
    if (!parsed_last || *parsed_last < *first) return unsatisfiable(header);
    if (*parsed_last < last) last = *parsed_last;
  }
  return std::optional<ByteRange>(ByteRange{*first, last});
}

}  // namespace dd::server
