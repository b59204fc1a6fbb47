// PostgreSQL back-end of the store (libpq): shared by every API node and worker, jobs
// claimed with FOR UPDATE SKIP LOCKED under a lease, session events relayed with NOTIFY.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "store/store.h"

namespace dd::store {

struct PostgresOptions {
  std::string url;    // DATABASE_URL: postgresql://user:password@host:port/database
  int pool_size = 4;  // connections for statements (the LISTEN connection is extra)
  LeaseOptions lease;
};

// NOTIFY channel carrying session events between nodes.
inline constexpr const char* kPostgresEventChannel = "dd_session_events";

// Connects, applies missing schema migrations (under an advisory lock, so nodes starting
// together migrate once) and starts listening for other nodes' events. Unavailable when
// the server cannot be reached, FailedPrecondition for a schema newer than this program.
Result<std::unique_ptr<Store>> open_postgres_store(const PostgresOptions& options);

// Schema version this program writes.
int postgres_store_schema_version();

}  // namespace dd::store
