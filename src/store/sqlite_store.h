// SQLite back-end of the store: one database file under DATA_DIR in WAL mode, schema
// versioned by PRAGMA user_version and migrated at open.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "core/result.h"
#include "store/store.h"

namespace dd::store {

// Reason recorded on jobs that were processing when the previous server process died.
inline constexpr const char* kInterruptedReason = "interrupted by server restart";

// Opens (creating if missing) the database at `db_path`, migrates its schema and marks
// jobs left processing by a previous process failed with kInterruptedReason; queued jobs
// stay queued and run again. Only one process uses the file, so leases only matter within it.
// DataLoss for a corrupt or foreign file, Unavailable when the file cannot be opened,
// FailedPrecondition for a schema newer than this program.
Result<std::unique_ptr<Store>> open_sqlite_store(const std::filesystem::path& db_path,
                                                 const LeaseOptions& lease = {});

// Schema version this program writes.
int sqlite_store_schema_version();

}  // namespace dd::store
