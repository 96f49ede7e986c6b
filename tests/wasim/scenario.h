// A scenario file: the accounts of a believable world and the conversations
// its simulated people play (README "Scenario file").
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "wasim/account.h"

namespace wacrm::wasim {

// One message a simulated person sends: the body of POST /v1/send plus a
// pause before it.
struct ScriptedMessage {
  nlohmann::json send;  // {"from","to","text"|"message",...}
  std::uint32_t delay_ms = 0;
};

struct Conversation {
  enum class Trigger { on_first_login, manual };
  std::string name;
  Trigger trigger = Trigger::manual;
  std::string to;  // the account whose companions the trigger watches
  std::vector<ScriptedMessage> messages;
  bool played = false;  // on_first_login conversations play once per run
};

struct Scenario {
  std::vector<AccountSpec> accounts;
  std::vector<Conversation> conversations;
  std::vector<nlohmann::json> groups;  // bodies of POST /v1/groups, made after the accounts
};

Result<Scenario> parse_scenario(const nlohmann::json& json);
Result<Scenario> load_scenario(const std::filesystem::path& file);

// An AccountSpec from the JSON of POST /v1/accounts or a scenario entry.
Result<AccountSpec> account_spec_from_json(const nlohmann::json& json);

}  // namespace wacrm::wasim
