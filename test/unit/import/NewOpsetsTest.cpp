// The opset 18-21 -> opset-17 rewrite on models built in memory, for forms whose lowering the lit and
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

TEST(NewOpsetsTest, OpsetsAbove21AreRejected) {
  ::onnx::ModelProto m;
  std::string error;
  EXPECT_FALSE(mcc::import::rewriteNewOpsets(m, 22, error));
  EXPECT_EQ(error, "opset 22 is newer than the newest mcc imports (21)");
}

} // namespace
