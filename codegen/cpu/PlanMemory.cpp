//===- PlanMemory.cpp - one workspace, planned at compile time ------------===//
//
// Buffers are placed by decreasing size at the lowest 64-byte aligned offset that does not overlap a
// placed buffer whose live range intersects (the greedy-by-size heuristic TFLite and Glow use).
//
//===----------------------------------------------------------------------===//
#include "codegen/cpu/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mcc {
#define GEN_PASS_DEF_PLANMEMORY
#include "codegen/cpu/Passes.h.inc"
} // namespace mcc

#include "llvm/Support/Debug.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;

#define DEBUG_TYPE "mcc-plan-memory"

namespace {
constexpr int64_t kAlignment = 64;
/// The largest workspace planned: offsets plus sizes stay far from int64 overflow.
constexpr int64_t kMaxBytes = int64_t(1) << 62;

struct Buffer {
  memref::AllocOp alloc;
  int64_t size = 0, begin = 0, end = 0, offset = 0;
};

struct PlanMemoryPass : mcc::impl::PlanMemoryBase<PlanMemoryPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isPrivate() || func.isExternal())
        continue;
      FailureOr<int64_t> size = plan(func);
      if (failed(size))
        return signalPassFailure();
      getOperation()->setAttr("mcc.workspace_size", IntegerAttr::get(IntegerType::get(&getContext(), 64), *size));
      LLVM_DEBUG(llvm::dbgs() << DEBUG_TYPE << ": " << func.getName() << ": workspace of " << *size << " bytes\n");
    }
  }

  FailureOr<int64_t> plan(func::FuncOp func) {
    Block &entry = func.front();
    DenseMap<Operation *, int64_t> position;
    int64_t pos = 0;
    for (Operation &op : entry)
      position[&op] = pos++;
    auto topLevelPosition = [&](Operation *op) {
      while (op->getBlock() != &entry)
        op = op->getParentOp();
      return position.lookup(op);
    };

    const DataLayout &layout = DataLayout::closest(func);
    SmallVector<Buffer> buffers;
    WalkResult walk = func.walk([&](memref::AllocOp alloc) {
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape()) {
        alloc.emitError("allocation with a dynamic size cannot be planned");
        return WalkResult::interrupt();
      }
      Buffer buf;
      buf.alloc = alloc;
      // Sizes and offsets are checked for overflow: the importer bounds each tensor, but a plan sums many.
      int64_t numel = 1;
      for (int64_t d : type.getShape())
        if (llvm::MulOverflow(numel, d, numel)) {
          alloc.emitError("allocation of ") << type << " has more elements than int64 can count";
          return WalkResult::interrupt();
        }
      if (llvm::MulOverflow(numel, (int64_t)layout.getTypeSize(type.getElementType()), buf.size) ||
          buf.size > kMaxBytes) {
        alloc.emitError("allocation of ") << type << " is too large to address";
        return WalkResult::interrupt();
      }
      buf.size = llvm::alignTo(std::max<int64_t>(buf.size, 1), kAlignment);
      // An allocation inside a loop or branch is one fixed slot, live for the whole top-level op
      // around it: each iteration reuses it.
      buf.begin = buf.end = topLevelPosition(alloc);
      // The buffer lives until the last use of it or of any view of it.
      SmallVector<Value> worklist{alloc.getResult()};
      while (!worklist.empty()) {
        Value v = worklist.pop_back_val();
        for (Operation *user : v.getUsers()) {
          buf.end = std::max(buf.end, topLevelPosition(user));
          if (auto view = dyn_cast<ViewLikeOpInterface>(user); view && view.getViewSource() == v)
            for (Value r : user->getResults())
              worklist.push_back(r);
        }
      }
      buffers.push_back(buf);
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return failure();

    SmallVector<Buffer *> order;
    for (Buffer &b : buffers)
      order.push_back(&b);
    // Ties broken by program order (each buffer starts at a distinct op): deterministic output.
    llvm::sort(order,
               [](Buffer *a, Buffer *b) { return a->size != b->size ? a->size > b->size : a->begin < b->begin; });
    SmallVector<Buffer *> placed;
    int64_t total = 0;
    for (Buffer *buf : order) {
      SmallVector<std::pair<int64_t, int64_t>> busy;
      for (Buffer *p : placed)
        if (p->begin <= buf->end && buf->begin <= p->end)
          busy.push_back({p->offset, p->offset + p->size});
      llvm::sort(busy);
      int64_t offset = 0;
      for (auto [lo, hi] : busy) {
        if (offset + buf->size <= lo)
          break;
        offset = std::max(offset, hi);
      }
      buf->offset = offset;
      if (offset > kMaxBytes - buf->size)
        return func.emitError("the workspace plan exceeds ") << kMaxBytes << " bytes";
      total = std::max(total, offset + buf->size);
      placed.push_back(buf);
    }

    auto wsType = MemRefType::get({total}, IntegerType::get(&getContext(), 8));
    BlockArgument ws = entry.addArgument(wsType, func.getLoc());
    SmallVector<Type> inputs(func.getFunctionType().getInputs());
    inputs.push_back(wsType);
    func.setType(FunctionType::get(&getContext(), inputs, func.getFunctionType().getResults()));
    for (Buffer &buf : buffers) {
      // mcc --profile: the caller finds the node times at this offset (InstrumentNodes.cpp).
      if (buf.alloc->hasAttr("mcc.profile_records"))
        func->getParentOp()->setAttr("mcc.profile_offset",
                                     IntegerAttr::get(IntegerType::get(&getContext(), 64), buf.offset));
      OpBuilder b(buf.alloc);
      Value offset = arith::ConstantIndexOp::create(b, buf.alloc.getLoc(), buf.offset);
      Value view = memref::ViewOp::create(b, buf.alloc.getLoc(), buf.alloc.getType(), ws, offset, ValueRange{});
      buf.alloc.replaceAllUsesWith(view);
      buf.alloc.erase();
    }
    // Nothing is freed at run time: the workspace belongs to the caller.
    func.walk([](memref::DeallocOp d) { d.erase(); });
    // A strided memref.copy would lower to a call into MLIR's C runner library; as a linalg.copy it
    // becomes loops. Contiguous copies stay memcpy: identity layouts, and views whose elements are
    // one contiguous run at an offset (a Concat input's slice of the result with batch 1), which the
    // memref-to-LLVM lowering also turns into memcpy. As loops, LLVM may unroll a short inner row
    // and vectorise the loop around it with gathers and scatters.
    auto contiguous = [](MemRefType t) {
      return t.getLayout().isIdentity() ||
             (t.hasStaticShape() && t.getNumElements() > 0 && memref::isStaticShapeAndContiguousRowMajor(t));
    };
    func.walk([&](memref::CopyOp copy) {
      auto src = cast<MemRefType>(copy.getSource().getType());
      auto dst = cast<MemRefType>(copy.getTarget().getType());
      if (contiguous(src) && contiguous(dst))
        return;
      OpBuilder b(copy);
      linalg::CopyOp::create(b, copy.getLoc(), copy.getSource(), copy.getTarget());
      copy.erase();
    });
    return total;
  }
};
} // namespace
