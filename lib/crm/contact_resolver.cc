#include "crm/contact_resolver.h"

#include <fmt/format.h>

namespace wacrm::crm {

namespace {

constexpr std::size_t kMaxCandidates = 10;
constexpr int kMaxSuggestions = 5;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "+1 (555) 123-4567" -> "15551234567"; empty when it is not a phone number
// (anything but digits and + ( ) - . space, or fewer than three digits).
std::string phone_digits(std::string_view s) {
  std::string digits;
  for (char c : s) {
    if (c >= '0' && c <= '9') digits += c;
    else if (c != '+' && c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') return {};
  }
  return digits.size() >= 3 ? digits : std::string();
}

// The JID in "Name (jid)", or empty.
std::string_view labelled_jid(std::string_view s) {
  if (!s.ends_with(')')) return {};
  auto open = s.rfind('(');
  if (open == std::string_view::npos) return {};
  auto inside = s.substr(open + 1, s.size() - open - 2);
  return inside.find('@') != std::string_view::npos ? inside : std::string_view{};
}

std::vector<std::string> labels(const std::vector<store::CrmPerson>& people, std::size_t max) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < people.size() && i < max; ++i) out.push_back(ContactResolver::label(people[i]));
  return out;
}

ApiError ambiguous(std::string_view query, const std::vector<store::CrmPerson>& people) {
  auto candidates = labels(people, kMaxCandidates);
  std::string more = people.size() > kMaxCandidates ? fmt::format(" and {} more", people.size() - kMaxCandidates) : "";
  auto message = fmt::format("'{}' matches {} contacts: {}{}; say which one (a suggestion as shown, a JID or a phone number)",
                             query, people.size(), fmt::join(candidates, ", "), more);
  return ApiError(Error{Errc::invalid_argument, std::move(message)}, std::move(candidates));
}

}  // namespace

std::string ContactResolver::label(const store::CrmPerson& person) {
  return fmt::format("{} ({})", person.name, person.jid);
}

std::string ContactResolver::address_of(std::string_view raw) {
  auto query = trim(raw);
  if (auto jid = labelled_jid(query); !jid.empty()) return std::string(jid);
  if (query.find('@') != std::string_view::npos) return std::string(query);
  return phone_digits(query);
}

ApiResult<store::CrmPerson> ContactResolver::person(std::string_view raw) {
  auto query = trim(raw);
  if (query.empty())
    return std::unexpected(ApiError(Error{Errc::invalid_argument, "no contact given: name one by name, JID or phone number"}));

  if (auto address = address_of(query); !address.empty()) {
    auto found = WACRM_TRY(store_.find_people_by_address(account_id_, address));
    if (found.size() == 1) return found[0];
    if (found.size() > 1) return std::unexpected(ambiguous(query, found));
    return std::unexpected(ApiError(Error{Errc::not_found, fmt::format("no contact with the address '{}'", query)}));
  }

  auto matches = WACRM_TRY(store_.find_people_by_name(account_id_, query, kMaxSuggestions));
  std::vector<store::CrmPerson> people;
  for (auto& m : matches) people.push_back(std::move(m.person));
  if (!matches.empty() && matches.front().match != store::NameMatch::similar) {
    if (people.size() == 1) return people[0];
    return std::unexpected(ambiguous(query, people));
  }
  if (people.empty())
    return std::unexpected(ApiError(Error{Errc::not_found, fmt::format("no contact named '{}'", query)}));
  auto suggestions = labels(people, kMaxSuggestions);
  auto message = fmt::format("no contact named '{}'; did you mean {}?", query, fmt::join(suggestions, ", "));
  return std::unexpected(ApiError(Error{Errc::not_found, std::move(message)}, std::move(suggestions)));
}

std::vector<std::int64_t> ContactResolver::Conversation::chat_ids() const {
  std::vector<std::int64_t> ids;
  for (const auto& c : chats) ids.push_back(c.id);
  return ids;
}

ApiResult<ContactResolver::Conversation> ContactResolver::conversation(std::string_view query) {
  auto found = person(query);
  if (!found) {
    // A chat JID no contacts row names (a group we hold no contact for).
    auto q = trim(query);
    if (found.error().error.code == Errc::not_found && q.find('@') != std::string_view::npos) {
      if (auto chat = store_.chat_by_jid(account_id_, q)) return Conversation{std::nullopt, chat->name, {*chat}};
    }
    return std::unexpected(std::move(found).error());
  }
  Conversation out;
  out.chats = WACRM_TRY(store_.conversation_chats(account_id_, found->id));
  if (out.chats.empty())
    return std::unexpected(ApiError(Error{Errc::not_found, fmt::format("no conversation with {} yet", label(*found))}));
  out.title = found->phone ? fmt::format("{} (+{})", found->name, *found->phone) : found->name;
  out.person = std::move(*found);
  return out;
}

}  // namespace wacrm::crm
