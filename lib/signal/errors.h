// Why a Signal operation failed, in categories a caller can act on.
//
// The message handler (issue 6) must tell "the sender should re-send this"
// (answer with a retry receipt) from "we already processed it" (duplicate)
// and from "our database is down" (do not ack; the server redelivers).
// SignalError carries that category next to the project-wide Error, and
// converts to Error so WACRM_TRY works in functions returning Result<T>.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "base/error.h"

namespace wacrm::signal {

enum class SignalErrc {
  no_session,          // no session / no sender key for this address
  invalid_message,     // does not parse, wrong version, legacy format
  duplicate_message,   // counter or iteration already used (replay, redelivery)
  untrusted_identity,  // identity key differs from the stored one (strict trust only)
  invalid_key_id,      // the pkmsg names a one-time or signed pre-key we do not have
  invalid_mac,         // MAC or signature check failed: corrupted or not for us
  invalid_key,         // a key is malformed or a bundle's signature is wrong
  bad_padding,         // decrypted fine, but WhatsApp's padding is not valid
  store,               // the SignalStore failed (database): transient, retry later
  internal,            // out of memory, crypto provider failure, a bug
};

// "no session", "invalid message", "duplicate message", ...
std::string_view signal_errc_name(SignalErrc kind);

// True for the failures WhatsApp clients answer with a retry receipt so the
// sender re-sends (notes §1.7). Not for duplicates (already processed), store
// failures (leave the stanza unacked) or bad padding (content is broken).
bool needs_retry_receipt(SignalErrc kind);

struct SignalError {
  SignalErrc kind = SignalErrc::internal;
  int sg_code = 0;  // the libsignal SG_ERR_* value; 0 when the error is ours
  Error error;      // project-wide code and message

  operator Error() const { return error; }
  std::string to_string() const { return error.to_string(); }
};

template <class T>
using SignalResult = std::expected<T, SignalError>;
using SignalStatus = std::expected<void, SignalError>;

// An error of ours (not from libsignal) of the given category.
std::unexpected<SignalError> make_signal_error(SignalErrc kind, std::string message);

// Maps a negative libsignal return value. `what` names the operation
// ("decrypt pkmsg from 4917...:0") and starts the message.
SignalError signal_error_from_code(int sg_code, std::string_view what);

// For a failed deserialization: whatever libsignal's code (it answers a
// too-short input with SG_ERR_INVAL), the bytes are an invalid message;
// only SG_ERR_NOMEM stays internal.
SignalError signal_parse_error(int sg_code, std::string_view what);

// Wraps a store failure (kind store, the store's own Errc kept).
SignalError signal_error_from_store(const Error& error, std::string_view what);

}  // namespace wacrm::signal
