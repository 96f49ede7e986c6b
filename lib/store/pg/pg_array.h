// A one-dimensional array query parameter in PostgreSQL's binary array format
// (what array_recv reads), for statements that take a column of values at
// once: "... unnest($2::text[], $3::bigint[]) ...". Binary, so that no value
// needs quoting or escaping, bytea included; the statement's cast names the
// array type, so libpq sends no type OID.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/bytes.h"
#include "store/pg/pg_connection.h"

namespace wacrm::store {

class PgArray {
 public:
  // Element types by their pg_type OIDs.
  enum class Type : std::uint32_t { boolean = 16, bytea = 17, int8 = 20, int4 = 23, text = 25 };

  explicit PgArray(Type type) : type_(type) {}

  void add_null();
  // The element as given: text in UTF-8, bytea as is, the others through
  // the typed adders below (a mismatch with the array's type is a bug).
  void add_text(std::string_view text);
  void add_bytes(ByteView bytes);
  void add_int8(std::int64_t value);
  void add_int4(std::int32_t value);
  void add_bool(bool value);

  template <class T>
  void add_text(const std::optional<T>& text) {
    if (text) add_text(std::string_view(*text));
    else add_null();
  }

  int size() const { return count_; }
  // The parameter (sent in binary format).
  PgParam param() const;

 private:
  void add_element(const std::uint8_t* data, std::size_t size);

  Type type_;
  Bytes elements_;
  int count_ = 0;
  bool has_null_ = false;
};

}  // namespace wacrm::store
