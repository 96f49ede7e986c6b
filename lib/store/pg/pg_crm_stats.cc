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
//
// What depends only on the messages (histograms, all-time counts, first and
// last message, reply times) is kept in crm_stats_cache, with every reply-time
// sample in crm_stats_replies (migration 005). When one of the chats changed
// (crm_chat_state.version) by new messages after the row's latest one only
// (crm_chat_state.rewrites unchanged), those are folded in: a new message
// costs a few index steps, not a pass over the conversation. Anything else (a
// delete, a revoke, a late old message) recomputes the row. The
// last-30/90-days counts and the last message each way are read fresh, they
// are cheap.
#include <fmt/format.h>

#include "store/pg/pg_crm_sql.h"
#include "store/pg/pg_crm_store.h"

namespace wacrm::store {

namespace {

// "m.chat_id IN ($3, $4, ...)" for `chats` chats from parameter `first` on.
// One chat becomes an equality, which lets index messages_chat_counted hand
// rows over already in (sent_at, id) order: no sort for the window functions.
std::string chat_filter(std::size_t chats, int first) {
  std::string list;
  for (std::size_t i = 0; i < chats; ++i) list += fmt::format("{}${}", i ? ", " : "", first + static_cast<int>(i));
  return chats == 0 ? "false" : "m.chat_id IN (" + list + ")";
}

// Params: $1 time zone, $2.. chat ids. One row per (weekday, hour,
// direction): 336 rows at most, summed up in C++.
std::string histogram_sql(std::size_t chats) {
  return fmt::format(R"(
    SELECT extract(isodow FROM m.sent_at AT TIME ZONE $1)::int, extract(hour FROM m.sent_at AT TIME ZONE $1)::int,
           m.from_me, count(*), crm_epoch_us(min(m.sent_at)), crm_epoch_us(max(m.sent_at))
    FROM messages m
    WHERE {chats} AND {counted}
    GROUP BY 1, 2, 3)", fmt::arg("counted", crm_sql::kCounted), fmt::arg("chats", chat_filter(chats, 2)));
}

// Params: $1 cache key chat ids, $2 time zone, $3.. chat ids. Stores every
// reply-time sample of the conversation (see the file comment) under the
// cache row and returns the unanswered last run: its direction and start.
std::string store_replies_sql(std::size_t chats) {
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
    ),
    stored AS (
      INSERT INTO crm_stats_replies (chat_ids, time_zone, from_me, seconds)
      SELECT $1::bigint[], $2, from_me, extract(epoch FROM answered_at - sent_at)::float8
      FROM runs WHERE answered_at IS NOT NULL
    )
    SELECT from_me, crm_epoch_us(sent_at) FROM runs WHERE answered_at IS NULL)",
                     fmt::arg("counted", crm_sql::kCounted), fmt::arg("chats", chat_filter(chats, 3)));
}

// Params: $1 cache key chat ids, $2 time zone. Average and median per direction.
constexpr std::string_view kReplyTimesSql = R"(
    SELECT from_me, count(*), avg(seconds), percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds)
    FROM crm_stats_replies WHERE chat_ids = $1::bigint[] AND time_zone = $2
    GROUP BY from_me)";

// Params: $1 time zone, $2 after this instant (us), $3 and this id, $4.. chat
// ids. The counted messages after a cached row's last one, in order.
std::string appended_sql(std::size_t chats) {
  return fmt::format(R"(
    SELECT m.id, m.from_me, crm_epoch_us(m.sent_at), extract(isodow FROM m.sent_at AT TIME ZONE $1)::int,
           extract(hour FROM m.sent_at AT TIME ZONE $1)::int
    FROM messages m
    WHERE {chats} AND {counted} AND (m.sent_at, m.id) > (crm_from_epoch_us($2), $3::bigint)
    ORDER BY m.sent_at, m.id)", fmt::arg("counted", crm_sql::kCounted), fmt::arg("chats", chat_filter(chats, 4)));
}

// Params: $1 now, $2.. chat ids: per direction, messages of the last 90
// days and of those the last 30 (a range on messages_chat_counted).
std::string recent_sql(std::size_t chats) {
  return fmt::format(R"(
    SELECT m.from_me, count(*) FILTER (WHERE m.sent_at >= crm_from_epoch_us($1) - interval '30 days'), count(*)
    FROM messages m
    WHERE {chats} AND {counted} AND m.sent_at >= crm_from_epoch_us($1) - interval '90 days'
    GROUP BY m.from_me)", fmt::arg("counted", crm_sql::kCounted), fmt::arg("chats", chat_filter(chats, 2)));
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

// Params: $1 chat ids (ascending). The chats' versions and rewrite counts,
// as bigint[] texts.
constexpr std::string_view kVersionsSql = R"(
    SELECT array_agg(coalesce(s.version, 0) ORDER BY c.ord)::text, array_agg(coalesce(s.rewrites, 0) ORDER BY c.ord)::text
    FROM unnest($1::bigint[]) WITH ORDINALITY c(id, ord) LEFT JOIN crm_chat_state s ON s.chat_id = c.id)";

constexpr std::string_view kCacheColumns =
    "by_hour, by_weekday, sent, received, first_at, last_at, my_samples, my_average, my_median, "
    "their_samples, their_average, their_median";

// The message-only part of ContactStats: what crm_stats_cache holds.
struct Aggregates {
  std::vector<std::int64_t> by_hour = std::vector<std::int64_t>(24, 0);
  std::vector<std::int64_t> by_weekday = std::vector<std::int64_t>(7, 0);
  std::int64_t sent = 0, received = 0;
  std::optional<TimePoint> first, last;
  ResponseTimes mine, theirs;
  // Where the row stands (migration 005): the chats' versions and rewrite
  // counts it reflects, its latest counted message, the unanswered last run.
  std::string versions, rewrites;
  std::int64_t through_id = 0;
  std::optional<bool> tail_from_me;
  std::int64_t tail_us = 0;
};

std::vector<std::int64_t> int_array(std::string_view text) {
  std::vector<std::int64_t> out;
  std::int64_t v = 0;
  bool in_number = false, negative = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      v = v * 10 + (c - '0');
      in_number = true;
    } else if (c == '-') {
      negative = true;
    } else if (in_number) {
      out.push_back(negative ? -v : v);
      v = 0;
      in_number = negative = false;
    }
  }
  return out;
}

std::string array_text(const std::vector<std::int64_t>& v) { return fmt::format("{{{}}}", fmt::join(v, ",")); }

// The histogram, counts, first and last message: one pass over the messages.
Result<Aggregates> histogram(PgConnection& conn, std::string_view tz, const std::vector<PgParam>& ids) {
  Aggregates out;
  std::vector<PgParam> params{pg_text(tz)};
  params.insert(params.end(), ids.begin(), ids.end());
  auto h = WACRM_TRY(conn.exec(histogram_sql(ids.size()), params));
  for (int i = 0; i < h.rows(); ++i) {
    auto n = h.int64(i, 3);
    out.by_weekday[h.int64(i, 0) - 1] += n;
    out.by_hour[h.int64(i, 1)] += n;
    (h.boolean(i, 2) ? out.sent : out.received) += n;
    auto first = crm_sql::time_at(h, i, 4), last = crm_sql::time_at(h, i, 5);
    if (!out.first || first < *out.first) out.first = first;
    if (!out.last || last > *out.last) out.last = last;
  }
  return out;
}

Status read_reply_times(PgConnection& conn, const PgParam& key, std::string_view tz, Aggregates& a) {
  a.mine = a.theirs = {};
  auto rt = WACRM_TRY(conn.exec(kReplyTimesSql, {key, pg_text(tz)}));
  for (int i = 0; i < rt.rows(); ++i) {
    // A run of mine answered by them measures THEIR reply time.
    ResponseTimes& times = rt.boolean(i, 0) ? a.theirs : a.mine;
    times.samples = rt.int64(i, 1);
    times.average_seconds = crm_sql::float_at(rt, i, 2);
    times.median_seconds = crm_sql::float_at(rt, i, 3);
  }
  return {};
}

Result<std::optional<Aggregates>> load(PgConnection& conn, const PgParam& ids, std::string_view tz) {
  static const std::string sql = fmt::format(
      "SELECT by_hour::text, by_weekday::text, sent, received, crm_epoch_us(first_at), crm_epoch_us(last_at), "
      "my_samples, my_average, my_median, their_samples, their_average, their_median, versions::text, "
      "through_id, tail_from_me, crm_epoch_us(tail_at), coalesce(rewrites::text, '') FROM crm_stats_cache "
      "WHERE chat_ids = $1::bigint[] AND time_zone = $2 FOR UPDATE");
  auto r = WACRM_TRY(conn.exec(sql, {ids, pg_text(tz)}));
  if (r.rows() == 0) return std::optional<Aggregates>();
  Aggregates a;
  a.by_hour = int_array(r.text(0, 0));
  a.by_weekday = int_array(r.text(0, 1));
  if (a.by_hour.size() != 24 || a.by_weekday.size() != 7) return std::optional<Aggregates>();   // recompute
  a.sent = r.int64(0, 2);
  a.received = r.int64(0, 3);
  a.first = crm_sql::optional_time_at(r, 0, 4);
  a.last = crm_sql::optional_time_at(r, 0, 5);
  a.mine = {r.int64(0, 6), crm_sql::float_at(r, 0, 7), crm_sql::float_at(r, 0, 8)};
  a.theirs = {r.int64(0, 9), crm_sql::float_at(r, 0, 10), crm_sql::float_at(r, 0, 11)};
  a.versions = r.text(0, 12);
  a.through_id = r.int64(0, 13);
  if (!r.is_null(0, 14)) a.tail_from_me = r.boolean(0, 14);
  a.tail_us = r.int64(0, 15);
  a.rewrites = r.text(0, 16);
  return std::optional<Aggregates>(std::move(a));
}

Status save(PgConnection& conn, const PgParam& ids, std::string_view tz, const Aggregates& a) {
  static const std::string sql = fmt::format(R"(
    INSERT INTO crm_stats_cache (chat_ids, time_zone, versions, {columns},
                                 through_at, through_id, tail_from_me, tail_at, rewrites)
    VALUES ($1::bigint[], $2, $3::bigint[], $4::bigint[], $5::bigint[], $6, $7, crm_from_epoch_us($8),
            crm_from_epoch_us($9), $10, $11, $12, $13, $14, $15, crm_from_epoch_us($9), $16, $17,
            crm_from_epoch_us($18), $19::bigint[])
    ON CONFLICT (chat_ids, time_zone) DO UPDATE SET
      versions = EXCLUDED.versions, computed_at = now(), by_hour = EXCLUDED.by_hour,
      by_weekday = EXCLUDED.by_weekday, sent = EXCLUDED.sent, received = EXCLUDED.received,
      first_at = EXCLUDED.first_at, last_at = EXCLUDED.last_at, my_samples = EXCLUDED.my_samples,
      my_average = EXCLUDED.my_average, my_median = EXCLUDED.my_median, their_samples = EXCLUDED.their_samples,
      their_average = EXCLUDED.their_average, their_median = EXCLUDED.their_median,
      through_at = EXCLUDED.through_at, through_id = EXCLUDED.through_id, tail_from_me = EXCLUDED.tail_from_me,
      tail_at = EXCLUDED.tail_at, rewrites = EXCLUDED.rewrites)",
                                             fmt::arg("columns", kCacheColumns));
  auto time = [](const std::optional<TimePoint>& t) { return t ? crm_sql::time_param(*t) : PgParam(PgNull{}); };
  auto real = [](double v) { return pg_text(fmt::format("{}", v)); };
  WACRM_TRY(conn.exec(sql, {ids, pg_text(tz), pg_text(a.versions), pg_text(array_text(a.by_hour)),
                            pg_text(array_text(a.by_weekday)), pg_int(a.sent), pg_int(a.received), time(a.first),
                            time(a.last), pg_int(a.mine.samples), real(a.mine.average_seconds),
                            real(a.mine.median_seconds), pg_int(a.theirs.samples), real(a.theirs.average_seconds),
                            real(a.theirs.median_seconds), a.last ? pg_int(a.through_id) : PgParam(PgNull{}),
                            a.tail_from_me ? pg_bool(*a.tail_from_me) : PgParam(PgNull{}),
                            a.tail_from_me ? pg_int(a.tail_us) : PgParam(PgNull{}), pg_text(a.rewrites)}));
  return {};
}

// Everything from the messages: the histogram pass, then the reply samples.
Result<Aggregates> recompute(PgConnection& conn, const PgParam& key, std::string_view tz,
                             const std::vector<PgParam>& ids, std::string versions, std::string rewrites) {
  auto a = WACRM_TRY(histogram(conn, tz, ids));
  a.versions = std::move(versions);
  a.rewrites = std::move(rewrites);
  if (a.last) {
    auto latest = WACRM_TRY(conn.exec(
        fmt::format("SELECT m.id FROM messages m WHERE {} AND {} ORDER BY m.sent_at DESC, m.id DESC LIMIT 1",
                    chat_filter(ids.size(), 1), crm_sql::kCounted),
        ids));
    a.through_id = latest.int64(0, 0);
  }
  WACRM_TRY(save(conn, key, tz, a));   // the samples' row, before the samples
  WACRM_TRY(conn.exec("DELETE FROM crm_stats_replies WHERE chat_ids = $1::bigint[] AND time_zone = $2",
                      {key, pg_text(tz)}));
  std::vector<PgParam> params{key, pg_text(tz)};
  params.insert(params.end(), ids.begin(), ids.end());
  auto tail = WACRM_TRY(conn.exec(store_replies_sql(ids.size()), params));
  if (tail.rows() > 0) {
    a.tail_from_me = tail.boolean(0, 0);
    a.tail_us = tail.int64(0, 1);
  }
  WACRM_TRY(read_reply_times(conn, key, tz, a));
  WACRM_TRY(save(conn, key, tz, a));
  return a;
}

// Folds the messages appended since the row was saved into it (the caller
// made sure nothing else changed: crm_chat_state.rewrites).
Status append(PgConnection& conn, const PgParam& key, std::string_view tz, const std::vector<PgParam>& ids,
              Aggregates& a) {
  if (!a.last) return {};   // there was nothing: recompute() made it; nothing to fold into
  std::vector<PgParam> params{pg_text(tz), crm_sql::time_param(*a.last), pg_int(a.through_id)};
  params.insert(params.end(), ids.begin(), ids.end());
  auto added = WACRM_TRY(conn.exec(appended_sql(ids.size()), params));
  std::string samples;   // (from_me, seconds) rows for one INSERT
  for (int i = 0; i < added.rows(); ++i) {
    const bool from_me = added.boolean(i, 1);
    const std::int64_t at_us = added.int64(i, 2);
    ++a.by_weekday[added.int64(i, 3) - 1];
    ++a.by_hour[added.int64(i, 4)];
    ++(from_me ? a.sent : a.received);
    if (a.tail_from_me != from_me) {
      if (a.tail_from_me)
        samples += fmt::format("{}({},{})", samples.empty() ? "" : ",", *a.tail_from_me ? "true" : "false",
                               fmt::format("{}", static_cast<double>(at_us - a.tail_us) / 1e6));
      a.tail_from_me = from_me;
      a.tail_us = at_us;
    }
    a.through_id = added.int64(i, 0);
    a.last = TimePoint(std::chrono::microseconds(at_us));
  }
  if (!samples.empty()) {
    WACRM_TRY(conn.exec("INSERT INTO crm_stats_replies (chat_ids, time_zone, from_me, seconds) "
                        "SELECT $1::bigint[], $2, s.from_me, s.seconds FROM (VALUES " + samples +
                            ") s(from_me, seconds)",
                        {key, pg_text(tz)}));
    WACRM_TRY(read_reply_times(conn, key, tz, a));
  }
  return {};
}

}  // namespace

Result<ContactStats> PgCrmStore::stats(std::int64_t account_id, std::int64_t person_id, TimePoint now,
                                       std::string_view tz) {
  WACRM_TRY(check_time_zone(tz));
  auto chats = WACRM_TRY(conversation_chats(account_id, person_id));   // ascending ids
  std::vector<std::int64_t> chat_ids;
  std::vector<PgParam> id_params;
  for (const auto& c : chats) {
    chat_ids.push_back(c.id);
    id_params.push_back(pg_int(c.id));
  }
  PgParam ids = crm_sql::ids_param(chat_ids);

  std::optional<Aggregates> aggregates;
  if (chat_ids.empty()) {
    aggregates = Aggregates{};
  } else {
    // One writer per cached row (two requests for the same person wait for
    // each other instead of both storing samples). Versions first: a message
    // committed after this point shows up in the next call.
    auto tx = WACRM_TRY(PgTransaction::begin(conn_));
    auto state = WACRM_TRY(conn_.exec(kVersionsSql, {ids}));
    std::string versions(state.text(0, 0)), rewrites(state.text(0, 1));
    aggregates = WACRM_TRY(load(conn_, ids, tz));
    if (!aggregates || !aggregates->last || aggregates->rewrites != rewrites) {
      aggregates = WACRM_TRY(recompute(conn_, ids, tz, id_params, versions, rewrites));
    } else if (aggregates->versions != versions) {
      aggregates->versions = versions;
      WACRM_TRY(append(conn_, ids, tz, id_params, *aggregates));
      WACRM_TRY(save(conn_, ids, tz, *aggregates));
    }
    WACRM_TRY(tx.commit());
  }

  ContactStats out;
  out.by_hour = aggregates->by_hour;
  out.by_weekday = aggregates->by_weekday;
  out.sent.all_time = aggregates->sent;
  out.received.all_time = aggregates->received;
  out.first_interaction = aggregates->first;
  out.last_interaction = aggregates->last;
  out.my_replies = aggregates->mine;
  out.their_replies = aggregates->theirs;

  std::vector<PgParam> params{crm_sql::time_param(now)};
  params.insert(params.end(), id_params.begin(), id_params.end());
  auto recent = WACRM_TRY(conn_.exec(recent_sql(chat_ids.size()), params));
  for (int i = 0; i < recent.rows(); ++i) {
    DirectionCounts& counts = recent.boolean(i, 0) ? out.sent : out.received;
    counts.last_30_days = recent.int64(i, 1);
    counts.last_90_days = recent.int64(i, 2);
  }
  auto last = WACRM_TRY(conn_.exec(last_each_way_sql(), {ids}));
  for (int i = 0; i < last.rows(); ++i) {
    auto preview = crm_sql::preview_at(last, i, 0);
    (preview.from_me ? out.last_sent : out.last_received) = std::move(preview);
  }
  return out;
}

}  // namespace wacrm::store
