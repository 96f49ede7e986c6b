// PgCrmStore: a person's message statistics, aggregated in PostgreSQL over
// the counted messages of their conversation (all their 1:1 chats, merged
// contacts included; for a group, the group chat).
//
// Response times. Order the conversation by (sent_at, id) and cut it into
// runs: maximal sequences of messages in one direction. A run of theirs that
// is followed by a run of mine is one sample of MY reply time: from the first
// message of their run (the first message they sent after my last one) to the
// first message of my following run (my next message). Their reply time is
// the same with the directions swapped. A run nobody followed (the latest
// one) gives no sample. Average and median are over the samples, in seconds.
#include <fmt/format.h>

#include "store/pg/pg_crm_sql.h"
#include "store/pg/pg_crm_store.h"

namespace wacrm::store {

namespace {

// "m.chat_id IN ($4, $5, ...)" for `chats` chats from parameter `first` on.
// One chat becomes an equality, which lets index messages_chat_counted hand
// rows over already in (sent_at, id) order: no sort for the window functions.
std::string chat_filter(std::size_t chats, int first) {
  std::string list;
  for (std::size_t i = 0; i < chats; ++i) list += fmt::format("{}${}", i ? ", " : "", first + static_cast<int>(i));
  return chats == 0 ? "false" : "m.chat_id IN (" + list + ")";
}

// Params: $1 time zone, $2 now, $3.. chat ids. One row per (weekday, hour,
// direction, age bucket): 168 * 2 * 3 rows at most, summed up in C++.
std::string histogram_sql(std::size_t chats) {
  return fmt::format(R"(
    SELECT extract(isodow FROM m.sent_at AT TIME ZONE $1)::int,
           extract(hour FROM m.sent_at AT TIME ZONE $1)::int,
           m.from_me,
           CASE WHEN m.sent_at >= crm_from_epoch_us($2) - interval '30 days' THEN 30
                WHEN m.sent_at >= crm_from_epoch_us($2) - interval '90 days' THEN 90
                ELSE 0 END,
           count(*), crm_epoch_us(min(m.sent_at)), crm_epoch_us(max(m.sent_at))
    FROM messages m
    WHERE {chats} AND {counted}
    GROUP BY 1, 2, 3, 4)", fmt::arg("counted", crm_sql::kCounted), fmt::arg("chats", chat_filter(chats, 3)));
}

// Params: $1.. chat ids. See the file comment.
std::string response_sql(std::size_t chats) {
  return fmt::format(R"(
    WITH seq AS (
      SELECT m.id, m.sent_at, m.from_me,
             m.from_me IS DISTINCT FROM lag(m.from_me) OVER (ORDER BY m.sent_at, m.id) AS starts_run
      FROM messages m
      WHERE {chats} AND {counted}
    ),
    runs AS (
      SELECT from_me, sent_at, lead(sent_at) OVER (ORDER BY sent_at, id) AS answered_at
      FROM seq WHERE starts_run
    )
    SELECT from_me, count(*),
           avg(extract(epoch FROM answered_at - sent_at))::float8,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM answered_at - sent_at))
    FROM runs WHERE answered_at IS NOT NULL
    GROUP BY from_me)", fmt::arg("counted", crm_sql::kCounted), fmt::arg("chats", chat_filter(chats, 1)));
}

// Params: $1 chat ids. The latest message each way, one index step per chat.
const std::string& last_each_way_sql() {
  static const std::string sql = fmt::format(R"(
    SELECT DISTINCT ON (l.from_me) {preview}
    FROM unnest($1::bigint[]) c(id)
    CROSS JOIN (VALUES (true), (false)) d(from_me)
    CROSS JOIN LATERAL (
      SELECT m.id FROM messages m
      WHERE m.chat_id = c.id AND m.from_me = d.from_me AND {counted}
      ORDER BY m.sent_at DESC, m.id DESC LIMIT 1) x
    JOIN messages l ON l.id = x.id
    ORDER BY l.from_me, l.sent_at DESC, l.id DESC)",
      fmt::arg("counted", crm_sql::kCounted), fmt::arg("preview", crm_sql::preview_columns("l")));
  return sql;
}

}  // namespace

Result<ContactStats> PgCrmStore::stats(std::int64_t account_id, std::int64_t person_id, TimePoint now,
                                       std::string_view tz) {
  WACRM_TRY(check_time_zone(tz));
  auto chats = WACRM_TRY(conversation_chats(account_id, person_id));
  std::vector<std::int64_t> chat_ids;
  std::vector<PgParam> id_params;
  for (const auto& c : chats) {
    chat_ids.push_back(c.id);
    id_params.push_back(pg_int(c.id));
  }
  PgParam ids = crm_sql::ids_param(chat_ids);

  ContactStats out;
  out.by_hour.assign(24, 0);
  out.by_weekday.assign(7, 0);
  std::vector<PgParam> params{pg_text(tz), crm_sql::time_param(now)};
  params.insert(params.end(), id_params.begin(), id_params.end());
  auto h = WACRM_TRY(conn_.exec(histogram_sql(chats.size()), params));
  for (int i = 0; i < h.rows(); ++i) {
    auto weekday = h.int64(i, 0), hour = h.int64(i, 1), age = h.int64(i, 3), n = h.int64(i, 4);
    bool from_me = h.boolean(i, 2);
    out.by_weekday[weekday - 1] += n;
    out.by_hour[hour] += n;
    DirectionCounts& counts = from_me ? out.sent : out.received;
    counts.all_time += n;
    if (age == 30) counts.last_30_days += n;
    if (age == 30 || age == 90) counts.last_90_days += n;
    auto first = crm_sql::time_at(h, i, 5), last = crm_sql::time_at(h, i, 6);
    if (!out.first_interaction || first < *out.first_interaction) out.first_interaction = first;
    if (!out.last_interaction || last > *out.last_interaction) out.last_interaction = last;
  }

  auto rt = WACRM_TRY(conn_.exec(response_sql(chats.size()), id_params));
  for (int i = 0; i < rt.rows(); ++i) {
    // A run of mine answered by them measures THEIR reply time.
    ResponseTimes& times = rt.boolean(i, 0) ? out.their_replies : out.my_replies;
    times.samples = rt.int64(i, 1);
    times.average_seconds = crm_sql::float_at(rt, i, 2);
    times.median_seconds = crm_sql::float_at(rt, i, 3);
  }

  auto last = WACRM_TRY(conn_.exec(last_each_way_sql(), {ids}));
  for (int i = 0; i < last.rows(); ++i) {
    auto preview = crm_sql::preview_at(last, i, 0);
    (preview.from_me ? out.last_sent : out.last_received) = std::move(preview);
  }
  return out;
}

}  // namespace wacrm::store
