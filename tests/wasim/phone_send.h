// What every message a simulated phone sends goes through, one-to-one,
// group and retry alike: the Message padded and Signal-encrypted for one
// device (a session started from the device's bundle when there is none,
// accounted in the event log like a client's fetch), the <enc> node, and the
// stanza queued for the device.
#pragma once

#include <string>

#include "base/error.h"
#include "signal/protocol.h"
#include "wasim/directory.h"
#include "wasim/offline_queue.h"
#include "wire/node.h"

namespace wacrm::wa {
class Message;
}

namespace wacrm::wasim {

class World;

// Web clients' form (02 §8.8): "3EB0" + 18 upper-case hex digits.
std::string new_message_id();

Result<signal::Ciphertext> encrypt_for_device(World& world, Account& from, const DeviceRef& target,
                                              const wa::Message& message);
// <enc v="2" type="pkmsg|msg|skmsg">bytes</enc>
wire::Node enc_node(signal::Ciphertext ciphertext);
// Queues a message stanza for `device`; `from_user` is what its ack's or
// receipt's `to` names (the sender's phone number, or the group id).
void queue_message(World& world, const DeviceId& device, wire::Node stanza, const std::string& id,
                   const std::string& from_user);

// Flips one byte that the ciphertext's MAC (msg, the SignalMessage inside a
// pkmsg) or signature (skmsg) covers, so that the receiver's decryption fails
// the way a damaged message does.
void corrupt(signal::Ciphertext& ciphertext);

}  // namespace wacrm::wasim
