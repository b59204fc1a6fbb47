// A throw-away PostgreSQL server for tests: the one ctest started for the test run (its URL
// in DD_TEST_PG_STATE_DIR/url) or, when a test binary runs on its own, one started here and
// stopped at exit. Every caller gets its own fresh database.
#pragma once

#include <libpq-fe.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <string>

namespace dd::testing_pg {

class ThrowawayPostgres {
 public:
  static ThrowawayPostgres& instance() {
    static ThrowawayPostgres server;
    return server;
  }

  // Empty when no server could be started (why() says why).
  const std::string& url() const { return url_; }
  const std::string& why() const { return why_; }

  // URL of a new, empty database on the server; empty on failure (why() says why).
  std::string fresh_database() {
    if (url_.empty()) return "";
    static std::atomic<int> counter{0};
    const std::string name =
        "t" + std::to_string(std::random_device{}() % 1000000000) + "_" + std::to_string(counter++);
    PGconn* conn = PQconnectdb(url_.c_str());
    PGresult* result = PQexec(conn, ("CREATE DATABASE " + name).c_str());
    const bool created = PQresultStatus(result) == PGRES_COMMAND_OK;
    if (!created) why_ = PQerrorMessage(conn);
    PQclear(result);
    PQfinish(conn);
    if (!created) return "";
    return url_.substr(0, url_.rfind('/') + 1) + name;
  }

 private:
  ThrowawayPostgres() {
    const std::filesystem::path shared_state = DD_TEST_PG_STATE_DIR;
    if (std::string url = read_url(shared_state); !url.empty() && reachable(url)) {
      url_ = url;
      return;
    }
    own_state_ =
        std::filesystem::temp_directory_path() / ("dd_pg_state_" + std::to_string(std::random_device{}()));
    const std::string command =
        std::string("bash '") + DD_TEST_PG_SCRIPT + "' start '" + own_state_.string() + "' >/dev/null";
    const int status = std::system(command.c_str());
    url_ = read_url(own_state_);
    if (url_.empty()) {
      why_ = WIFEXITED(status) && WEXITSTATUS(status) == 77
                 ? "no PostgreSQL binaries (run scripts/setup.sh)"
                 : "the throw-away PostgreSQL server did not start";
    }
  }
  ~ThrowawayPostgres() {
    if (own_state_.empty()) return;
    const std::string command =
        std::string("bash '") + DD_TEST_PG_SCRIPT + "' stop '" + own_state_.string() + "'";
    (void)std::system(command.c_str());
    std::error_code ec;
    std::filesystem::remove_all(own_state_, ec);
  }

  static std::string read_url(const std::filesystem::path& state) {
    std::ifstream file(state / "url");
    std::string url;
    std::getline(file, url);
    return url;
  }

  static bool reachable(const std::string& url) {
    PGconn* conn = PQconnectdb(url.c_str());
    const bool ok = PQstatus(conn) == CONNECTION_OK;
    PQfinish(conn);
    return ok;
  }

  std::string url_;
  std::string why_;
  std::filesystem::path own_state_;
};

}  // namespace dd::testing_pg
