// Who may call the server: the optional API token (API_TOKEN) and the browser origins allowed
// cross-origin access (CORS_ORIGINS). Plain functions over header values, so the network
// layer stays thin and this is unit-tested without sockets. Model: docs/security.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dd::server {

// Name of the cookie and of the query parameter that may carry the token (browsers cannot
// set headers on <video src>, download links or WebSocket handshakes).
inline constexpr std::string_view kTokenCookie = "dd_token";
inline constexpr std::string_view kTokenQueryParameter = "token";

// True for paths that need the token when one is configured: /api/* (but not the /api/docs
// page) and /ws/*. The web app's files, /health and /openapi.json stay public.
bool path_requires_token(std::string_view path);

// The token a request presents: "Authorization: Bearer <t>", else the dd_token cookie, else
// the token query parameter (percent-decoded); empty when none.
std::string presented_token(std::string_view authorization, std::string_view cookie, std::string_view query);

// Constant-time comparison (of SHA-256 digests, so the length does not leak either).
bool token_matches(std::string_view expected, std::string_view presented);

// True when `origin` (an Origin header) names the server itself, given the Host header:
// http://<host> or https://<host>.
bool is_same_origin(std::string_view origin, std::string_view host);

// True when `origin` is listed in `allowed` (exact match; "*" allows any origin).
bool is_allowed_origin(std::string_view origin, const std::vector<std::string>& allowed);

// Splits CORS_ORIGINS ("https://a.example, https://b.example") into origins without
// spaces or a trailing slash; empty entries are dropped.
std::vector<std::string> parse_origin_list(std::string_view list);

}  // namespace dd::server
