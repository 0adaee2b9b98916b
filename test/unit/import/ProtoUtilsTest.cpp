// The import side's protobuf helpers (compiler/import/ProtoUtils.h): attributes, TensorProto decoding
// (raw and typed fields), encoding, Constant nodes, model parsing.
#include "compiler/import/ProtoUtils.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace mcc::import;
using onnx::AttributeProto;
using onnx::NodeProto;
using onnx::TensorProto;

namespace {

TEST(ProtoUtils, NodeAttrs) {
  NodeProto n;
  AttributeProto *a = n.add_attribute();
  a->set_name("axis");
  a->set_i(-1);
  a = n.add_attribute();
  a->set_name("perm");
  a->add_ints(1);
  a->add_ints(0);
  a = n.add_attribute();
  a->set_name("mode");
  a->set_s("linear");
  NodeAttrs attrs(n);
  EXPECT_EQ(attrs.i("axis", 0), -1);
  EXPECT_EQ(attrs.i("missing", 7), 7);
  EXPECT_EQ(attrs.s("mode", ""), "linear");
  EXPECT_FLOAT_EQ(attrs.f("alpha", 0.5f), 0.5f);
  EXPECT_EQ(attrs.ints("perm"), (std::vector<int64_t>{1, 0}));
  EXPECT_FALSE(attrs.ints("pads").has_value());
  EXPECT_EQ(attrs.get("nope"), nullptr);
}

TEST(ProtoUtils, DecodeRawAndTypedAgree) {
  TensorProto typed, raw;
  for (TensorProto *t : {&typed, &raw}) {
    t->set_data_type(TensorProto::INT32);
    t->add_dims(3);
  }
  for (int32_t v : {-2, 0, 7})
    typed.add_int32_data(v);
  int32_t values[] = {-2, 0, 7};
  raw.set_raw_data(std::string(reinterpret_cast<const char *>(values), sizeof values));
  auto a = decodeTensor(typed, 16), b = decodeTensor(raw, 16);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->ints, (std::vector<int64_t>{-2, 0, 7}));
  EXPECT_EQ(a->ints, b->ints);
  EXPECT_EQ(a->shape, (std::vector<int64_t>{3}));
}

TEST(ProtoUtils, DecodeRejects) {
  TensorProto t;
  t.set_data_type(TensorProto::FLOAT);
  t.add_dims(4);
  t.set_raw_data(std::string(12, '\0')); // 3 floats for 4 elements
  EXPECT_FALSE(decodeTensor(t, 16));
  t.set_raw_data(std::string(16, '\0'));
  EXPECT_TRUE(decodeTensor(t, 16));
  EXPECT_FALSE(decodeTensor(t, 3)); // over the element budget
  t.set_data_type(TensorProto::STRING);
  EXPECT_FALSE(decodeTensor(t, 16));
}

TEST(ProtoUtils, EncodeRoundTripsAndWraps) {
  TensorValue v;
  v.dtype = TensorProto::UINT8;
  v.shape = {2};
  v.ints = {255, 3};
  TensorProto t = encodeTensor(v, "c");
  EXPECT_EQ(t.name(), "c");
  auto back = decodeTensor(t, 16);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->ints, v.ints);
  EXPECT_EQ(wrapInt(256 + 5, TensorProto::UINT8), 5);
  EXPECT_EQ(wrapInt(128, TensorProto::INT8), -128);
}

TEST(ProtoUtils, MakeConstantNodeKeepsNameAndOutput) {
  NodeProto n;
  n.set_name("shape_of_x");
  n.set_op_type("Shape");
  n.add_input("x");
  n.add_output("s");
  TensorValue v;
  v.dtype = TensorProto::INT64;
  v.shape = {2};
  v.ints = {4, 5};
  makeConstantNode(n, encodeTensor(v, "s"));
  EXPECT_EQ(n.op_type(), "Constant");
  EXPECT_EQ(n.name(), "shape_of_x");
  EXPECT_EQ(n.input_size(), 0);
  ASSERT_EQ(n.output_size(), 1);
  EXPECT_EQ(n.output(0), "s");
  ASSERT_EQ(n.attribute_size(), 1);
  EXPECT_EQ(n.attribute(0).name(), "value");
  EXPECT_EQ(decodeTensor(n.attribute(0).t(), 16)->ints, v.ints);
}

TEST(ProtoUtils, StaticShapeOf) {
  onnx::TypeProto t;
  auto *shape = t.mutable_tensor_type()->mutable_shape();
  shape->add_dim()->set_dim_value(2);
  shape->add_dim()->set_dim_param("N");
  EXPECT_FALSE(staticShapeOf(t));
  shape->mutable_dim(1)->set_dim_value(3);
  EXPECT_EQ(staticShapeOf(t), (std::vector<int64_t>{2, 3}));
}

TEST(ProtoUtils, ParseModel) {
  onnx::ModelProto m, parsed;
  m.set_ir_version(8);
  m.mutable_graph()->set_name("g");
  std::string bytes = m.SerializeAsString();
  EXPECT_TRUE(parseModel(bytes, parsed));
  EXPECT_EQ(parsed.graph().name(), "g");
  EXPECT_FALSE(parseModel("", parsed));
  EXPECT_FALSE(parseModel(bytes.substr(0, bytes.size() - 1), parsed));
}

} // namespace
