//===- Quantization.cpp - onnx quantization ops -> linalg ----===//
#include "passes/lowering/LoweringUtils.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {

void populateQuantizationPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {}

} // namespace mcc::lowering
