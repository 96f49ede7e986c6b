#include "wa/retry_keys.h"

#include <vector>

#include "signal/key_generation.h"

namespace wacrm::wa {

Result<RetryKeys> make_retry_keys(signal::Context& context, MessageStores& stores) {
  RetryKeys keys;
  keys.identity = WACRM_TRY(stores.signal().local_identity());
  keys.device_identity = WACRM_TRY(stores.device_identity());
  const std::uint32_t id = WACRM_TRY(stores.allocate_pre_key_id());
  auto fresh = WACRM_TRY(signal::generate_pre_keys(context, id, 1));
  WACRM_TRY(signal::store_pre_keys(context, stores.signal(), fresh));
  const std::vector<std::uint32_t> ids{id};
  WACRM_TRY(stores.signal().mark_pre_keys_uploaded(ids));
  keys.pre_key = std::move(fresh.front());
  return keys;
}

}  // namespace wacrm::wa
