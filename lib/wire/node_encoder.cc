#include "wire/node_encoder.h"

#include <charconv>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

#include "wire/tags.h"

namespace wacrm::wire {

namespace {

constexpr std::size_t kMaxListSize = 0xFFFF;
// Below DecodeLimits::max_jid_nesting (8), so whatever we write decodes.
constexpr int kMaxJidNesting = 4;

// Canonical decimal (no sign, no leading zero) in [min, max].
bool canonical_number(std::string_view s, unsigned min, unsigned max, unsigned& out) {
  if (s.empty() || s.size() > 5 || (s.size() > 1 && s[0] == '0')) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && out >= min && out <= max;
}

bool is_nibble_text(std::string_view s, std::size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
  return true;
}

bool is_hex_text(std::string_view s, std::size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

std::uint8_t nibble_value(char c) {
  if (c == '-') return 10;
  if (c == '.') return 11;
  return static_cast<std::uint8_t>(c - '0');
}

std::uint8_t hex_value(char c) {
  return static_cast<std::uint8_t>(c <= '9' ? c - '0' : c - 'A' + 10);
}

// The AD_JID domain byte for a server, or -1 if a device JID on it cannot be
// written as AD_JID (the decoder would name another server).
int ad_domain(std::string_view server) {
  if (server == "s.whatsapp.net") return tag::kDomainWhatsApp;
  if (server == "lid") return tag::kDomainLid;
  if (server == "hosted") return tag::kDomainHosted;
  if (server == "hosted.lid") return tag::kDomainHostedLid;
  return -1;
}

enum class Position { token, content };

// Strings longer than kPackedMax go raw, as in Baileys and whatsmeow. As node
// content, raw would read back as bytes, so there we pack up to what the
// format can hold (127 bytes = 254 characters).
constexpr std::size_t kContentPackedMax = 254;

std::size_t packed_max(Position where) {
  return where == Position::content ? kContentPackedMax : tag::kPackedMax;
}

class Writer {
 public:
  Writer(DictVersion version, Bytes& out) : version_(version), out_(out) {}

  void node(const Node& n) {
    if (n.tag.empty()) throw std::invalid_argument("binary node: cannot encode a node with an empty tag");
    const std::size_t size = 1 + 2 * n.attrs.size() + (n.has_content() ? 1 : 0);
    if (size > kMaxListSize)
      throw std::invalid_argument("binary node: <" + n.tag + "> has too many attributes to encode");
    list_start(size);
    string(n.tag);
    for (const auto& a : n.attrs) {
      string(a.key);
      string(a.value);
    }
    std::visit([this](const auto& c) { content(c); }, n.content);
  }

 private:
  void content(std::monostate) {}
  void content(const Node::Children& children) {
    if (children.size() > kMaxListSize)
      throw std::invalid_argument("binary node: more than 65535 children");
    list_start(children.size());
    for (const auto& c : children) node(c);
  }
  void content(const Bytes& bytes) { raw(bytes.data(), bytes.size()); }
  void content(const std::string& text) { string(text, Position::content); }

  void byte(std::uint8_t b) { out_.push_back(b); }

  void u16(unsigned v) {
    byte(static_cast<std::uint8_t>(v >> 8));
    byte(static_cast<std::uint8_t>(v));
  }

  void list_start(std::size_t size) {
    if (size == 0) {
      byte(tag::kListEmpty);
    } else if (size < 256) {
      byte(tag::kList8);
      byte(static_cast<std::uint8_t>(size));
    } else {
      byte(tag::kList16);
      u16(static_cast<unsigned>(size));
    }
  }

  void raw(const std::uint8_t* data, std::size_t len) {
    if (len < 256) {
      byte(tag::kBinary8);
      byte(static_cast<std::uint8_t>(len));
    } else if (len < (std::size_t{1} << 20)) {
      byte(tag::kBinary20);
      byte(static_cast<std::uint8_t>(len >> 16));
      byte(static_cast<std::uint8_t>(len >> 8));
      byte(static_cast<std::uint8_t>(len));
    } else {
      if (len > 0xFFFFFFFFu) throw std::invalid_argument("binary node: content larger than 4 GiB");
      byte(tag::kBinary32);
      u16(static_cast<unsigned>(len >> 16));
      u16(static_cast<unsigned>(len & 0xFFFF));
    }
    if (len != 0) out_.insert(out_.end(), data, data + len);
  }

  void packed(std::string_view s, std::uint8_t type) {
    byte(type);
    const bool odd = s.size() % 2 != 0;
    byte(static_cast<std::uint8_t>((s.size() + 1) / 2 | (odd ? 0x80 : 0)));
    auto value = type == tag::kNibble8 ? nibble_value : hex_value;
    std::size_t i = 0;
    for (; i + 1 < s.size(); i += 2) byte(static_cast<std::uint8_t>(value(s[i]) << 4 | value(s[i + 1])));
    if (odd) byte(static_cast<std::uint8_t>(value(s[i]) << 4 | 0x0F));
  }

  void string(std::string_view s, Position where = Position::token, int nesting = 0) {
    if (s.empty()) {
      if (where == Position::content) {
        byte(tag::kNibble8);
        byte(0);
      } else if (version_ == DictVersion::v2) {
        byte(tag::kListEmpty);  // Baileys 6: token 0
      } else {
        raw(nullptr, 0);  // Baileys 7: an empty raw string
      }
      return;
    }
    if (auto token = find_token(version_, s)) {
      if (token->dictionary) byte(static_cast<std::uint8_t>(tag::kDictionary0 + *token->dictionary));
      byte(token->index);
    } else if (is_nibble_text(s, packed_max(where))) {
      packed(s, tag::kNibble8);
    } else if (is_hex_text(s, packed_max(where))) {
      packed(s, tag::kHex8);
    } else if (!jid(s, nesting)) {
      raw(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
    }
  }

  // Writes `s` as a JID if some JID encoding decodes back to exactly `s`.
  // `nesting`: how many JIDs `s` is the server part of.
  bool jid(std::string_view s, int nesting) {
    const auto at = s.find('@');
    if (at == std::string_view::npos || at + 1 == s.size()) return false;
    const std::string_view user = s.substr(0, at);
    const std::string_view server = s.substr(at + 1);
    const auto colon = user.rfind(':');
    unsigned device = 0;
    const bool has_device =
        colon != std::string_view::npos && canonical_number(user.substr(colon + 1), 0, 0xFFFF, device);

    if (has_device && server == "msgr") {
      byte(tag::kFbJid);
      string(user.substr(0, colon));
      u16(device);
      string(server);
      return true;
    }
    if (has_device && server == "interop") {
      const auto dash = user.find('-');
      unsigned integrator = 0;
      if (dash != std::string_view::npos && dash < colon &&
          canonical_number(user.substr(0, dash), 0, 0xFFFF, integrator)) {
        byte(tag::kInteropJid);
        string(user.substr(dash + 1, colon - dash - 1));
        u16(device);
        u16(integrator);
        string(server);
        return true;
      }
    }
    // AD_JID: one ':' (Baileys ignores anything after a second one), a device
    // the decoder prints back (1..255: device 0 is not printed) and a server
    // the domain byte names.
    const int domain = ad_domain(server);
    if (has_device && domain >= 0 && device >= 1 && device <= 255 && user.find(':') == colon) {
      byte(tag::kAdJid);
      byte(static_cast<std::uint8_t>(domain));
      byte(static_cast<std::uint8_t>(device));
      string(user.substr(0, colon));
      return true;
    }
    byte(tag::kJidPair);
    if (user.empty())
      byte(tag::kListEmpty);
    else
      string(user);
    // A server part holding another '@' is a JID again for Baileys ("a@b@c");
    // past a few levels we write it raw so the nesting stays bounded.
    if (server.find('@') == std::string_view::npos || nesting < kMaxJidNesting)
      string(server, Position::token, nesting + 1);
    else
      raw(reinterpret_cast<const std::uint8_t*>(server.data()), server.size());
    return true;
  }

  DictVersion version_;
  Bytes& out_;
};

}  // namespace

void encode_node(const Node& node, DictVersion version, Bytes& out) { Writer(version, out).node(node); }

Bytes encode_frame_payload(const Node& node, DictVersion version) {
  Bytes out;
  out.reserve(256);
  out.push_back(0);
  encode_node(node, version, out);
  return out;
}

}  // namespace wacrm::wire
