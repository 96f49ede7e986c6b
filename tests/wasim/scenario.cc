#include "wasim/scenario.h"

#include <fstream>

namespace wacrm::wasim {

namespace {

Result<std::string> string_field(const nlohmann::json& json, const char* key, bool required) {
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) {
    if (required) return make_error(Errc::invalid_argument, std::string("'") + key + "' is required");
    return std::string();
  }
  if (!it->is_string()) return make_error(Errc::invalid_argument, std::string("'") + key + "' must be a string");
  return it->get<std::string>();
}

Result<Conversation> conversation_from_json(const nlohmann::json& json, std::size_t index) {
  Conversation c;
  c.name = WACRM_TRY(string_field(json, "name", false));
  if (c.name.empty()) c.name = "conversation-" + std::to_string(index + 1);
  std::string trigger = WACRM_TRY(string_field(json, "trigger", false));
  if (trigger.empty() || trigger == "manual") c.trigger = Conversation::Trigger::manual;
  else if (trigger == "on_first_login") c.trigger = Conversation::Trigger::on_first_login;
  else return make_error(Errc::invalid_argument, "conversation '" + c.name + "': unknown trigger '" + trigger + "'");
  c.to = WACRM_TRY(string_field(json, "to", true));
  auto messages = json.find("messages");
  if (messages == json.end() || !messages->is_array() || messages->empty())
    return make_error(Errc::invalid_argument, "conversation '" + c.name + "' has no messages");
  for (const auto& message : *messages) {
    if (!message.is_object()) return make_error(Errc::invalid_argument, "conversation '" + c.name + "': a message is not an object");
    ScriptedMessage scripted;
    scripted.send = message;
    scripted.send.erase("delay_ms");
    if (!scripted.send.contains("to")) scripted.send["to"] = c.to;
    if (!scripted.send.contains("from"))
      return make_error(Errc::invalid_argument, "conversation '" + c.name + "': a message has no 'from'");
    scripted.delay_ms = message.value("delay_ms", 0u);
    c.messages.push_back(std::move(scripted));
  }
  return c;
}

}  // namespace

Result<AccountSpec> account_spec_from_json(const nlohmann::json& json) {
  if (!json.is_object()) return make_error(Errc::invalid_argument, "an account must be a JSON object");
  AccountSpec spec;
  spec.phone = WACRM_TRY(string_field(json, "phone", true));
  spec.push_name = WACRM_TRY(string_field(json, "push_name", false));
  spec.lid = WACRM_TRY(string_field(json, "lid", false));
  spec.business_name = WACRM_TRY(string_field(json, "business_name", false));
  if (auto contacts = json.find("contacts"); contacts != json.end()) {
    if (!contacts->is_array()) return make_error(Errc::invalid_argument, "'contacts' must be an array");
    for (const auto& contact : *contacts) {
      if (!contact.is_object()) return make_error(Errc::invalid_argument, "a contact must be an object");
      spec.contacts.push_back({WACRM_TRY(string_field(contact, "phone", true)), WACRM_TRY(string_field(contact, "name", false))});
    }
  }
  return spec;
}

Result<Scenario> parse_scenario(const nlohmann::json& json) {
  if (!json.is_object()) return make_error(Errc::invalid_argument, "a scenario must be a JSON object");
  Scenario scenario;
  for (const auto& account : json.value("accounts", nlohmann::json::array())) {
    auto spec = account_spec_from_json(account);
    if (!spec) return make_error(Errc::invalid_argument, "account: " + spec.error().message);
    scenario.accounts.push_back(std::move(*spec));
  }
  const auto groups = json.value("groups", nlohmann::json::array());
  if (!groups.is_array()) return make_error(Errc::invalid_argument, "'groups' must be an array");
  for (const auto& group : groups) {
    if (!group.is_object()) return make_error(Errc::invalid_argument, "a group must be an object");
    scenario.groups.push_back(group);
  }
  const auto conversations = json.value("conversations", nlohmann::json::array());
  for (std::size_t i = 0; i < conversations.size(); ++i)
    scenario.conversations.push_back(WACRM_TRY(conversation_from_json(conversations[i], i)));
  return scenario;
}

Result<Scenario> load_scenario(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return make_error(Errc::not_found, "cannot open scenario '" + file.string() + "'");
  nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
  if (json.is_discarded()) return make_error(Errc::malformed, "scenario '" + file.string() + "' is not valid JSON");
  auto scenario = parse_scenario(json);
  if (!scenario) return make_error(scenario.error().code, "scenario '" + file.string() + "': " + scenario.error().message);
  return scenario;
}

}  // namespace wacrm::wasim
