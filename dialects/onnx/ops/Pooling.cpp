//===- Pooling.cpp - verifiers of the onnx pooling ops --------------------===//
//
// What ONNX fixes about the attributes; shapes (kernel, strides, pads against the input's rank) are
// checked where the output size is computed, in passes/lowering/Pooling.cpp.
//
//===----------------------------------------------------------------------===//
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;
using namespace mcc::onnx;

LogicalResult MaxPoolOp::verify() {
  if (failed(verifyAutoPad(*this, getAutoPad())) || failed(verifyFlag(*this, "ceil_mode", getCeilMode())) ||
      failed(verifyFlag(*this, "storage_order", getStorageOrder())))
    return failure();
  if (!isNoValue(getIndices()) && !isa<IntegerType>(tensorTypeOf(getIndices()).getElementType()))
    return emitOpError("Indices must be an integer tensor, got ") << getIndices().getType();
  return success();
}

LogicalResult AveragePoolOp::verify() {
  if (failed(verifyAutoPad(*this, getAutoPad())) || failed(verifyFlag(*this, "ceil_mode", getCeilMode())) ||
      failed(verifyFlag(*this, "count_include_pad", getCountIncludePad())))
    return failure();
  return success();
}

LogicalResult LpPoolOp::verify() {
  if (failed(verifyAutoPad(*this, getAutoPad())) || failed(verifyFlag(*this, "ceil_mode", getCeilMode())))
    return failure();
  return success();
}

LogicalResult RoiAlignOp::verify() {
  if (failed(verifyOneOf(*this, "coordinate_transformation_mode", getCoordinateTransformationMode(),
                         {"half_pixel", "output_half_pixel"})))
    return failure();
  if (getOutputHeight() < 1 || getOutputWidth() < 1)
    return emitOpError("output_height and output_width must be >= 1, got ")
           << getOutputHeight() << " and " << getOutputWidth();
  if (getSamplingRatio() < 0)
    return emitOpError("sampling_ratio must be >= 0, got ") << getSamplingRatio();
  auto rois = tensorTypeOf(getRois()), indices = tensorTypeOf(getBatchIndices());
  if (rois.getRank() != 2 || (!rois.isDynamicDim(1) && rois.getDimSize(1) != 4))
    return emitOpError("rois must be [num_rois, 4], got ") << rois;
  if (indices.getRank() != 1 || !isa<IntegerType>(indices.getElementType()))
    return emitOpError("batch_indices must be a 1-D integer tensor, got ") << indices;
  return success();
}
