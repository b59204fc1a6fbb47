#include "server/access_policy.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <array>

#include "server/api.h"

namespace dd::server {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// The value of `name` in a "k=v; k2=v2" (cookie) or "k=v&k2=v2" (query) list; nullopt if absent.
std::optional<std::string_view> list_value(std::string_view list, char separator, std::string_view name) {
  while (!list.empty()) {
    const size_t end = std::min(list.find(separator), list.size());
    const std::string_view item = trim(list.substr(0, end));
    list.remove_prefix(std::min(end + 1, list.size()));
    const size_t equals = item.find('=');
    if (equals != std::string_view::npos && item.substr(0, equals) == name) return item.substr(equals + 1);
  }
  return std::nullopt;
}

std::array<unsigned char, SHA256_DIGEST_LENGTH> digest(std::string_view text) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> out{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), out.data());
  return out;
}

}  // namespace

bool path_requires_token(std::string_view path) {
  if (path == "/api/docs") return false;
  return path == "/api" || path.rfind("/api/", 0) == 0 || path.rfind("/ws/", 0) == 0;
}

std::string presented_token(std::string_view authorization, std::string_view cookie, std::string_view query) {
  authorization = trim(authorization);
  if (authorization.size() > 7 && iequals(authorization.substr(0, 7), "Bearer ")) {
    return std::string(trim(authorization.substr(7)));
  }
  if (auto value = list_value(cookie, ';', kTokenCookie); value && !value->empty())
    return std::string(*value);
  if (auto value = list_value(query, '&', kTokenQueryParameter); value && !value->empty()) {
    // A '+' in a query means a space to form encoders; tokens are sent percent-encoded.
    auto decoded = percent_decode_path(*value);
    return decoded ? *decoded : std::string();
  }
  return "";
}

bool token_matches(std::string_view expected, std::string_view presented) {
  if (expected.empty() || presented.empty()) return false;
  const auto a = digest(expected);
  const auto b = digest(presented);
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool is_same_origin(std::string_view origin, std::string_view host) {
  if (host.empty()) return false;
  for (std::string_view scheme : {"http://", "https://"}) {
    if (origin.size() == scheme.size() + host.size() && origin.substr(0, scheme.size()) == scheme &&
        iequals(origin.substr(scheme.size()), host)) {
      return true;
    }
  }
  return false;
}

bool is_allowed_origin(std::string_view origin, const std::vector<std::string>& allowed) {
  if (origin.empty()) return false;
  for (const std::string& entry : allowed) {
    if (entry == "*" || entry == origin) return true;
  }
  return false;
}

std::vector<std::string> parse_origin_list(std::string_view list) {
  std::vector<std::string> origins;
  while (!list.empty()) {
    const size_t end = std::min(list.find(','), list.size());
    std::string_view origin = trim(list.substr(0, end));
    list.remove_prefix(std::min(end + 1, list.size()));
    while (!origin.empty() && origin.back() == '/') origin.remove_suffix(1);
    if (!origin.empty()) origins.emplace_back(origin);
  }
  return origins;
}

}  // namespace dd::server
