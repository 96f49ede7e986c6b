#include "control/method_table.h"

#include <algorithm>
#include <atomic>
#include <stdexcept>

#include "control/daemon.pb.h"
#include "control/envelope.pb.h"
#include "control/status_mapping.h"

namespace wacrm::control {

struct Responder::State {
  std::uint64_t request_id;
  Send send;
  Gone gone;
  Backlog backlog;
  std::atomic<bool> answered{false};

  void answer(Response response) {
    if (answered.exchange(true)) return;
    response.set_id(request_id);
    send(std::move(response));
  }
  void partial(Response response) {
    if (answered.load()) return;
    response.set_id(request_id);
    response.set_more(true);
    send(std::move(response));
  }
  ~State() {
    if (answered.load()) return;
    Response response;
    response.set_status(STATUS_INTERNAL);
    response.set_error("the daemon dropped this request without answering (a bug)");
    answer(std::move(response));
  }
};

Responder::Responder(std::uint64_t request_id, Send send, Gone gone, Backlog backlog)
    : state_(std::make_shared<State>(request_id, std::move(send), std::move(gone), std::move(backlog))) {}

void Responder::ok(const google::protobuf::MessageLite& payload) const { ok_bytes(payload.SerializeAsString()); }

void Responder::ok() const {
  Response response;
  response.set_status(STATUS_OK);
  state_->answer(std::move(response));
}

void Responder::ok_bytes(std::string payload) const {
  Response response;
  response.set_status(STATUS_OK);
  response.set_payload(std::move(payload));
  state_->answer(std::move(response));
}

void Responder::more(const google::protobuf::MessageLite& payload) const {
  more_bytes(payload.SerializeAsString());
}

void Responder::more_bytes(std::string payload) const {
  Response response;
  response.set_status(STATUS_OK);
  response.set_payload(std::move(payload));
  state_->partial(std::move(response));
}

void Responder::fail(const Error& error) const { fail(status_for(error.code), error.message); }

void Responder::fail(StatusCode status, std::string message, std::vector<std::string> suggestions) const {
  Response response;
  response.set_status(status);
  response.set_error(std::move(message));
  for (auto& s : suggestions) response.add_suggestions(std::move(s));
  state_->answer(std::move(response));
}

bool Responder::answered() const { return state_->answered.load(); }

bool Responder::client_gone() const { return state_->gone && state_->gone(); }

std::size_t Responder::unsent_bytes() const { return state_->backlog ? state_->backlog() : 0; }

bool Call::parse(google::protobuf::MessageLite& request) const {
  if (request.ParseFromString(payload)) return true;
  reply.fail(STATUS_MALFORMED, "the payload of '" + method + "' is not a valid " + request.GetTypeName());
  return false;
}

void MethodTable::add(Method method) {
  if (find(method.name)) throw std::logic_error("control method '" + method.name + "' registered twice");
  methods_.push_back(std::move(method));
}

const Method* MethodTable::find(std::string_view name) const {
  for (const auto& m : methods_)
    if (m.name == name) return &m;
  return nullptr;
}

std::vector<const Method*> MethodTable::list() const {
  std::vector<const Method*> out;
  for (const auto& m : methods_) out.push_back(&m);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->name < b->name; });
  return out;
}

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

void MethodTable::dispatch(Call call, const std::string& refusal) const {
  const Method* method = find(call.method);
  if (!method) {
    std::vector<std::string> close;
    for (const auto* m : list())
      if (edit_distance(m->name, call.method) <= 2) close.push_back(m->name);
    call.reply.fail(STATUS_UNKNOWN_METHOD, "unknown method '" + call.method + "' (try 'help')", std::move(close));
    return;
  }
  if (method->needs_admin && !call.admin) {
    call.reply.fail(STATUS_PERMISSION_DENIED, "'" + call.method + "' needs administrator rights: " + refusal);
    return;
  }
  Responder reply = call.reply;
  try {
    method->handler(std::move(call));
  } catch (const std::exception& e) {
    reply.fail(STATUS_INTERNAL, std::string("internal error: ") + e.what());
  }
}

void register_help_method(MethodTable& table) {
  table.add({"help", "list the methods this daemon serves", false, [&table](Call call) {
               HelpResponse out;
               for (const auto* m : table.list()) {
                 auto* info = out.add_methods();
                 info->set_name(m->name);
                 info->set_help(m->help);
                 info->set_needs_admin(m->needs_admin);
               }
               call.reply.ok(out);
             }});
}

}  // namespace wacrm::control
