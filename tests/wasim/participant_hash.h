// The participant list hash a server puts on a message ack (`phash`, protocol
// notes 02 §8.5): "2:" + unpadded standard base64 of the first 6 bytes of
// SHA-256 over the sorted device strings "user.0:device@server". A client
// that computed a different hash for the devices it encrypted to learns that
// its cached device list is stale (whatsmeow's participantListHashV2).
#pragma once

#include <string>
#include <vector>

#include "wire/jid.h"

namespace wacrm::wasim {

std::string participant_hash(const std::vector<wire::Jid>& devices);

}  // namespace wacrm::wasim
