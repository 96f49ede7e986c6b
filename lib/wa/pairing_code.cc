#include "wa/pairing_code.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "noise/key_pair.h"
#include "wa/iq.h"

namespace wacrm::wa {

namespace {

constexpr int kPbkdf2Iterations = 2 << 16;  // 131072, as both reference clients
constexpr std::size_t kSaltSize = 32;
constexpr std::size_t kIvSize = 16;
constexpr std::size_t kNonceSize = 12;
constexpr std::size_t kTagSize = 16;
constexpr std::string_view kBundleInfo = "link_code_pairing_key_bundle_encryption_key";
constexpr std::string_view kAdvSecretInfo = "adv_secret";

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

Error crypto_error(std::string_view what) { return Error{Errc::crypto, std::string(what) + " failed"}; }

Bytes random_bytes(std::size_t n) {
  Bytes out(n);
  if (RAND_bytes(out.data(), static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
  return out;
}

Bytes concat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (ByteView part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

Result<Bytes> hkdf_sha256(ByteView ikm, ByteView salt, std::string_view info) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  if (!kdf) return std::unexpected(crypto_error("HKDF"));
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  if (!ctx) return std::unexpected(crypto_error("HKDF"));
  char digest[] = "SHA256";
  OSSL_PARAM params[5];
  int n = 0;
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<std::uint8_t*>(ikm.data()), ikm.size());
  if (!salt.empty())
    params[n++] =
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<std::uint8_t*>(salt.data()), salt.size());
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()), info.size());
  params[n] = OSSL_PARAM_construct_end();
  Bytes out(32);
  int ok = EVP_KDF_derive(ctx, out.data(), out.size(), params);
  EVP_KDF_CTX_free(ctx);
  if (ok != 1) return std::unexpected(crypto_error("HKDF"));
  return out;
}

// AES-256-CTR is its own inverse.
Result<Bytes> aes_ctr(ByteView key, ByteView iv, ByteView input) {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  Bytes out(input.size());
  int len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_ctr(), nullptr, key.data(), iv.data()) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out.data(), &len, input.data(), static_cast<int>(input.size())) != 1)
    return std::unexpected(crypto_error("AES-256-CTR"));
  return out;
}

Result<noise::SecretKey> secret_key(ByteView bytes) {
  if (bytes.size() != noise::kKeySize) return make_error(Errc::malformed, "a private key is not 32 bytes");
  return noise::SecretKey(std::span<const std::uint8_t, noise::kKeySize>(bytes.data(), noise::kKeySize));
}

Result<Bytes> x25519(ByteView private_key, ByteView peer_public) {
  auto key = WACRM_TRY(secret_key(private_key));
  auto shared = WACRM_TRY(noise::x25519(key, peer_public));
  auto view = shared.view();
  return Bytes(view.begin(), view.end());
}

wire::Node bytes_child(std::string tag, ByteView content) {
  return wire::Node(std::move(tag), {}, Bytes(content.begin(), content.end()));
}

wire::Node text_child(std::string tag, std::string_view text) {
  return wire::Node(std::move(tag), {}, Bytes(text.begin(), text.end()));
}

Result<Bytes> child_bytes(const wire::Node& parent, std::string_view tag) {
  const wire::Node* child = parent.child(tag);
  if (!child) return make_error(Errc::malformed, "<" + std::string(tag) + "> is missing");
  if (const Bytes* bytes = child->bytes()) return *bytes;
  if (const std::string* text = child->text()) return Bytes(text->begin(), text->end());
  return make_error(Errc::malformed, "<" + std::string(tag) + "> is empty");
}

}  // namespace

std::string pairing_code_from(ByteView five_bytes) {
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < 5 && i < five_bytes.size(); ++i) bits = (bits << 8) | five_bytes[i];
  std::string code(8, '?');
  for (int i = 7; i >= 0; --i) {
    code[static_cast<std::size_t>(i)] = kPairingCodeAlphabet[bits & 31];
    bits >>= 5;
  }
  return code;
}

std::string new_pairing_code() { return pairing_code_from(random_bytes(5)); }

std::string format_pairing_code(std::string_view code) {
  if (code.size() != 8) return std::string(code);
  return std::string(code.substr(0, 4)) + "-" + std::string(code.substr(4));
}

Result<std::string> parse_pairing_code(std::string_view typed) {
  std::string code;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    code += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (code.size() != 8 || code.find_first_not_of(kPairingCodeAlphabet) != std::string::npos)
    return make_error(Errc::invalid_argument, "'" + std::string(typed) + "' is not a pairing code (XXXX-XXXX)");
  return code;
}

Result<std::string> normalize_phone_number(std::string_view typed) {
  std::string digits;
  for (char c : typed) {
    if (c >= '0' && c <= '9')
      digits += c;
    else if (c != '+' && c != ' ' && c != '-' && c != '(' && c != ')')
      return make_error(Errc::invalid_argument, "'" + std::string(typed) + "' is not a phone number");
  }
  if (digits.size() < 7 || digits.size() > 15 || digits.front() == '0')
    return make_error(Errc::invalid_argument, "'" + std::string(typed) +
                                                  "' is not an international phone number (country code first, "
                                                  "7 to 15 digits, e.g. +15550100001)");
  return digits;
}

Result<Bytes> pairing_code_key(std::string_view code, ByteView salt) {
  Bytes key(32);
  if (PKCS5_PBKDF2_HMAC(code.data(), static_cast<int>(code.size()), salt.data(), static_cast<int>(salt.size()),
                        kPbkdf2Iterations, EVP_sha256(), static_cast<int>(key.size()), key.data()) != 1)
    return std::unexpected(crypto_error("PBKDF2"));
  return key;
}

Result<Bytes> wrap_with_code(std::string_view code, ByteView public_key, ByteView salt, ByteView iv) {
  if (salt.size() != kSaltSize || iv.size() != kIvSize || public_key.size() != 32)
    return make_error(Errc::invalid_argument, "wrapping needs a 32-byte key, 32-byte salt and 16-byte iv");
  Bytes key = WACRM_TRY(pairing_code_key(code, salt));
  Bytes encrypted = WACRM_TRY(aes_ctr(key, iv, public_key));
  return concat({salt, iv, encrypted});
}

Result<Bytes> unwrap_with_code(std::string_view code, ByteView wrapped) {
  if (wrapped.size() < kWrappedKeySize)
    return make_error(Errc::malformed, "a wrapped key has " + std::to_string(wrapped.size()) + " bytes, not 80");
  Bytes key = WACRM_TRY(pairing_code_key(code, wrapped.subspan(0, kSaltSize)));
  return aes_ctr(key, wrapped.subspan(kSaltSize, kIvSize), wrapped.subspan(kSaltSize + kIvSize, 32));
}

Result<Bytes> key_bundle_key(ByteView shared_ephemeral, ByteView salt) {
  return hkdf_sha256(shared_ephemeral, salt, kBundleInfo);
}

Result<Bytes> seal_key_bundle(ByteView shared_ephemeral, ByteView salt, ByteView nonce, ByteView plaintext) {
  if (salt.size() != kSaltSize || nonce.size() != kNonceSize)
    return make_error(Errc::invalid_argument, "a key bundle needs a 32-byte salt and a 12-byte nonce");
  Bytes key = WACRM_TRY(key_bundle_key(shared_ephemeral, salt));
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  Bytes out = concat({salt, nonce});
  out.resize(kSaltSize + kNonceSize + plaintext.size() + kTagSize);
  std::uint8_t* cipher = out.data() + kSaltSize + kNonceSize;
  int len = 0;
  int final_len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceSize), nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), nonce.data()) != 1 ||
      EVP_EncryptUpdate(ctx.get(), cipher, &len, plaintext.data(), static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), cipher + len, &final_len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize), cipher + plaintext.size()) != 1)
    return std::unexpected(crypto_error("AES-256-GCM"));
  return out;
}

Result<Bytes> open_key_bundle(ByteView shared_ephemeral, ByteView wrapped) {
  if (wrapped.size() < kSaltSize + kNonceSize + kTagSize)
    return make_error(Errc::malformed, "a key bundle has " + std::to_string(wrapped.size()) + " bytes");
  Bytes key = WACRM_TRY(key_bundle_key(shared_ephemeral, wrapped.subspan(0, kSaltSize)));
  ByteView nonce = wrapped.subspan(kSaltSize, kNonceSize);
  ByteView body = wrapped.subspan(kSaltSize + kNonceSize);
  ByteView cipher = body.first(body.size() - kTagSize);
  Bytes tag(body.end() - kTagSize, body.end());
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  Bytes out(cipher.size());
  int len = 0;
  int final_len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceSize), nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), nonce.data()) != 1 ||
      EVP_DecryptUpdate(ctx.get(), out.data(), &len, cipher.data(), static_cast<int>(cipher.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize), tag.data()) != 1)
    return std::unexpected(crypto_error("AES-256-GCM"));
  if (EVP_DecryptFinal_ex(ctx.get(), out.data() + len, &final_len) != 1)
    return make_error(Errc::crypto, "the key bundle does not decrypt (wrong key or altered)");
  return out;
}

Result<Bytes> code_adv_secret(ByteView shared_ephemeral, ByteView shared_identity, ByteView secret) {
  Bytes ikm = concat({shared_ephemeral, shared_identity, secret});
  return hkdf_sha256(ikm, {}, kAdvSecretInfo);
}

// --- the companion's side

std::string platform_display(CompanionPlatform platform, std::string_view device_name) {
  std::string_view browser = "Chrome";
  switch (platform) {
    case CompanionPlatform::chrome: browser = "Chrome"; break;
    case CompanionPlatform::firefox: browser = "Firefox"; break;
    case CompanionPlatform::safari: browser = "Safari"; break;
    case CompanionPlatform::edge: browser = "Edge"; break;
    case CompanionPlatform::desktop: browser = "Desktop"; break;
    case CompanionPlatform::unknown: browser = "Chrome"; break;
  }
  return std::string(browser) + " (" + std::string(device_name) + ")";
}

Result<CodePairing> start_code_pairing(std::string phone) {
  auto ephemeral = WACRM_TRY(noise::KeyPair::generate());
  CodePairing pairing;
  pairing.phone = std::move(phone);
  pairing.code = new_pairing_code();
  auto priv = ephemeral.private_key().view();
  pairing.ephemeral_private.assign(priv.begin(), priv.end());
  pairing.ephemeral_public.assign(ephemeral.public_key().begin(), ephemeral.public_key().end());
  return pairing;
}

Result<wire::Node> companion_hello_iq(const CodePairing& pairing, ByteView noise_public, std::string_view platform_id,
                                      std::string_view platform_display) {
  Bytes salt = random_bytes(kSaltSize);
  Bytes iv = random_bytes(kIvSize);
  Bytes wrapped = WACRM_TRY(wrap_with_code(pairing.code, pairing.ephemeral_public, salt, iv));
  wire::Node reg("link_code_companion_reg", {{"jid", pairing.phone + "@s.whatsapp.net"},
                                             {"stage", "companion_hello"},
                                             {"should_show_push_notification", "true"}});
  reg.content = wire::Node::Children{bytes_child("link_code_pairing_wrapped_companion_ephemeral_pub", wrapped),
                                     bytes_child("companion_server_auth_key_pub", noise_public),
                                     text_child("companion_platform_id", platform_id),
                                     text_child("companion_platform_display", platform_display),
                                     bytes_child("link_code_pairing_nonce", Bytes{0})};
  return make_iq("set", "md", {std::move(reg)});
}

Result<std::string> parse_companion_hello_answer(const wire::Node& iq) {
  if (iq.attr_or("type") == "error") return std::unexpected(iq_error(iq));
  const wire::Node* reg = iq.child("link_code_companion_reg");
  if (!reg) return make_error(Errc::malformed, "the answer to companion_hello has no <link_code_companion_reg>");
  Bytes ref = WACRM_TRY(child_bytes(*reg, "link_code_pairing_ref"));
  return std::string(ref.begin(), ref.end());
}

bool is_code_pairing_notification(const wire::Node& node) {
  return node.tag == "notification" && node.attr_or("type") == "link_code_companion_reg";
}

Result<PrimaryHello> parse_primary_hello(const wire::Node& notification) {
  const wire::Node* reg = notification.child("link_code_companion_reg");
  if (!reg) return make_error(Errc::malformed, "the notification has no <link_code_companion_reg>");
  PrimaryHello hello;
  Bytes ref = WACRM_TRY(child_bytes(*reg, "link_code_pairing_ref"));
  hello.ref.assign(ref.begin(), ref.end());
  hello.wrapped_primary_ephemeral = WACRM_TRY(child_bytes(*reg, "link_code_pairing_wrapped_primary_ephemeral_pub"));
  hello.primary_identity_public = WACRM_TRY(child_bytes(*reg, "primary_identity_pub"));
  if (hello.wrapped_primary_ephemeral.size() < kWrappedKeySize || hello.primary_identity_public.size() != 32)
    return make_error(Errc::malformed, "the phone's pairing keys have the wrong size");
  return hello;
}

Result<CompanionFinish> finish_code_pairing(const CodePairing& pairing, const PrimaryHello& hello,
                                            ByteView identity_private, ByteView identity_public) {
  Bytes salt = random_bytes(kSaltSize);
  Bytes nonce = random_bytes(kNonceSize);
  Bytes secret = random_bytes(32);
  return finish_code_pairing(pairing, hello, identity_private, identity_public, salt, nonce, secret);
}

Result<CompanionFinish> finish_code_pairing(const CodePairing& pairing, const PrimaryHello& hello,
                                            ByteView identity_private, ByteView identity_public, ByteView salt,
                                            ByteView nonce, ByteView secret) {
  if (!pairing.ref.empty() && hello.ref != pairing.ref)
    return make_error(Errc::conflict, "the phone answered another pairing attempt (ref mismatch)");
  Bytes primary_ephemeral = WACRM_TRY(unwrap_with_code(pairing.code, hello.wrapped_primary_ephemeral));
  Bytes shared = WACRM_TRY(x25519(pairing.ephemeral_private, primary_ephemeral));
  Bytes plaintext = concat({identity_public, hello.primary_identity_public, secret});
  CompanionFinish finish;
  finish.wrapped_bundle = WACRM_TRY(seal_key_bundle(shared, salt, nonce, plaintext));
  Bytes shared_identity = WACRM_TRY(x25519(identity_private, hello.primary_identity_public));
  finish.adv_secret = WACRM_TRY(code_adv_secret(shared, shared_identity, secret));
  return finish;
}

wire::Node companion_finish_iq(const CodePairing& pairing, const CompanionFinish& finish, ByteView identity_public) {
  wire::Node reg("link_code_companion_reg",
                 {{"jid", pairing.phone + "@s.whatsapp.net"}, {"stage", "companion_finish"}});
  reg.content = wire::Node::Children{bytes_child("link_code_pairing_wrapped_key_bundle", finish.wrapped_bundle),
                                     bytes_child("companion_identity_public", identity_public),
                                     text_child("link_code_pairing_ref", pairing.ref)};
  return make_iq("set", "md", {std::move(reg)});
}

}  // namespace wacrm::wa
