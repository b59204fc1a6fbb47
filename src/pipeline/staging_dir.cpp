#include "pipeline/staging_dir.h"

#include <random>
#include <system_error>
#include <utility>

namespace dd::pipeline {

namespace fs = std::filesystem;

Result<StagingDir> StagingDir::create(const fs::path& output_dir) {
  std::error_code ec;
  fs::create_directories(output_dir, ec);
  if (ec)
    return make_error(ErrorCode::kUnavailable,
                      "cannot create output directory " + output_dir.string() + ": " + ec.message());
  std::random_device random;
  const fs::path path = output_dir / (".dd-staging-" + std::to_string(random()));
  if (!fs::create_directory(path, ec) || ec)
    return make_error(ErrorCode::kUnavailable, "cannot write into output directory " + output_dir.string() +
                                                   (ec ? ": " + ec.message() : ""));
  return StagingDir(path);
}

StagingDir::StagingDir(StagingDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}

StagingDir::~StagingDir() {
  if (path_.empty()) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

Result<fs::path> StagingDir::publish(const std::string& name, const fs::path& destination) const {
  std::error_code ec;
  fs::rename(path_ / name, destination, ec);
  if (ec) return make_error(ErrorCode::kUnavailable, "cannot move " + name + " into place: " + ec.message());
  return destination;
}

}  // namespace dd::pipeline
