// The nodes every part of wasim sends, built in one place so their shapes
// stay the real server's (protocol notes 01 §7.1, §8; 02 §3).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wire/node.h"

namespace wacrm::wasim {

using wire::Node;

// The server's own JID as it appears in from/to attributes ("@s.whatsapp.net").
std::string server_jid();
std::int64_t unix_now();

// <iq type="result" id from="@s.whatsapp.net">children</iq>
Node iq_result(std::string_view id, std::vector<Node> children = {});
// <iq type="error" id from><error code text/></iq>
Node iq_error(std::string_view id, int code, std::string_view text);
// A server-initiated <iq type="set" id xmlns from> with one child.
Node iq_set(std::string_view id, std::string_view xmlns, Node child);

Node failure(int reason);
// <stream:error code="C"/> (code 0: no code attribute), with an optional child.
Node stream_error(int code, std::vector<Node> children = {});
// <stream:error><NAME/></stream:error>, XMPP-style conditions.
Node stream_error_condition(std::string_view condition);
Node stream_end();

Node ack(std::string_view klass, std::string_view id, std::string_view from);

// A child with bytes / a string as content.
Node bytes_node(std::string tag, Bytes content);
Node text_node(std::string tag, std::string content);
Bytes be_bytes(std::uint32_t value, std::size_t width);

// Reads a big-endian integer of exactly `width` bytes from a child's content.
bool read_be(const Node* node, std::size_t width, std::uint32_t& out);
// The bytes content of a child, or nullptr.
const Bytes* child_bytes(const Node& parent, std::string_view tag);

}  // namespace wacrm::wasim
