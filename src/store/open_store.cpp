#include "store/open_store.h"

#include <unistd.h>

#include <array>

#include "core/log.h"
#include "store/postgres_store.h"
#include "store/sqlite_store.h"

namespace dd::store {

Result<std::unique_ptr<Store>> open_store(const StoreConfig& config) {
  const std::string& url = config.database_url;
  if (url.empty()) return open_sqlite_store(config.data_dir / "dancedynamics.db", config.lease);
  if (!url.starts_with("postgresql://") && !url.starts_with("postgres://")) {
    return make_error(ErrorCode::kInvalidArgument,
                      "DATABASE_URL must start with postgresql:// (got a different scheme)");
  }
  DD_LOG_INFO("store: using PostgreSQL as worker {}", config.lease.worker_id);
  return open_postgres_store(PostgresOptions{url, config.pool_size, config.lease});
}

std::string default_worker_id() {
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
  return std::string(host.data()) + "-" + std::to_string(getpid());
}

}  // namespace dd::store
