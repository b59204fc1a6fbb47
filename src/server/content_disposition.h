// Content-Disposition headers (RFC 6266) that name a download after the user's own upload,
// with an ASCII fallback for old clients and `filename*` (RFC 8187 UTF-8) for every other name.
#pragma once

#include <string>
#include <string_view>

namespace dd::server {

// The name of a file made from an upload: "Salsa night.mov" + "overlay.mp4" gives
// "Salsa night_overlay.mp4" (the upload's extension dropped); "dancedynamics_overlay.mp4"
// when the upload has no usable name.
std::string download_filename(std::string_view uploaded_name, std::string_view suffix);

// `disposition; filename="ascii"` plus `; filename*=UTF-8''percent-encoded` when the name is
// not plain printable ASCII. Quotes, backslashes, control characters and path separators
// never reach the header.
std::string content_disposition(std::string_view disposition, std::string_view filename);

}  // namespace dd::server
