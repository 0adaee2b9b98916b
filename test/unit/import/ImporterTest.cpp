// The importer on models built in memory with libonnx's protobuf classes.
#include "compiler/import/Importer.h"
#include "dialects/onnx/OnnxDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "onnx/onnx_pb.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace {

class ImporterTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("mcc-importer-" + std::to_string(::getpid()) + "-" +
                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir);
    handler = std::make_unique<mlir::ScopedDiagnosticHandler>(&ctx, [this](mlir::Diagnostic &d) {
      diagnostics += d.str() + "\n";
      return mlir::success();
    });
  }
  void TearDown() override { fs::remove_all(dir); }

  static onnx::ModelProto model(int opset = 13) {
    onnx::ModelProto m;
    m.set_ir_version(7);
    m.set_producer_name("unit-test");
    auto *imp = m.add_opset_import();
    imp->set_domain("");
    imp->set_version(opset);
    return m;
  }
  static void addInput(onnx::GraphProto *g, const std::string &name, std::vector<int64_t> dims,
                       const std::string &symbolic = "") {
    auto *vi = g->add_input();
    vi->set_name(name);
    auto *tt = vi->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    auto *shape = tt->mutable_shape();
    for (int64_t d : dims) {
      auto *dim = shape->add_dim();
      if (d < 0)
        dim->set_dim_param(symbolic);
      else
        dim->set_dim_value(d);
    }
  }
  static onnx::NodeProto *addNode(onnx::GraphProto *g, const std::string &op, std::vector<std::string> in,
                                  std::vector<std::string> out, const std::string &name = "") {
    auto *n = g->add_node();
    n->set_op_type(op);
    n->set_name(name.empty() ? op + "_node" : name);
    for (auto &i : in)
      n->add_input(i);
    for (auto &o : out)
      n->add_output(o);
    return n;
  }
  std::string write(const onnx::ModelProto &m, const std::string &file = "model.onnx") {
    std::string path = (dir / file).string();
    std::ofstream os(path, std::ios::binary);
    m.SerializeToOstream(&os);
    return path;
  }
  mlir::OwningOpRef<mlir::ModuleOp> import(const std::string &path, mcc::ImportOptions options = {}) {
    return mcc::importOnnxModel(ctx, path, options);
  }
  int countOps(mlir::ModuleOp m, llvm::StringRef name) {
    int n = 0;
    m.walk([&](mlir::Operation *op) { n += op->getName().getStringRef() == name; });
    return n;
  }

  fs::path dir;
  mlir::MLIRContext ctx;
  std::unique_ptr<mlir::ScopedDiagnosticHandler> handler;
  std::string diagnostics;
};

TEST_F(ImporterTest, ReluModelBecomesOneFunction) {
  auto m = model();
  auto *g = m.mutable_graph();
  addInput(g, "x", {1, 4});
  addNode(g, "Relu", {"x"}, {"y"});
  g->add_output()->set_name("y");
  auto module = import(write(m));
  ASSERT_TRUE(module) << diagnostics;
  auto func = module->lookupSymbol<mlir::func::FuncOp>("main_graph");
  ASSERT_TRUE(func);
  EXPECT_EQ(func.getNumArguments(), 1u);
  EXPECT_EQ(func.getArgAttrOfType<mlir::StringAttr>(0, "onnx.name").getValue(), "x");
  EXPECT_EQ(countOps(*module, "onnx.Relu"), 1);
  auto result = llvm::cast<mlir::RankedTensorType>(func.getResultTypes()[0]);
  EXPECT_EQ(result.getShape(), llvm::ArrayRef<int64_t>({1, 4}));
  EXPECT_EQ((*module)->getAttrOfType<mlir::IntegerAttr>("mcc.opset").getInt(), 13);
  EXPECT_EQ((*module)->getAttrOfType<mlir::StringAttr>("mcc.model_hash").getValue().size(), 64u);
}

TEST_F(ImporterTest, InitializerAlsoListedAsInputStaysConstant) {
  auto m = model();
  auto *g = m.mutable_graph();
  addInput(g, "x", {2});
  addInput(g, "w", {2});
  auto *w = g->add_initializer();
  w->set_name("w");
  w->set_data_type(onnx::TensorProto::FLOAT);
  w->add_dims(2);
  w->add_float_data(1.5f);
  w->add_float_data(-2.0f);
  addNode(g, "Add", {"x", "w"}, {"y"});
  g->add_output()->set_name("y");
  auto module = import(write(m));
  ASSERT_TRUE(module) << diagnostics;
  auto func = module->lookupSymbol<mlir::func::FuncOp>("main_graph");
  EXPECT_EQ(func.getNumArguments(), 1u);
  EXPECT_EQ(countOps(*module, "onnx.Constant"), 1);
}

TEST_F(ImporterTest, UnknownOpNamesTheNode) {
  auto m = model();
  auto *g = m.mutable_graph();
  addInput(g, "x", {2});
  addNode(g, "NoSuchOp", {"x"}, {"y"}, "weird");
  g->add_output()->set_name("y");
  EXPECT_FALSE(import(write(m)));
  EXPECT_NE(diagnostics.find("unknown op 'NoSuchOp'"), std::string::npos) << diagnostics;
}

TEST_F(ImporterTest, CustomDomainIsUnsupported) {
  auto m = model();
  auto *g = m.mutable_graph();
  addInput(g, "x", {2});
  addNode(g, "Foo", {"x"}, {"y"})->set_domain("com.example");
  g->add_output()->set_name("y");
  EXPECT_FALSE(import(write(m)));
  EXPECT_NE(diagnostics.find("from domain 'com.example'"), std::string::npos) << diagnostics;
}

TEST_F(ImporterTest, GarbageAndTruncatedFilesAreRejected) {
  std::string path = (dir / "garbage.onnx").string();
  std::ofstream(path, std::ios::binary) << "\xff\xff\xff\xffnot a model at all";
  EXPECT_FALSE(import(path));
  EXPECT_NE(diagnostics.find("not a valid ONNX model"), std::string::npos) << diagnostics;

  auto m = model();
  auto *g = m.mutable_graph();
  addInput(g, "x", {2});
  addNode(g, "Relu", {"x"}, {"y"});
  g->add_output()->set_name("y");
  std::string bytes = m.SerializeAsString();
  std::string truncated = (dir / "truncated.onnx").string();
  std::ofstream(truncated, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  diagnostics.clear();
  EXPECT_FALSE(import(truncated));
  EXPECT_FALSE(diagnostics.empty());

  diagnostics.clear();
  EXPECT_FALSE(import((dir / "missing.onnx").string()));
  EXPECT_NE(diagnostics.find("cannot read model"), std::string::npos) << diagnostics;
}

TEST_F(ImporterTest, MissingInputIsAnError) {
  auto m = model();
  auto *g = m.mutable_graph();
  addInput(g, "x", {2});
  addNode(g, "Add", {"x", "nowhere"}, {"y"});
  g->add_output()->set_name("y");
  EXPECT_FALSE(import(write(m)));
  EXPECT_NE(diagnostics.find("'nowhere'"), std::string::npos) << diagnostics;
}

TEST_F(ImporterTest, ShapeOptionPinsSymbolicDims) {
  auto m = model();
  auto *g = m.mutable_graph();
  addInput(g, "x", {-1, 3}, "N");
  addNode(g, "Relu", {"x"}, {"y"});
  g->add_output()->set_name("y");
  std::string path = write(m);
  EXPECT_FALSE(import(path));
  EXPECT_NE(diagnostics.find("dynamic dimension 'N'"), std::string::npos) << diagnostics;

  mcc::ImportOptions options;
  EXPECT_EQ(mcc::parseShapeOption("x=5x3", options), "");
  auto module = import(path, options);
  ASSERT_TRUE(module) << diagnostics;
  auto func = module->lookupSymbol<mlir::func::FuncOp>("main_graph");
  EXPECT_EQ(llvm::cast<mlir::RankedTensorType>(func.getResultTypes()[0]).getShape(), llvm::ArrayRef<int64_t>({5, 3}));

  mcc::ImportOptions bad;
  EXPECT_NE(mcc::parseShapeOption("x=5xAx3", bad), "");
  EXPECT_NE(mcc::parseShapeOption("x", bad), "");
  EXPECT_EQ(mcc::parseShapeOption("nope=1x3", bad), "");
  diagnostics.clear();
  EXPECT_FALSE(import(path, bad));
  EXPECT_NE(diagnostics.find("not a graph input"), std::string::npos) << diagnostics;

  mcc::ImportOptions wrongRank;
  mcc::parseShapeOption("x=1x2x3", wrongRank);
  diagnostics.clear();
  EXPECT_FALSE(import(path, wrongRank));
  EXPECT_NE(diagnostics.find("rank"), std::string::npos) << diagnostics;
}

TEST_F(ImporterTest, ExternalDataLoadsInsideTheFolderOnly) {
  auto makeModel = [&](const std::string &location) {
    auto m = model();
    auto *g = m.mutable_graph();
    addInput(g, "x", {2});
    auto *w = g->add_initializer();
    w->set_name("w");
    w->set_data_type(onnx::TensorProto::FLOAT);
    w->add_dims(2);
    w->set_data_location(onnx::TensorProto::EXTERNAL);
    auto *kv = w->add_external_data();
    kv->set_key("location");
    kv->set_value(location);
    addNode(g, "Add", {"x", "w"}, {"y"});
    g->add_output()->set_name("y");
    return m;
  };
  float values[2] = {3.0f, 4.0f};
  std::ofstream(dir / "weights.bin", std::ios::binary).write(reinterpret_cast<char *>(values), sizeof(values));
  auto module = import(write(makeModel("weights.bin")));
  ASSERT_TRUE(module) << diagnostics;
  EXPECT_EQ(countOps(*module, "onnx.Constant"), 1);

  fs::create_directories(dir / "sub");
  auto escaping = makeModel("../weights.bin");
  std::string path = (dir / "sub" / "model.onnx").string();
  std::ofstream os(path, std::ios::binary);
  escaping.SerializeToOstream(&os);
  os.close();
  diagnostics.clear();
  EXPECT_FALSE(import(path));
  EXPECT_NE(diagnostics.find("leaves the model's folder"), std::string::npos) << diagnostics;

  diagnostics.clear();
  EXPECT_FALSE(import(write(makeModel("/etc/passwd"), "abs.onnx")));
  EXPECT_NE(diagnostics.find("absolute"), std::string::npos) << diagnostics;
}

TEST_F(ImporterTest, LegacyReshapeAttributeBecomesAnInput) {
  auto m = model(/*opset=*/1);
  auto *g = m.mutable_graph();
  addInput(g, "x", {2, 3});
  auto *n = addNode(g, "Reshape", {"x"}, {"y"});
  auto *a = n->add_attribute();
  a->set_name("shape");
  a->set_type(onnx::AttributeProto::INTS);
  a->add_ints(3);
  a->add_ints(2);
  g->add_output()->set_name("y");
  auto module = import(write(m));
  ASSERT_TRUE(module) << diagnostics;
  mcc::onnx::ReshapeOp reshape;
  module->walk([&](mcc::onnx::ReshapeOp op) { reshape = op; });
  ASSERT_TRUE(reshape);
  EXPECT_TRUE(reshape.getShape().getDefiningOp<mcc::onnx::ConstantOp>());
  EXPECT_EQ(llvm::cast<mlir::RankedTensorType>(reshape.getType()).getShape(), llvm::ArrayRef<int64_t>({3, 2}));
}

} // namespace
