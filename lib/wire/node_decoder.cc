#include "wire/node_decoder.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "wire/tags.h"
#include "wire/token_tables.h"
#include "wire/zlib_inflate.h"

namespace wacrm::wire {

namespace {

std::string hex_byte(std::uint8_t b) {
  static constexpr char digits[] = "0123456789abcdef";
  return {'0', 'x', digits[b >> 4], digits[b & 0x0f]};
}

// The smallest encodings, to bound list sizes by the bytes that remain before
// allocating anything: a node is at least "F8 01 <tag>", a string one byte.
constexpr std::size_t kMinNodeBytes = 3;
constexpr std::size_t kMinStringBytes = 1;
constexpr std::size_t kChildReserveMax = 64;

class Reader {
 public:
  Reader(ByteView data, DictVersion version, const DecodeLimits& limits, std::size_t base_offset,
         std::string_view where)
      : data_(data),
        tables_(version == DictVersion::v2 ? detail::kV2Tables : detail::kV3Tables),
        limits_(limits),
        base_offset_(base_offset),
        where_(where) {}

  Result<Node> read_top_node() {
    Node node;
    if (auto st = read_node(node, 1); !st) return std::unexpected(std::move(st).error());
    if (pos_ != data_.size())
      return fail(pos_, std::to_string(data_.size() - pos_) + " trailing bytes after the node");
    return node;
  }

 private:
  std::size_t remaining() const { return data_.size() - pos_; }

  std::unexpected<Error> fail(std::size_t at, std::string what, Errc code = Errc::malformed) const {
    std::string msg = "binary node: " + std::move(what) + " at offset " + std::to_string(base_offset_ + at);
    if (!where_.empty()) {
      msg += " of the ";
      msg += where_;
    }
    return make_error(code, std::move(msg));
  }

  std::unexpected<Error> truncated(std::size_t need, std::string_view what) const {
    return fail(pos_, "truncated: " + std::string(what) + " needs " + std::to_string(need) + " bytes, " +
                          std::to_string(remaining()) + " left");
  }

  Status need(std::size_t n, std::string_view what) const {
    if (remaining() < n) return truncated(n, what);
    return {};
  }

  Result<std::uint8_t> read_u8(std::string_view what) {
    if (pos_ >= data_.size()) return truncated(1, what);
    return data_[pos_++];
  }

  Result<std::uint32_t> read_be(std::size_t n, std::string_view what) {
    if (auto st = need(n, what); !st) return std::unexpected(std::move(st).error());
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = (v << 8) | data_[pos_++];
    return v;
  }

  Result<std::size_t> read_binary_length(std::uint8_t tag) {
    std::uint32_t len = 0;
    if (tag == tag::kBinary8) {
      len = WACRM_TRY(read_be(1, "BINARY_8 length"));
    } else if (tag == tag::kBinary20) {
      len = WACRM_TRY(read_be(3, "BINARY_20 length")) & 0x0FFFFF;
    } else {
      len = WACRM_TRY(read_be(4, "BINARY_32 length"));
    }
    if (len > remaining()) return truncated(len, "binary data");
    return std::size_t{len};
  }

  Result<std::size_t> read_list_size(std::uint8_t tag, std::size_t at) {
    switch (tag) {
      case tag::kListEmpty: return std::size_t{0};
      case tag::kList8: return std::size_t{WACRM_TRY(read_be(1, "LIST_8 size"))};
      case tag::kList16: return std::size_t{WACRM_TRY(read_be(2, "LIST_16 size"))};
    }
    return fail(at, "expected a list tag, got " + hex_byte(tag));
  }

  Status check_depth(int depth, std::size_t at) const {
    if (depth > limits_.max_depth)
      return fail(at, "nodes nested deeper than " + std::to_string(limits_.max_depth), Errc::too_large);
    return {};
  }

  Status read_node(Node& node, int depth) {
    const std::size_t start = pos_;
    WACRM_TRY(check_depth(depth, start));
    const std::uint8_t list_tag = WACRM_TRY(read_u8("node list header"));
    const std::size_t size = WACRM_TRY(read_list_size(list_tag, start));
    if (size == 0) return fail(start, "node with list size 0");
    if (size * kMinStringBytes > remaining())
      return fail(start, "node of " + std::to_string(size) + " items but only " + std::to_string(remaining()) +
                             " bytes left");
    const std::size_t tag_at = pos_;
    WACRM_TRY(read_string(node.tag, 0));
    if (node.tag.empty()) return fail(tag_at, "node with an empty tag");

    const std::size_t attr_count = (size - 1) / 2;
    node.attrs.resize(attr_count);
    for (auto& attr : node.attrs) {
      WACRM_TRY(read_string(attr.key, 0));
      WACRM_TRY(read_string(attr.value, 0));
    }
    if (size % 2 == 1) return {};

    const std::size_t content_at = pos_;
    const std::uint8_t tag = WACRM_TRY(read_u8("node content"));
    switch (tag) {
      case tag::kListEmpty:
      case tag::kList8:
      case tag::kList16: {
        const std::size_t count = WACRM_TRY(read_list_size(tag, content_at));
        if (count > remaining() / kMinNodeBytes)
          return fail(content_at, "list of " + std::to_string(count) + " nodes but only " +
                                      std::to_string(remaining()) + " bytes left");
        // Grow as children actually decode: reserving `count` up front at every
        // level would let nested lists claim the same remaining bytes many times.
        auto& children = node.content.emplace<Node::Children>();
        children.reserve(std::min<std::size_t>(count, kChildReserveMax));
        for (std::size_t i = 0; i < count; ++i) WACRM_TRY(read_node(children.emplace_back(), depth + 1));
        return {};
      }
      case tag::kBinary8:
      case tag::kBinary20:
      case tag::kBinary32: {
        const std::size_t len = WACRM_TRY(read_binary_length(tag));
        const auto* p = data_.data() + pos_;
        node.content.emplace<Bytes>(p, p + len);
        pos_ += len;
        return {};
      }
      default:
        return read_string_tagged(node.content.emplace<std::string>(), tag, content_at, 0);
    }
  }

  // `nesting`: how many JIDs this string sits inside (their parts are strings,
  // so they may be JIDs again).
  Status read_string(std::string& out, int nesting) {
    const std::size_t at = pos_;
    const std::uint8_t tag = WACRM_TRY(read_u8("string"));
    return read_string_tagged(out, tag, at, nesting);
  }

  Status read_string_tagged(std::string& out, std::uint8_t tag, std::size_t at, int nesting) {
    if (tag >= 1 && tag < detail::kSingleByteTokenCount) {
      out.assign(tables_.single[tag]);
      return {};
    }
    switch (tag) {
      case tag::kListEmpty:
        out.clear();
        return {};
      case tag::kDictionary0:
      case tag::kDictionary0 + 1:
      case tag::kDictionary0 + 2:
      case tag::kDictionary3: {
        const std::uint8_t index = WACRM_TRY(read_u8("double-byte token index"));
        out.assign(tables_.double_byte[tag - tag::kDictionary0][index]);
        return {};
      }
      case tag::kBinary8:
      case tag::kBinary20:
      case tag::kBinary32: {
        const std::size_t len = WACRM_TRY(read_binary_length(tag));
        out.assign(reinterpret_cast<const char*>(data_.data() + pos_), len);
        pos_ += len;
        return {};
      }
      case tag::kNibble8:
      case tag::kHex8:
        return read_packed(out, tag, at);
      case tag::kJidPair:
        return read_jid_pair(out, at, nesting);
      case tag::kAdJid:
        return read_ad_jid(out, nesting);
      case tag::kFbJid:
      case tag::kInteropJid:
        return read_fb_or_interop_jid(out, tag, at, nesting);
      case tag::kList8:
      case tag::kList16:
        return fail(at, "list tag " + hex_byte(tag) + " where a string was expected");
    }
    return fail(at, "unknown tag byte " + hex_byte(tag));
  }

  Status read_packed(std::string& out, std::uint8_t tag, std::size_t at) {
    const std::uint8_t start = WACRM_TRY(read_u8("packed string length"));
    const std::size_t bytes = start & 0x7F;
    const bool odd = (start & 0x80) != 0;
    if (odd && bytes == 0) return fail(at, "packed string with odd-length flag and no bytes");
    WACRM_TRY(need(bytes, "packed string"));
    const std::size_t chars = bytes * 2 - (odd ? 1 : 0);
    out.resize(chars);
    const bool nibble = tag == tag::kNibble8;
    for (std::size_t i = 0; i < bytes * 2; ++i) {
      const std::uint8_t b = data_[pos_ + i / 2];
      const std::uint8_t v = (i % 2 == 0) ? (b >> 4) : (b & 0x0F);
      const bool dropped = i == chars;  // the padding nibble of an odd-length string
      char c;
      if (!nibble) {
        c = static_cast<char>(v < 10 ? '0' + v : 'A' + v - 10);
      } else if (v < 10) {
        c = static_cast<char>('0' + v);
      } else if (v == 10) {
        c = '-';
      } else if (v == 11) {
        c = '.';
      } else if (v == 15 && dropped) {
        c = 0;
      } else {
        return fail(pos_ + i / 2, "invalid nibble " + std::to_string(v) + " in packed digits");
      }
      if (!dropped) out[i] = c;
    }
    pos_ += bytes;
    return {};
  }

  Status read_jid_part(std::string& out, int nesting) {
    if (nesting + 1 > limits_.max_jid_nesting)
      return fail(pos_, "JIDs nested deeper than " + std::to_string(limits_.max_jid_nesting), Errc::too_large);
    return read_string(out, nesting + 1);
  }

  Status read_jid_pair(std::string& out, std::size_t at, int nesting) {
    std::string user;
    WACRM_TRY(read_jid_part(user, nesting));
    std::string server;
    WACRM_TRY(read_jid_part(server, nesting));
    if (server.empty()) return fail(at, "JID pair with an empty server");
    out.reserve(user.size() + 1 + server.size());
    out = std::move(user);
    out += '@';
    out += server;
    return {};
  }

  Status read_ad_jid(std::string& out, int nesting) {
    const std::uint8_t domain = WACRM_TRY(read_u8("AD_JID domain"));
    const std::uint8_t device = WACRM_TRY(read_u8("AD_JID device"));
    WACRM_TRY(read_jid_part(out, nesting));
    // Other domain bytes are whatsmeow's "agent"; Baileys 7 reads them as
    // s.whatsapp.net and drops them, and so do we (trees equal to Baileys').
    std::string_view server = "s.whatsapp.net";
    switch (domain) {
      case tag::kDomainLid: server = "lid"; break;
      case tag::kDomainHosted: server = "hosted"; break;
      case tag::kDomainHostedLid: server = "hosted.lid"; break;
    }
    if (device != 0) {
      out += ':';
      out += std::to_string(device);
    }
    out += '@';
    out += server;
    return {};
  }

  // FB_JID: user, device u16, server "msgr" → "user:device@msgr".
  // INTEROP_JID: user, device u16, integrator u16, server "interop" →
  // "integrator-user:device@interop". (Baileys 7's text forms.)
  Status read_fb_or_interop_jid(std::string& out, std::uint8_t tag, std::size_t at, int nesting) {
    const bool interop = tag == tag::kInteropJid;
    std::string user;
    WACRM_TRY(read_jid_part(user, nesting));
    const std::uint32_t device = WACRM_TRY(read_be(2, interop ? "INTEROP_JID device" : "FB_JID device"));
    std::uint32_t integrator = 0;
    if (interop) integrator = WACRM_TRY(read_be(2, "INTEROP_JID integrator"));
    std::string server;
    WACRM_TRY(read_jid_part(server, nesting));
    if (server != (interop ? "interop" : "msgr"))
      return fail(at, std::string(interop ? "INTEROP_JID" : "FB_JID") + " with server '" + server + "'");
    out.clear();
    if (interop) {
      out += std::to_string(integrator);
      out += '-';
    }
    out += user;
    out += ':';
    out += std::to_string(device);
    out += '@';
    out += server;
    return {};
  }

  ByteView data_;
  std::size_t pos_ = 0;
  const detail::TokenTables& tables_;
  const DecodeLimits& limits_;
  std::size_t base_offset_;
  std::string_view where_;
};

}  // namespace

Result<Node> decode_node(ByteView node_bytes, DictVersion version, const DecodeLimits& limits) {
  return Reader(node_bytes, version, limits, 0, {}).read_top_node();
}

Result<Node> decode_frame_payload(ByteView payload, DictVersion version, const DecodeLimits& limits) {
  if (payload.empty()) return make_error(Errc::malformed, "binary node: empty frame payload");
  const std::uint8_t flags = payload[0];
  if ((flags & tag::kFlagCompressed) == 0)
    return Reader(payload.subspan(1), version, limits, 1, {}).read_top_node();
  auto inflated = zlib_inflate(payload.subspan(1), limits.max_inflated_size);
  if (!inflated) {
    inflated.error().message = "binary node: " + inflated.error().message;
    return std::unexpected(std::move(inflated).error());
  }
  return Reader(*inflated, version, limits, 0, "inflated payload").read_top_node();
}

}  // namespace wacrm::wire
