#include "signal/errors.h"

#include <signal_protocol.h>

namespace wacrm::signal {

std::string_view signal_errc_name(SignalErrc kind) {
  switch (kind) {
    case SignalErrc::no_session: return "no session";
    case SignalErrc::invalid_message: return "invalid message";
    case SignalErrc::duplicate_message: return "duplicate message";
    case SignalErrc::untrusted_identity: return "untrusted identity";
    case SignalErrc::invalid_key_id: return "invalid key id";
    case SignalErrc::invalid_mac: return "bad MAC";
    case SignalErrc::invalid_key: return "invalid key";
    case SignalErrc::bad_padding: return "bad padding";
    case SignalErrc::store: return "store failure";
    case SignalErrc::internal: return "internal error";
  }
  return "unknown";
}

bool needs_retry_receipt(SignalErrc kind) {
  switch (kind) {
    case SignalErrc::no_session:
    case SignalErrc::invalid_message:
    case SignalErrc::untrusted_identity:
    case SignalErrc::invalid_key_id:
    case SignalErrc::invalid_mac:
    case SignalErrc::invalid_key:
      return true;
    case SignalErrc::duplicate_message:
    case SignalErrc::bad_padding:
    case SignalErrc::store:
    case SignalErrc::internal:
      return false;
  }
  return false;
}

static Errc errc_for(SignalErrc kind) {
  switch (kind) {
    case SignalErrc::no_session: return Errc::not_found;
    case SignalErrc::invalid_message: return Errc::malformed;
    case SignalErrc::duplicate_message: return Errc::already_exists;
    case SignalErrc::untrusted_identity: return Errc::permission_denied;
    case SignalErrc::invalid_key_id: return Errc::not_found;
    case SignalErrc::invalid_mac: return Errc::crypto;
    case SignalErrc::invalid_key: return Errc::crypto;
    case SignalErrc::bad_padding: return Errc::malformed;
    case SignalErrc::store: return Errc::database;
    case SignalErrc::internal: return Errc::internal;
  }
  return Errc::internal;
}

static SignalErrc kind_for(int sg_code) {
  switch (sg_code) {
    case SG_ERR_NO_SESSION: return SignalErrc::no_session;
    case SG_ERR_DUPLICATE_MESSAGE: return SignalErrc::duplicate_message;
    case SG_ERR_INVALID_MESSAGE:
    case SG_ERR_INVALID_VERSION:
    case SG_ERR_LEGACY_MESSAGE:
    case SG_ERR_INVALID_PROTO_BUF:
    case SG_ERR_STALE_KEY_EXCHANGE:
      return SignalErrc::invalid_message;
    case SG_ERR_UNTRUSTED_IDENTITY: return SignalErrc::untrusted_identity;
    case SG_ERR_INVALID_KEY_ID: return SignalErrc::invalid_key_id;
    case SG_ERR_INVALID_MAC: return SignalErrc::invalid_mac;
    case SG_ERR_INVALID_KEY:
    case SG_ERR_VRF_SIG_VERIF_FAILED:
      return SignalErrc::invalid_key;
    default: return SignalErrc::internal;
  }
}

static std::string_view sg_code_name(int sg_code) {
  switch (sg_code) {
    case SG_ERR_NOMEM: return "SG_ERR_NOMEM";
    case SG_ERR_INVAL: return "SG_ERR_INVAL";
    case SG_ERR_UNKNOWN: return "SG_ERR_UNKNOWN";
    case SG_ERR_DUPLICATE_MESSAGE: return "SG_ERR_DUPLICATE_MESSAGE";
    case SG_ERR_INVALID_KEY: return "SG_ERR_INVALID_KEY";
    case SG_ERR_INVALID_KEY_ID: return "SG_ERR_INVALID_KEY_ID";
    case SG_ERR_INVALID_MAC: return "SG_ERR_INVALID_MAC";
    case SG_ERR_INVALID_MESSAGE: return "SG_ERR_INVALID_MESSAGE";
    case SG_ERR_INVALID_VERSION: return "SG_ERR_INVALID_VERSION";
    case SG_ERR_LEGACY_MESSAGE: return "SG_ERR_LEGACY_MESSAGE";
    case SG_ERR_NO_SESSION: return "SG_ERR_NO_SESSION";
    case SG_ERR_STALE_KEY_EXCHANGE: return "SG_ERR_STALE_KEY_EXCHANGE";
    case SG_ERR_UNTRUSTED_IDENTITY: return "SG_ERR_UNTRUSTED_IDENTITY";
    case SG_ERR_VRF_SIG_VERIF_FAILED: return "SG_ERR_VRF_SIG_VERIF_FAILED";
    case SG_ERR_INVALID_PROTO_BUF: return "SG_ERR_INVALID_PROTO_BUF";
    default: return "";
  }
}

static std::string code_label(int sg_code) {
  std::string_view name = sg_code_name(sg_code);
  return name.empty() ? std::to_string(sg_code) : std::string(name);
}

std::unexpected<SignalError> make_signal_error(SignalErrc kind, std::string message) {
  return std::unexpected(SignalError{kind, 0, Error{errc_for(kind), std::move(message)}});
}

SignalError signal_error_from_code(int sg_code, std::string_view what) {
  SignalErrc kind = kind_for(sg_code);
  std::string message(what);
  message += ": ";
  message += signal_errc_name(kind);
  message += " (" + code_label(sg_code) + ")";
  return SignalError{kind, sg_code, Error{errc_for(kind), std::move(message)}};
}

SignalError signal_parse_error(int sg_code, std::string_view what) {
  SignalError error = signal_error_from_code(sg_code, what);
  if (sg_code != SG_ERR_NOMEM && error.kind != SignalErrc::invalid_message) {
    error.kind = SignalErrc::invalid_message;
    error.error.code = errc_for(SignalErrc::invalid_message);
    error.error.message = std::string(what) + ": invalid message (" + code_label(sg_code) + ")";
  }
  return error;
}

SignalError signal_error_from_store(const Error& error, std::string_view what) {
  std::string message(what);
  message += ": ";
  message += error.message;
  return SignalError{SignalErrc::store, 0, Error{error.code, std::move(message)}};
}

}  // namespace wacrm::signal
