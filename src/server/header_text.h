// Small text steps of reading HTTP header values (case-insensitive tokens, optional white space).
#pragma once

#include <string>
#include <string_view>

namespace dd::server {

// `text` with ASCII letters lowered: header tokens and media types compare case-insensitively.
std::string lower_ascii(std::string_view text);

// `text` without the spaces and tabs around it (HTTP's optional white space).
std::string_view trim_header_space(std::string_view text);

}  // namespace dd::server
