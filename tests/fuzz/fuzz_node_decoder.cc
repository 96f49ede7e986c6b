// libFuzzer target for the frame payload + binary node decoder.
// Input: byte 0 picks the token dictionary (odd: v3, even: v2), the rest is a
// frame payload (flag byte, node, zlib if flagged). Whatever decodes must
// re-encode to bytes that decode to the same tree, and encoding that tree
// again must give the same bytes; the text dump must not crash either, and
// JIDs found in attributes must survive printing and parsing.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "wire/jid.h"
#include "wire/node_decoder.h"
#include "wire/node_encoder.h"
#include "wire/node_format.h"

using namespace wacrm;
using namespace wacrm::wire;

namespace {

[[noreturn]] void mismatch(const char* what, const Node& node) {
  std::fprintf(stderr, "fuzz_node_decoder: %s\n  node: %s\n", what, format_node(node).c_str());
  std::abort();
}

// Attribute values that parse as JIDs print back to something that parses
// to the same JID.
void check_jids(const Node& node) {
  for (const auto& attr : node.attrs) {
    auto jid = Jid::parse(attr.value);
    if (!jid) continue;
    auto again = Jid::parse(jid->to_string());
    if (!again || *again != *jid) mismatch(("JID does not survive print/parse: " + attr.value).c_str(), node);
  }
  for (const auto& child : node.child_nodes()) check_jids(child);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const DictVersion version = (data[0] & 1) ? DictVersion::v3 : DictVersion::v2;
  // A smaller inflation cap than production keeps each run fast.
  DecodeLimits limits;
  limits.max_inflated_size = std::size_t{1} << 20;

  auto node = decode_frame_payload(ByteView(data + 1, size - 1), version, limits);
  if (!node) {
    if (node.error().message.empty()) std::abort();  // every error must say what is wrong
    return 0;
  }
  const Bytes encoded = encode_frame_payload(*node, version);
  auto again = decode_frame_payload(encoded, version, limits);
  if (!again) mismatch(("re-encoded node does not decode: " + again.error().to_string()).c_str(), *node);
  if (*again != *node) mismatch("re-encoded node decodes to a different tree", *node);
  if (encode_frame_payload(*again, version) != encoded) mismatch("encoding is not stable", *node);
  (void)format_node(*node, FormatOptions{.indent = true, .show_bytes = true});
  check_jids(*node);
  return 0;
}
