// gzip Content-Encoding for the API's JSON and CSV answers (Beast has no HTTP compression of
// its own): measured on an 8 s 1080p analysis, landmarks.json 1.30 MB -> 0.52 MB,
// landmarks.csv 453 -> 126 KB, results.json 7.3 -> 1.4 KB. Pure functions over zlib.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dd::server {

// True when an Accept-Encoding header value accepts gzip ("gzip", "x-gzip" or "*", with a q
// value above 0).
bool accepts_gzip(std::string_view accept_encoding);

// True for the content types worth compressing: JSON, CSV and other text. Video and
// images are compressed already.
bool is_compressible(std::string_view content_type);

// Bodies smaller than this go out as they are: gzip's header would eat the gain.
inline constexpr size_t kMinGzipBytes = 1024;

// `data` as one gzip member; Internal when zlib fails.
Result<std::string> gzip_compress(std::string_view data);

// `path` + ".gz", compressed now when it is missing or older than `path` (written to a
// temporary name and renamed, so a concurrent reader never sees half a file). NotFound when
// `path` is missing, Unavailable when the copy cannot be written.
Result<std::filesystem::path> gzipped_copy(const std::filesystem::path& path);

}  // namespace dd::server
