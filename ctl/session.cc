#include "session.h"

#include <google/protobuf/util/json_util.h>

#include "control/envelope.pb.h"
#include "exit_codes.h"

namespace wacrm::ctl {

int Session::exchange(const std::string& method, const google::protobuf::Message& request,
                      control::Response& response) {
  if (!client_) {
    auto client = control::ControlClient::connect(socket_path_, timeout_);
    if (!client) {
      const auto& error = client.error();
      if (error.code == Errc::permission_denied) {
        err_ << "wacrmctl: permission denied: " << error.message
             << ". Only root and members of wacrmd's control group ('wacrm' unless control.group says "
                "otherwise) may administer wacrmd.\n";
        return kExitDenied;
      } else if (error.code == Errc::unavailable) {
        err_ << "wacrmd is not running (" << error.message << "). Start it with: systemctl start wacrmd\n";
      } else {
        err_ << "wacrmctl: cannot reach wacrmd: " << error.message << "\n";
      }
      return kExitUnreachable;
    }
    client_.emplace(std::move(*client));
  }
  control::Request req;
  req.set_method(method);
  request.SerializeToString(req.mutable_payload());
  if (auto ok = client_->call(req, response, timeout_); !ok) {
    if (ok.error().code == Errc::timeout)
      err_ << "wacrmctl: wacrmd did not answer within " << timeout_.count() / 1000.0 << "s (" << ok.error().message
           << ")\n";
    else
      err_ << "wacrmctl: " << ok.error().message << "\n";
    client_.reset();
    return kExitUnreachable;
  }
  return kExitOk;
}

int Session::report(const control::Response& response) {
  if (json_) {
    control::Response shown = response;
    shown.clear_payload();
    print_json(shown);
  } else {
    err_ << "wacrmctl: " << response.error() << "\n";
    if (response.suggestions_size() > 0) {
      err_ << "Did you mean:";
      for (const auto& s : response.suggestions()) err_ << " " << s;
      err_ << "\n";
    }
  }
  return response.status() == control::STATUS_PERMISSION_DENIED ? kExitDenied : kExitFailed;
}

int Session::call(const std::string& method, const google::protobuf::Message& request,
                  google::protobuf::Message& response) {
  control::Response answer;
  if (int code = exchange(method, request, answer); code != kExitOk) return code;
  if (answer.status() != control::STATUS_OK) return report(answer);
  if (!response.ParseFromString(answer.payload())) {
    err_ << "wacrmctl: wacrmd sent an answer to '" << method << "' that does not parse (version mismatch?)\n";
    return kExitFailed;
  }
  return kExitOk;
}

int Session::stream(const std::string& method, const google::protobuf::Message& request,
                    const std::function<int(const std::string& payload)>& on_payload) {
  return stream(method, request, on_payload, timeout_, [] {}, timeout_);
}

int Session::stream(const std::string& method, const google::protobuf::Message& request,
                    const std::function<int(const std::string& payload)>& on_payload, std::chrono::milliseconds tick,
                    const std::function<void()>& on_tick, std::chrono::milliseconds idle) {
  return stream_loop(method, request, on_payload, tick,
                     [&on_tick] {
                       on_tick();
                       return true;
                     },
                     idle);
}

int Session::stream_until(const std::string& method, const google::protobuf::Message& request,
                          const std::function<int(const std::string& payload)>& on_payload,
                          std::chrono::milliseconds tick, const std::function<bool()>& keep_going) {
  return stream_loop(method, request, on_payload, tick, keep_going, std::chrono::hours(24 * 365 * 100));  // no idle limit
}

int Session::stream_loop(const std::string& method, const google::protobuf::Message& request,
                         const std::function<int(const std::string& payload)>& on_payload,
                         std::chrono::milliseconds tick, const std::function<bool()>& on_tick,
                         std::chrono::milliseconds idle) {
  control::Response answer;
  if (int code = exchange(method, request, answer); code != kExitOk) return code;
  const auto id = answer.id();
  for (;;) {
    if (answer.status() != control::STATUS_OK) return report(answer);
    if (int code = on_payload(answer.payload()); code != kExitOk) return code;
    if (!answer.more()) return kExitOk;
    const auto waiting_since = std::chrono::steady_clock::now();
    for (;;) {
      auto next = client_->read_more(id, answer, tick);
      if (next) break;
      if (next.error().code != Errc::timeout || std::chrono::steady_clock::now() - waiting_since >= idle) {
        err_ << "wacrmctl: " << next.error().message << "\n";
        client_.reset();
        return kExitUnreachable;
      }
      if (!on_tick()) {
        client_.reset();
        return kExitOk;
      }
    }
  }
}

// protobuf's JSON mapping with the field names of the .proto files, every field
// shown; `pretty`: indented over several lines, else one line.
std::string json_text(const google::protobuf::Message& message, bool pretty) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string text;
  (void)google::protobuf::util::MessageToJsonString(message, &text, options);
  return text;
}

void Session::print_json(const google::protobuf::Message& message) {
  std::string text = json_text(message, true);
  out_ << text;
  if (text.empty() || text.back() != '\n') out_ << '\n';
}

}  // namespace wacrm::ctl
