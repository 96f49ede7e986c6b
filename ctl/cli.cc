#include "cli.h"

#include <unistd.h>

#include <boost/program_options/parsers.hpp>
#include <boost/program_options/positional_options.hpp>

#include <cstdlib>
#include <sstream>

#include "control/control_client.h"
#include "exit_codes.h"
#include "session.h"
#include "verbs.h"

namespace wacrm::ctl {

namespace po = boost::program_options;

namespace {

constexpr double kMaxTimeoutSeconds = 86400;  // a day

std::string verb_name(const Verb& verb) {
  std::string name;
  for (auto w : verb.words) name += (name.empty() ? "" : " ") + std::string(w);
  return name;
}

std::string usage_line(const Verb& verb) {
  std::string line = "wacrmctl [GLOBAL OPTIONS] " + verb_name(verb);
  if (verb.add_options) line += " [OPTIONS]";
  if (!verb.args.empty()) line += " " + std::string(verb.args);
  return line;
}

po::options_description global_options() {
  po::options_description desc("Global options");
  desc.add_options()
      ("help,h", "show help (for a command: wacrmctl COMMAND --help)")
      ("version", "show wacrmctl's version")
      ("socket,s", po::value<std::string>()->value_name("PATH"),
       ("wacrmd's control socket [default: $WACRM_SOCKET, else " + std::string(control::kDefaultSocketPath) + "]")
           .c_str())
      ("json,j", "print answers as JSON (protobuf's JSON mapping) for scripts")
      ("timeout,t", po::value<double>()->value_name("SECONDS")->default_value(10.0, "10"),
       "give up when wacrmd has not answered a request within this time");
  return desc;
}

std::string main_help(const po::options_description& global) {
  std::ostringstream out;
  out << "Usage: wacrmctl [GLOBAL OPTIONS] COMMAND [ARGS]\n\nTalks to wacrmd over its control socket.\n\n"
      << "Commands:\n";
  std::size_t width = 0;
  for (const auto& v : verbs()) width = std::max(width, verb_name(v).size() + 1 + v.args.size());
  for (const auto& v : verbs()) {
    std::string head = verb_name(v) + (v.args.empty() ? "" : " " + std::string(v.args));
    out << "  " << head << std::string(width - head.size() + 2, ' ') << v.summary << "\n";
  }
  out << "\n" << global << "\n" << kExitCodeHelp;
  return out.str();
}

// The verb whose words start `words`; the number of words it used.
const Verb* find_verb(const std::vector<std::string>& words, std::size_t* used) {
  const Verb* best = nullptr;
  for (const auto& v : verbs()) {
    if (v.words.size() > words.size()) continue;
    bool match = true;
    for (std::size_t i = 0; i < v.words.size() && match; ++i) match = v.words[i] == words[i];
    if (match && (!best || v.words.size() > best->words.size())) best = &v;
  }
  if (best) *used = best->words.size();
  return best;
}

}  // namespace

int run_cli(int argc, const char* const argv[], std::ostream& out, std::ostream& err) {
  auto global = global_options();
  po::options_description hidden;
  hidden.add_options()("words", po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(global).add(hidden);
  po::positional_options_description positional;
  positional.add("words", -1);

  po::variables_map vm;
  std::vector<std::string> rest;
  try {
    // Global options may come anywhere; options we do not know belong to the verb.
    auto parsed = po::command_line_parser(argc, argv).options(all).positional(positional).allow_unregistered().run();
    po::store(parsed, vm);
    rest = po::collect_unrecognized(parsed.options, po::exclude_positional);
  } catch (const po::error& e) {
    err << "wacrmctl: " << e.what() << " (see wacrmctl --help)\n";
    return kExitUsage;
  }
  std::vector<std::string> words = vm.count("words") ? vm["words"].as<std::vector<std::string>>()
                                                     : std::vector<std::string>{};
  if (vm.count("version")) {
    out << "wacrmctl " << WACRM_VERSION << "\n";
    return kExitOk;
  }
  if (words.empty()) {
    if (vm.count("help")) {
      out << main_help(global);
      return kExitOk;
    }
    err << "wacrmctl: no command given\n\n" << main_help(global);
    return kExitUsage;
  }

  std::size_t used = 0;
  const Verb* verb = find_verb(words, &used);
  if (!verb) {
    std::string given;
    for (const auto& w : words) given += (given.empty() ? "" : " ") + w;
    err << "wacrmctl: unknown command '" << given << "' (see wacrmctl --help)\n";
    return kExitUsage;
  }
  std::vector<std::string> args(words.begin() + static_cast<std::ptrdiff_t>(used), words.end());

  po::options_description own("Options of '" + verb_name(*verb) + "'");
  if (verb->add_options) verb->add_options(own);
  if (vm.count("help")) {
    out << "Usage: " << usage_line(*verb) << "\n\n" << verb->summary << ".\n";
    if (!verb->details.empty()) out << "\n" << verb->details << "\n";
    if (verb->add_options) out << "\n" << own;
    out << "\n" << global << "\n" << kExitCodeHelp;
    return kExitOk;
  }
  po::variables_map verb_vm;
  try {
    if (!verb->add_options) {
      po::store(po::command_line_parser(rest).options(own).run(), verb_vm);
    } else {
      // The first pass did not know the verb's options, so "--in 3d" left
      // "3d" among the words. Parse again knowing them.
      po::options_description known;
      known.add(all).add(own);
      po::store(po::command_line_parser(argc, argv).options(known).positional(positional).run(), verb_vm);
      auto again = verb_vm.count("words") ? verb_vm["words"].as<std::vector<std::string>>() : words;
      if (again.size() >= used) args.assign(again.begin() + static_cast<std::ptrdiff_t>(used), again.end());
    }
  } catch (const po::error& e) {
    err << "wacrmctl " << verb_name(*verb) << ": " << e.what() << "\nUsage: " << usage_line(*verb) << "\n";
    return kExitUsage;
  }
  if (args.size() < verb->min_args || args.size() > verb->max_args) {
    err << "wacrmctl " << verb_name(*verb) << ": expected "
        << (verb->max_args == 0 ? std::string("no arguments") : std::string(verb->args)) << "\nUsage: "
        << usage_line(*verb) << "\n";
    return kExitUsage;
  }

  std::string socket = control::kDefaultSocketPath;
  if (const char* env = std::getenv("WACRM_SOCKET"); env && *env) socket = env;
  if (vm.count("socket")) socket = vm["socket"].as<std::string>();
  double timeout = vm["timeout"].as<double>();
  // "inf", "nan" and huge numbers parse as doubles but do not fit in milliseconds.
  if (!(timeout > 0 && timeout <= kMaxTimeoutSeconds)) {
    err << "wacrmctl: --timeout must be more than 0 and at most " << kMaxTimeoutSeconds << " seconds\n";
    return kExitUsage;
  }
  Session session(socket, std::chrono::milliseconds(static_cast<long long>(timeout * 1000)), vm.count("json") > 0,
                  out, err);
  Invocation invocation{session, verb_vm, args, ::isatty(STDIN_FILENO) && ::isatty(STDERR_FILENO)};
  return verb->run(invocation);
}

}  // namespace wacrm::ctl
