//===- RuntimeChecks.cpp - run-time checks become status returns ----------===//
//
// The lowering states a check of an input value as `cf.assert %ok, "mcc.status=N: ..."` (see
// passes/lowering/RuntimeChecks.h). Once the entry function is a plain CFG, each such assert becomes a
// branch to a block that returns N, and the function returns an i32 status (0 at every normal exit),
// which the public <name>_run passes on. The assert's position is kept: nodes before it have run,
// nothing after it runs.
//
//===----------------------------------------------------------------------===//
#include "codegen/cpu/Passes.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/Debug.h"

#include <map>

namespace mcc {
#define GEN_PASS_DEF_LOWERRUNTIMECHECKS
#include "codegen/cpu/Passes.h.inc"
} // namespace mcc

using namespace mlir;

#define DEBUG_TYPE "mcc-lower-runtime-checks"

namespace {

constexpr llvm::StringLiteral kPrefix = "mcc.status=";

/// The status an assert returns when it fails, or nothing for asserts that are not run-time checks.
std::optional<int32_t> statusOf(cf::AssertOp op) {
  StringRef msg = op.getMsg();
  if (!msg.consume_front(kPrefix))
    return std::nullopt;
  int32_t status = 0;
  if (msg.consumeInteger(10, status) || status <= 0)
    return std::nullopt;
  return status;
}

struct LowerRuntimeChecksPass : mcc::impl::LowerRuntimeChecksBase<LowerRuntimeChecksPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto entry = module.lookupSymbol<func::FuncOp>("main_graph");
    // Checks elsewhere would need their status carried through calls; the lowering emits none there.
    WalkResult stray = module.walk([&](cf::AssertOp op) {
      if (statusOf(op) && op->getParentOfType<func::FuncOp>() != entry) {
        op.emitError("a run-time check outside the entry function");
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (stray.wasInterrupted())
      return signalPassFailure();
    if (!entry || entry.isExternal())
      return;
    if (entry.getNumResults() != 0) {
      entry.emitError("the entry function must return nothing before its status is added");
      return signalPassFailure();
    }
    for (Region &r : entry->getRegions())
      for (Block &b : r)
        for (Operation &op : b)
          if (op.getNumRegions() && op.walk([](cf::AssertOp a) {
                                        return statusOf(a) ? WalkResult::interrupt() : WalkResult::advance();
                                      }).wasInterrupted()) {
            op.emitError("a run-time check inside a region: lower structured control flow first");
            return signalPassFailure();
          }

    OpBuilder b(entry.getContext());
    Type i32 = b.getI32Type();
    entry.setFunctionType(FunctionType::get(entry.getContext(), entry.getArgumentTypes(), {i32}));
    SmallVector<func::ReturnOp> returns;
    SmallVector<cf::AssertOp> checks;
    entry.walk([&](Operation *op) {
      if (auto ret = dyn_cast<func::ReturnOp>(op))
        returns.push_back(ret);
      else if (auto check = dyn_cast<cf::AssertOp>(op); check && statusOf(check))
        checks.push_back(check);
    });
    LLVM_DEBUG(llvm::dbgs() << DEBUG_TYPE << ": " << checks.size() << " run-time checks -> status returns\n");
    for (func::ReturnOp ret : returns) {
      b.setInsertionPoint(ret);
      Value ok = arith::ConstantIntOp::create(b, ret.getLoc(), 0, 32);
      func::ReturnOp::create(b, ret.getLoc(), ValueRange{ok});
      ret.erase();
    }
    Region &body = entry.getBody();
    std::map<int32_t, Block *> failBlocks; // one per status, shared by the checks that return it
    for (cf::AssertOp check : checks) {
      int32_t status = *statusOf(check);
      Block *&fail = failBlocks[status];
      if (!fail) {
        fail = b.createBlock(&body, body.end());
        Value code = arith::ConstantIntOp::create(b, check.getLoc(), status, 32);
        func::ReturnOp::create(b, check.getLoc(), ValueRange{code});
      }
      Block *before = check->getBlock();
      Block *after = before->splitBlock(check->getNextNode());
      b.setInsertionPoint(check);
      cf::CondBranchOp::create(b, check.getLoc(), check.getArg(), after, ValueRange{}, fail, ValueRange{});
      check.erase();
    }
  }
};

} // namespace
