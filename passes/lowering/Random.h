//===- Random.h - the counter-based generator behind mcc's random ops -*- C++ -*-===//
//
// Element i of a random op's output is a pure function of (key, i): splitmix64 of key + (i + 1) times
// the 64-bit golden ratio. Generated code needs no state, is reentrant and gives the same values on
// every run and machine. Used by the Random family and by Dropout in training mode.
//
//===----------------------------------------------------------------------===//
#ifndef MCC_PASSES_LOWERING_RANDOM_H
#define MCC_PASSES_LOWERING_RANDOM_H

#include "passes/lowering/LoweringUtils.h"

namespace mcc::lowering {

/// The 64-bit stream key of `op`: from its seed's bit pattern. The importer gives every random node a
/// seed (from its name when the model has none); without one the key is fixed, never location-derived.
uint64_t randomKey(mlir::Operation *op, std::optional<uint64_t> seedBits);

/// 64 random bits (i64) for counter `counter` (an i64 value) of the stream `key`.
mlir::Value randomBits(mlir::OpBuilder &b, mlir::Location loc, uint64_t key, mlir::Value counter);

/// A uniform float of type `type` in [0, 1) from `bits`, using as many high bits as the type's
/// mantissa holds (so the value is exact and never rounds up to 1).
mlir::Value unitUniform(mlir::OpBuilder &b, mlir::Location loc, mlir::Value bits, mlir::FloatType type);

/// The row-major linear index (i64) of the iteration indices `ivs` in `shape`.
mlir::Value linearIndex(mlir::OpBuilder &b, mlir::Location loc, llvm::ArrayRef<mlir::Value> ivs,
                        llvm::ArrayRef<int64_t> shape);

} // namespace mcc::lowering

#endif
