//===- Reduction.cpp - onnx reduction ops -> linalg ----===//
#include "passes/lowering/LoweringUtils.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {

void populateReductionPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {}

} // namespace mcc::lowering
