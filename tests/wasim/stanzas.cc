#include "wasim/stanzas.h"

#include <chrono>

namespace wacrm::wasim {

std::string server_jid() { return wire::Jid::of_server(wire::server::kUser).to_string(); }

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Node iq_result(std::string_view id, std::vector<Node> children) {
  Node node("iq", {{"from", server_jid()}, {"type", "result"}, {"id", std::string(id)}});
  if (!children.empty()) node.content = std::move(children);
  return node;
}

Node iq_error(std::string_view id, int code, std::string_view text) {
  Node node("iq", {{"from", server_jid()}, {"type", "error"}, {"id", std::string(id)}});
  node.content = Node::Children{Node("error", {{"code", std::to_string(code)}, {"text", std::string(text)}})};
  return node;
}

Node iq_set(std::string_view id, std::string_view xmlns, Node child) {
  Node node("iq", {{"from", server_jid()}, {"type", "set"}, {"id", std::string(id)}, {"xmlns", std::string(xmlns)}});
  node.content = Node::Children{std::move(child)};
  return node;
}

Node failure(int reason) { return Node("failure", {{"reason", std::to_string(reason)}}); }

Node stream_error(int code, std::vector<Node> children) {
  Node node("stream:error");
  if (code != 0) node.set_attr("code", std::to_string(code));
  if (!children.empty()) node.content = std::move(children);
  return node;
}

Node stream_error_condition(std::string_view condition) { return stream_error(0, {Node(std::string(condition))}); }

Node stream_end() { return Node("xmlstreamend"); }

Node ack(std::string_view klass, std::string_view id, std::string_view from) {
  return Node("ack", {{"class", std::string(klass)}, {"id", std::string(id)}, {"from", std::string(from)}});
}

Node bytes_node(std::string tag, Bytes content) { return Node(std::move(tag), {}, std::move(content)); }
Node text_node(std::string tag, std::string content) { return Node(std::move(tag), {}, std::move(content)); }

Bytes be_bytes(std::uint32_t value, std::size_t width) {
  Bytes out(width);
  for (std::size_t i = 0; i < width; ++i) out[width - 1 - i] = static_cast<std::uint8_t>(value >> (8 * i));
  return out;
}

bool read_be(const Node* node, std::size_t width, std::uint32_t& out) {
  const Bytes* bytes = node ? node->bytes() : nullptr;
  if (!bytes || bytes->size() != width) return false;
  out = 0;
  for (std::uint8_t b : *bytes) out = (out << 8) | b;
  return true;
}

const Bytes* child_bytes(const Node& parent, std::string_view tag) {
  const Node* child = parent.child(tag);
  return child ? child->bytes() : nullptr;
}

}  // namespace wacrm::wasim
