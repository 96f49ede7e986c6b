#include "wire/node_format.h"

#include <algorithm>
#include <iterator>
#include <type_traits>
#include <string_view>
#include <variant>

namespace wacrm::wire {

namespace {

// Tags whose content (and whose descendants' content) is never printed.
constexpr std::string_view kSecretTags[] = {
    "enc", "enc_p", "enc_iv", "plaintext", "body", "registration", "identity", "skey",
    "key", "value", "signature", "device-identity", "adv-secret", "secret", "token", "tctoken",
    "ref", "link_code_pairing_ref", "link_code_pairing_nonce", "link_code_pairing_wrapped_key_bundle",
    "link_code_pairing_wrapped_companion_ephemeral_pub", "link_code_pairing_wrapped_primary_ephemeral_pub",
    "companion_server_auth_key_pub", "companion_identity_public",
};

// Attributes whose values are credentials.
constexpr std::string_view kSecretAttrs[] = {"auth", "token"};

constexpr std::size_t kMaxShownBytes = 64;

template <std::size_t N>
bool contains(const std::string_view (&set)[N], std::string_view s) {
  return std::find(std::begin(set), std::end(set), s) != std::end(set);
}

void append_escaped(std::string& out, std::string_view s) {
  static constexpr char digits[] = "0123456789abcdef";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += digits[c >> 4];
      out += digits[c & 0x0f];
    } else {
      out += ch;
    }
  }
}

class Formatter {
 public:
  Formatter(const FormatOptions& options, std::string& out) : options_(options), out_(out) {}

  void node(const Node& n, int depth, bool secret) {
    secret = secret || contains(kSecretTags, n.tag);
    if (options_.indent) {
      if (depth > 0) out_ += '\n';
      out_.append(static_cast<std::size_t>(depth) * 2, ' ');
    }
    out_ += '<';
    append_escaped(out_, n.tag);
    for (const auto& a : n.attrs) {
      out_ += ' ';
      append_escaped(out_, a.key);
      out_ += "=\"";
      if (contains(kSecretAttrs, a.key))
        redacted(a.value.size());
      else
        append_escaped(out_, a.value);
      out_ += '"';
    }
    if (!n.has_content()) {
      out_ += "/>";
      return;
    }
    out_ += '>';
    bool had_children = false;
    std::visit(
        [&](const auto& c) {
          using T = std::decay_t<decltype(c)>;
          if constexpr (std::is_same_v<T, Node::Children>) {
            for (const auto& child : c) node(child, depth + 1, secret);
            had_children = !c.empty();
          } else if constexpr (std::is_same_v<T, Bytes>) {
            bytes(c, secret);
          } else if constexpr (std::is_same_v<T, std::string>) {
            if (secret)
              redacted(c.size());
            else
              append_escaped(out_, c);
          }
        },
        n.content);
    if (options_.indent && had_children) {
      out_ += '\n';
      out_.append(static_cast<std::size_t>(depth) * 2, ' ');
    }
    out_ += "</";
    append_escaped(out_, n.tag);
    out_ += '>';
  }

 private:
  void redacted(std::size_t size) {
    out_ += "<redacted ";
    out_ += std::to_string(size);
    out_ += " bytes>";
  }

  void bytes(const Bytes& b, bool secret) {
    if (secret) return redacted(b.size());
    out_ += '<';
    out_ += std::to_string(b.size());
    out_ += " bytes";
    if (options_.show_bytes && !b.empty()) {
      out_ += ": ";
      out_ += to_hex(ByteView(b).first(std::min(b.size(), kMaxShownBytes)));
      if (b.size() > kMaxShownBytes) out_ += "…";
    }
    out_ += '>';
  }

  const FormatOptions& options_;
  std::string& out_;
};

}  // namespace

std::string format_node(const Node& node, const FormatOptions& options) {
  std::string out;
  Formatter(options, out).node(node, 0, false);
  return out;
}

}  // namespace wacrm::wire
