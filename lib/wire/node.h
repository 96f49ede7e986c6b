// A binary XMPP-like node: the unit of everything WhatsApp sends after the
// Noise handshake (protocol notes §4.1).
//
// The model is what the bytes say, so decoding and re-encoding reproduce them:
//  * attributes keep their wire order (the order is part of the byte layout);
//  * content is one of: nothing, a child list (possibly empty: `00` on the
//    wire, distinct from no content), raw bytes (BINARY_8/20/32), or a string
//    that was encoded as a token, packed digits or a JID;
//  * JIDs are strings in their textual form, exactly as Baileys decodes them
//    ("15551234567:12@s.whatsapp.net", "@s.whatsapp.net" for the server). The
//    encoder writes a string in JID form whenever that form decodes back to
//    the same string (node_encoder.h), so set_attr(key, jid) is all it takes to
//    put a JID on the wire.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "wire/jid.h"

namespace wacrm::wire {

struct Attr {
  std::string key;
  std::string value;

  friend bool operator==(const Attr&, const Attr&) = default;
};

struct Node {
  using Children = std::vector<Node>;
  using Content = std::variant<std::monostate, Children, Bytes, std::string>;

  std::string tag;
  std::vector<Attr> attrs;
  Content content;

  Node() = default;
  explicit Node(std::string tag_, std::vector<Attr> attrs_ = {}, Content content_ = {})
      : tag(std::move(tag_)), attrs(std::move(attrs_)), content(std::move(content_)) {}

  // The first attribute named `key`.
  std::optional<std::string_view> attr(std::string_view key) const;
  std::string_view attr_or(std::string_view key, std::string_view fallback = {}) const;
  // The attribute parsed as a JID: Errc::not_found if absent, invalid_argument if it is no JID.
  Result<Jid> attr_jid(std::string_view key) const;
  // Replaces the first attribute named `key`, or appends one.
  Node& set_attr(std::string_view key, std::string value);
  Node& set_attr(std::string_view key, const Jid& jid) { return set_attr(key, jid.to_string()); }

  bool has_content() const { return !std::holds_alternative<std::monostate>(content); }
  // All children; empty unless the content is a child list.
  std::span<const Node> child_nodes() const;
  // The first child with this tag, or nullptr.
  const Node* child(std::string_view tag) const;
  // Every child with this tag, in order.
  std::vector<const Node*> children(std::string_view tag) const;
  // The content if it is bytes / a string, else nullptr.
  const Bytes* bytes() const { return std::get_if<Bytes>(&content); }
  const std::string* text() const { return std::get_if<std::string>(&content); }

  friend bool operator==(const Node&, const Node&) = default;
};

}  // namespace wacrm::wire
