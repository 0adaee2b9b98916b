//===- mcc-opt.cpp - mlir-opt with the onnx dialect and mcc's passes ------===//
//
// The driver of the lit tests: every pass and lowering runs on textual MLIR.
//
//===----------------------------------------------------------------------===//
#include "codegen/cpu/Passes.h"
#include "dialects/mcc/MccDialect.h"
#include "dialects/onnx/OnnxDialect.h"
#include "passes/graph/Passes.h"
#include "passes/lowering/Passes.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mcc::registerGraphPasses();
  mcc::registerLoweringPasses();
  mcc::registerCpuCodegenPasses();
  mcc::registerCpuCodegenPipeline();
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<mcc::onnx::OnnxDialect, mcc::dialect::MccDialect>();
  mcc::dialect::registerBufferizableOpInterfaceExternalModels(registry);
  return mlir::asMainReturnCode(mlir::MlirOptMain(argc, argv, "mcc optimizer driver\n", registry));
}
