//===- Reduction.h - reduction builders shared by the reduction, normalisation and pooling lowerings -*- C++ -*-===//
#ifndef MCC_PASSES_LOWERING_REDUCTION_H
#define MCC_PASSES_LOWERING_REDUCTION_H

#include "passes/lowering/LoweringUtils.h"

namespace mcc::lowering {

/// `shape` without the dims marked in `reduced`.
llvm::SmallVector<int64_t> keptShape(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<bool> reduced);

/// The map from a full iteration space (one loop per entry of `reduced`) to its kept dims.
mlir::AffineMap keptDimsMap(mlir::MLIRContext *ctx, llvm::ArrayRef<bool> reduced);

/// A linalg.generic that folds the `reduced` dims of the full-shape `inputs` into a tensor of the kept
/// dims, starting from the scalar `init`. `keptInputs` (kept-dims tensors, such as a maximum computed
/// before) are read at the kept dims. `body` gets the input scalars, then the kept-input scalars, then
/// the accumulator, and returns the new accumulator.
mlir::Value reduceDims(mlir::OpBuilder &b, mlir::Location loc, mlir::ValueRange inputs, mlir::ValueRange keptInputs,
                       llvm::ArrayRef<bool> reduced, mlir::Value init, BodyFn body);

/// An all-parallel linalg.generic producing `resultType` (the full shape): `inputs` are broadcast to it
/// (numpy rules), `keptInputs` are read at the kept dims of `reduced`. `body` gets the input scalars,
/// then the kept-input scalars.
mlir::Value mapWithKept(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType resultType,
                        mlir::ValueRange inputs, mlir::ValueRange keptInputs, llvm::ArrayRef<bool> reduced,
                        BodyFn body);

/// The Reduce* kinds that reduceFloat and reduceInteger build.
enum class ReduceKind { Sum, Mean, Max, Min, Prod, L1, L2, LogSum, LogSumExp, SumSquare };

/// The reduction of `kind` over `mask` of a float tensor: a tensor of the kept dims, of `x`'s type.
mlir::Value reduceFloat(mlir::OpBuilder &b, mlir::Location loc, ReduceKind kind, mlir::Value x,
                        llvm::ArrayRef<bool> mask);

/// The reduction of `kind` over `mask` of an integer tensor (`uns`: unsigned elements). Norms and
/// logarithms go through f64 and truncate back, as numpy's astype does.
mlir::Value reduceInteger(mlir::OpBuilder &b, mlir::Location loc, ReduceKind kind, mlir::Value x,
                          llvm::ArrayRef<bool> mask, bool uns);

} // namespace mcc::lowering

#endif
