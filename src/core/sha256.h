// SHA-256 of files (OpenSSL's libcrypto), for checking model files.
#pragma once

#include <filesystem>
#include <string>

#include "core/result.h"

namespace dd {

// Lower-case hex SHA-256 of the file's bytes; NotFound/DataLoss when it cannot be read.
Result<std::string> sha256_file_hex(const std::filesystem::path& path);

}  // namespace dd
