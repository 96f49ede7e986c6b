// A fresh, empty database on the test PostgreSQL server for one test, dropped
// afterwards. Needs the 'pg' ctest fixture (WACRM_TEST_PGHOST).
#pragma once

#include <string>

#include "store/pg/pg_connection.h"

namespace wacrm::testing {

class TestDatabase {
 public:
  // Creates database "wacrm_test_<random>"; throws if the server is not there.
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& name() const { return name_; }
  // libpq connection string for this database.
  const std::string& conninfo() const { return conninfo_; }
  // A new connection to it.
  store::PgConnection connect() const;
  // Applies every migrations/NNN_*.sql of the source tree in order, without
  // the daemon's runner (for tests of code that sits on the schema).
  void apply_schema() const;

 private:
  std::string name_;
  std::string conninfo_;
  std::string admin_conninfo_;
};

}  // namespace wacrm::testing
