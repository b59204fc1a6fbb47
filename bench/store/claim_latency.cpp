// Enqueue -> claim latency of the PostgreSQL store with a deep queue, and the claim's plan.
// Usage: bench_store_claim DATABASE_URL [queued_jobs=10000] [samples=2000]
// Fills the queue, then repeatedly enqueues one job at the head's priority and claims it,
// so every sample measures enqueue + claim against `queued_jobs` waiting rows; also times
// the claim alone and prints EXPLAIN ANALYZE of the claim's row lookup.
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "store/postgres_store.h"

namespace {

using Clock = std::chrono::steady_clock;

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const auto index = static_cast<size_t>(p * static_cast<double>(values.size() - 1));
  return values[index];
}

dd::store::Session make_session(const std::string& id) {
  dd::store::Session session;
  session.id = id;
  session.filename = id + ".mp4";
  session.input_path = "/data/sessions/" + id + "/input.mp4";
  session.output_dir = "/data/sessions/" + id;
  return session;
}

void print_plan(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  PQclear(PQexec(conn, "ANALYZE sessions"));
  // The claim's row lookup, as claim_next_job runs it (inside a transaction so the row lock
  // is released again).
  PQclear(PQexec(conn, "BEGIN"));
  PGresult* plan =
      PQexec(conn,
             "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT id FROM sessions WHERE status = 'queued' "
             "ORDER BY queued_seq LIMIT 1 FOR UPDATE SKIP LOCKED");
  std::printf("claim plan:\n");
  for (int row = 0; row < PQntuples(plan); ++row) std::printf("  %s\n", PQgetvalue(plan, row, 0));
  PQclear(plan);
  PQclear(PQexec(conn, "ROLLBACK"));
  PQfinish(conn);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DATABASE_URL [queued_jobs] [samples]\n", argv[0]);
    return 2;
  }
  const std::string url = argv[1];
  const int queued_jobs = argc > 2 ? std::stoi(argv[2]) : 10000;
  const int samples = argc > 3 ? std::stoi(argv[3]) : 2000;
  auto opened =
      dd::store::open_postgres_store(dd::store::PostgresOptions{url, 4, {"bench", 300, 3, /*clock=*/{}}});
  if (!opened) {
    std::fprintf(stderr, "cannot open the store: %s\n", opened.error().message.c_str());
    return 1;
  }
  auto& store = **opened;

  const auto fill_started = Clock::now();
  for (int i = 0; i < queued_jobs; ++i) {
    const std::string id = "queued" + std::to_string(i);
    if (!store.create_session(make_session(id)) || !store.enqueue_job(id, nlohmann::json::object())) {
      std::fprintf(stderr, "cannot fill the queue\n");
      return 1;
    }
  }
  std::printf("filled %d queued jobs in %.1f s\n", queued_jobs,
              std::chrono::duration<double>(Clock::now() - fill_started).count());
  print_plan(url);

  // Each sample: claim the head (the oldest waiting job), then put a job back so the queue
  // stays `queued_jobs` deep; enqueue and claim are timed separately.
  std::vector<double> claim_ms;
  std::vector<double> enqueue_ms;
  for (int i = 0; i < samples; ++i) {
    auto started = Clock::now();
    auto claimed = store.claim_next_job();
    claim_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
    if (!claimed || !claimed->has_value()) {
      std::fprintf(stderr, "claim failed\n");
      return 1;
    }
    const std::string id = "refill" + std::to_string(i);
    if (!store.create_session(make_session(id))) return 1;
    started = Clock::now();
    if (!store.enqueue_job(id, nlohmann::json::object())) return 1;
    enqueue_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
  }
  // Enqueue -> claim of a job that is next in line: an empty queue apart from it.
  std::vector<double> round_trip_ms;
  while (true) {
    auto claimed = store.claim_next_job();
    if (!claimed || !claimed->has_value()) break;
  }
  for (int i = 0; i < samples; ++i) {
    const std::string id = "roundtrip" + std::to_string(i);
    if (!store.create_session(make_session(id))) return 1;
    const auto started = Clock::now();
    if (!store.enqueue_job(id, nlohmann::json::object())) return 1;
    auto claimed = store.claim_next_job();
    round_trip_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
    if (!claimed || !claimed->has_value()) return 1;
  }
  std::printf("claim with %d queued:   p50 %.2f ms  p99 %.2f ms  (%d samples)\n", queued_jobs,
              percentile(claim_ms, 0.5), percentile(claim_ms, 0.99), samples);
  std::printf("enqueue with %d queued: p50 %.2f ms  p99 %.2f ms\n", queued_jobs, percentile(enqueue_ms, 0.5),
              percentile(enqueue_ms, 0.99));
  std::printf("enqueue+claim, job next in line: p50 %.2f ms  p99 %.2f ms\n", percentile(round_trip_ms, 0.5),
              percentile(round_trip_ms, 0.99));
  return 0;
}
