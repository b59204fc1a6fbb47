// libpq plumbing of the PostgreSQL store: owning handles, statement execution with errors
// mapped to ErrorCode, column readers and a fixed-size connection pool.
#pragma once

#include <libpq-fe.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.h"

namespace dd::store::detail {

struct PgResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

struct PgConnDeleter {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
using PgConn = std::unique_ptr<PGconn, PgConnDeleter>;

// libpq's message without its trailing newline; empty for null.
std::string pg_trimmed(const char* message);

// A connection to `url`; Unavailable when the server cannot be reached.
Result<PgConn> pg_connect(const std::string& url);

// Runs one parameterised statement (parameters as text). Unavailable when the connection
// is broken, InvalidArgument for a unique violation, Internal for other server errors.
Result<PgResult> pg_run(PGconn* conn, const char* sql, const std::vector<std::string>& params,
                        const char* what);

// Runs constant SQL without parameters (migrations, transaction control, LISTEN).
Status pg_run_script(PGconn* conn, const char* sql, const char* what);

// Column `column` of row `row` as text, or parsed as a decimal integer.
std::string pg_text(const PGresult* result, int row, int column);
int64_t pg_integer(const PGresult* result, int row, int column);

// A fixed-size set of connections; a broken one is reset when it is next taken.
// Thread-safe; must outlive the leases it hands out.
class PgConnectionPool {
 public:
  PgConnectionPool(std::string url, int size);

  // A taken connection, given back to the pool when destroyed.
  class Lease {
   public:
    Lease(PgConnectionPool* pool, PgConn conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) noexcept = delete;
    ~Lease() {
      if (conn_) pool_->give_back(std::move(conn_));
    }
    PGconn* get() const { return conn_.get(); }

   private:
    PgConnectionPool* pool_;
    PgConn conn_;
  };

  // A connection for the caller's statements, waiting while all are taken; Unavailable
  // when the server cannot be reached.
  Result<Lease> take();

 private:
  void give_back(PgConn conn);

  const std::string url_;
  const int size_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<PgConn> idle_;
  int open_ = 0;  // connections handed out or idle
};

}  // namespace dd::store::detail
