// crm_bench_data: fills a database with the benchmark account (see
// crm_data_generator.h). Usage:
//   crm_bench_data --db 'host=/run/postgresql dbname=wacrm_bench' [--scale 1] [--migrations DIR] [--account NAME]
#include <iostream>

#include "bench/crm_bench_cli.h"
#include "bench/crm_data_generator.h"
#include "store/pg/migrator.h"

namespace po = boost::program_options;

int main(int argc, char** argv) {
  po::options_description desc("crm_bench_data: a realistic CRM account for the benchmarks");
  desc.add_options()("help,h", "this help")
      ("db", po::value<std::string>()->required(), "libpq connection string of an empty database")
      ("scale", po::value<double>()->default_value(1.0), "1: 1,000,000 messages, 5,000 people, 300 groups")
      ("migrations", po::value<std::string>(), "apply the migrations in this directory first")
      ("account", po::value<std::string>()->default_value("bench"), "account name");
  po::variables_map vm;
  if (int code = wacrm::bench::parse_command_line(argc, argv, desc, vm, "crm_bench_data"); code >= 0) return code;
  auto conn = wacrm::store::PgConnection::connect(vm["db"].as<std::string>());
  if (!conn) {
    std::cerr << "crm_bench_data: " << conn.error().to_string() << "\n";
    return 1;
  }
  if (vm.count("migrations")) {
    auto migrated = wacrm::store::migrate(*conn, vm["migrations"].as<std::string>());
    if (!migrated) {
      std::cerr << "crm_bench_data: " << migrated.error().to_string() << "\n";
      return 1;
    }
  }
  wacrm::bench::GeneratorOptions options;
  options.scale = vm["scale"].as<double>();
  options.account = vm["account"].as<std::string>();
  auto report = wacrm::bench::generate_crm_data(*conn, options);
  if (!report) {
    std::cerr << "crm_bench_data: " << report.error().to_string() << "\n";
    return 1;
  }
  std::cout << "account '" << options.account << "': " << report->people << " people, " << report->groups
            << " groups, " << report->messages << " messages in " << report->seconds << " s\n";
  return 0;
}
