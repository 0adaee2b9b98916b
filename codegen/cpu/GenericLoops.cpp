//===- GenericLoops.cpp - linalg.generic as loops LLVM can vectorise -----===//
//
// convert-linalg-to-loops keeps a reduction's accumulator in memory: every step
// of the innermost loop loads and stores the output element, and the combining
// fadd is strict, so LLVM's loop vectorizer leaves the loop scalar (it may not
// reorder the sum, nor prove the store does not alias the reads). It also
// reloads broadcast operands in the innermost loop, where LLVM cannot tell them
// apart from the rows being written in the same workspace. Here a
// linalg.generic on buffers becomes parallel loops around a reduction loop nest
// that carries its accumulators as SSA values (scf.for iter_args), with the
// combining op marked `reassoc`, and each operand is read in the outermost loop
// that indexes it: LLVM then vectorises the innermost loop, keeping vector
// partial sums for reductions. The order is fixed at compile time, so results
// are identical from run to run.
//
// Small windows (pooling) benefit too: with the accumulator in a register, LLVM
// unrolls the window loops fully and vectorises the loop around them, along the
// output row.
//
//===----------------------------------------------------------------------===//
#include "codegen/cpu/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "llvm/Support/Debug.h"

namespace mcc {
#define GEN_PASS_DEF_GENERICLOOPS
#include "codegen/cpu/Passes.h.inc"
} // namespace mcc

using namespace mlir;

#define DEBUG_TYPE "mcc-generic-loops"

namespace {

/// The ops whose reassociation turns a strict reduction into one LLVM
/// vectorises.
bool isCombiner(Operation *op) {
  return isa<arith::AddFOp, arith::MulFOp, arith::MaximumFOp, arith::MinimumFOp, arith::MaxNumFOp, arith::MinNumFOp>(
      op);
}

/// Whether `in` is read contiguously along the innermost loop: its last index is
/// that loop and its last stride is 1.
bool contiguousAlongInnermost(linalg::GenericOp op, OpOperand *in) {
  AffineMap map = op.getMatchingIndexingMap(in);
  auto type = dyn_cast<MemRefType>(in->get().getType());
  if (!type || map.getNumResults() == 0 ||
      map.getResults().back() != getAffineDimExpr(op.getNumLoops() - 1, op.getContext()))
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(type.getStridesAndOffset(strides, offset)) && !strides.empty() && strides.back() == 1;
}

/// True when two operands read in the body vary along the reduction loops (a
/// matmul or convolution): those belong to the GEMM/conv code generation, not
/// to this rewrite. Dot products are the exception (every such operand read
/// contiguously along the innermost reduction loop, as A B^T: the recurrent
/// projections of LSTM/GRU/RNN): with the accumulator in a register LLVM
/// vectorises them, where convert-linalg-to-loops leaves a scalar
/// load-add-store chain.
bool isContractionLike(linalg::GenericOp op, unsigned firstReduction) {
  int readers = 0;
  bool dotProducts = true;
  for (OpOperand *in : op.getDpsInputOperands()) {
    if (!isa<ShapedType>(in->get().getType()) || op.getMatchingBlockArgument(in).use_empty())
      continue;
    AffineMap map = op.getMatchingIndexingMap(in);
    bool varies = false;
    for (unsigned d = firstReduction; d < op.getNumLoops(); ++d)
      varies |= map.isFunctionOfDim(d);
    readers += varies;
    dotProducts &= !varies || contiguousAlongInnermost(op, in);
  }
  return readers >= 2 && !dotProducts;
}

/// The indices `map` selects for the loop induction variables `ivs`.
SmallVector<Value> applyMap(OpBuilder &b, Location loc, AffineMap map, ValueRange ivs) {
  SmallVector<Value> indices;
  for (AffineExpr e : map.getResults()) {
    if (auto d = dyn_cast<AffineDimExpr>(e))
      indices.push_back(ivs[d.getPosition()]);
    else if (auto c = dyn_cast<AffineConstantExpr>(e))
      indices.push_back(arith::ConstantIndexOp::create(b, loc, c.getValue()));
    else
      indices.push_back(affine::AffineApplyOp::create(b, loc, AffineMap::get(map.getNumDims(), 0, e), ivs));
  }
  return indices;
}

/// Emits the loop nest of one generic: parallel loops outermost, then the
/// reduction loops carrying the accumulators. Each input is loaded in the
/// outermost loop where all its indices are defined, so a broadcast operand
/// (Softmax's row maximum, a bias) is read once outside the loops that do not
/// index it: LLVM's dependence analysis cannot tell such a read from the output
/// rows of the same workspace, and would otherwise leave the loop scalar.
class NestEmitter {
public:
  NestEmitter(linalg::GenericOp op, unsigned firstReduction, ArrayRef<Range> ranges)
      : op(op), body(op.getBody()), n(op.getNumLoops()), first(firstReduction), ranges(ranges) {}

  void emit(OpBuilder &b, Location l) {
    // Bounds and the index for unused positions are made once, above the nest.
    for (const Range &r : ranges) {
      lbs.push_back(getValueOrCreateConstantIndexOp(b, l, r.offset));
      ubs.push_back(getValueOrCreateConstantIndexOp(b, l, r.size));
      steps.push_back(getValueOrCreateConstantIndexOp(b, l, r.stride));
    }
    zero = arith::ConstantIndexOp::create(b, l, 0);
    (void)level(b, l, 0, {});
  }

private:
  bool hasReduction() const { return first < n; }

  /// The indices `map` selects for the current induction variables (unused
  /// positions read as 0).
  SmallVector<Value> indices(OpBuilder &b, Location l, AffineMap map) {
    SmallVector<Value> all(ivs);
    if (all.size() < n)
      all.append(n - all.size(), zero);
    return applyMap(b, l, map, all);
  }

  static unsigned neededDepth(AffineMap map) {
    unsigned depth = 0;
    for (unsigned d = 0; d < map.getNumDims(); ++d)
      if (map.isFunctionOfDim(d))
        depth = d + 1;
    return depth;
  }

  void loadInputsAt(OpBuilder &b, Location l, unsigned depth) {
    for (OpOperand *in : op.getDpsInputOperands()) {
      BlockArgument arg = op.getMatchingBlockArgument(in);
      if (arg.use_empty())
        continue;
      Value v = in->get();
      if (!isa<ShapedType>(v.getType())) {
        if (depth == 0)
          map.map(arg, v);
        continue;
      }
      AffineMap m = op.getMatchingIndexingMap(in);
      if (neededDepth(m) == depth)
        map.map(arg, memref::LoadOp::create(b, l, v, indices(b, l, m)));
    }
  }

  SmallVector<Value> level(OpBuilder &b, Location l, unsigned depth, ValueRange accs) {
    loadInputsAt(b, l, depth);
    if (depth == first && hasReduction() && accs.empty()) {
      SmallVector<Value> inits;
      SmallVector<SmallVector<Value>> at;
      for (OpOperand &out : op.getDpsInitsMutable()) {
        at.push_back(indices(b, l, op.getMatchingIndexingMap(&out)));
        inits.push_back(memref::LoadOp::create(b, l, out.get(), at.back()));
      }
      SmallVector<Value> results = loop(b, l, depth, inits);
      for (auto [i, out] : llvm::enumerate(op.getDpsInits()))
        memref::StoreOp::create(b, l, results[i], out, at[i]);
      return {};
    }
    if (depth == n)
      return innermost(b, l, accs);
    return loop(b, l, depth, accs);
  }

  SmallVector<Value> loop(OpBuilder &b, Location l, unsigned depth, ValueRange accs) {
    auto forOp = scf::ForOp::create(b, l, lbs[depth], ubs[depth], steps[depth], accs,
                                    [&](OpBuilder &ib, Location il, Value iv, ValueRange iterArgs) {
                                      ivs.push_back(iv);
                                      SmallVector<Value> next = level(ib, il, depth + 1, iterArgs);
                                      ivs.pop_back();
                                      scf::YieldOp::create(ib, il, next);
                                    });
    return SmallVector<Value>(forOp.getResults());
  }

  SmallVector<Value> innermost(OpBuilder &b, Location l, ValueRange accs) {
    unsigned numInputs = op.getNumDpsInputs();
    for (OpOperand &out : op.getDpsInitsMutable()) {
      BlockArgument arg = op.getMatchingBlockArgument(&out);
      if (hasReduction())
        map.map(arg, accs[out.getOperandNumber() - numInputs]);
      else if (!arg.use_empty())
        map.map(arg, memref::LoadOp::create(b, l, out.get(), indices(b, l, op.getMatchingIndexingMap(&out))));
    }
    for (Operation &inner : body->without_terminator()) {
      if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
        map.map(index.getResult(), ivs[index.getDim()]);
        continue;
      }
      Operation *clone = b.clone(inner, map);
      if (hasReduction() && isCombiner(clone) && readsAccumulator(inner))
        if (auto fm = dyn_cast<arith::ArithFastMathInterface>(clone))
          clone->setAttr(fm.getFastMathAttrName(),
                         arith::FastMathFlagsAttr::get(b.getContext(), fm.getFastMathFlagsAttr().getValue() |
                                                                           arith::FastMathFlags::reassoc));
    }
    SmallVector<Value> yielded;
    for (Value v : body->getTerminator()->getOperands())
      yielded.push_back(map.lookupOrDefault(v));
    if (hasReduction())
      return yielded;
    for (OpOperand &out : op.getDpsInitsMutable())
      memref::StoreOp::create(b, l, yielded[out.getOperandNumber() - numInputs], out.get(),
                              indices(b, l, op.getMatchingIndexingMap(&out)));
    return {};
  }

  bool readsAccumulator(Operation &inner) {
    for (BlockArgument arg : body->getArguments().drop_front(op.getNumDpsInputs()))
      if (llvm::is_contained(inner.getOperands(), arg))
        return true;
    return false;
  }

  linalg::GenericOp op;
  Block *body;
  unsigned n, first;
  ArrayRef<Range> ranges;
  SmallVector<Value> lbs, ubs, steps, ivs;
  Value zero;
  IRMapping map;
};

/// Merges the trailing loops [k, n) of an all-parallel generic into one loop when every operand
/// either indexes them as its trailing dimensions, in order, over memory where they are contiguous
/// (they become one dimension), or does not index them at all (a broadcast, e.g. a per-channel
/// scale). An elementwise op on [C, 28, 28] is then a loop over C around one contiguous loop of 784:
/// given a short inner row, LLVM unrolls it fully and vectorises the loop around it, along the rows,
/// with gathers and scatters. Returns the new generic, or null when nothing merges.
linalg::GenericOp collapseTrailingLoops(linalg::GenericOp op, PatternRewriter &rewriter) {
  unsigned n = op.getNumLoops();
  if (n < 2 ||
      !llvm::all_of(
          op.getIteratorTypesArray(), [](utils::IteratorType t) { return t == utils::IteratorType::parallel; }) ||
      !op.getBody()->getOps<linalg::IndexOp>().empty())
    return {};
  SmallVector<int64_t> sizes = op.getStaticLoopRanges();
  if (llvm::any_of(sizes, ShapedType::isDynamic))
    return {};
  // Whether operand `o` indexes loops [k, n) as its trailing dimensions over contiguous memory (1),
  // not at all (0), or otherwise (-1).
  auto kind = [&](OpOperand &o, unsigned k) -> int {
    AffineMap m = op.getMatchingIndexingMap(&o);
    unsigned r = m.getNumResults(), len = n - k;
    bool usesTail = false;
    for (unsigned d = k; d < n; ++d)
      usesTail |= m.isFunctionOfDim(d);
    if (!usesTail)
      return 0;
    auto type = dyn_cast<MemRefType>(o.get().getType());
    if (!type || r < len)
      return -1;
    for (unsigned i = 0; i < r; ++i) {
      AffineExpr e = m.getResult(i);
      if (i >= r - len) {
        auto d = dyn_cast<AffineDimExpr>(e);
        if (!d || d.getPosition() != k + (i - (r - len)))
          return -1;
        continue;
      }
      for (unsigned d = k; d < n; ++d)
        if (e.isFunctionOfDim(d))
          return -1;
    }
    ReassociationIndices tail;
    for (unsigned i = r - len; i < r; ++i)
      tail.push_back(i);
    SmallVector<ReassociationIndices> groups;
    for (unsigned i = 0; i < r - len; ++i)
      groups.push_back({i});
    groups.push_back(tail);
    return memref::CollapseShapeOp::isGuaranteedCollapsible(type, groups) ? 1 : -1;
  };
  unsigned k = 0;
  for (; k + 2 <= n; ++k)
    if (llvm::all_of(op->getOpOperands(), [&](OpOperand &o) { return kind(o, k) >= 0; }))
      break;
  if (k + 2 > n)
    return {};

  Location loc = op.getLoc();
  MLIRContext *ctx = op.getContext();
  SmallVector<Value> ins, outs;
  SmallVector<AffineMap> maps;
  for (OpOperand &o : op->getOpOperands()) {
    AffineMap m = op.getMatchingIndexingMap(&o);
    unsigned r = m.getNumResults(), len = n - k;
    Value v = o.get();
    SmallVector<AffineExpr> results;
    if (kind(o, k) == 1) {
      SmallVector<ReassociationIndices> groups;
      for (unsigned i = 0; i < r - len; ++i)
        groups.push_back({i});
      ReassociationIndices tail;
      for (unsigned i = r - len; i < r; ++i)
        tail.push_back(i);
      groups.push_back(tail);
      v = memref::CollapseShapeOp::create(rewriter, loc, v, groups);
      for (unsigned i = 0; i < r - len; ++i)
        results.push_back(m.getResult(i));
      results.push_back(getAffineDimExpr(k, ctx));
    } else {
      results.assign(m.getResults().begin(), m.getResults().end());
    }
    // Results use dims < k only (or the new dim k): the same expressions over k+1 dims.
    maps.push_back(AffineMap::get(k + 1, 0, results, ctx));
    (op.isDpsInput(&o) ? ins : outs).push_back(v);
  }
  SmallVector<utils::IteratorType> iters(k + 1, utils::IteratorType::parallel);
  auto merged = linalg::GenericOp::create(rewriter, loc, TypeRange{}, ins, outs, maps, iters);
  rewriter.inlineRegionBefore(op.getRegion(), merged.getRegion(), merged.getRegion().end());
  rewriter.eraseOp(op);
  return merged;
}

struct GenericToLoops : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::GenericOp op, PatternRewriter &rewriter) const override {
    if (!op.hasPureBufferSemantics())
      return failure();
    SmallVector<utils::IteratorType> iters = op.getIteratorTypesArray();
    unsigned n = iters.size();
    unsigned first = n;
    while (first > 0 && iters[first - 1] == utils::IteratorType::reduction)
      --first;
    if (llvm::is_contained(ArrayRef(iters).take_front(first), utils::IteratorType::reduction))
      return rewriter.notifyMatchFailure(op, "reduction loops are not all innermost");
    if (first < n && isContractionLike(op, first))
      return rewriter.notifyMatchFailure(op, "contraction");
    for (OpOperand &out : op.getDpsInitsMutable())
      if (!op.getMatchingIndexingMap(&out).isProjectedPermutation())
        return rewriter.notifyMatchFailure(op, "output map is not a projected permutation");
    if (linalg::GenericOp merged = collapseTrailingLoops(op, rewriter)) {
      op = merged;
      n = op.getNumLoops();
      first = n;
    }

    SmallVector<Range> ranges = cast<linalg::LinalgOp>(op.getOperation()).createLoopRanges(rewriter, op.getLoc());
    Block *block = rewriter.getInsertionBlock();
    Block::iterator before = rewriter.getInsertionPoint();
    bool atStart = before == block->begin();
    Block::iterator last = atStart ? block->end() : std::prev(before);
    NestEmitter(op, first, ranges).emit(rewriter, op.getLoc());
    Block::iterator begin = atStart ? block->begin() : std::next(last);
    markParallelLoop(op, first, ranges, llvm::make_range(begin, rewriter.getInsertionPoint()));
    rewriter.eraseOp(op);
    return success();
  }

  /// Marks the loop of the first parallel dimension longer than 1 (every dimension before it has one
  /// iteration) with `mcc.parallel_work`, the iterations of the whole nest, when every output is
  /// indexed by that dimension: its iterations then write disjoint elements and may run on different
  /// threads (mcc-outline-parallel-loops).
  static void markParallelLoop(linalg::GenericOp op, unsigned first, ArrayRef<Range> ranges,
                               llvm::iterator_range<Block::iterator> emitted) {
    int64_t work = 1;
    for (const Range &r : ranges) {
      std::optional<int64_t> size = getConstantIntValue(r.size);
      if (!size)
        return;
      work *= *size;
    }
    unsigned d = 0;
    while (d < first && getConstantIntValue(ranges[d].size) == 1)
      ++d;
    if (d == first || work <= 1)
      return;
    for (OpOperand &out : op.getDpsInitsMutable())
      if (!op.getMatchingIndexingMap(&out).isFunctionOfDim(d))
        return;
    // The loop at depth d of the nest just emitted.
    scf::ForOp loop;
    for (Operation &o : emitted)
      if ((loop = dyn_cast<scf::ForOp>(o)))
        break;
    for (unsigned depth = 0; loop && depth < d; ++depth) {
      scf::ForOp inner;
      for (Operation &o : loop.getBody()->without_terminator())
        if ((inner = dyn_cast<scf::ForOp>(o)))
          break;
      loop = inner;
    }
    if (loop)
      loop->setAttr("mcc.parallel_work", IntegerAttr::get(IntegerType::get(op.getContext(), 64), work));
  }
};

struct GenericLoopsPass : mcc::impl::GenericLoopsBase<GenericLoopsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    mcc::populateGenericLoopsPatterns(patterns);
    LLVM_DEBUG(llvm::dbgs() << DEBUG_TYPE << ": " << "reduction generics -> loops in " << getOperation().getName()
                            << "\n");
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace

void mcc::populateGenericLoopsPatterns(RewritePatternSet &patterns) {
  patterns.add<GenericToLoops>(patterns.getContext());
}
