// wacrmctl's verb table: each subcommand is one row (words, arguments, help,
// its own options, the function that runs it). Adding a command = one row
// and one function in verbs.cc.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>

namespace wacrm::ctl {

class Session;

struct Invocation {
  Session& session;
  const boost::program_options::variables_map& options;  // the verb's own options
  const std::vector<std::string>& args;                   // its positional arguments
  bool interactive = false;                                // stdin and stderr are a terminal
};

struct Verb {
  std::vector<std::string_view> words;     // {"account", "add"}
  std::string_view args;                   // "NAME", shown in usage
  std::size_t min_args = 0;
  std::size_t max_args = 0;
  std::string_view summary;
  std::string_view details;                // shown by `wacrmctl VERB --help`
  void (*add_options)(boost::program_options::options_description&) = nullptr;
  int (*run)(Invocation&) = nullptr;
};

std::span<const Verb> verbs();

// messages / chats / contacts: what the daemon received (message_verbs.cc).
std::span<const Verb> message_verbs();

// The personal CRM's verbs, one table per file (crm_*_verbs.cc), joined into
// verbs() in verbs.cc.
std::span<const Verb> crm_conversation_verbs();
std::span<const Verb> crm_contact_verbs();
std::span<const Verb> crm_remind_verbs();
// login / logout (login_verbs.cc).
std::span<const Verb> login_verbs();
// events: the daemon's event stream (event_verbs.cc).
std::span<const Verb> event_verbs();

}  // namespace wacrm::ctl
