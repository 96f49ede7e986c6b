// How fast the message handler stores what it decrypts: N Signal-encrypted
// 1:1 messages from P simulated people, each stanza one transaction on the
// test PostgreSQL (decrypt, store, Signal state, commit), one at a time as
// the daemon runs them. Prints messages/s and the per-stanza latency
// (p50/p99). No network: this is the handler's share of issue 6's
// end-to-end target (2,000 messages/s).
//
//   WACRM_TEST_PGHOST=<the test server's socket dir> bench_message_handler [--messages N] [--people P]
// (ctest's pg fixture starts that server: scripts/test-pg.sh start DIR.)
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "support/test_database.h"
#include "wa/message_test_support.h"
#include "pg_message_access.h"

namespace {

using namespace wacrm;
using namespace wacrm::wa::testing;
using Clock = std::chrono::steady_clock;

int option(int argc, char** argv, std::string_view name, int fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == name) return std::atoi(argv[i + 1]);
  return fallback;
}

int run(int messages, int people) {
  wacrm::testing::TestDatabase db;
  db.apply_schema();
  auto conn = db.connect();
  auto context = make_context();
  LinkedAccount account = link_account(context, conn);
  // One one-time pre-key per person beyond the 20 the account has.
  auto more = signal::generate_pre_keys(context, 100, static_cast<std::uint32_t>(people)).value();
  store::PgSignalStore ours(conn, account.account_id);
  (void)signal::store_pre_keys(context, ours, more);
  wa::MessageHandler handler(context, account.config);

  // Each person's first message (a pkmsg) and our answer, so that what is
  // measured is the common case: `msg` on an established session.
  std::vector<std::unique_ptr<Phone>> phones;
  for (int p = 0; p < people; ++p) {
    phones.push_back(std::make_unique<Phone>(context, std::to_string(4917000000000LL + p)));
    Phone& phone = *phones.back();
    phone.connect(account.identity, more[static_cast<std::size_t>(p)]);
    daemon::PgMessageStores stores(conn, account.account_id);
    auto first = handler.handle_message(
        stanza("FIRST" + std::to_string(p), phone.jid().to_string(), {enc(phone.encrypt(text("hi")))}), stores);
    if (first.error) throw std::runtime_error(first.error->to_string());
    signal::Protocol protocol(context, ours);
    phone.receive(protocol.encrypt(phone.address(), signal::add_padding(as_bytes(std::string("ok")), 3)).value());
  }

  auto make_stanzas = [&](int first) {
    std::vector<wire::Node> out;
    out.reserve(static_cast<std::size_t>(messages));
    for (int i = first; i < first + messages; ++i) {
      Phone& phone = *phones[static_cast<std::size_t>(i % people)];
      out.push_back(stanza(fmt::format("3EB0{:016X}", i), phone.jid().to_string(),
                           {enc(phone.encrypt(text(fmt::format("message number {} with a little text", i))))},
                           {{"notify", "Person"}}, kT0 + i));
    }
    return out;
  };
  auto check = [](const wire::Node& node, const wa::HandleResult& result) {
    if (result.error || result.events.empty() || result.events[0].type != wa::MessageEvent::Type::stored)
      throw std::runtime_error("message " + std::string(node.attr_or("id")) + " was not stored");
  };

  // Live traffic: one stanza, one transaction.
  auto stanzas = make_stanzas(0);
  std::vector<double> latencies_ms;
  latencies_ms.reserve(stanzas.size());
  auto start = Clock::now();
  for (const auto& node : stanzas) {
    const auto t0 = Clock::now();
    daemon::PgMessageStores stores(conn, account.account_id);
    check(node, handler.handle_message(node, stores));
    latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::sort(latencies_ms.begin(), latencies_ms.end());
  auto percentile = [&](double p) {
    return latencies_ms[std::min(latencies_ms.size() - 1, static_cast<std::size_t>(p * latencies_ms.size()))];
  };
  std::cout << fmt::format(
      "{} messages from {} people, one per transaction: {:.0f} messages/s; per stanza p50 {:.2f} ms, "
      "p99 {:.2f} ms, max {:.2f} ms\n",
      messages, people, messages / seconds, percentile(0.50), percentile(0.99), latencies_ms.back());

  // A backlog (the offline queue): up to 32 stanzas per transaction, as the receiver batches them.
  stanzas = make_stanzas(messages);
  constexpr std::size_t kBatch = 32;
  start = Clock::now();
  for (std::size_t at = 0; at < stanzas.size(); at += kBatch) {
    const auto batch = std::span(stanzas).subspan(at, std::min(kBatch, stanzas.size() - at));
    daemon::PgMessageStores stores(conn, account.account_id);
    auto results = handler.handle_messages(batch, stores);
    for (std::size_t i = 0; i < batch.size(); ++i) check(batch[i], results[i]);
  }
  const double backlog_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const auto stored = conn.exec("SELECT count(*) FROM messages").value().int64(0, 0);
  std::cout << fmt::format("{} more as a backlog, {} per transaction: {:.0f} messages/s; {} rows in all\n", messages,
                           kBatch, messages / backlog_seconds, stored);
  return stored == 2 * messages + people ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(std::max(1, option(argc, argv, "--messages", 20000)), std::max(1, option(argc, argv, "--people", 50)));
  } catch (const std::exception& e) {
    std::cerr << "bench_message_handler: " << e.what() << "\n";
    return 1;
  }
}
