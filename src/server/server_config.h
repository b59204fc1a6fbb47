// Settings of `dancedynamics serve` (filled from flags and environment by the app).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "jobs/job_queue.h"

namespace dd::server {

struct ServerConfig {
  std::string host = "0.0.0.0";               // API_HOST
  uint16_t port = 7860;                       // API_PORT; 0 picks a free port (tests)
  std::filesystem::path data_dir = "data";    // DATA_DIR: database and sessions/<id>/
  std::filesystem::path web_dir;              // the web app's files (index.html, vendor/)
  int64_t max_file_size = 100 * 1024 * 1024;  // MAX_FILE_SIZE in bytes, enforced while streaming
  double max_video_duration_s = 600;          // MAX_VIDEO_DURATION: longer uploads are refused
  // The jobs this node runs (WORKERS, JOB_TIMEOUT_S, MODEL_COMPLEXITY, DD_THREADS); its model
  // directory and default model also answer /health.
  jobs::JobQueueOptions jobs;
  double session_ttl_s = 24 * 3600;  // SESSION_TTL: older sessions are removed (0: never)
  int64_t max_storage_bytes = 0;     // MAX_STORAGE_GB: oldest sessions go first when over (0: no limit)
  int io_threads = 2;                // threads running the network event loop
  double read_timeout_s = 30;        // deadline of every socket read
  // UPLOAD_MIN_RATE: a request body must average at least this many bytes a second once
  // read_timeout_s has passed, else the connection is cut (0: no floor). 16 KiB/s is 128 kbit/s.
  double min_upload_rate = 16 * 1024;
  double keepalive_interval_s = 20;       // WebSocket keepalive when idle
  std::string api_token;                  // API_TOKEN: when set, required by /api/* and /ws/*
  std::vector<std::string> cors_origins;  // CORS_ORIGINS: origins allowed cross-origin ("*": any)
};

}  // namespace dd::server
