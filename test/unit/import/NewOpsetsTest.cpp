// The opset 18-28 -> opset-17 rewrite on models built in memory, for forms whose lowering the lit and
// whole-model tests cannot reach.
#include "compiler/import/ImportInternal.h"

#include "onnx/onnx_pb.h"

#include <gtest/gtest.h>

namespace {

::onnx::ValueInfoProto *addInput(::onnx::GraphProto &g, const std::string &name, std::vector<int64_t> dims) {
  auto *vi = g.add_input();
  vi->set_name(name);
  auto *tt = vi->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(::onnx::TensorProto::FLOAT);
  for (int64_t d : dims)
    tt->mutable_shape()->add_dim()->set_dim_value(d);
  return vi;
}

void addInt64Initializer(::onnx::GraphProto &g, const std::string &name, std::vector<int64_t> values, bool scalar) {
  auto *t = g.add_initializer();
  t->set_name(name);
  t->set_data_type(::onnx::TensorProto::INT64);
  if (!scalar)
    t->add_dims((int64_t)values.size());
  for (int64_t v : values)
    t->add_int64_data(v);
}

const ::onnx::AttributeProto *attr(const ::onnx::NodeProto &n, const std::string &name) {
  for (const auto &a : n.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

::onnx::NodeProto *addNode(::onnx::GraphProto &g, const std::string &op, std::vector<std::string> inputs) {
  auto *n = g.add_node();
  n->set_op_type(op);
  n->set_name("n");
  for (auto &i : inputs)
    n->add_input(i);
  n->add_output("y");
  return n;
}

TEST(NewOpsetsTest, DftAxisInputBecomesAttribute) {
  ::onnx::ModelProto m;
  auto &g = *m.mutable_graph();
  addInput(g, "x", {2, 8, 1});
  addInt64Initializer(g, "axis", {-2}, /*scalar=*/true);
  auto *n = addNode(g, "DFT", {"x", "", "axis"});
  auto *inv = n->add_attribute();
  inv->set_name("inverse");
  inv->set_type(::onnx::AttributeProto::INT);
  inv->set_i(1);
  std::string error;
  ASSERT_TRUE(mcc::import::rewriteNewOpsets(m, 20, error)) << error;
  ASSERT_EQ(g.node_size(), 1);
  const auto &dft = g.node(0);
  EXPECT_EQ(dft.input_size(), 2); // (input, dft_length)
  ASSERT_NE(attr(dft, "axis"), nullptr);
  EXPECT_EQ(attr(dft, "axis")->i(), 1); // -2 of rank 3
  ASSERT_NE(attr(dft, "inverse"), nullptr);
  EXPECT_EQ(attr(dft, "inverse")->i(), 1);
}

TEST(NewOpsetsTest, DftAtOpset17IsLeftAlone) {
  ::onnx::ModelProto m;
  auto &g = *m.mutable_graph();
  addInput(g, "x", {2, 8, 1});
  addNode(g, "DFT", {"x"});
  std::string error;
  ASSERT_TRUE(mcc::import::rewriteNewOpsets(m, 17, error)) << error;
  EXPECT_EQ(attr(g.node(0), "axis"), nullptr);
}

TEST(NewOpsetsTest, DftAxisMustBeConstant) {
  ::onnx::ModelProto m;
  auto &g = *m.mutable_graph();
  addInput(g, "x", {2, 8, 1});
  addInput(g, "axis", {});
  addNode(g, "DFT", {"x", "", "axis"});
  std::string error;
  EXPECT_FALSE(mcc::import::rewriteNewOpsets(m, 20, error));
  EXPECT_EQ(error, "node 'n' (DFT): axis (input 'axis') must be a constant integer tensor (an initializer or a "
                   "Constant)");
}

TEST(NewOpsetsTest, GridSampleModesMapToOpset16Names) {
  for (auto [mode20, mode16] : {std::pair<const char *, const char *>{"linear", "bilinear"},
                                {"cubic", "bicubic"},
                                {"nearest", "nearest"},
                                {nullptr, "bilinear"}}) {
    ::onnx::ModelProto m;
    auto &g = *m.mutable_graph();
    addInput(g, "x", {1, 1, 4, 4});
    addInput(g, "grid", {1, 3, 3, 2});
    auto *n = addNode(g, "GridSample", {"x", "grid"});
    if (mode20) {
      auto *a = n->add_attribute();
      a->set_name("mode");
      a->set_type(::onnx::AttributeProto::STRING);
      a->set_s(mode20);
    }
    std::string error;
    ASSERT_TRUE(mcc::import::rewriteNewOpsets(m, 20, error)) << error;
    ASSERT_NE(attr(g.node(0), "mode"), nullptr);
    EXPECT_EQ(attr(g.node(0), "mode")->s(), mode16);
  }
}

TEST(NewOpsetsTest, GridSampleRejectsOtherRanks) {
  ::onnx::ModelProto m;
  auto &g = *m.mutable_graph();
  addInput(g, "x", {1, 1, 2, 4, 4});
  addInput(g, "grid", {1, 2, 3, 3, 3});
  addNode(g, "GridSample", {"x", "grid"});
  std::string error;
  EXPECT_FALSE(mcc::import::rewriteNewOpsets(m, 20, error));
  EXPECT_EQ(error, "node 'n' (GridSample): only rank-4 inputs are supported (got rank 5)");
}

TEST(NewOpsetsTest, OpsetsAbove28AreRejected) {
  ::onnx::ModelProto m;
  std::string error;
  EXPECT_FALSE(mcc::import::rewriteNewOpsets(m, 29, error));
  EXPECT_EQ(error, "opset 29 is newer than the newest mcc imports (28)");
}

TEST(NewOpsetsTest, Opset23AttributesWithTheOldMeaningAreDropped) {
  ::onnx::ModelProto m;
  auto &g = *m.mutable_graph();
  addInput(g, "x", {2, 3});
  auto *n = addNode(g, "QuantizeLinear", {"x", "s"});
  auto *p = n->add_attribute();
  p->set_name("precision");
  p->set_type(::onnx::AttributeProto::INT);
  p->set_i(0);
  auto *r = addNode(g, "Range", {"a", "b", "c"});
  auto *st = r->add_attribute();
  st->set_name("stash_type");
  st->set_type(::onnx::AttributeProto::INT);
  st->set_i(1);
  std::string error;
  ASSERT_TRUE(mcc::import::rewriteOpsets22To28(m, 27, error)) << error;
  ASSERT_EQ(g.node_size(), 2);
  EXPECT_EQ(attr(g.node(0), "precision"), nullptr);
  EXPECT_EQ(attr(g.node(1), "stash_type"), nullptr);
  p = g.mutable_node(0)->add_attribute();
  p->set_name("precision");
  p->set_type(::onnx::AttributeProto::INT);
  p->set_i(16);
  EXPECT_FALSE(mcc::import::rewriteOpsets22To28(m, 27, error));
  EXPECT_EQ(error, "node 'n' (QuantizeLinear): attribute 'precision' other than 0 (the scale's type) is not supported");
}

TEST(NewOpsetsTest, AttentionGroupQueryRepeatsKeyValueHeads) {
  ::onnx::ModelProto m;
  auto &g = *m.mutable_graph();
  addInput(g, "q", {1, 4, 3, 8});
  addInput(g, "k", {1, 2, 3, 8});
  addInput(g, "v", {1, 2, 3, 8});
  addNode(g, "Attention", {"q", "k", "v"});
  std::string error;
  ASSERT_TRUE(mcc::import::rewriteOpsets22To28(m, 23, error)) << error;
  int expands = 0, softmaxes = 0;
  for (const auto &n : g.node()) {
    expands += n.op_type() == "Expand";
    softmaxes += n.op_type() == "Softmax";
  }
  EXPECT_EQ(expands, 2); // K and V, each head for 2 query heads
  EXPECT_EQ(softmaxes, 1);
  EXPECT_EQ(g.node(g.node_size() - 1).output(0), "y");
}

TEST(NewOpsetsTest, AttentionNeedsDeclaredShapesAndDivisibleHeads) {
  ::onnx::ModelProto m;
  auto &g = *m.mutable_graph();
  addInput(g, "q", {1, 3, 12});
  addInput(g, "k", {1, 3, 12});
  addNode(g, "Attention", {"q", "k", "v"});
  std::string error;
  EXPECT_FALSE(mcc::import::rewriteOpsets22To28(m, 23, error));
  EXPECT_EQ(error, "node 'n' (Attention): the shape of 'v' must be static and declared (a graph input or value_info) "
                   "to expand this op; pin graph inputs with --shape");
  addInput(g, "v", {1, 3, 12});
  auto *h = g.mutable_node(0)->add_attribute();
  h->set_name("q_num_heads");
  h->set_type(::onnx::AttributeProto::INT);
  h->set_i(5);
  EXPECT_FALSE(mcc::import::rewriteOpsets22To28(m, 23, error));
  EXPECT_EQ(error,
            "node 'n' (Attention): attribute 'q_num_heads' must be positive and divide the hidden size of 'q' (12)");
}

} // namespace
