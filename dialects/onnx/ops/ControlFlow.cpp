//===- ControlFlow.cpp - verifiers of onnx If, Loop, Scan -----------------===//
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;
using namespace mcc::onnx;

static LogicalResult verifyYield(Operation *op, Region &region, size_t expected, StringRef what) {
  auto yield = dyn_cast<YieldOp>(region.front().getTerminator());
  if (!yield)
    return op->emitOpError(what) << " must end in onnx.Yield";
  if (yield.getValues().size() != expected)
    return op->emitOpError(what) << " yields " << yield.getValues().size() << " values, expected " << expected;
  return success();
}

LogicalResult IfOp::verify() {
  if (tensorTypeOf(getCond()).getNumElements() != 1)
    return emitOpError("cond must hold one element");
  if (failed(verifyYield(*this, getThenBranch(), getNumResults(), "then_branch")) ||
      failed(verifyYield(*this, getElseBranch(), getNumResults(), "else_branch")))
    return failure();
  for (Region *r : {&getThenBranch(), &getElseBranch()})
    for (auto [v, t] : llvm::zip(r->front().getTerminator()->getOperands(), getResultTypes()))
      if (v.getType() != t)
        return emitOpError("branch yields ") << v.getType() << " where the If produces " << t
                                             << " (branches with different shapes are not supported)";
  return success();
}

LogicalResult LoopOp::verify() {
  Block &body = getBody().front();
  size_t carried = getVInitial().size();
  if (body.getNumArguments() != 2 + carried)
    return emitOpError("body takes ") << body.getNumArguments() << " arguments, expected " << 2 + carried;
  size_t scans = getNumResults() - carried;
  if (getNumResults() < carried)
    return emitOpError("fewer results than loop-carried values");
  return verifyYield(*this, getBody(), 1 + carried + scans, "body");
}

LogicalResult ScanOp::verify() {
  int64_t numScan = getNumScanInputs();
  int64_t numInputs = getInitialStateAndScanInputs().size();
  if (numScan < 1 || numScan > numInputs)
    return emitOpError("num_scan_inputs ") << numScan << " out of range";
  if (getBody().front().getNumArguments() != (unsigned)numInputs)
    return emitOpError("body takes ") << getBody().front().getNumArguments() << " arguments, expected " << numInputs;
  return verifyYield(*this, getBody(), getNumResults(), "body");
}
