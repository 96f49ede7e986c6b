// SQL fragments and row decoders the pg_crm_*.cc queries share, so that "a
// counted message", "a person's columns" and "an instant" are spelled once.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/crm_store.h"
#include "store/pg/pg_connection.h"

namespace wacrm::store::crm_sql {

// Counted messages (see crm_store.h) of the messages row aliased "m". Must stay
// identical to the predicate of index messages_chat_counted (migration 002),
// or the planner cannot use that index.
inline constexpr std::string_view kCounted =
    "m.kind NOT IN ('reaction', 'edit', 'revoke', 'system', 'placeholder') AND m.deleted_at IS NULL";

// Messages that only act on another message (already applied to it).
inline constexpr std::string_view kNotActingOnOthers = "m.kind NOT IN ('reaction', 'edit', 'revoke')";

// The five columns person_at() reads, from a crm_people row aliased `alias`.
std::string person_columns(std::string_view alias);
// Decodes columns col..col+4 of person_columns().
CrmPerson person_at(const PgResult& r, int row, int col);

// The four columns preview_at() reads, from a messages row aliased `alias`.
std::string preview_columns(std::string_view alias);
CrmMessagePreview preview_at(const PgResult& r, int row, int col);

// Instants travel as microseconds since the epoch: crm_from_epoch_us($n) in
// SQL for a parameter, crm_epoch_us(column) for a result.
PgParam time_param(TimePoint t);
std::int64_t epoch_us(TimePoint t);
TimePoint time_at(const PgResult& r, int row, int col);
std::optional<TimePoint> optional_time_at(const PgResult& r, int row, int col);

// A float8 column (0 for NULL).
double float_at(const PgResult& r, int row, int col);

// A bigint[] parameter ("{1,2,3}").
PgParam ids_param(std::span<const std::int64_t> ids);

// A text[] parameter, every element quoted.
PgParam texts_param(std::span<const std::string> texts);

// Splits a space-separated string_agg of tags (tags never contain spaces).
std::vector<std::string> split_tags(std::string_view joined);

}  // namespace wacrm::store::crm_sql
