#include "event_sources.h"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <map>

#include "control/event_frames.h"
#include "control/events.pb.h"
#include "control/login.pb.h"
#include "control/pool_runner.h"
#include "crm/due_events.h"
#include "store/pg/pg_crm_store.h"

namespace wacrm::daemon {

namespace {

using Previews = std::vector<std::pair<std::int64_t, store::CrmMessagePreview>>;

}  // namespace

EventSources::EventSources(boost::asio::io_context& io, control::PoolRunner& runner, events::EventHub& hub,
                           crm::CrmSettings settings, std::chrono::seconds due_interval)
    : runner_(runner), hub_(hub), settings_(std::move(settings)), due_interval_(due_interval), due_timer_(io) {}

void EventSources::start() {
  stopped_ = false;
  check_due();
}

void EventSources::stop() {
  stopped_ = true;
  due_timer_.cancel();
}

void EventSources::schedule_due_check() {
  if (stopped_) return;
  due_timer_.expires_after(due_interval_);
  due_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) check_due();
  });
}

void EventSources::check_due() {
  if (stopped_ || checking_) return;
  checking_ = true;
  runner_.run<std::vector<crm::DueEvent>>(
      [settings = settings_](store::PgConnection& conn) {
        store::PgCrmStore store(conn);
        return crm::collect_due_events(store, std::chrono::system_clock::now(), settings);
      },
      [this](Result<std::vector<crm::DueEvent>> due) {
        checking_ = false;
        if (!due) spdlog::warn("Failed to look for due reminders and overdue replies: {}", due.error().message);
        else
          for (const auto& event : *due) hub_.publish(control::hub_event(event));
        schedule_due_check();
      });
}

void EventSources::message(const std::string& account, const wa::MessageEvent& event) {
  if (event.type != wa::MessageEvent::Type::stored && event.type != wa::MessageEvent::Type::placeholder) return;
  // Nobody listens: no preview to look up.
  if (hub_.subscribers() == 0) return;
  if (stored_.empty()) boost::asio::post(due_timer_.get_executor(), [this] { publish_messages(); });
  stored_.push_back({account, event});
}

void EventSources::publish_messages() {
  auto stored = std::move(stored_);
  stored_.clear();
  std::vector<std::int64_t> ids;
  for (const auto& s : stored) ids.push_back(s.event.message_id);
  runner_.run<Previews>(
      [ids](store::PgConnection& conn) { return store::PgCrmStore(conn).message_previews(ids); },
      [this, stored = std::move(stored)](Result<Previews> previews) {
        std::map<std::int64_t, std::string> text;
        if (previews)
          for (auto& [id, preview] : *previews) text[id] = std::move(preview.text);
        for (const auto& s : stored) {
          control::DaemonEvent out = control::make_event("message.stored", s.account);
          auto* m = out.mutable_message();
          m->set_chat_jid(s.event.chat_jid);
          m->set_sender_jid(s.event.sender_jid);
          m->set_from_me(s.event.from_me);
          m->set_kind(s.event.kind);
          if (!s.event.wa_ids.empty()) m->set_wa_id(s.event.wa_ids.front());
          m->set_message_id(s.event.message_id);
          if (auto it = text.find(s.event.message_id); it != text.end()) m->set_preview(it->second);
          hub_.publish(control::hub_event(out));
        }
      });
}

void EventSources::session_state(const control::LoginUpdate& update) {
  control::DaemonEvent out = control::make_event("session.state", update.account());
  // What status shows, field by field: linking secrets (the QR code, a
  // pairing code) stay between wacrmd and the `login` that asked for them.
  auto* session = out.mutable_session();
  session->set_account(update.account());
  session->set_phone(update.phone());
  session->set_device(update.device());
  const auto& in = update.state();
  auto* state = session->mutable_state();
  state->set_phase(in.phase());
  if (in.has_since()) *state->mutable_since() = in.since();
  state->set_reason(in.reason());
  if (in.has_retry_at()) *state->mutable_retry_at() = in.retry_at();
  state->set_jid(in.jid());
  state->set_description(in.description());
  hub_.publish(control::hub_event(out));
}

}  // namespace wacrm::daemon
