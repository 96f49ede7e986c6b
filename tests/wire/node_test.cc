#include "wire/node.h"

#include <gtest/gtest.h>

#include "wire_test_util.h"

namespace wacrm::wire {
namespace {

Node sample() {
  return Node("iq", {{"id", "1"}, {"type", "result"}, {"from", "15551234567:3@s.whatsapp.net"}},
              Node::Children{Node("list", {}, Node::Children{Node("item", {{"n", "1"}}), Node("other"),
                                                             Node("item", {{"n", "2"}})}),
                             Node("blob", {}, Bytes{1, 2}), Node("text", {}, std::string("hi"))});
}

TEST(Node, Attributes) {
  Node n = sample();
  EXPECT_EQ(n.attr("id"), "1");
  EXPECT_EQ(n.attr("missing"), std::nullopt);
  EXPECT_EQ(n.attr_or("missing", "x"), "x");
  EXPECT_EQ(n.attr_or("type"), "result");

  n.set_attr("type", "error");
  n.set_attr("code", "404");
  ASSERT_EQ(n.attrs.size(), 4u);
  EXPECT_EQ(n.attrs[1], (Attr{"type", "error"}));  // replaced in place: order kept
  EXPECT_EQ(n.attrs[3], (Attr{"code", "404"}));    // new ones go last
}

TEST(Node, JidAttributes) {
  Node n = sample();
  auto from = n.attr_jid("from");
  ASSERT_TRUE(from) << from.error().to_string();
  EXPECT_EQ(from->device(), 3);
  EXPECT_EQ(n.attr_jid("missing").error().code, Errc::not_found);
  EXPECT_EQ(n.attr_jid("type").error().code, Errc::invalid_argument);

  n.set_attr("to", Jid::of_server(server::kUser));
  EXPECT_EQ(n.attr("to"), "@s.whatsapp.net");
}

TEST(Node, Children) {
  Node n = sample();
  EXPECT_TRUE(n.has_content());
  EXPECT_EQ(n.child_nodes().size(), 3u);
  const Node* list = n.child("list");
  ASSERT_NE(list, nullptr);
  auto items = list->children("item");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]->attr("n"), "1");
  EXPECT_EQ(items[1]->attr("n"), "2");
  EXPECT_EQ(n.child("nope"), nullptr);
  EXPECT_TRUE(list->child("other")->child_nodes().empty());
  EXPECT_FALSE(list->child("other")->has_content());
}

TEST(Node, ContentAccessors) {
  Node n = sample();
  EXPECT_EQ(*n.child("blob")->bytes(), (Bytes{1, 2}));
  EXPECT_EQ(n.child("blob")->text(), nullptr);
  EXPECT_EQ(*n.child("text")->text(), "hi");
  EXPECT_EQ(n.child("text")->bytes(), nullptr);
  EXPECT_TRUE(n.child("blob")->child_nodes().empty());
}

TEST(Node, EqualityCoversEverything) {
  EXPECT_EQ(sample(), sample());
  Node a = sample();
  a.attrs[0].value = "2";
  EXPECT_NE(a, sample());
  // No content and an empty child list are different things on the wire.
  EXPECT_NE(Node("x"), Node("x", {}, Node::Children{}));
  // So are an empty string and empty bytes.
  EXPECT_NE(Node("x", {}, std::string()), Node("x", {}, Bytes{}));
  // Attribute order is part of the node.
  EXPECT_NE(Node("x", {{"a", "1"}, {"b", "2"}}), Node("x", {{"b", "2"}, {"a", "1"}}));
}

}  // namespace
}  // namespace wacrm::wire
