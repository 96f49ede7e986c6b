#include "wasim/bulk_send.h"

#include <openssl/rand.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>

#include "wasim/simulated_people.h"
#include "wasim/world.h"

namespace wacrm::wasim {

namespace {

using Clock = std::chrono::steady_clock;

// How long the window may stay full before the run gives up.
constexpr std::chrono::seconds kStallLimit{30};
// Messages written per turn of the loop before incoming acks get their turn.
constexpr std::size_t kPerTurn = 64;

std::int64_t unix_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<std::int64_t> positive(const Json& request, const char* key, std::int64_t fallback, bool zero_ok = false) {
  auto it = request.find(key);
  if (it == request.end()) return fallback;
  if (it->is_number_integer() && (it->get<std::int64_t>() > 0 || (zero_ok && it->get<std::int64_t>() == 0)))
    return it->get<std::int64_t>();
  return make_error(Errc::invalid_argument, std::string("'") + key + "' must be a positive integer");
}

}  // namespace

struct BulkSend::Run : std::enable_shared_from_this<BulkSend::Run> {
  Run(World& w, Done d) : world(w), done(std::move(d)), timer(w.io()) {}

  World& world;
  Done done;
  boost::asio::steady_timer timer;
  std::string to;
  std::vector<std::string> people;
  std::size_t count = 0;
  double rate = 0;  // 0: as fast as confirmed
  std::size_t window = 0;
  std::string text;
  std::string times_file;
  std::string id_prefix;  // "3EB0" + 6 hex digits of this run; + 12 of the index
  bool sender_lid = false;  // name each sender's LID on its stanzas too
  std::vector<std::int64_t> sent_us;
  Clock::time_point started;
  Clock::time_point full_since{};

  std::string id_of(std::size_t i) const { return fmt::format("{}{:012X}", id_prefix, i); }

  // Messages written but not yet confirmed by the account's companions.
  std::size_t unconfirmed() {
    std::size_t n = 0;
    if (Account* account = world.directory().by_phone(to))
      for (const auto& [device, companion] : account->companions) n += world.queue().size(DeviceId{to, device});
    return n;
  }

  void step() {
    const auto now = Clock::now();
    std::size_t due = count;
    if (rate > 0)
      due = std::min(count, static_cast<std::size_t>(std::chrono::duration<double>(now - started).count() * rate) + 1);
    std::size_t turn = 0;
    while (sent_us.size() < due && turn < kPerTurn) {
      if (unconfirmed() >= window) break;
      const std::size_t i = sent_us.size();
      Json message = {{"from", people[i % people.size()]}, {"to", to}, {"id", id_of(i)}, {"text", text}};
      if (sender_lid) message["sender_lid"] = true;
      if (auto sent = world.people().send(message); !sent) return finish(std::unexpected(sent.error()));
      sent_us.push_back(unix_us());
      ++turn;
    }
    if (sent_us.size() == count) return finish_ok();

    const bool window_full = sent_us.size() < due && turn < kPerTurn;
    if (turn > 0 || !window_full) full_since = {};  // progress, or nothing to wait for
    else if (full_since == Clock::time_point{}) full_since = now;
    else if (now - full_since > kStallLimit)
      return finish(make_error(Errc::timeout, fmt::format("{} messages stayed unconfirmed for {} s", unconfirmed(),
                                                          kStallLimit.count())));

    auto self = shared_from_this();
    if (turn == kPerTurn) {
      boost::asio::post(world.io(), [self] { self->step(); });
      return;
    }
    if (window_full) timer.expires_after(std::chrono::milliseconds(1));
    else timer.expires_at(started + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(static_cast<double>(sent_us.size()) / rate)));
    timer.async_wait([self](boost::system::error_code ec) {
      if (!ec) self->step();
    });
  }

  void finish_ok() {
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    if (!times_file.empty()) {
      std::ofstream out(times_file, std::ios::trunc);
      for (std::size_t i = 0; i < sent_us.size(); ++i) out << id_of(i) << ',' << sent_us[i] << '\n';
      if (!out.flush())
        return finish(make_error(Errc::internal, "cannot write the times file '" + times_file + "'"));
    }
    finish(Json{{"sent", sent_us.size()},
                {"seconds", seconds},
                {"per_second", seconds > 0 ? static_cast<double>(sent_us.size()) / seconds : 0.0},
                {"first_id", id_of(0)}});
  }

  void finish(Result<Json> result) {
    world.event("bulk_send_done", result ? *result : Json{{"error", result.error().to_string()}});
    done(std::move(result));
  }
};

void BulkSend::start(const Json& request, Done done) {
  auto run = std::make_shared<Run>(world_, std::move(done));
  auto fail = [&](Error error) { run->done(std::unexpected(std::move(error))); };
  if (!request.is_object() || !request.contains("to") || !request["to"].is_string())
    return fail({Errc::invalid_argument, "give 'to' (the receiving account's phone)"});
  run->to = request["to"].get<std::string>();
  if (!world_.directory().by_phone(run->to)) return fail({Errc::not_found, "no account '" + run->to + "'"});
  auto count = positive(request, "count", 0);
  auto people = positive(request, "people", 50);
  auto rate = positive(request, "rate", 0, true);
  auto window = positive(request, "window", 1000);
  auto text_bytes = positive(request, "text_bytes", 60);
  for (const auto* r : {&count, &people, &rate, &window, &text_bytes})
    if (!*r) return fail(r->error());
  if (*count == 0) return fail({Errc::invalid_argument, "give 'count' (messages to send)"});
  run->count = static_cast<std::size_t>(*count);
  run->rate = static_cast<double>(*rate);
  run->window = static_cast<std::size_t>(*window);
  run->times_file = request.value("times_file", "");
  if (request.contains("sender_lid") && !request["sender_lid"].is_boolean())
    return fail({Errc::invalid_argument, "'sender_lid' must be true or false"});
  run->sender_lid = request.value("sender_lid", false);
  run->text = std::string(static_cast<std::size_t>(*text_bytes), 'x');
  std::uint8_t tag[3];
  RAND_bytes(tag, sizeof tag);
  run->id_prefix = fmt::format("3EB0{:02X}{:02X}{:02X}", tag[0], tag[1], tag[2]);

  const std::string prefix = request.value("phone_prefix", "1999");
  for (std::int64_t i = 1; i <= *people; ++i) {
    std::string phone = fmt::format("{}{:06d}", prefix, i);
    if (!world_.directory().by_phone(phone))
      if (auto made = world_.create_account({{"phone", phone}, {"push_name", fmt::format("Bulk {}", i)}}); !made)
        return fail(made.error());
    run->people.push_back(std::move(phone));
  }
  run->sent_us.reserve(run->count);
  run->started = Clock::now();
  run->step();
}

}  // namespace wacrm::wasim
