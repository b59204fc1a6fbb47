// What the API fuzzers drive: a throw-away data directory with a SQLite store, a job queue
// that never runs a job, and the real router (server::Api) over them.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "jobs/job_queue.h"
#include "server/api.h"
#include "store/sqlite_store.h"

namespace dd::fuzz {

struct ApiFixture {
  std::filesystem::path data_dir;
  server::ServerConfig config;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<jobs::JobQueue> jobs;
  std::unique_ptr<server::Api> api;
};

// Builds the fixture in <tmp>/<name>_<pid>/ with `config` (whose data_dir is set here). The
// fuzzers keep it for the process's lifetime.
inline std::unique_ptr<ApiFixture> make_api_fixture(const std::string& name, server::ServerConfig config) {
  namespace fs = std::filesystem;
  auto f = std::make_unique<ApiFixture>();
  f->data_dir = fs::temp_directory_path() / (name + "_" + std::to_string(getpid()));
  fs::create_directories(f->data_dir / "sessions");
  config.data_dir = f->data_dir;
  f->config = std::move(config);
  f->store = std::move(*store::open_sqlite_store(f->data_dir / "dancedynamics.db"));
  f->jobs = std::make_unique<jobs::JobQueue>(
      *f->store,
      [](const fs::path&, const fs::path&, const pipeline::PipelineOptions&,
         const pipeline::ProgressCallback&, std::stop_token) -> Result<pipeline::PipelineOutputs> {
        return make_error(ErrorCode::kInternal, "not run while fuzzing");
      },
      jobs::JobQueueOptions{});
  f->api = std::make_unique<server::Api>(f->config, *f->store, *f->jobs,
                                         [](const fs::path&) -> Result<server::UploadedVideo> {
                                           return make_error(ErrorCode::kInvalidArgument, "no probe");
                                         });
  return f;
}

}  // namespace dd::fuzz
