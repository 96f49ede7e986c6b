#include "wire/node.h"

namespace wacrm::wire {

std::optional<std::string_view> Node::attr(std::string_view key) const {
  for (const auto& a : attrs)
    if (a.key == key) return std::string_view(a.value);
  return std::nullopt;
}

std::string_view Node::attr_or(std::string_view key, std::string_view fallback) const {
  return attr(key).value_or(fallback);
}

Result<Jid> Node::attr_jid(std::string_view key) const {
  auto value = attr(key);
  if (!value)
    return make_error(Errc::not_found, "<" + tag + "> has no attribute '" + std::string(key) + "'");
  return Jid::parse(*value);
}

Node& Node::set_attr(std::string_view key, std::string value) {
  for (auto& a : attrs) {
    if (a.key == key) {
      a.value = std::move(value);
      return *this;
    }
  }
  attrs.push_back(Attr{std::string(key), std::move(value)});
  return *this;
}

std::span<const Node> Node::child_nodes() const {
  if (const auto* list = std::get_if<Children>(&content)) return *list;
  return {};
}

const Node* Node::child(std::string_view wanted) const {
  for (const auto& c : child_nodes())
    if (c.tag == wanted) return &c;
  return nullptr;
}

std::vector<const Node*> Node::children(std::string_view wanted) const {
  std::vector<const Node*> out;
  for (const auto& c : child_nodes())
    if (c.tag == wanted) out.push_back(&c);
  return out;
}

}  // namespace wacrm::wire
