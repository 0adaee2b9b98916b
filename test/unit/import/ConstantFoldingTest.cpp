// Import-time constant folding (compiler/import/folding/) on models built in memory.
#include "compiler/import/ImportInternal.h"
#include "compiler/import/Importer.h"
#include "dialects/onnx/OnnxDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "onnx/defs/schema.h"
#include "onnx/onnx_pb.h"
#include "onnx/shape_inference/implementation.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using onnx::TensorProto;

namespace {

onnx::ModelProto makeModel(int opset = 13) {
  onnx::ModelProto m;
  m.set_ir_version(7);
  auto *imp = m.add_opset_import();
  imp->set_domain("");
  imp->set_version(opset);
  return m;
}

void setType(onnx::ValueInfoProto *vi, const std::string &name, int32_t elt, std::vector<int64_t> dims) {
  vi->set_name(name);
  auto *tt = vi->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(elt);
  auto *shape = tt->mutable_shape();
  for (int64_t d : dims)
    shape->add_dim()->set_dim_value(d);
}

onnx::NodeProto *addNode(onnx::GraphProto *g, const std::string &op, std::vector<std::string> in,
                         std::vector<std::string> out) {
  auto *n = g->add_node();
  n->set_op_type(op);
  n->set_name(out.empty() ? op : out[0]);
  for (auto &i : in)
    n->add_input(i);
  for (auto &o : out)
    n->add_output(o);
  return n;
}

void addInt(onnx::NodeProto *n, const std::string &name, int64_t v) {
  auto *a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}

void addInts(onnx::NodeProto *n, const std::string &name, std::vector<int64_t> v) {
  auto *a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v)
    a->add_ints(x);
}

TensorProto tensor(int32_t elt, std::vector<int64_t> dims, std::vector<double> values) {
  TensorProto t;
  t.set_data_type(elt);
  for (int64_t d : dims)
    t.add_dims(d);
  for (double v : values) {
    if (elt == TensorProto::FLOAT)
      t.add_float_data((float)v);
    else if (elt == TensorProto::INT64)
      t.add_int64_data((int64_t)v);
    else
      t.add_int32_data((int32_t)v);
  }
  return t;
}

/// A Constant node `out` holding `t`.
void addConstant(onnx::GraphProto *g, const std::string &out, TensorProto t) {
  auto *n = addNode(g, "Constant", {}, {out});
  auto *a = n->add_attribute();
  a->set_name("value");
  a->set_type(onnx::AttributeProto::TENSOR);
  *a->mutable_t() = std::move(t);
}

void infer(onnx::ModelProto &m) {
  onnx::ShapeInferenceOptions options(false, 0, true);
  onnx::shape_inference::InferShapes(m, onnx::OpSchemaRegistry::Instance(), options);
}

void fold(onnx::ModelProto &m) {
  infer(m);
  std::string error;
  ASSERT_TRUE(mcc::import::foldConstants(m, error)) << error;
}

const onnx::NodeProto *producer(const onnx::GraphProto &g, const std::string &name) {
  for (const auto &n : g.node())
    for (const auto &o : n.output())
      if (o == name)
        return &n;
  return nullptr;
}

/// The value a folded Constant node gives `name`, as doubles (empty when `name` was not folded).
std::vector<double> folded(const onnx::GraphProto &g, const std::string &name, std::vector<int64_t> *dims = nullptr) {
  const onnx::NodeProto *n = producer(g, name);
  std::vector<double> values;
  if (!n || n->op_type() != "Constant")
    return values;
  const TensorProto &t = n->attribute(0).t();
  if (dims)
    dims->assign(t.dims().begin(), t.dims().end());
  for (float v : t.float_data())
    values.push_back(v);
  for (int64_t v : t.int64_data())
    values.push_back((double)v);
  for (int32_t v : t.int32_data())
    values.push_back(v);
  return values;
}

std::vector<int64_t> inferredShape(const onnx::GraphProto &g, const std::string &name) {
  std::vector<int64_t> dims;
  auto read = [&](const onnx::ValueInfoProto &vi) {
    for (const auto &d : vi.type().tensor_type().shape().dim())
      dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
  };
  for (const auto &vi : g.value_info())
    if (vi.name() == name)
      read(vi);
  for (const auto &vi : g.output())
    if (vi.name() == name && dims.empty())
      read(vi);
  return dims;
}

using Values = std::vector<double>;
using Dims = std::vector<int64_t>;

// The chain exporters emit for "keep the batch dim, flatten the rest".
TEST(ConstantFoldingTest, ShapeGatherConcatReshapeBecomesStatic) {
  auto m = makeModel();
  auto *g = m.mutable_graph();
  setType(g->add_input(), "x", TensorProto::FLOAT, {2, 3, 4});
  addNode(g, "Shape", {"x"}, {"s"});
  addConstant(g, "zero", tensor(TensorProto::INT64, {}, {0}));
  addNode(g, "Gather", {"s", "zero"}, {"batch"});
  addConstant(g, "axes", tensor(TensorProto::INT64, {1}, {0}));
  addNode(g, "Unsqueeze", {"batch", "axes"}, {"batch1"});
  addConstant(g, "rest", tensor(TensorProto::INT64, {1}, {-1}));
  addNode(g, "Concat", {"batch1", "rest"}, {"target"});
  addInt(g->mutable_node(g->node_size() - 1), "axis", 0);
  addNode(g, "Reshape", {"x", "target"}, {"y"});
  g->add_output()->set_name("y");
  fold(m);
  EXPECT_EQ(folded(*g, "s"), Values({2, 3, 4}));
  EXPECT_EQ(folded(*g, "batch"), Values({2}));
  Dims dims;
  EXPECT_EQ(folded(*g, "target", &dims), Values({2, -1}));
  EXPECT_EQ(dims, Dims({2}));
  EXPECT_EQ(producer(*g, "y")->op_type(), "Reshape");
  EXPECT_EQ(inferredShape(*g, "y"), Dims({2, 12}));
}

TEST(ConstantFoldingTest, IntegerDivTruncatesAndModFollowsTheDivisorSign) {
  auto m = makeModel();
  auto *g = m.mutable_graph();
  addConstant(g, "a", tensor(TensorProto::INT64, {4}, {-7, 7, -7, 7}));
  addConstant(g, "b", tensor(TensorProto::INT64, {4}, {2, -2, -2, 2}));
  addNode(g, "Div", {"a", "b"}, {"q"});
  addNode(g, "Mod", {"a", "b"}, {"r"});
  addNode(g, "Mod", {"a", "b"}, {"rf"});
  addInt(g->mutable_node(g->node_size() - 1), "fmod", 1);
  for (const char *o : {"q", "r", "rf"})
    g->add_output()->set_name(o);
  fold(m);
  EXPECT_EQ(folded(*g, "q"), Values({-3, -3, 3, 3}));
  EXPECT_EQ(folded(*g, "r"), Values({1, -1, -1, 1}));
  EXPECT_EQ(folded(*g, "rf"), Values({-1, 1, -1, 1}));
}

TEST(ConstantFoldingTest, Int32ArithmeticWraps) {
  auto m = makeModel();
  auto *g = m.mutable_graph();
  addConstant(g, "a", tensor(TensorProto::INT32, {1}, {2147483647}));
  addConstant(g, "one", tensor(TensorProto::INT32, {}, {1}));
  addNode(g, "Add", {"a", "one"}, {"y"});
  g->add_output()->set_name("y");
  fold(m);
  EXPECT_EQ(folded(*g, "y"), Values({-2147483648.0}));
}

TEST(ConstantFoldingTest, UndefinedResultsAreLeftToTheRuntimeOp) {
  auto m = makeModel();
  auto *g = m.mutable_graph();
  addConstant(g, "a", tensor(TensorProto::INT64, {2}, {4, 5}));
  addConstant(g, "z", tensor(TensorProto::INT64, {2}, {1, 0}));
  addNode(g, "Div", {"a", "z"}, {"q"});
  addNode(g, "Mod", {"a", "z"}, {"r"});
  addConstant(g, "f", tensor(TensorProto::FLOAT, {1}, {1e20}));
  addNode(g, "Cast", {"f"}, {"overflow"});
  addInt(g->mutable_node(g->node_size() - 1), "to", TensorProto::INT32);
  for (const char *o : {"q", "r", "overflow"})
    g->add_output()->set_name(o);
  fold(m);
  EXPECT_EQ(producer(*g, "q")->op_type(), "Div");
  EXPECT_EQ(producer(*g, "r")->op_type(), "Mod");
  EXPECT_EQ(producer(*g, "overflow")->op_type(), "Cast");
}

TEST(ConstantFoldingTest, DataMovementAndReductions) {
  auto m = makeModel();
  auto *g = m.mutable_graph();
  addConstant(g, "m", tensor(TensorProto::INT64, {2, 3}, {1, 2, 3, 4, 5, 6}));
  addNode(g, "Transpose", {"m"}, {"t"});
  addConstant(g, "starts", tensor(TensorProto::INT64, {1}, {-1}));
  addConstant(g, "ends", tensor(TensorProto::INT64, {1}, {INT64_MIN}));
  addConstant(g, "axes", tensor(TensorProto::INT64, {1}, {1}));
  addConstant(g, "steps", tensor(TensorProto::INT64, {1}, {-2}));
  addNode(g, "Slice", {"m", "starts", "ends", "axes", "steps"}, {"rev"});
  addNode(g, "ReduceProd", {"m"}, {"prod"});
  addInts(g->mutable_node(g->node_size() - 1), "axes", {1});
  addInt(g->mutable_node(g->node_size() - 1), "keepdims", 0);
  addConstant(g, "rep", tensor(TensorProto::INT64, {2}, {1, 2}));
  addNode(g, "Tile", {"m", "rep"}, {"tiled"});
  addConstant(g, "cond", tensor(TensorProto::BOOL, {3}, {1, 0, 1}));
  addConstant(g, "zero", tensor(TensorProto::INT64, {}, {0}));
  addNode(g, "Where", {"cond", "m", "zero"}, {"sel"});
  addConstant(g, "fl", tensor(TensorProto::FLOAT, {3}, {-2.7, 2.7, 0.5}));
  addNode(g, "Cast", {"fl"}, {"trunc"});
  addInt(g->mutable_node(g->node_size() - 1), "to", TensorProto::INT64);
  addConstant(g, "s", tensor(TensorProto::INT64, {}, {10}));
  addConstant(g, "l", tensor(TensorProto::INT64, {}, {1}));
  addConstant(g, "d", tensor(TensorProto::INT64, {}, {-4}));
  addNode(g, "Range", {"s", "l", "d"}, {"range"});
  for (const char *o : {"t", "rev", "prod", "tiled", "sel", "trunc", "range"})
    g->add_output()->set_name(o);
  fold(m);
  Dims dims;
  EXPECT_EQ(folded(*g, "t", &dims), Values({1, 4, 2, 5, 3, 6}));
  EXPECT_EQ(dims, Dims({3, 2}));
  EXPECT_EQ(folded(*g, "rev", &dims), Values({3, 1, 6, 4}));
  EXPECT_EQ(dims, Dims({2, 2}));
  EXPECT_EQ(folded(*g, "prod", &dims), Values({6, 120}));
  EXPECT_EQ(dims, Dims({2}));
  EXPECT_EQ(folded(*g, "tiled"), Values({1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6}));
  EXPECT_EQ(folded(*g, "sel"), Values({1, 0, 3, 4, 0, 6}));
  EXPECT_EQ(folded(*g, "trunc"), Values({-2, 2, 0}));
  EXPECT_EQ(folded(*g, "range"), Values({10, 6, 2}));
}

// Large results stay run-time ops; their shape input is still constant, so their shape is static.
TEST(ConstantFoldingTest, LargeConstantOfShapeIsNotMaterialised) {
  auto m = makeModel();
  auto *g = m.mutable_graph();
  setType(g->add_input(), "x", TensorProto::FLOAT, {300, 300});
  addNode(g, "Shape", {"x"}, {"s"});
  addNode(g, "ConstantOfShape", {"s"}, {"y"});
  g->add_output()->set_name("y");
  fold(m);
  EXPECT_EQ(folded(*g, "s"), Values({300, 300}));
  EXPECT_EQ(producer(*g, "y")->op_type(), "ConstantOfShape");
  EXPECT_EQ(inferredShape(*g, "y"), Dims({300, 300}));
}

/// Loop(M = 3, cond = true) whose body keeps the condition and emits one scan output per step; the
/// body also uses an outer constant and its own iteration number.
onnx::ModelProto loopModel() {
  auto m = makeModel(13);
  auto *g = m.mutable_graph();
  addConstant(g, "M", tensor(TensorProto::INT64, {}, {3}));
  addConstant(g, "cond", tensor(TensorProto::BOOL, {}, {1}));
  addConstant(g, "outer", tensor(TensorProto::INT64, {2}, {5, 6}));
  setType(g->add_input(), "y", TensorProto::INT64, {2});
  auto *loop = addNode(g, "Loop", {"M", "cond", "y"}, {"y_final", "scan"});
  auto *a = loop->add_attribute();
  a->set_name("body");
  a->set_type(onnx::AttributeProto::GRAPH);
  auto *body = a->mutable_g();
  body->set_name("body");
  setType(body->add_input(), "i", TensorProto::INT64, {});
  setType(body->add_input(), "c", TensorProto::BOOL, {});
  setType(body->add_input(), "y_in", TensorProto::INT64, {2});
  addNode(body, "Identity", {"c"}, {"c_out"});
  addConstant(body, "two", tensor(TensorProto::INT64, {}, {2}));
  addNode(body, "Mul", {"outer", "two"}, {"outer2"});
  addNode(body, "Add", {"y_in", "i"}, {"y_out"});
  addNode(body, "Add", {"y_out", "outer2"}, {"row"});
  for (const char *o : {"c_out", "y_out", "row"})
    body->add_output()->set_name(o);
  g->add_output()->set_name("y_final");
  g->add_output()->set_name("scan");
  return m;
}

TEST(ConstantFoldingTest, LoopBodyFoldsOuterConstantsAndScanOutputsGetTheTripCount) {
  auto m = loopModel();
  fold(m);
  const auto &g = m.graph();
  const auto &body = g.node(3).attribute(0).g();
  EXPECT_EQ(folded(body, "outer2"), Values({10, 12}));
  EXPECT_EQ(producer(body, "y_out")->op_type(), "Add"); // depends on the body inputs
  EXPECT_EQ(inferredShape(g, "scan"), Dims({3, 2}));
}

// A subgraph input named like an outer constant shadows it: it is not a constant inside the body.
TEST(ConstantFoldingTest, SubgraphInputsShadowOuterConstants) {
  auto m = loopModel();
  auto *body = m.mutable_graph()->mutable_node(3)->mutable_attribute(0)->mutable_g();
  body->mutable_input(2)->set_name("outer");
  for (auto &n : *body->mutable_node())
    for (auto &in : *n.mutable_input())
      if (in == "y_in")
        in = "outer";
  fold(m);
  const auto &b = m.graph().node(3).attribute(0).g();
  EXPECT_EQ(producer(b, "outer2")->op_type(), "Mul");
}

TEST(ConstantFoldingTest, LoopWithRuntimeConditionKeepsScanLengthUnknown) {
  auto m = loopModel();
  auto *body = m.mutable_graph()->mutable_node(3)->mutable_attribute(0)->mutable_g();
  addConstant(body, "lim", tensor(TensorProto::INT64, {}, {1}));
  addNode(body, "Less", {"i", "lim"}, {"keep"});
  body->mutable_output(0)->set_name("keep");
  fold(m);
  Dims shape = inferredShape(m.graph(), "scan");
  EXPECT_TRUE(shape.empty() || shape[0] == -1);
}

TEST(ConstantFoldingTest, ImporterGetsStaticShapes) {
  auto m = makeModel(17);
  auto *g = m.mutable_graph();
  setType(g->add_input(), "x", TensorProto::FLOAT, {2, 3, 4});
  addNode(g, "Shape", {"x"}, {"s"});
  addNode(g, "Size", {"s"}, {"rank"});
  addConstant(g, "one", tensor(TensorProto::INT64, {1}, {1}));
  addNode(g, "Sub", {"rank", "one"}, {"n"});
  addNode(g, "ConstantOfShape", {"n"}, {"ones"});
  auto *fill = g->mutable_node(g->node_size() - 1)->add_attribute();
  fill->set_name("value");
  fill->set_type(onnx::AttributeProto::TENSOR);
  *fill->mutable_t() = tensor(TensorProto::INT64, {1}, {1});
  addConstant(g, "zero", tensor(TensorProto::INT64, {1}, {0}));
  addNode(g, "Slice", {"s", "zero", "one"}, {"prefix"});
  addNode(g, "Concat", {"prefix", "ones"}, {"target"});
  addInt(g->mutable_node(g->node_size() - 1), "axis", 0);
  addConstant(g, "axes", tensor(TensorProto::INT64, {2}, {1, 2}));
  addNode(g, "ReduceSum", {"x", "axes"}, {"sum"});
  addInt(g->mutable_node(g->node_size() - 1), "keepdims", 0);
  addNode(g, "Reshape", {"sum", "target"}, {"y"});
  g->add_output()->set_name("y");

  fs::path dir = fs::temp_directory_path() / ("mcc-fold-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string path = (dir / "model.onnx").string();
  {
    std::ofstream os(path, std::ios::binary);
    m.SerializeToOstream(&os);
  }
  mlir::MLIRContext ctx;
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(&ctx, [&](mlir::Diagnostic &d) {
    diagnostics += d.str() + "\n";
    return mlir::success();
  });
  auto module = mcc::importOnnxModel(ctx, path, {});
  fs::remove_all(dir);
  ASSERT_TRUE(module) << diagnostics;
  auto func = module->lookupSymbol<mlir::func::FuncOp>("main_graph");
  auto result = llvm::cast<mlir::RankedTensorType>(func.getResultTypes()[0]);
  EXPECT_EQ(result.getShape(), llvm::ArrayRef<int64_t>({2, 1, 1}));
}

} // namespace
