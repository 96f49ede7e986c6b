// Every binary-node vector Baileys produced (tests/conformance/vectors/
// nodes-v3.json by Baileys 7, nodes-v2.json by Baileys 6; format in
// tests/conformance/README.md): our decoder must give Baileys' tree, and our
// encoder Baileys' bytes wherever Baileys' own encoder reproduces them.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "support/conformance_vectors.h"
#include "support/test_env.h"
#include "wire/node_decoder.h"
#include "wire/node_encoder.h"
#include "wire/zlib_inflate.h"
#include "wire_test_util.h"

namespace wacrm::wire {
namespace {

using json = nlohmann::ordered_json;
using testing::unhex;

json load_vectors(const std::string& file) {
  auto loaded = wacrm::testing::load_conformance_vectors<json>(file);
  if (!loaded) {
    ADD_FAILURE() << "cannot open " << wacrm::testing::conformance_vector_path(file);
    return json::object();
  }
  return std::move(*loaded);
}

Node node_from_json(const json& j) {
  Node node(j.at("tag").get<std::string>());
  for (const auto& [key, value] : j.at("attrs").items()) node.attrs.push_back({key, value.get<std::string>()});
  const json& content = j.at("content");
  if (content.is_array()) {
    auto& children = node.content.emplace<Node::Children>();
    for (const auto& child : content) children.push_back(node_from_json(child));
  } else if (content.is_object() && content.contains("bytes_hex")) {
    node.content = unhex(content.at("bytes_hex").get<std::string>());
  } else if (content.is_object() && content.contains("string")) {
    node.content = content.at("string").get<std::string>();
  } else if (!content.is_null()) {
    ADD_FAILURE() << "unexpected content in vector: " << content.dump().substr(0, 200);
  }
  return node;
}

// Where we deliberately read a vector differently from the Baileys version
// that wrote it: each entry checks the file still says what we diverge from,
// then turns Baileys' tree into ours.
using Divergence = std::function<void(Node&)>;

std::map<std::string, Divergence> divergences(DictVersion version) {
  if (version != DictVersion::v2) return {};
  return {
      // Baileys 6 reads every non-zero AD_JID domain as lid; domain 128 is
      // hosted (whatsmeow, Baileys 7), whatever the token tables.
      {"hand-ad-jid-domain-128",
       [](Node& n) {
         EXPECT_EQ(n.attr_or("jid"), "15551234567:99@lid");
         n.set_attr("jid", "15551234567:99@hosted");
       }},
  };
}

struct Counts {
  int decoded = 0;
  int reencoded = 0;
  int compressed = 0;
};

Counts run_file(const std::string& file, DictVersion version) {
  Counts counts;
  const json doc = load_vectors(file);
  if (!doc.contains("vectors")) return counts;
  EXPECT_EQ(doc.at("dict_version").get<int>(), static_cast<int>(version));
  const auto diverging = divergences(version);
  for (const auto& v : doc.at("vectors")) {
    const std::string name = v.at("name").get<std::string>();
    SCOPED_TRACE(file + " " + name);
    const Bytes frame = unhex(v.at("frame_hex").get<std::string>());
    Node expected = node_from_json(v.at("node"));
    if (auto it = diverging.find(name); it != diverging.end()) it->second(expected);

    auto decoded = decode_frame_payload(frame, version);
    if (!decoded) {
      ADD_FAILURE() << "decode failed: " << decoded.error().to_string();
      continue;
    }
    EXPECT_EQ(*decoded, expected);
    ++counts.decoded;

    // The uncompressed frame Baileys' encoder would give back.
    Bytes plain = frame;
    if (v.at("compressed").get<bool>()) {
      ++counts.compressed;
      EXPECT_EQ(frame.at(0), 0x02);
      auto inflated = zlib_inflate(ByteView(frame).subspan(1), std::size_t{64} << 20);
      if (!inflated) {
        ADD_FAILURE() << inflated.error().to_string();
        continue;
      }
      plain.assign(1, 0x00);
      plain.insert(plain.end(), inflated->begin(), inflated->end());
    }
    const Bytes ours = encode_frame_payload(*decoded, version);
    const bool hand_built_jid = name == "hand-fb-jid" || name == "hand-interop-jid";
    if (v.at("reencodes").get<bool>() || hand_built_jid) {
      // FB/interop JIDs: Baileys writes them back as AD_JID; we reproduce the frame.
      EXPECT_EQ(to_hex(ours), to_hex(plain));
      ++counts.reencoded;
    }
    // Whatever the bytes, our encoding reads back as the same tree.
    auto again = decode_frame_payload(ours, version);
    if (!again) {
      ADD_FAILURE() << "our encoding does not decode: " << again.error().to_string();
      continue;
    }
    EXPECT_EQ(*again, *decoded);
  }
  return counts;
}

void run_and_report(const std::string& file, DictVersion version, int min_compressed) {
  Counts c = run_file(file, version);
  EXPECT_GE(c.decoded, 100);
  EXPECT_GE(c.reencoded, 100);
  EXPECT_GE(c.compressed, min_compressed);
  std::cout << file << ": " << c.decoded << " decoded, " << c.reencoded << " re-encoded byte for byte, "
            << c.compressed << " compressed\n";
}

TEST(WireConformance, BaileysSevenDictionaryV3) { run_and_report("nodes-v3.json", DictVersion::v3, 2); }
TEST(WireConformance, BaileysSixDictionaryV2) { run_and_report("nodes-v2.json", DictVersion::v2, 1); }

// The tables we compiled in are the ones the vectors were written with.
TEST(WireConformance, TokenTablesMatchTheDumps) {
  for (auto [file, version] : {std::pair{"wabinary-tokens-v2.json", DictVersion::v2},
                               std::pair{"wabinary-tokens-v3.json", DictVersion::v3}}) {
    const std::string path = wacrm::testing::source_dir() + "/tests/conformance/tokens/" + file;
    std::ifstream in(path);
    ASSERT_TRUE(in) << "cannot open " << path;
    const json doc = json::parse(in);
    const auto& single = doc.at("single_byte");
    ASSERT_EQ(single.size(), 236u);
    for (std::size_t i = 1; i < single.size(); ++i)
      EXPECT_EQ(single_byte_token(version, static_cast<std::uint8_t>(i)), single[i].get<std::string>()) << file << i;
    const auto& dbl = doc.at("double_byte");
    ASSERT_EQ(dbl.size(), 4u);
    for (std::size_t d = 0; d < 4; ++d)
      for (std::size_t i = 0; i < 256; ++i)
        EXPECT_EQ(double_byte_token(version, static_cast<std::uint8_t>(d), static_cast<std::uint8_t>(i)),
                  dbl[d].at(i).get<std::string>())
            << file << " " << d << "/" << i;
  }
}

}  // namespace
}  // namespace wacrm::wire
