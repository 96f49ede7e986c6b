// The <keys> of a retry receipt (notes 02 §1.7): a one-time pre-key made for
// this receipt alone, with our identity, signed pre-key and device identity.
#pragma once

#include "base/error.h"
#include "signal/context.h"
#include "wa/message_stores.h"
#include "wa/receipts.h"

namespace wacrm::wa {

// Inside stores.atomically(): allocates an id, stores the new pre-key in the
// Signal store and marks it uploaded -- it goes to the sender in the receipt,
// never to the server -- so it commits (or rolls back) with the rest.
Result<RetryKeys> make_retry_keys(signal::Context& context, MessageStores& stores);

}  // namespace wacrm::wa
