//===- LoweringUtils.h - helpers shared by the onnx -> linalg patterns -*- C++ -*-===//
#ifndef MCC_PASSES_LOWERING_LOWERINGUTILS_H
#define MCC_PASSES_LOWERING_LOWERINGUTILS_H

#include "dialects/onnx/OnnxDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mcc::lowering {

using BodyFn = llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

inline mlir::RankedTensorType tensorType(mlir::Value v) { return llvm::cast<mlir::RankedTensorType>(v.getType()); }

/// The type an onnx value lowers to: unsigned integer elements become signless (arith and linalg
/// compute on signless integers), everything else is unchanged. Patterns read signedness from the
/// onnx op's own types and build results of the lowered type.
mlir::Type lowerType(mlir::Type type);
inline mlir::RankedTensorType loweredType(mlir::Type type) {
  return llvm::cast<mlir::RankedTensorType>(lowerType(type));
}
/// True if `type` (a tensor or scalar) has unsigned integer elements.
inline bool isUnsignedElement(mlir::Type type) { return mlir::getElementTypeOrSelf(type).isUnsignedInteger(); }

/// The converter every lowering pattern is built with (see lowerType).
class OnnxTypeConverter : public mlir::TypeConverter {
public:
  OnnxTypeConverter();
};

/// Normalises a possibly negative ONNX axis into [0, rank).
inline int64_t normalizeAxis(int64_t axis, int64_t rank) { return axis < 0 ? axis + rank : axis; }

/// A scalar constant of element type `type` (float or integer).
mlir::Value scalarConstant(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type, double value);

/// The zero of a float or integer element type.
inline mlir::Value zeroOf(mlir::OpBuilder &b, mlir::Location loc, mlir::Type elt) {
  return scalarConstant(b, loc, elt, 0.0);
}

/// tensor.empty of `type` filled with `value`.
mlir::Value filledTensor(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType type, mlir::Value value);

/// Indexing map of an operand broadcast (numpy rules) into an iteration space of rank `outRank`:
/// its dims align with the trailing loop dims; size-1 dims that stretch read index 0.
mlir::AffineMap broadcastMap(mlir::MLIRContext *ctx, mlir::RankedTensorType operand, llvm::ArrayRef<int64_t> outShape);

/// An all-parallel linalg.generic producing `resultType` from `inputs` broadcast to its shape;
/// `body` maps the input scalars to the result scalar.
mlir::Value elementwise(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType resultType,
                        mlir::ValueRange inputs, BodyFn body);

/// Reshapes `v` to the static `type` (collapse and/or expand of the same elements).
mlir::Value reshapeTo(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v, mlir::RankedTensorType type);

/// Pads `v` on every dim by `low`/`high` with the constant `padValue`; returns `v` if all zero.
mlir::Value padTensor(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v, llvm::ArrayRef<int64_t> low,
                      llvm::ArrayRef<int64_t> high, mlir::Value padValue);

/// The most negative value of a float or (signless) integer type, -inf for floats, 0 if `isUnsigned`:
/// the identity of max.
mlir::Value lowestValue(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type, bool isUnsigned = false);

/// Geometry shared by Conv and the pooling ops, resolved from ONNX attributes and shapes.
struct WindowGeometry {
  llvm::SmallVector<int64_t> kernel, strides, dilations, padBegin, padEnd, outSize;
};

/// Resolves kernel/strides/dilations/pads/auto_pad for `spatial` dims of `inShape` (spatial dims only)
/// and output sizes taken from the op's inferred result type. Emits an error on `op` and returns
/// failure for inconsistent attributes.
mlir::FailureOr<WindowGeometry> resolveWindow(mlir::Operation *op, llvm::ArrayRef<int64_t> inSpatial,
                                              llvm::ArrayRef<int64_t> kernel,
                                              std::optional<llvm::ArrayRef<int64_t>> strides,
                                              std::optional<llvm::ArrayRef<int64_t>> dilations,
                                              std::optional<llvm::ArrayRef<int64_t>> pads, llvm::StringRef autoPad,
                                              llvm::ArrayRef<int64_t> outSpatial, bool ceilMode);

/// The dense value of a constant: an onnx.Constant or what it was converted to (looked up through the
/// original onnx value first, then its converted counterpart).
mlir::DenseElementsAttr constantValue(mlir::Value v);
mlir::DenseElementsAttr constantValue(mlir::Value original, mlir::Value converted);
/// The elements of an integer (or float, truncated) constant tensor as int64.
std::optional<llvm::SmallVector<int64_t>> constantInts(mlir::Value original, mlir::Value converted);
/// The elements of a float constant tensor as double.
std::optional<llvm::SmallVector<double>> constantFloats(mlir::Value original, mlir::Value converted);

/// Body of indexedGeneric: (builder, location, iteration indices, input elements) -> element.
using IndexBodyFn = llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location, llvm::ArrayRef<mlir::Value> ivs,
                                                   mlir::ValueRange args)>;

/// An all-parallel linalg.generic over the shape of `resultType`; `body` builds each element from the
/// iteration indices and the elements of `inputs` (read through `inputMaps`).
mlir::Value indexedGeneric(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType resultType,
                           mlir::ValueRange inputs, llvm::ArrayRef<mlir::AffineMap> inputMaps, IndexBodyFn body);

/// tensor.extract at constant coordinates.
mlir::Value extractAt(mlir::OpBuilder &b, mlir::Location loc, mlir::Value t, llvm::ArrayRef<int64_t> pos);

/// saturate(round_half_even(acc * multiplier) + zp) into the 8-bit `elt`, as ONNX Runtime requantizes
/// the int32 accumulators of QLinearConv and QLinearMatMul (in passes/lowering/Quantization.cpp).
mlir::Value requantize(mlir::OpBuilder &b, mlir::Location loc, mlir::Value acc, mlir::Value multiplier, mlir::Value zp,
                       bool zpUnsigned, mlir::Type elt);

/// The 8-bit `resultType` of an integer MatMul or Conv: the i32 accumulators `acc` requantized by the
/// multiplier aScale * bScale / yScale (f32 tensors that broadcast to `acc`, numpy rules) and the zero
/// point `yZeroPoint` (0-d), as `requantize` does per element (in passes/lowering/Quantization.cpp).
mlir::Value requantizeAccumulators(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType resultType,
                                   mlir::Value acc, mlir::Value aScale, mlir::Value bScale, mlir::Value yScale,
                                   mlir::Value yZeroPoint, bool zpUnsigned);

/// Fails with a diagnostic on `op` unless every operand and result tensor has a static shape.
mlir::LogicalResult requireStaticShapes(mlir::Operation *op);

//===----------------------------------------------------------------------===//
// Constants and scalar casts
//===----------------------------------------------------------------------===//

/// An index constant.
inline mlir::Value indexConst(mlir::OpBuilder &b, mlir::Location loc, int64_t v) {
  return mlir::arith::ConstantIndexOp::create(b, loc, v);
}
/// An i64 constant.
inline mlir::Value i64Const(mlir::OpBuilder &b, mlir::Location loc, int64_t v) {
  return mlir::arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(v));
}
/// An integer, index or float scalar as a signed i64 (floats truncate toward zero; unsigned and i1
/// values zero-extend).
mlir::Value toI64(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v, bool isUnsigned = false);
/// An integer, index or float scalar as an index (through toI64).
mlir::Value toIndex(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v, bool isUnsigned = false);
/// Converts a float scalar between widths (extf/truncf), or returns it unchanged.
mlir::Value convertFloat(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v, mlir::Type to);
/// The type a float computation accumulates in: floats narrower than f32 in f32, others in their own type.
mlir::Type accumulatorType(mlir::Type elt);
/// The element at coordinates (0, ..., 0) of `t`.
mlir::Value firstElement(mlir::OpBuilder &b, mlir::Location loc, mlir::Value t);
/// The element of a one-element (0-d or any rank) tensor, or null if it has another static size.
mlir::Value scalarOf(mlir::OpBuilder &b, mlir::Location loc, mlir::Value t);

//===----------------------------------------------------------------------===//
// Axes
//===----------------------------------------------------------------------===//

/// A possibly negative ONNX axis resolved into [0, rank); an error on `op` ("axis A out of range for
/// rank R") if it is outside [-rank, rank).
mlir::FailureOr<int64_t> resolveAxis(mlir::Operation *op, int64_t axis, int64_t rank);

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

/// True if `t` (a tensor or scalar) has 8-bit integer elements.
inline bool is8Bit(mlir::Type t) { return mlir::getElementTypeOrSelf(t).isInteger(8); }

/// `v` widened to i32 elements minus the zero point `zp` (null: none) broadcast over it (numpy rules),
/// the first integer MatMul and Conv step; each side extends by its own signedness.
mlir::Value widenMinusZeroPoint(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v, bool isUnsigned, mlir::Value zp,
                                bool zpUnsigned);

// Pattern population, one function per op family, each in passes/lowering/<Family>.cpp; the pass
// (LowerOnnxToLinalg.cpp) calls them all.
void populateElementwisePatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateMatMulPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateConvPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populatePoolingPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateNormalizationPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateTensorPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateReductionPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateQuantizationPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateRecurrentPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateControlFlowPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateSignalPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateTextPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateRandomPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// MatMul, Gemm and Conv cases the C microkernels cover -> mcc.sgemm / mcc.conv2d (KernelOps.cpp).
void populateKernelOpPatterns(mlir::RewritePatternSet &patterns);
/// QLinearMatMul, MatMulInteger, QLinearConv, ConvInteger and QDQ layers -> mcc.qgemm / mcc.qconv2d
/// (QuantKernelOps.cpp), and the conversion of those ops' onnx types in the linalg lowering.
void populateQuantKernelOpPatterns(mlir::RewritePatternSet &patterns);
/// DequantizeLinear of constants -> f32 constants (for the float kernels, which want constant weights).
void populateConstantDequantizePatterns(mlir::RewritePatternSet &patterns);
void populateMccTypeConversionPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// Resize (Upsample is imported as Resize) and GridSample.
void populateResizePatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// NonZero, Unique, NonMaxSuppression: data-dependent result shapes.
void populateDataDependentPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// Gather, GatherElements, GatherND, Scatter, ScatterElements, ScatterND.
void populateGatherScatterPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// ConstantOfShape, Range, OneHot, Trilu, EyeLike.
void populateGeneratorPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);

} // namespace mcc::lowering

#endif
