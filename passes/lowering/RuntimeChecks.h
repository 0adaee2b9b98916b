//===- RuntimeChecks.h - checks of input values in generated code -*- C++ -*-===//
//
// An index or size that comes from a model input is only known when the model runs. Lowerings call
// these helpers to check it: a compile-time constant is checked now (a diagnostic at the node), a
// run-time value becomes a `cf.assert` whose message starts with kStatusAssertPrefix and the status
// number. The CPU codegen (mcc-lower-runtime-checks) turns each such assert into an early return of
// that status from the graph, so the failing node and everything after it write nothing.
//
//===----------------------------------------------------------------------===//
#ifndef MCC_PASSES_LOWERING_RUNTIMECHECKS_H
#define MCC_PASSES_LOWERING_RUNTIMECHECKS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Operation.h"

namespace mcc::lowering {

/// The statuses a run-time check returns: values of mcc_status (runtime/include/mcc/mcc_rt.h).
enum class RuntimeError : int { IndexOutOfRange = 7, InvalidSize = 8 };

/// How a `cf.assert` message names the status its failure returns: "mcc.status=7: ...".
constexpr llvm::StringLiteral kStatusAssertPrefix = "mcc.status=";

/// Emits the check "`ok` (an i1) holds, else return `code`"; `what` says what failed.
void emitRuntimeCheck(mlir::OpBuilder &b, mlir::Location loc, mlir::Value ok, RuntimeError code,
                      const llvm::Twine &what);

/// Checks ONNX's index rule on every element of the integer tensor `indices`: within [-bound, bound)
/// ([0, bound) for unsigned types). `bounds` holds one bound for all elements, or one per position of
/// the last dim (GatherND and ScatterND index tuples). Constant indices (`original`, the onnx value, is
/// a constant) are checked at compile time: a failure is a diagnostic on `op`. Others get a run-time
/// check returning MCC_ERR_INDEX_OUT_OF_RANGE.
mlir::LogicalResult checkIndices(mlir::OpBuilder &b, mlir::Operation *op, mlir::Value original, mlir::Value indices,
                                 llvm::ArrayRef<int64_t> bounds, bool isUnsigned);

/// Checks that every element v of the integer tensor `values` lies in [lo, hi] or equals `except`
/// (ONNX's ignore_index). Constant values (`original`, the onnx value, is a constant) are checked at
/// compile time: a failure is a diagnostic on `op` naming `what`. Others get a run-time check returning
/// `code`.
mlir::LogicalResult checkInRange(mlir::OpBuilder &b, mlir::Operation *op, mlir::Value original, mlir::Value values,
                                 int64_t lo, int64_t hi, std::optional<int64_t> except, RuntimeError code,
                                 llvm::StringRef what);

} // namespace mcc::lowering

#endif
