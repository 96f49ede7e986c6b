// Latency of each CRM query on a generated account (crm_data_generator.h),
// measured through lib/crm's method table exactly as the daemon runs a
// request (resolve, query, build and serialize the response): p50 and p95
// over repeated runs on a warm cache, and export throughput per format.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "base/error.h"
#include "store/pg/pg_connection.h"

namespace wacrm::bench {

struct BenchOptions {
  std::string account = "bench";
  int iterations = 50;        // per query, after one warm-up run
  int export_runs = 3;        // per format
};

struct LatencyFigure {
  std::string query;
  int runs = 0;
  double p50_ms = 0, p95_ms = 0, max_ms = 0;
};

struct ExportFigure {
  std::string format;
  std::int64_t messages = 0;
  double seconds = 0;          // best of the runs
  double messages_per_second = 0;
};

struct BenchReport {
  std::vector<LatencyFigure> latencies;
  std::vector<ExportFigure> exports;
};

Result<BenchReport> run_crm_bench(store::PgConnection& conn, const BenchOptions& options);
void print_report(const BenchReport& report, std::ostream& out);

}  // namespace wacrm::bench
