#include "support/test_database.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "support/test_env.h"

namespace wacrm::testing {

TestDatabase::TestDatabase() {
  std::string host = pg_host();
  if (host.empty())
    throw std::runtime_error("WACRM_TEST_PGHOST is not set: run this test through ctest (the 'pg' fixture)");
  std::random_device rd;
  std::mt19937_64 rng(rd());
  std::ostringstream name;
  name << "wacrm_test_" << std::hex << rng();
  name_ = name.str();
  admin_conninfo_ = "host=" + host + " user=postgres dbname=postgres";
  conninfo_ = "host=" + host + " user=postgres dbname=" + name_;
  auto admin = store::PgConnection::connect(admin_conninfo_);
  if (!admin) throw std::runtime_error("cannot reach test PostgreSQL: " + admin.error().to_string());
  if (auto r = admin->exec("CREATE DATABASE " + name_); !r)
    throw std::runtime_error("CREATE DATABASE failed: " + r.error().to_string());
}

TestDatabase::~TestDatabase() {
  auto admin = store::PgConnection::connect(admin_conninfo_);
  if (admin) (void)admin->exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
}

store::PgConnection TestDatabase::connect() const {
  auto conn = store::PgConnection::connect(conninfo_);
  if (!conn) throw std::runtime_error("cannot connect to " + name_ + ": " + conn.error().to_string());
  return std::move(*conn);
}

void TestDatabase::apply_schema() const {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(source_dir()) / "migrations"))
    if (entry.path().extension() == ".sql") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  auto conn = connect();
  for (const auto& file : files) {
    std::ifstream in(file);
    std::stringstream sql;
    sql << in.rdbuf();
    if (auto r = conn.exec_script(sql.str()); !r)
      throw std::runtime_error("applying " + file.filename().string() + ": " + r.error().to_string());
  }
}

}  // namespace wacrm::testing
