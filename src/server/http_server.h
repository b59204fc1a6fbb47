// `dancedynamics serve`'s network side: an HTTP + WebSocket server on Boost.Beast with N
// I/O threads, the REST API of DESIGN §5 and a worker pool running analysis jobs.
#pragma once

#include <cstdint>
#include <memory>

#include "core/result.h"
#include "jobs/job_queue.h"
#include "server/api.h"
#include "server/server_config.h"
#include "store/store.h"

namespace dd::server {

class Server {
 public:
  // Binds host:port, removes session directories the store does not know (left by a
  // crash during an upload), starts the I/O threads and the workers. Unavailable when the
  // address cannot be bound or DATA_DIR cannot be written. Comparison jobs run compare_runner
  // (compare::run_comparison in production); without one they fail.
  static Result<std::unique_ptr<Server>> start(const ServerConfig& config, store::Store& store,
                                               jobs::JobRunner runner, VideoProber prober,
                                               jobs::CompareRunner compare_runner = {});

  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (the real one when the configuration asked for port 0).
  uint16_t port() const;

  // Stops accepting, stops running jobs (recorded as failed), closes connections and
  // joins every thread. Idempotent.
  void stop();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dd::server
