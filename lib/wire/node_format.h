// A readable dump of a node for logs and debugging:
//   <iq id="1" to="@s.whatsapp.net" type="get" xmlns="w:p"><ping/></iq>
// Binary content shows as <N bytes>. Content that can hold key material or
// message text (enc, registration, identity, skey, key, value, signature,
// device-identity, adv-secret, body, …, and everything below such a node)
// always shows as <redacted N bytes>, whatever the options; so do the values
// of a few secret attributes (auth, …).
#pragma once

#include <string>

#include "wire/node.h"

namespace wacrm::wire {

struct FormatOptions {
  // One line per node, indented two spaces per level (default: all on one line).
  bool indent = false;
  // Hex of non-secret binary content, up to the first 64 bytes (for debugging).
  bool show_bytes = false;
};

std::string format_node(const Node& node, const FormatOptions& options = {});

}  // namespace wacrm::wire
