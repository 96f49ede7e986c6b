// The control API's method table: {name -> handler, help, needs_admin}.
// The server looks a request's method up here, checks the peer's rights, and
// hands the handler a Call; the handler answers through call.reply, exactly
// once, now or later and from any thread (the answer is posted back to the
// io_context that owns the connection).
//
// Adding methods (see README.md here): write register_<area>_methods(MethodTable&,
// <what your handlers need>&) in your own .cc, capture your dependencies in
// the handler lambdas, and call it once from the daemon's wiring.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "control/peer_credentials.h"

namespace google::protobuf {
class MessageLite;
}

namespace wacrm::control {

enum StatusCode : int;  // proto/control/envelope.proto
class Response;

// The answer channel of one request. Copyable (handlers capture it in
// std::function); all copies share one state, so only the first answer counts.
// If every copy is destroyed without an answer, the client gets
// STATUS_INTERNAL rather than waiting for its timeout.
class Responder {
 public:
  using Send = std::function<void(Response)>;
  // Asked on the loop: true once the client's connection has closed.
  using Gone = std::function<bool()>;
  // Asked on the loop: bytes of answers written to the connection's queue and
  // not yet taken by the client.
  using Backlog = std::function<std::size_t()>;
  Responder(std::uint64_t request_id, Send send, Gone gone = {}, Backlog backlog = {});

  void ok(const google::protobuf::MessageLite& payload) const;
  void ok() const;  // no payload
  void ok_bytes(std::string payload) const;  // an already serialized response message
  // Streaming methods: a partial answer (Response.more = true), any number of
  // times before the final ok()/fail(). Delivered in call order.
  void more(const google::protobuf::MessageLite& payload) const;
  void more_bytes(std::string payload) const;
  void fail(const Error& error) const;
  void fail(StatusCode status, std::string message, std::vector<std::string> suggestions = {}) const;
  bool answered() const;
  // Streams that never end by themselves (events.subscribe) poll this on the
  // loop to learn that nobody listens any more. False when the server cannot tell.
  bool client_gone() const;
  // What the client has not read yet (0 when the server cannot tell): a
  // stream that can drop or wait (events.subscribe) holds back while it grows.
  std::size_t unsent_bytes() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

struct Call {
  std::string method;
  std::string payload;       // the method's serialized request message
  PeerCredentials peer;
  bool admin = false;
  Responder reply;

  // Parses payload into request; on failure answers STATUS_MALFORMED and
  // returns false (the handler then simply returns).
  bool parse(google::protobuf::MessageLite& request) const;
};

using Handler = std::function<void(Call call)>;

struct Method {
  std::string name;          // "area.verb", e.g. "account.add"
  std::string help;          // one line, shown by `wacrmctl help`
  bool needs_admin = true;
  Handler handler;
};

class MethodTable {
 public:
  // Throws std::logic_error on a duplicate name (a wiring bug, found at start-up).
  void add(Method method);
  const Method* find(std::string_view name) const;
  // Sorted by name.
  std::vector<const Method*> list() const;

  // Finds, authorizes and runs the method of one request. Unknown methods get
  // STATUS_UNKNOWN_METHOD with the closest names as suggestions; a method
  // that needs admin rights refuses others with STATUS_PERMISSION_DENIED
  // quoting `refusal`. An exception escaping a handler becomes STATUS_INTERNAL.
  void dispatch(Call call, const std::string& refusal) const;

 private:
  std::vector<Method> methods_;
};

// Registers "help", which lists the table's methods (open to everyone).
void register_help_method(MethodTable& table);

}  // namespace wacrm::control
