//===- OnnxDialect.h - the onnx dialect -------------------------*- C++ -*-===//
#ifndef MCC_DIALECTS_ONNX_ONNXDIALECT_H
#define MCC_DIALECTS_ONNX_ONNXDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/onnx/OnnxDialect.h.inc"

#define GET_OP_CLASSES
#include "dialects/onnx/OnnxOps.h.inc"

namespace mcc::onnx {
/// True if `v` stands for an omitted optional ONNX input or output.
inline bool isNoValue(mlir::Value v) { return !v || llvm::isa<mlir::NoneType>(v.getType()); }

/// The ranked tensor type of `v` (every onnx operand that is not `none` has one).
inline mlir::RankedTensorType tensorTypeOf(mlir::Value v) { return llvm::cast<mlir::RankedTensorType>(v.getType()); }

/// numpy broadcasting of two static-or-dynamic shapes; false if they do not broadcast.
bool broadcastShapes(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b, llvm::SmallVectorImpl<int64_t> &result);

// Verifier pieces for attribute values ONNX restricts (until they become EnumAttrs / BoolAttrs).
/// Fails on `op` unless the 0/1 attribute `name` is 0 or 1.
mlir::LogicalResult verifyFlag(mlir::Operation *op, llvm::StringRef name, int64_t value);
/// Fails on `op` unless the string attribute `name` is one of `allowed`.
mlir::LogicalResult verifyOneOf(mlir::Operation *op, llvm::StringRef name, llvm::StringRef value,
                                llvm::ArrayRef<llvm::StringRef> allowed);
/// Fails on `op` unless the auto_pad attribute is NOTSET, SAME_UPPER, SAME_LOWER or VALID.
mlir::LogicalResult verifyAutoPad(mlir::Operation *op, llvm::StringRef autoPad);
/// The window verifier of the convolutions: the present kernel_shape, strides and dilations have one
/// entry per spatial dim of `x`, pads two, and `x` and `w` share a rank >= 3.
mlir::LogicalResult verifyWindow(mlir::Operation *op, mlir::RankedTensorType x, mlir::RankedTensorType w,
                                 std::optional<llvm::ArrayRef<int64_t>> kernelShape,
                                 std::optional<llvm::ArrayRef<int64_t>> strides,
                                 std::optional<llvm::ArrayRef<int64_t>> dilations,
                                 std::optional<llvm::ArrayRef<int64_t>> pads);
} // namespace mcc::onnx

#endif
