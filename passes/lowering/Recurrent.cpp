//===- Recurrent.cpp - onnx recurrent ops -> linalg ----===//
#include "passes/lowering/LoweringUtils.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {

void populateRecurrentPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {}

} // namespace mcc::lowering
