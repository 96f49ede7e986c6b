// A fresh database with the schema, a history builder and a PgCrmStore on
// one connection: the base of every CRM store test.
#pragma once

#include <gtest/gtest.h>

#include "crm/crm_history.h"
#include "store/pg/pg_crm_store.h"
#include "support/test_database.h"

namespace wacrm::testing {

class CrmStoreTest : public ::testing::Test {
 protected:
  CrmStoreTest() : conn_(db_.connect()), h_((db_.apply_schema(), conn_)), store_(conn_) {}

  // The value of a Result that must hold one; fails the test otherwise.
  template <class T>
  static T ok(Result<T> r) {
    if (!r) {
      ADD_FAILURE() << r.error().to_string();
      return T{};
    }
    return std::move(*r);
  }

  TestDatabase db_;
  store::PgConnection conn_;
  CrmHistory h_;
  store::PgCrmStore store_;
};

}  // namespace wacrm::testing
