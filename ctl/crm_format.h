// Human output helpers shared by wacrmctl's CRM verbs (crm_*_verbs.cc).
#pragma once

#include <cstdint>
#include <string>

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>

#include "exit_codes.h"
#include "session.h"
#include "verbs.h"

namespace google::protobuf {
class Timestamp;
}
namespace wacrm::control {
class CrmPerson;
class CrmMessagePreview;
}  // namespace wacrm::control

namespace wacrm::ctl::crm_format {

// "2024-06-03 14:05" in this machine's time zone; "-" when unset.
std::string when(const google::protobuf::Timestamp& t);
// A compact duration: "45s", "12m", "5h 3m", "3d 4h", "2w 1d".
std::string span(std::int64_t seconds);
// "Bob (+15551234567)", or "Book club (group)".
std::string person(const control::CrmPerson& p);
// "> text" for mine, "< text" for theirs, "[image]" for media without text.
std::string preview(const control::CrmMessagePreview& m);
// This machine's IANA time zone (TZ, else /etc/localtime's link), or "" when
// unknown (the daemon then uses its own default).
std::string local_time_zone();

// --account, which every CRM verb takes; and --tz where times matter.
void add_account_option(boost::program_options::options_description& desc);
void add_time_zone_option(boost::program_options::options_description& desc);
std::string account(const boost::program_options::variables_map& vm);
std::string time_zone(const boost::program_options::variables_map& vm);
// The account of a verb that also takes it positionally (messages, chats,
// contacts: `wacrmctl messages ACCOUNT` from before --account existed):
// --account, else the first argument, else "" (the daemon's only account).
// False (after saying why) when both name different accounts.
bool account_or_argument(Invocation& inv, std::string& account);

// Calls a unary method. True when the verb should go on to print the answer
// as text; false when it is done: the call failed, or --json printed the
// answer. `code` receives the exit code either way.
template <class Response>
bool call_for_text(Invocation& inv, const std::string& method, const google::protobuf::Message& request,
                   Response& response, int& code) {
  code = inv.session.call(method, request, response);
  if (code != kExitOk) return false;
  if (inv.session.json()) {
    inv.session.print_json(response);
    return false;
  }
  return true;
}

}  // namespace wacrm::ctl::crm_format
