#include "store/message_repository.h"

namespace wacrm::store {

namespace {

// The length of the valid UTF-8 sequence at s[i], or 0 (overlong forms,
// surrogates and code points above U+10FFFF are invalid).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) n = 2;
  else if (b0 == 0xE0) n = 3, lo = 0xA0;
  else if (b0 >= 0xE1 && b0 <= 0xEC) n = 3;
  else if (b0 == 0xED) n = 3, hi = 0x9F;
  else if (b0 >= 0xEE && b0 <= 0xEF) n = 3;
  else if (b0 == 0xF0) n = 4, lo = 0x90;
  else if (b0 >= 0xF1 && b0 <= 0xF3) n = 4;
  else if (b0 == 0xF4) n = 4, hi = 0x8F;
  else return 0;
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return n;
}

}  // namespace

std::string storable_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '\0') {
      ++i;
      continue;
    }
    if (std::size_t n = utf8_sequence(text, i)) {
      out.append(text.substr(i, n));
      i += n;
    } else {
      out.append("\xEF\xBF\xBD");  // U+FFFD
      ++i;
    }
  }
  return out;
}

std::string_view message_status_name(MessageStatus status) {
  switch (status) {
    case MessageStatus::sent: return "sent";
    case MessageStatus::server_ack: return "server_ack";
    case MessageStatus::delivered: return "delivered";
    case MessageStatus::read: return "read";
    case MessageStatus::played: return "played";
    case MessageStatus::failed: return "failed";
  }
  return "failed";
}

bool acts_on_another(std::string_view kind) {
  return kind == "reaction" || kind == "edit" || kind == "revoke" || kind == "poll_vote";
}

namespace {

void make_storable(std::string& s) { s = storable_text(s); }
void make_storable(std::optional<std::string>& s) {
  if (s) make_storable(*s);
}
void make_storable(std::optional<PersonSighting>& p) {
  if (!p) return;
  make_storable(p->jid);
  make_storable(p->pn);
  make_storable(p->lid);
  make_storable(p->push_name);
}

}  // namespace

bool is_lid_jid(std::string_view jid) { return jid.ends_with("@lid") || jid.ends_with("@hosted.lid"); }

PersonForms forms_of(const PersonSighting& p) {
  if (is_lid_jid(p.jid)) return {p.pn, p.lid.value_or(p.jid)};
  return {p.pn.value_or(p.jid), p.lid};
}

NewMessage storable_message(NewMessage m) {
  for (std::string* s : {&m.chat_jid, &m.wa_id, &m.sender_jid, &m.kind}) make_storable(*s);
  for (auto* s : {&m.body, &m.file_name, &m.quoted_wa_id, &m.push_name, &m.decrypt_error, &m.edited_body})
    make_storable(*s);
  make_storable(m.sender);
  make_storable(m.chat_person);
  if (m.target) {
    make_storable(m.target->wa_id);
    make_storable(m.target->sender_jid);
  }
  if (m.media)
    for (auto* s : {&m.media->mimetype, &m.media->direct_path, &m.media->url}) make_storable(*s);
  return m;
}

bool acts_alone(const NewMessage& m) { return m.kind == "placeholder" || m.target || acts_on_another(m.kind); }

bool names_unrecorded_pair(const NewMessage& m) { return !m.pairs_recorded && !lid_pairs_of(m).empty(); }

bool can_store_together(const NewMessage& m) { return !acts_alone(m) && !names_unrecorded_pair(m); }

std::optional<LidPair> lid_pair_of(const PersonSighting& p) {
  PersonForms forms = forms_of(p);
  if (!forms.pn || !forms.lid) return std::nullopt;
  return LidPair{storable_text(*forms.lid), storable_text(*forms.pn)};
}

std::vector<LidPair> lid_pairs_of(const NewMessage& m) {
  std::vector<LidPair> pairs;
  for (const auto* person : {&m.sender, &m.chat_person})
    if (*person)
      if (auto pair = lid_pair_of(**person)) pairs.push_back(std::move(*pair));
  return pairs;
}

Result<std::vector<StoreResult>> MessageRepository::store_many(std::span<const NewMessage> messages) {
  std::vector<StoreResult> results;
  results.reserve(messages.size());
  for (const NewMessage& m : messages) results.push_back(WACRM_TRY(store(m)));
  return results;
}

}  // namespace wacrm::store
