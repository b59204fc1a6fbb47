#include "store/detail/pg_connection.h"

#include <algorithm>
#include <cstdlib>
#include <string_view>
#include <utility>

namespace dd::store::detail {

std::string pg_trimmed(const char* message) {
  std::string text = message != nullptr ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

Result<PgConn> pg_connect(const std::string& url) {
  PgConn conn(PQconnectdb(url.c_str()));
  if (!conn) return make_error(ErrorCode::kUnavailable, "cannot allocate a PostgreSQL connection");
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return make_error(ErrorCode::kUnavailable,
                      "cannot connect to PostgreSQL: " + pg_trimmed(PQerrorMessage(conn.get())));
  }
  return conn;
}

Result<PgResult> pg_run(PGconn* conn, const char* sql, const std::vector<std::string>& params,
                        const char* what) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::string& param : params) values.push_back(param.c_str());
  PgResult result(
      PQexecParams(conn, sql, static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0));
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  const std::string message = std::string(what) + ": " + pg_trimmed(PQerrorMessage(conn));
  if (PQstatus(conn) != CONNECTION_OK) return make_error(ErrorCode::kUnavailable, message);
  const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
  if (state != nullptr && std::string_view(state) == "23505")
    return make_error(ErrorCode::kInvalidArgument, message);
  return make_error(ErrorCode::kInternal, message);
}

Status pg_run_script(PGconn* conn, const char* sql, const char* what) {
  PgResult result(PQexec(conn, sql));
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return ok_status();
  return make_error(PQstatus(conn) != CONNECTION_OK ? ErrorCode::kUnavailable : ErrorCode::kInternal,
                    std::string(what) + ": " + pg_trimmed(PQerrorMessage(conn)));
}

std::string pg_text(const PGresult* result, int row, int column) {
  return std::string(PQgetvalue(result, row, column), static_cast<size_t>(PQgetlength(result, row, column)));
}

int64_t pg_integer(const PGresult* result, int row, int column) {
  return std::strtoll(PQgetvalue(result, row, column), nullptr, 10);
}

PgConnectionPool::PgConnectionPool(std::string url, int size)
    : url_(std::move(url)), size_(std::max(1, size)) {}

Result<PgConnectionPool::Lease> PgConnectionPool::take() {
  PgConn conn;
  {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [this] { return !idle_.empty() || open_ < size_; });
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++open_;
    }
  }
  if (conn && PQstatus(conn.get()) != CONNECTION_OK) PQreset(conn.get());
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
    auto fresh = pg_connect(url_);
    if (!fresh) {
      {
        std::lock_guard lock(mutex_);
        --open_;
      }
      available_.notify_one();
      return fresh.error();
    }
    conn = std::move(*fresh);
  }
  return Lease(this, std::move(conn));
}

void PgConnectionPool::give_back(PgConn conn) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(conn));
  }
  available_.notify_one();
}

}  // namespace dd::store::detail
