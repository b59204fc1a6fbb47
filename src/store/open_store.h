// Picks the store back-end from configuration: PostgreSQL when DATABASE_URL is set,
// otherwise the embedded SQLite file under DATA_DIR.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "core/result.h"
#include "store/store.h"

namespace dd::store {

struct StoreConfig {
  std::string database_url;        // DATABASE_URL: empty = SQLite; postgresql://... = PostgreSQL
  std::filesystem::path data_dir;  // DATA_DIR: the SQLite file lives here
  int pool_size = 4;               // PostgreSQL connections
  LeaseOptions lease;
};

// The opened store; InvalidArgument for a DATABASE_URL that is not postgresql:// or
// postgres://, else the back-end's own errors.
Result<std::unique_ptr<Store>> open_store(const StoreConfig& config);

// "host-pid": a worker id that names the machine and process in logs and rows.
std::string default_worker_id();

}  // namespace dd::store
