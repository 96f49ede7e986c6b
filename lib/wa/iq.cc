#include "wa/iq.h"

#include <openssl/rand.h>

#include "wire/jid.h"

namespace wacrm::wa {

std::string server_jid() { return wire::Jid::of_server(wire::server::kUser).to_string(); }

wire::Node make_iq(std::string_view type, std::string_view xmlns, wire::Node::Children children) {
  wire::Node iq("iq", {{"to", server_jid()}, {"type", std::string(type)}, {"xmlns", std::string(xmlns)}});
  if (!children.empty()) iq.content = std::move(children);
  return iq;
}

wire::Node iq_result(std::string_view id) {
  return wire::Node("iq", {{"to", server_jid()}, {"type", "result"}, {"id", std::string(id)}});
}

wire::Node ack_for(const wire::Node& stanza) {
  wire::Node ack("ack", {{"id", std::string(stanza.attr_or("id"))}, {"class", stanza.tag}});
  if (auto from = stanza.attr("from")) ack.set_attr("to", std::string(*from));
  for (std::string_view copied : {"participant", "recipient"})
    if (auto value = stanza.attr(copied)) ack.set_attr(copied, std::string(*value));
  if (stanza.tag != "message")
    if (auto type = stanza.attr("type")) ack.set_attr("type", std::string(*type));
  return ack;
}

Error iq_error(const wire::Node& iq) {
  const wire::Node* error = iq.child("error");
  std::string code(error ? error->attr_or("code") : "");
  std::string text(error ? error->attr_or("text") : "");
  Errc errc = Errc::protocol;
  if (code == "400") errc = Errc::invalid_argument;
  else if (code == "401" || code == "403") errc = Errc::permission_denied;
  else if (code == "404") errc = Errc::not_found;
  else if (code == "408") errc = Errc::timeout;
  else if (code.size() == 3 && code[0] == '5') errc = Errc::unavailable;
  std::string message = "server answered " + (code.empty() ? std::string("an error") : code);
  if (!text.empty()) message += " " + text;
  return Error{errc, std::move(message)};
}

IqTracker::IqTracker(std::string prefix) : prefix_(std::move(prefix)) {
  if (prefix_.empty()) {
    std::uint8_t random[2] = {0, 0};
    RAND_bytes(random, sizeof(random));
    prefix_ = std::to_string(random[0]) + "." + std::to_string(random[1]);
  }
}

std::string IqTracker::next_id() { return prefix_ + "-" + std::to_string(++counter_); }

std::string IqTracker::track(wire::Node& iq, Clock::time_point deadline, Callback callback) {
  std::string id(iq.attr_or("id"));
  if (id.empty()) {
    id = next_id();
    iq.set_attr("id", id);
  }
  std::string description = std::string(iq.attr_or("xmlns")) + " " + std::string(iq.attr_or("type"));
  waiting_[id] = Waiter{deadline, std::move(callback), std::move(description)};
  return id;
}

bool IqTracker::on_response(const wire::Node& iq) {
  auto type = iq.attr_or("type");
  if (iq.tag != "iq" || (type != "result" && type != "error")) return false;
  auto it = waiting_.find(std::string(iq.attr_or("id")));
  if (it == waiting_.end()) return false;
  // Forget first: the callback may send the next request.
  Callback callback = std::move(it->second.callback);
  waiting_.erase(it);
  if (type == "error")
    callback(std::unexpected(iq_error(iq)));
  else
    callback(iq);
  return true;
}

void IqTracker::expire(Clock::time_point now) {
  std::vector<std::pair<std::string, Waiter>> expired;
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    if (it->second.deadline <= now) {
      expired.emplace_back(it->first, std::move(it->second));
      it = waiting_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& [id, waiter] : expired)
    waiter.callback(make_error(Errc::timeout, "no answer to iq " + id + " (" + waiter.description + ") in time"));
}

std::optional<IqTracker::Clock::time_point> IqTracker::next_deadline() const {
  std::optional<Clock::time_point> earliest;
  for (const auto& [id, waiter] : waiting_)
    if (!earliest || waiter.deadline < *earliest) earliest = waiter.deadline;
  return earliest;
}

void IqTracker::fail_all(const Error& error) {
  auto waiting = std::move(waiting_);
  waiting_.clear();
  for (auto& [id, waiter] : waiting) waiter.callback(std::unexpected(error));
}

}  // namespace wacrm::wa
