// Binary node decoder (protocol notes §4.2–4.6). Pure: bytes in, a Node or an
// error out. Every failure is an Errc::malformed (or too_large) error that
// says what was wrong and at which offset; nothing is allocated beyond what
// the remaining input could actually hold.
//
// Strings decode as Baileys 7 decodes them (so trees compare equal to its
// output): tokens, packed digits/hex, raw UTF-8 bytes (kept as they are),
// JID_PAIR "user@server" (empty user: "@server"), AD_JID "user:device@server"
// (device 0 omitted; domain 1/128/129 → lid/hosted/hosted.lid, anything else
// s.whatsapp.net), FB_JID "user:device@msgr", INTEROP_JID
// "integrator-user:device@interop". Content `00` is an empty child list.
// One exception to "as Baileys": under dictionary v2, Baileys 6 reads every
// non-zero AD_JID domain as lid; we read 128/129 as hosted/hosted.lid in both
// versions (the domain byte does not depend on the token tables).
//
// Stricter than both reference decoders, on purpose: trailing bytes after the
// top node, a padding nibble (15) inside a packed string, an odd-length flag on
// an empty packed string, and FB/interop JIDs whose server is not msgr/interop
// are errors; nesting (nodes and JIDs inside JIDs) is limited.
#pragma once

#include <cstddef>

#include "base/bytes.h"
#include "base/error.h"
#include "wire/node.h"
#include "wire/tokens.h"

namespace wacrm::wire {

struct DecodeLimits {
  // Largest node a compressed frame may inflate to (a frame is < 16 MiB anyway).
  std::size_t max_inflated_size = std::size_t{16} << 20;
  // Deepest nesting of nodes.
  int max_depth = 64;
  // Deepest nesting of JIDs inside JIDs ("a@b@c" is a JID pair whose server
  // is a JID pair); the encoder never nests more than 4.
  int max_jid_nesting = 8;
};

// One encoded node, without the frame flag byte. Offsets in errors count from
// the start of `node_bytes`.
Result<Node> decode_node(ByteView node_bytes, DictVersion version, const DecodeLimits& limits = {});

// A transport plaintext: flag byte, then the node, zlib-compressed if flag bit
// 0x02 is set. Offsets in errors count from the start of the payload, or of the
// inflated data for compressed payloads (the message says which).
Result<Node> decode_frame_payload(ByteView payload, DictVersion version, const DecodeLimits& limits = {});

}  // namespace wacrm::wire
