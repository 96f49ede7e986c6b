// wacrmctl's side of one conversation with wacrmd: connect lazily, send a
// request, turn transport failures and error answers into messages and exit
// codes, print answers as text or JSON.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "control/control_client.h"

namespace google::protobuf {
class Message;
}

namespace wacrm::control {
class Response;
}

namespace wacrm::ctl {

// protobuf's JSON mapping, field names as in the .proto files, every field
// shown; `pretty`: indented, else one line (the JSON-lines output of streams).
std::string json_text(const google::protobuf::Message& message, bool pretty);

class Session {
 public:
  Session(std::string socket_path, std::chrono::milliseconds timeout, bool json, std::ostream& out,
          std::ostream& err)
      : socket_path_(std::move(socket_path)), timeout_(timeout), json_(json), out_(out), err_(err) {}

  bool json() const { return json_; }
  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }

  // Fills `response` with the daemon's answer and returns kExitOk, or prints
  // why there is none and returns kExitUnreachable or kExitDenied.
  int exchange(const std::string& method, const google::protobuf::Message& request, control::Response& response);
  // Prints an error answer (text to stderr, or the Response as JSON on stdout)
  // and returns the exit code it means.
  int report(const control::Response& response);
  // exchange + report + parse: kExitOk with `response` filled, or the exit code.
  int call(const std::string& method, const google::protobuf::Message& request, google::protobuf::Message& response);
  // Streaming methods (Response.more): hands the payload of every answer, the
  // partial ones and the final one, to on_payload (which returns an exit
  // code; non-zero stops). An error answer is reported as by call().
  int stream(const std::string& method, const google::protobuf::Message& request,
             const std::function<int(const std::string& payload)>& on_payload);
  // stream() for long-running methods (login): waits for each answer in steps
  // of `tick`, calling on_tick in between (to redraw a countdown), and gives
  // up only after `idle` without any answer.
  int stream(const std::string& method, const google::protobuf::Message& request,
             const std::function<int(const std::string& payload)>& on_payload, std::chrono::milliseconds tick,
             const std::function<void()>& on_tick, std::chrono::milliseconds idle);
  // stream() for streams that never end by themselves (events): like the
  // one above, but on_tick says whether to go on; false ends it with kExitOk
  // (the connection closes, so the daemon stops streaming).
  int stream_until(const std::string& method, const google::protobuf::Message& request,
                   const std::function<int(const std::string& payload)>& on_payload, std::chrono::milliseconds tick,
                   const std::function<bool()>& keep_going);
  // protobuf's JSON mapping, field names as in the .proto files.
  void print_json(const google::protobuf::Message& message);

 private:
  int stream_loop(const std::string& method, const google::protobuf::Message& request,
                  const std::function<int(const std::string& payload)>& on_payload, std::chrono::milliseconds tick,
                  const std::function<bool()>& on_tick, std::chrono::milliseconds idle);

  std::string socket_path_;
  std::chrono::milliseconds timeout_;
  bool json_;
  std::ostream& out_;
  std::ostream& err_;
  std::optional<control::ControlClient> client_;
};

}  // namespace wacrm::ctl
