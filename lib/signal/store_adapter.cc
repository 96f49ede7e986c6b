#include "signal/store_adapter.h"

#include <openssl/crypto.h>

#include <algorithm>

#include "signal/ec_key_codec.h"
#include "signal/key_generation.h"
#include "signal/keys.h"
#include "signal/signal_ptr.h"

namespace wacrm::signal {

namespace {

StoreAdapter& self(void* user_data) { return *static_cast<StoreAdapter*>(user_data); }

std::string_view name_of(const signal_protocol_address* address) { return {address->name, address->name_len}; }
std::string_view group_of(const signal_protocol_sender_key_name* name) {
  return {name->group_id, name->group_id_len};
}

// Runs a callback body; nothing may unwind into the C library.
template <class Body>
int guarded(void* user_data, Body&& body) noexcept {
  try {
    return body(self(user_data));
  } catch (...) {
    return SG_ERR_UNKNOWN;
  }
}

// Hands a loaded record to libsignal: `found` with *out set, or `missing`.
int hand_over(StoreAdapter& adapter, const Result<std::optional<Bytes>>& loaded, signal_buffer** out, int found,
              int missing) {
  if (!loaded) return adapter.fail(loaded.error());
  if (!*loaded) return missing;
  *out = new_buffer(**loaded);
  return *out ? found : SG_ERR_NOMEM;
}

int status_code(StoreAdapter& adapter, const Status& status) {
  return status ? SG_SUCCESS : adapter.fail(status.error());
}

// --- session store

int load_session(signal_buffer** record, signal_buffer**, const signal_protocol_address* address, void* ud) {
  return guarded(ud, [&](StoreAdapter& a) {
    return hand_over(a, a.store().load_session(name_of(address), address->device_id), record, 1, 0);
  });
}

int sub_device_sessions(signal_int_list** sessions, const char* name, size_t name_len, void* ud) {
  return guarded(ud, [&](StoreAdapter& a) {
    auto devices = a.store().sub_device_sessions({name, name_len});
    if (!devices) return a.fail(devices.error());
    signal_int_list* list = signal_int_list_alloc();
    if (!list) return SG_ERR_NOMEM;
    for (int device : *devices) {
      if (signal_int_list_push_back(list, device) < 0) {
        signal_int_list_free(list);
        return SG_ERR_NOMEM;
      }
    }
    *sessions = list;
    return static_cast<int>(devices->size());
  });
}

// The user_record libsignal may pass alongside is not ours to keep (notes §2.5).
int store_session(const signal_protocol_address* address, uint8_t* record, size_t record_len, uint8_t*, size_t,
                  void* ud) {
  return guarded(ud, [&](StoreAdapter& a) {
    return status_code(a, a.store().store_session(name_of(address), address->device_id, {record, record_len}));
  });
}

int contains_session(const signal_protocol_address* address, void* ud) {
  return guarded(ud, [&](StoreAdapter& a) {
    auto loaded = a.store().load_session(name_of(address), address->device_id);
    if (!loaded) return a.fail(loaded.error());
    return loaded->has_value() ? 1 : 0;
  });
}

int delete_session(const signal_protocol_address* address, void* ud) {
  return guarded(ud, [&](StoreAdapter& a) {
    auto deleted = a.store().delete_session(name_of(address), address->device_id);
    if (!deleted) return a.fail(deleted.error());
    return *deleted ? 1 : 0;
  });
}

int delete_all_sessions(const char* name, size_t name_len, void* ud) {
  return guarded(ud, [&](StoreAdapter& a) {
    auto deleted = a.store().delete_all_sessions({name, name_len});
    if (!deleted) return a.fail(deleted.error());
    return *deleted;
  });
}

// --- one-time pre-key store

int load_pre_key(signal_buffer** record, uint32_t id, void* ud) {
  return guarded(ud, [&](StoreAdapter& a) {
    return hand_over(a, a.store().load_pre_key(id), record, SG_SUCCESS, SG_ERR_INVALID_KEY_ID);
  });
}

int store_pre_key(uint32_t id, uint8_t* record, size_t record_len, void* ud) {
  return guarded(ud, [&](StoreAdapter& a) { return status_code(a, a.store().store_pre_key(id, {record, record_len})); });
}

int contains_pre_key(uint32_t id, void* ud) {
  return guarded(ud, [&](StoreAdapter& a) {
    auto found = a.store().contains_pre_key(id);
    if (!found) return a.fail(found.error());
    return *found ? 1 : 0;
  });
}

int remove_pre_key(uint32_t id, void* ud) {
  return guarded(ud, [&](StoreAdapter& a) { return status_code(a, a.store().remove_pre_key(id)); });
}

// --- signed pre-key store: stored records first, then the current signed
// pre-key described by the local identity.

int load_signed_pre_key(signal_buffer** record, uint32_t id, void* ud) {
  return guarded(ud, [&](StoreAdapter& a) {
    int rc = hand_over(a, a.store().load_signed_pre_key(id), record, SG_SUCCESS, SG_ERR_INVALID_KEY_ID);
    if (rc != SG_ERR_INVALID_KEY_ID) return rc;
    return a.signed_pre_key_from_identity(record, id);
  });
}

int store_signed_pre_key(uint32_t id, uint8_t* record, size_t record_len, void* ud) {
  return guarded(ud, [&](StoreAdapter& a) {
    return status_code(a, a.store().store_signed_pre_key(id, {record, record_len}));
  });
}

int contains_signed_pre_key(uint32_t id, void* ud) {
  return guarded(ud, [&](StoreAdapter& a) {
    auto found = a.store().contains_signed_pre_key(id);
    if (!found) return a.fail(found.error());
    if (*found) return 1;
    store::SignalLocalIdentity* identity = nullptr;
    if (int rc = a.load_local_identity(identity); rc < 0) return rc;
    return identity->signed_pre_key_id == id ? 1 : 0;
  });
}

int remove_signed_pre_key(uint32_t id, void* ud) {
  return guarded(ud, [&](StoreAdapter& a) { return status_code(a, a.store().remove_signed_pre_key(id)); });
}

// --- identity store

int get_identity_key_pair(signal_buffer** public_data, signal_buffer** private_data, void* ud) {
  return guarded(ud, [&](StoreAdapter& a) {
    store::SignalLocalIdentity* identity = nullptr;
    if (int rc = a.load_local_identity(identity); rc < 0) return rc;
    auto prefixed = signal_public_key(identity->identity_public);  // libsignal wants 33 bytes here
    if (!prefixed) return a.fail(prefixed.error());
    BufferPtr pub(new_buffer(*prefixed));
    BufferPtr priv(new_buffer(identity->identity_private));
    if (!pub || !priv) return SG_ERR_NOMEM;
    *public_data = pub.release();
    *private_data = priv.release();
    return SG_SUCCESS;
  });
}

int get_local_registration_id(void* ud, uint32_t* registration_id) {
  return guarded(ud, [&](StoreAdapter& a) {
    store::SignalLocalIdentity* identity = nullptr;
    if (int rc = a.load_local_identity(identity); rc < 0) return rc;
    *registration_id = identity->registration_id;
    return SG_SUCCESS;
  });
}

int save_identity(const signal_protocol_address* address, uint8_t* key_data, size_t key_len, void* ud) {
  return guarded(ud, [&](StoreAdapter& a) {
    if (!key_data) {
      auto deleted = a.store().delete_identity(name_of(address), address->device_id);
      return deleted ? SG_SUCCESS : a.fail(deleted.error());
    }
    return status_code(a, a.store().save_identity(name_of(address), address->device_id, {key_data, key_len}));
  });
}

int is_trusted_identity(const signal_protocol_address* address, uint8_t* key_data, size_t key_len, void* ud) {
  return guarded(ud, [&](StoreAdapter& a) {
    auto stored = a.store().load_identity(name_of(address), address->device_id);
    if (!stored) return a.fail(stored.error());
    ByteView offered(key_data, key_len);
    if (!*stored || std::ranges::equal(**stored, offered)) return 1;
    if (a.trust() == TrustPolicy::strict) return 0;
    a.identity_changes().push_back(Address{std::string(name_of(address)), address->device_id});
    return 1;
  });
}

// --- sender key store

int store_sender_key(const signal_protocol_sender_key_name* name, uint8_t* record, size_t record_len, uint8_t*,
                     size_t, void* ud) {
  return guarded(ud, [&](StoreAdapter& a) {
    return status_code(a, a.store().store_sender_key(group_of(name), name_of(&name->sender), name->sender.device_id,
                                                     {record, record_len}));
  });
}

int load_sender_key(signal_buffer** record, signal_buffer**, const signal_protocol_sender_key_name* name, void* ud) {
  return guarded(ud, [&](StoreAdapter& a) {
    return hand_over(a, a.store().load_sender_key(group_of(name), name_of(&name->sender), name->sender.device_id),
                     record, 1, 0);
  });
}

}  // namespace

StoreAdapter::StoreAdapter(Context& context, store::SignalStore& store, TrustPolicy trust)
    : context_(context), store_(&store), trust_(trust) {
  if (signal_protocol_store_context_create(&store_context_, context.get()) != SG_SUCCESS)
    throw std::bad_alloc();

  const signal_protocol_session_store sessions{
      .load_session_func = load_session,
      .get_sub_device_sessions_func = sub_device_sessions,
      .store_session_func = store_session,
      .contains_session_func = contains_session,
      .delete_session_func = delete_session,
      .delete_all_sessions_func = delete_all_sessions,
      .user_data = this,
  };
  const signal_protocol_pre_key_store pre_keys{
      .load_pre_key = load_pre_key,
      .store_pre_key = store_pre_key,
      .contains_pre_key = contains_pre_key,
      .remove_pre_key = remove_pre_key,
      .user_data = this,
  };
  const signal_protocol_signed_pre_key_store signed_pre_keys{
      .load_signed_pre_key = load_signed_pre_key,
      .store_signed_pre_key = store_signed_pre_key,
      .contains_signed_pre_key = contains_signed_pre_key,
      .remove_signed_pre_key = remove_signed_pre_key,
      .user_data = this,
  };
  const signal_protocol_identity_key_store identities{
      .get_identity_key_pair = get_identity_key_pair,
      .get_local_registration_id = get_local_registration_id,
      .save_identity = save_identity,
      .is_trusted_identity = is_trusted_identity,
      .user_data = this,
  };
  const signal_protocol_sender_key_store sender_keys{
      .store_sender_key = store_sender_key,
      .load_sender_key = load_sender_key,
      .user_data = this,
  };
  // libsignal copies each table.
  signal_protocol_store_context_set_session_store(store_context_, &sessions);
  signal_protocol_store_context_set_pre_key_store(store_context_, &pre_keys);
  signal_protocol_store_context_set_signed_pre_key_store(store_context_, &signed_pre_keys);
  signal_protocol_store_context_set_identity_key_store(store_context_, &identities);
  signal_protocol_store_context_set_sender_key_store(store_context_, &sender_keys);
}

StoreAdapter::~StoreAdapter() {
  signal_protocol_store_context_destroy(store_context_);
  // The cached identity and signed pre-key record hold private keys.
  auto wipe = [](Bytes& bytes) { OPENSSL_cleanse(bytes.data(), bytes.size()); };
  if (local_identity_) {
    wipe(local_identity_->identity_private);
    wipe(local_identity_->signed_pre_key_private);
  }
  if (current_signed_pre_key_record_) wipe(*current_signed_pre_key_record_);
}

int StoreAdapter::fail(const Error& error) {
  store_error_ = error;
  return kStoreFailure;
}

int StoreAdapter::load_local_identity(store::SignalLocalIdentity*& identity) {
  if (!local_identity_) {
    auto loaded = store_->local_identity();
    if (!loaded) return fail(loaded.error());
    local_identity_ = std::move(*loaded);
  }
  identity = &*local_identity_;
  return SG_SUCCESS;
}

int StoreAdapter::signed_pre_key_from_identity(signal_buffer** record, std::uint32_t id) {
  store::SignalLocalIdentity* identity = nullptr;
  if (int rc = load_local_identity(identity); rc < 0) return rc;
  if (identity->signed_pre_key_id != id) return SG_ERR_INVALID_KEY_ID;
  if (!current_signed_pre_key_record_) {
    SignedPreKey key{identity->signed_pre_key_id,
                     KeyPair{identity->signed_pre_key_public, identity->signed_pre_key_private},
                     identity->signed_pre_key_signature};
    auto built = signed_pre_key_record(context_, key);
    if (!built) return fail(built.error());
    current_signed_pre_key_record_ = std::move(*built);
  }
  *record = new_buffer(*current_signed_pre_key_record_);
  return *record ? SG_SUCCESS : SG_ERR_NOMEM;
}

SignalError StoreAdapter::error_for(int rc, std::string_view what) {
  if (rc == kStoreFailure && store_error_) {
    SignalError error = signal_error_from_store(*store_error_, what);
    store_error_.reset();
    return error;
  }
  return signal_error_from_code(rc, what);
}

}  // namespace wacrm::signal
