// crm_bench: p50/p95 latency of every CRM query, and export throughput, on an
// account made by crm_bench_data. Usage:
//   crm_bench --db 'host=/run/postgresql dbname=wacrm_bench' [--iterations 50] [--account bench]
#include <iostream>

#include "bench/crm_bench_cli.h"
#include "bench/crm_query_bench.h"

namespace po = boost::program_options;

int main(int argc, char** argv) {
  po::options_description desc("crm_bench: CRM query latencies and export throughput");
  desc.add_options()("help,h", "this help")
      ("db", po::value<std::string>()->required(), "libpq connection string")
      ("account", po::value<std::string>()->default_value("bench"), "account name")
      ("iterations", po::value<int>()->default_value(50), "runs per query")
      ("export-runs", po::value<int>()->default_value(3), "runs per export format (the best counts)");
  po::variables_map vm;
  if (int code = wacrm::bench::parse_command_line(argc, argv, desc, vm, "crm_bench"); code >= 0) return code;
  auto conn = wacrm::store::PgConnection::connect(vm["db"].as<std::string>());
  if (!conn) {
    std::cerr << "crm_bench: " << conn.error().to_string() << "\n";
    return 1;
  }
  wacrm::bench::BenchOptions options;
  options.account = vm["account"].as<std::string>();
  options.iterations = vm["iterations"].as<int>();
  options.export_runs = vm["export-runs"].as<int>();
  auto report = wacrm::bench::run_crm_bench(*conn, options);
  if (!report) {
    std::cerr << "crm_bench: " << report.error().to_string() << "\n";
    return 1;
  }
  wacrm::bench::print_report(*report, std::cout);
  return 0;
}
