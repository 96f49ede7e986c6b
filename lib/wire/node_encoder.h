// Binary node encoder (protocol notes §4.4–4.6), the mirror of node_decoder.h.
//
// A string is written as the first of these that applies (Baileys' order):
//   1. a token of the connection's dictionary;
//   2. NIBBLE_8 if ≤ 127 chars of 0-9 - . ;   3. HEX_8 if ≤ 127 chars of 0-9 A-F;
//   4. if it contains '@', a JID encoding — but only one that decodes back to
//      the very same string: AD_JID for "user:<1..255>@{s.whatsapp.net,lid,
//      hosted,hosted.lid}", FB_JID for "user:<device>@msgr", INTEROP_JID for
//      "<integrator>-user:<device>@interop", else JID_PAIR "user@server"
//      (split at the first '@'; server non-empty, itself written as a string,
//      so "a@b@c" nests a JID pair, up to 4 levels);
//   5. raw UTF-8 (BINARY_8/20/32).
// Where Baileys' JID writer would lose information ("u_agent@…", ":0", a
// device on g.us, msgr/interop as AD_JID, …) we keep the string intact
// instead (JID_PAIR, FB/INTEROP_JID or raw). For every string Baileys writes
// losslessly our bytes are the same as its.
// The empty string is what each dictionary's reference writes: `00` under v2
// (Baileys 6), `FC 00` under v3 (Baileys 7) — except as node content, where
// it is `FF 00` (an empty packed string: the only encoding read back as an
// empty string rather than an empty list or empty bytes). As node content,
// packable strings of up to 254 characters are packed for the same reason.
//
// So encode(decode(b)) decodes to the same tree for every valid b, and equals
// b byte for byte whenever b is what Baileys itself would write.
#pragma once

#include "base/bytes.h"
#include "wire/node.h"
#include "wire/tokens.h"

namespace wacrm::wire {

// Appends the node's encoding (no flag byte) to `out`.
// Preconditions (a bug otherwise; std::invalid_argument is thrown): every tag
// is non-empty, a node has at most 32767 attributes and 65535 children.
void encode_node(const Node& node, DictVersion version, Bytes& out);

// The transport plaintext: flag byte 00 (we never compress) + the node.
Bytes encode_frame_payload(const Node& node, DictVersion version);

}  // namespace wacrm::wire
