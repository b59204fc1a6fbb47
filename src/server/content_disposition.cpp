#include "server/content_disposition.h"

namespace dd::server {
namespace {

bool is_utf8_continuation(unsigned char byte) {
  return (byte & 0xC0) == 0x80;
}

// RFC 8187 attr-char: the bytes that need no percent-encoding in filename*.
bool is_attr_char(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_safe_ascii(unsigned char c) {
  return c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '/';
}

}  // namespace

std::string download_filename(std::string_view uploaded_name, std::string_view suffix) {
  std::string_view stem = uploaded_name;
  if (const size_t slash = stem.find_last_of("/\\"); slash != std::string_view::npos)
    stem.remove_prefix(slash + 1);
  if (const size_t dot = stem.find_last_of('.'); dot != std::string_view::npos) stem = stem.substr(0, dot);
  while (!stem.empty() && (stem.front() == '.' || stem.front() == ' ')) stem.remove_prefix(1);
  const std::string base = stem.empty() ? std::string("dancedynamics") : std::string(stem);
  return base + "_" + std::string(suffix);
}

std::string content_disposition(std::string_view disposition, std::string_view filename) {
  std::string fallback;
  std::string encoded;
  bool plain = true;
  for (size_t i = 0; i < filename.size(); ++i) {
    const auto c = static_cast<unsigned char>(filename[i]);
    if (c < 0x20 || c == 0x7f) continue;  // control characters never reach the header
    if (is_safe_ascii(c)) {
      fallback.push_back(static_cast<char>(c));
    } else {
      plain = false;
      // One '_' for each non-ASCII character (not for each of its UTF-8 bytes).
      if (c < 0x80 || !is_utf8_continuation(c)) fallback.push_back('_');
    }
    if (is_attr_char(c)) {
      encoded.push_back(static_cast<char>(c));
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 0xf];
    }
  }
  if (fallback.empty()) fallback = "download";
  std::string header = std::string(disposition) + "; filename=\"" + fallback + "\"";
  if (!plain) header += "; filename*=UTF-8''" + encoded;
  return header;
}

}  // namespace dd::server
