//===- NarrowTypes.h - float8/float4 <-> f32 on the bits -------------*- C++ -*-===//
//
// The four float8 types of ONNX (E4M3FN, E4M3FNUZ, E5M2, E5M2FNUZ) are stored one byte per element, float4
// (E2M1) as LLVM's i4, one per byte; LLVM has no arithmetic on them, so every conversion is integer work on
// the bit patterns. Exact as the ONNX reference (ml_dtypes) converts: round to nearest even, and with
// `saturate` values past the largest finite one (infinities included) clamp to it; without, they become NaN
// (or infinity for E5M2). Float4 always saturates and has no NaN (NaN becomes 0).
//
//===----------------------------------------------------------------------===//
#ifndef MCC_PASSES_LOWERING_NARROWTYPES_H
#define MCC_PASSES_LOWERING_NARROWTYPES_H

#include "passes/lowering/LoweringUtils.h"

namespace mcc::lowering {

/// Whether `t` is one of the four float8 types ONNX has.
bool isOnnxFloat8(mlir::Type t);
/// A float8 type or float4 E2M1.
bool isNarrowFloat(mlir::Type t);
/// A narrow float or a 4- or 2-bit integer: the types whose Cast/CastLike NarrowTypes.cpp lowers.
bool isNarrowType(mlir::Type t);

/// The f32 value of the float8 or float4 scalar `v` (exact: every such value is an f32).
mlir::Value float8ToF32(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v);

/// Cast/CastLike to and from these types, tried before the general Cast lowering.
void populateNarrowTypePatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);

/// The f32 scalar `v` rounded to the float8 or float4 type `to` (see the file comment for `saturate`).
mlir::Value f32ToFloat8(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v, mlir::Type to, bool saturate);

} // namespace mcc::lowering

#endif
