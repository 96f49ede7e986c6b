// Answers <iq xmlns="usync"> queries (03 §5 (g), §10.3, §10.4; 02 §8.2):
// device lists (device 0 first, companions with key-index), the account's
// LID, and whether a phone number is on WhatsApp.
#pragma once

#include "base/error.h"
#include "wasim/directory.h"
#include "wire/node.h"

namespace wacrm::wasim {

// The <usync> child of the result iq; Errc::invalid_argument for a query
// without <usync>, <query> or <list>.
Result<wire::Node> usync_answer(const wire::Node& iq, Directory& directory);

}  // namespace wacrm::wasim
