// StagingDir: all-or-nothing outputs. Files are written into a private directory beside the
// final outputs and moved into place only when the whole job succeeded.
#pragma once

#include <filesystem>
#include <string>

#include "core/result.h"

namespace dd::pipeline {

class StagingDir {
 public:
  // A new hidden directory inside output_dir (created if missing); Unavailable when either
  // cannot be created.
  static Result<StagingDir> create(const std::filesystem::path& output_dir);
  StagingDir(StagingDir&& other) noexcept;
  StagingDir& operator=(StagingDir&&) = delete;
  // Removes the directory and whatever was not published.
  ~StagingDir();

  std::filesystem::path file(const std::string& name) const { return path_ / name; }

  // Moves `name` to `destination` (same filesystem: atomic replace); Unavailable on failure.
  Result<std::filesystem::path> publish(const std::string& name,
                                        const std::filesystem::path& destination) const;

 private:
  explicit StagingDir(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

}  // namespace dd::pipeline
