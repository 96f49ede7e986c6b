#include "bench/crm_query_bench.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <functional>

#include "control/crm.pb.h"
#include "crm/crm_methods.h"
#include "store/pg/pg_crm_store.h"

namespace wacrm::bench {

namespace {

using Clock = std::chrono::steady_clock;

// Two-word searches over the generator's common words.
constexpr const char* kSearches[] = {"dinner tomorrow", "coffee later",   "blue house",    "train late",
                                     "birthday party",  "doctor monday",  "flight hotel",  "rent bill",
                                     "cafe zurich",     "beach weekend",  "school kids",   "movie friday",
                                     "wine pizza",      "concert ticket", "garden rain",   "gym run"};

struct Subject {
  std::string jid;
  std::int64_t messages = 0;
};

// The person with the most 1:1 messages, and one with about 20.
Result<std::pair<Subject, Subject>> subjects(store::PgConnection& conn, std::int64_t account) {
  auto r = WACRM_TRY(conn.exec(R"(
    WITH counts AS (
      SELECT p.jid, count(*) AS n FROM messages m
      JOIN crm_chat_owners o ON o.chat_id = m.chat_id JOIN crm_people p ON p.id = o.person_id
      WHERE m.account_id = $1 AND NOT o.is_group GROUP BY p.jid)
    (SELECT jid, n FROM counts ORDER BY n DESC, jid LIMIT 1)
    UNION ALL
    (SELECT jid, n FROM counts ORDER BY abs(n - 20), jid LIMIT 1))", {store::pg_int(account)}));
  if (r.rows() < 2) return make_error(Errc::not_found, "the account has no conversations: run crm_bench_data first");
  return std::pair{Subject{std::string(r.text(0, 0)), r.int64(0, 1)}, Subject{std::string(r.text(1, 0)), r.int64(1, 1)}};
}

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// Runs `run` once to warm up, then `iterations` times timed; `prepare`
// (untimed) goes before each run.
LatencyFigure measure(const std::string& name, int iterations, const std::function<Status(int)>& run, Status& failed,
                      const std::function<Status()>& prepare = {}) {
  std::vector<double> times;
  for (int i = -1; i < iterations; ++i) {   // i = -1 warms up
    if (prepare) {
      if (auto ready = prepare(); !ready && failed) failed = std::unexpected(ready.error());
    }
    auto start = Clock::now();
    auto status = run(std::max(i, 0));
    auto took = ms(Clock::now() - start);
    if (!status && failed) failed = std::unexpected(Error{status.error().code, name + ": " + status.error().message});
    if (i >= 0) times.push_back(took);
  }
  std::sort(times.begin(), times.end());
  auto at = [&](double q) { return times[std::min(times.size() - 1, static_cast<std::size_t>(q * times.size()))]; };
  return {name, iterations, at(0.50), at(0.95), times.back()};
}

}  // namespace

Result<BenchReport> run_crm_bench(store::PgConnection& conn, const BenchOptions& options) {
  store::PgCrmStore store(conn);
  crm::CrmSettings settings;
  crm::CrmContext ctx{store, settings, std::chrono::system_clock::now()};
  auto account = WACRM_TRY(store.account_id(options.account));
  auto [busy, quiet] = WACRM_TRY(subjects(conn, account));

  auto unary = [&](std::string_view method, const google::protobuf::Message& request) -> Status {
    auto r = crm::find_crm_method(method)->unary(ctx, request.SerializeAsString());
    if (!r) return std::unexpected(r.error().error);
    return {};
  };

  BenchReport report;
  Status failed;
  control::CrmPendingRequest pending;
  pending.set_account(options.account);
  report.latencies.push_back(measure("pending", options.iterations, [&](int) { return unary("crm.pending", pending); }, failed));
  control::CrmAttentionRequest attention;
  attention.set_account(options.account);
  report.latencies.push_back(
      measure("attention", options.iterations, [&](int) { return unary("crm.attention", attention); }, failed));
  for (const auto& [label, who] : {std::pair{"busy", busy}, std::pair{"quiet", quiet}}) {
    control::CrmContactShowRequest show;
    show.set_account(options.account);
    show.set_contact(who.jid);
    show.set_time_zone("Europe/Berlin");
    report.latencies.push_back(measure(fmt::format("contact show, {} ({} msgs)", label, who.messages),
                                       options.iterations,
                                       [&](int) { return unary("crm.contact.show", show); }, failed));
  }
  // The statistics of a conversation are cached until it changes: measure
  // the busy one again with a new message before every run (a cache miss).
  {
    control::CrmContactShowRequest show;
    show.set_account(options.account);
    show.set_contact(busy.jid);
    show.set_time_zone("Europe/Berlin");
    int n = 0;
    report.latencies.push_back(measure(
        "contact show, busy, after a new message", std::max(3, options.iterations / 5),
        [&](int) { return unary("crm.contact.show", show); }, failed, [&]() -> Status {
          WACRM_TRY(conn.exec(R"(
            INSERT INTO messages (account_id, chat_id, wa_id, sender_jid, from_me, sent_at, kind, body)
            SELECT o.account_id, o.chat_id, 'bench-' || $2 || '-' || clock_timestamp(), o.jid, false, now(), 'text',
                   'one more'
            FROM crm_chat_owners o JOIN crm_people p ON p.id = o.person_id
            WHERE p.jid = $1 AND NOT o.is_group LIMIT 1)", {store::pg_text(busy.jid), store::pg_int(++n)}));
          return {};
        }));
  }
  report.latencies.push_back(measure("search, two words", options.iterations, [&](int i) {
    control::CrmSearchRequest search;
    search.set_account(options.account);
    search.set_query(kSearches[i % std::size(kSearches)]);
    return unary("crm.search", search);
  }, failed));
  control::CrmSummaryRequest summary;
  summary.set_account(options.account);
  summary.set_time_zone("Europe/Berlin");
  report.latencies.push_back(measure("summary", options.iterations, [&](int) { return unary("crm.summary", summary); }, failed));
  WACRM_TRY(failed);

  const std::pair<const char*, control::CrmExportFormat> formats[] = {
      {"txt", control::CRM_EXPORT_FORMAT_TXT}, {"json", control::CRM_EXPORT_FORMAT_JSON},
      {"csv", control::CRM_EXPORT_FORMAT_CSV}, {"html", control::CRM_EXPORT_FORMAT_HTML}};
  for (const auto& [name, format] : formats) {
    control::CrmExportRequest req;
    req.set_account(options.account);
    req.set_contact(busy.jid);
    req.set_format(format);
    ExportFigure figure{name};
    figure.seconds = 1e9;
    for (int run = 0; run < options.export_runs; ++run) {
      std::int64_t bytes = 0, messages = 0;
      auto start = Clock::now();
      auto status = crm::find_crm_method("crm.export")->stream(ctx, req.SerializeAsString(), [&](std::string payload, bool) -> Status {
        control::CrmExportChunk chunk;
        chunk.ParseFromString(payload);
        bytes += static_cast<std::int64_t>(chunk.data().size());
        messages = chunk.messages();
        return {};
      });
      if (!status) return std::unexpected(status.error().error);
      figure.seconds = std::min(figure.seconds, std::chrono::duration<double>(Clock::now() - start).count());
      figure.messages = messages;
    }
    figure.messages_per_second = figure.messages / figure.seconds;
    report.exports.push_back(figure);
  }
  return report;
}

void print_report(const BenchReport& report, std::ostream& out) {
  out << fmt::format("{:<42} {:>5} {:>9} {:>9} {:>9}\n", "query", "runs", "p50 ms", "p95 ms", "max ms");
  for (const auto& f : report.latencies)
    out << fmt::format("{:<42} {:>5} {:>9.2f} {:>9.2f} {:>9.2f}\n", f.query, f.runs, f.p50_ms, f.p95_ms, f.max_ms);
  out << fmt::format("\n{:<8} {:>10} {:>9} {:>12}\n", "export", "messages", "seconds", "messages/s");
  for (const auto& e : report.exports)
    out << fmt::format("{:<8} {:>10} {:>9.3f} {:>12.0f}\n", e.format, e.messages, e.seconds, e.messages_per_second);
}

}  // namespace wacrm::bench
