#include "app/serve_command.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "app/exit_code.h"
#include "app/global_options.h"
#include "app/node_options.h"
#include "compare/compare_job.h"
#include "core/log.h"
#include "pipeline/pipeline.h"
#include "server/access_policy.h"
#include "server/http_server.h"
#include "server/server_config.h"
#include "server/upload_probe.h"
#include "store/open_store.h"

namespace dd::app {
namespace {

int serve(const server::ServerConfig& config, store::StoreConfig store_config) {
  store_config.data_dir = config.data_dir;
  auto store = store::open_store(store_config);
  if (!store) return report_error(store.error());
  const sigset_t signals = block_termination_signals();
  if (config.api_token.empty() && config.host != "127.0.0.1" && config.host != "::1" &&
      config.host != "localhost") {
    DD_LOG_WARN("serve: no API_TOKEN set and listening on {}: anyone who can reach it can upload and delete",
                config.host);
  }
  auto server =
      server::Server::start(config, **store, &pipeline::run, &server::probe_upload, &compare::run_comparison);
  if (!server) return report_error(server.error());
  std::printf("dancedynamics: serving on http://%s:%u (API docs at /api/docs); Ctrl-C stops\n",
              config.host.c_str(), static_cast<unsigned>((*server)->port()));
  std::fflush(stdout);
  const int signal_number = wait_for_termination_signal(signals);
  DD_LOG_INFO("serve: {} received, shutting down", signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  (*server)->stop();
  return kExitOk;
}

}  // namespace

void add_serve_command(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  auto config = std::make_shared<server::ServerConfig>();
  auto store_config = std::make_shared<store::StoreConfig>();
  config->web_dir = DD_DEFAULT_WEB_DIR;
  auto* command = app.add_subcommand(
      "serve", "Run the web app and REST/WebSocket API (flags beat environment variables)");
  command->add_option("--host", config->host, "Address to listen on")
      ->envname("API_HOST")
      ->capture_default_str();
  command->add_option("--port", config->port, "TCP port (0 picks a free one)")
      ->envname("API_PORT")
      ->capture_default_str();
  add_data_dir_option(command, config->data_dir);
  command->add_option("--web-dir", config->web_dir, "Directory of the web app's files")
      ->envname("WEB_DIR")
      ->capture_default_str();
  command->add_option("--max-file-size", config->max_file_size, "Largest accepted upload in bytes")
      ->envname("MAX_FILE_SIZE")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command
      ->add_option("--max-video-duration", config->max_video_duration_s, "Longest accepted video in seconds")
      ->envname("MAX_VIDEO_DURATION")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  add_job_options(command, config->jobs);
  command
      ->add_option("--session-ttl", config->session_ttl_s,
                   "Seconds after which a session is removed (0: never)")
      ->envname("SESSION_TTL")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  auto max_storage_gb = std::make_shared<double>(0);
  command
      ->add_option("--max-storage-gb", *max_storage_gb,
                   "Oldest sessions are removed above this many GB (0: no limit)")
      ->envname("MAX_STORAGE_GB")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command
      ->add_option("--upload-min-rate", config->min_upload_rate,
                   "Bytes a second a request body must average after the read timeout (0: no floor)")
      ->envname("UPLOAD_MIN_RATE")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command->add_option("--io-threads", config->io_threads, "Threads serving the network")
      ->envname("IO_THREADS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  add_store_options(command, *store_config);
  auto cors_origins = std::make_shared<std::string>();
  command
      ->add_option("--cors-origins", *cors_origins,
                   "Comma-separated browser origins allowed cross-origin access")
      ->envname("CORS_ORIGINS");
  command->callback([config, store_config, max_storage_gb, cors_origins, &global, exit_code] {
    config->jobs.model_dir = global.model_dir;
    config->cors_origins = server::parse_origin_list(*cors_origins);
    // The token comes from the environment only: a flag would show in `ps` to every local user.
    if (const char* token = std::getenv(kApiTokenVariable)) config->api_token = token;
    config->max_storage_bytes = static_cast<int64_t>(*max_storage_gb * 1e9);
    *exit_code = serve(*config, *store_config);
  });
}

}  // namespace dd::app
