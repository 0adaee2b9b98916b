//===- ControlFlow.cpp - onnx controlflow ops -> linalg ----===//
#include "passes/lowering/LoweringUtils.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {

void populateControlFlowPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {}

} // namespace mcc::lowering
