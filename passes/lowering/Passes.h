//===- Passes.h - onnx -> upstream dialects ----------------------*- C++ -*-===//
#ifndef MCC_PASSES_LOWERING_PASSES_H
#define MCC_PASSES_LOWERING_PASSES_H

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Pass/Pass.h"

namespace mcc {
#define GEN_PASS_DECL
#include "passes/lowering/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/lowering/Passes.h.inc"
} // namespace mcc

#endif
