#include "store/pg/pg_array.h"

#include <cassert>

namespace wacrm::store {

namespace {

void put32(Bytes& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

void put64(Bytes& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

}  // namespace

void PgArray::add_null() {
  put32(elements_, 0xFFFFFFFFu);  // length -1
  has_null_ = true;
  ++count_;
}

void PgArray::add_element(const std::uint8_t* data, std::size_t size) {
  put32(elements_, static_cast<std::uint32_t>(size));
  elements_.insert(elements_.end(), data, data + size);
  ++count_;
}

void PgArray::add_text(std::string_view text) {
  assert(type_ == Type::text);
  add_element(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

void PgArray::add_bytes(ByteView bytes) {
  assert(type_ == Type::bytea);
  add_element(bytes.data(), bytes.size());
}

void PgArray::add_int8(std::int64_t value) {
  assert(type_ == Type::int8);
  put32(elements_, 8);
  put64(elements_, static_cast<std::uint64_t>(value));
  ++count_;
}

void PgArray::add_int4(std::int32_t value) {
  assert(type_ == Type::int4);
  put32(elements_, 4);
  put32(elements_, static_cast<std::uint32_t>(value));
  ++count_;
}

void PgArray::add_bool(bool value) {
  assert(type_ == Type::boolean);
  put32(elements_, 1);
  elements_.push_back(value ? 1 : 0);
  ++count_;
}

PgParam PgArray::param() const {
  // ndim, has-null flag, element OID, then per dimension its length and
  // lower bound; an empty array has no dimensions.
  Bytes out;
  out.reserve(20 + elements_.size());
  put32(out, count_ > 0 ? 1 : 0);
  put32(out, has_null_ ? 1 : 0);
  put32(out, static_cast<std::uint32_t>(type_));
  if (count_ > 0) {
    put32(out, static_cast<std::uint32_t>(count_));
    put32(out, 1);
  }
  out.insert(out.end(), elements_.begin(), elements_.end());
  return out;
}

}  // namespace wacrm::store
