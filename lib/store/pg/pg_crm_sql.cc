#include "store/pg/pg_crm_sql.h"

#include <fmt/format.h>

#include <charconv>

namespace wacrm::store::crm_sql {

std::string person_columns(std::string_view a) {
  return fmt::format("{0}.id, {0}.name, {0}.jid, {0}.phone, {0}.is_group", a);
}

CrmPerson person_at(const PgResult& r, int row, int col) {
  CrmPerson p;
  p.id = r.int64(row, col);
  p.name = r.text(row, col + 1);
  p.jid = r.text(row, col + 2);
  p.phone = r.optional_text(row, col + 3);
  p.is_group = r.boolean(row, col + 4);
  return p;
}

std::string preview_columns(std::string_view a) {
  return fmt::format(
      "crm_epoch_us({0}.sent_at), {0}.from_me, {0}.kind, "
      "left(coalesce(nullif({0}.body, ''), {0}.file_name, ''), 120)",
      a);
}

CrmMessagePreview preview_at(const PgResult& r, int row, int col) {
  CrmMessagePreview p;
  p.sent_at = time_at(r, row, col);
  p.from_me = r.boolean(row, col + 1);
  p.kind = r.text(row, col + 2);
  p.text = r.text(row, col + 3);
  return p;
}

std::int64_t epoch_us(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

PgParam time_param(TimePoint t) { return pg_int(epoch_us(t)); }

TimePoint time_at(const PgResult& r, int row, int col) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::microseconds(r.int64(row, col))));
}

std::optional<TimePoint> optional_time_at(const PgResult& r, int row, int col) {
  if (r.is_null(row, col)) return std::nullopt;
  return time_at(r, row, col);
}

double float_at(const PgResult& r, int row, int col) {
  auto text = r.text(row, col);
  double v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

PgParam ids_param(std::span<const std::int64_t> ids) {
  return pg_text(fmt::format("{{{}}}", fmt::join(ids, ",")));
}

PgParam texts_param(std::span<const std::string> texts) {
  std::string out = "{";
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : texts[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return pg_text(out);
}

std::vector<std::string> split_tags(std::string_view joined) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < joined.size()) {
    std::size_t end = joined.find(' ', start);
    if (end == std::string_view::npos) end = joined.size();
    if (end > start) out.emplace_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace wacrm::store::crm_sql
