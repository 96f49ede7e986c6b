#include "wasim/participant_hash.h"

#include <algorithm>

#include "noise/hash.h"
#include "wasim/base64.h"

namespace wacrm::wasim {

namespace {

// whatsmeow's JID.ADString(): the agent is always written (0 for PN and LID).
std::string ad_string(const wire::Jid& jid) {
  return jid.user() + ".0:" + std::to_string(jid.device()) + "@" + jid.server();
}

}  // namespace

std::string participant_hash(const std::vector<wire::Jid>& devices) {
  std::vector<std::string> names;
  names.reserve(devices.size());
  for (const auto& jid : devices) names.push_back(ad_string(jid));
  std::sort(names.begin(), names.end());
  std::string joined;
  for (const auto& name : names) joined += name;
  auto digest = noise::sha256({as_bytes(joined)});
  std::string encoded = base64_encode(ByteView(digest.data(), 6));  // 6 bytes: 8 characters, no padding
  return "2:" + encoded;
}

}  // namespace wacrm::wasim
