//===- InstrumentNodes.cpp - per-node timing for mcc --profile ------------===//
//
// Groups the top-level ops of each entry function into compiled nodes (consecutive ops that do work and
// carry the same location: one ONNX node, or several fused into one kernel) and brackets each group
// with two calls of `mcc_profile_now_ns()` (libmcc_rt) whose results go into a record buffer:
// `memref<2N x i64>`, {begin, end} per node. The buffer is an ordinary allocation marked
// `mcc.profile_records`, so mcc-plan-memory puts it in the caller's workspace and records its offset:
// the instrumented code stays reentrant and has no globals. What each node is (name, op types, operand
// shapes, FLOPs per run) goes into the module attribute `mcc.profile`, from which the object emitter
// builds `<prefix>_profile()`. Runs on buffers, before mcc-lower-kernel-calls, while the kernel ops
// still say their shapes.
//
//===----------------------------------------------------------------------===//
#include "codegen/cpu/Passes.h"
#include "dialects/mcc/MccDialect.h"

#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/StringExtras.h"

namespace mcc {
#define GEN_PASS_DEF_INSTRUMENTNODES
#include "codegen/cpu/Passes.h.inc"
} // namespace mcc

using namespace mlir;
namespace mccd = mcc::dialect;

namespace {

constexpr llvm::StringLiteral kClock = "mcc_profile_now_ns";

/// Elements of a static shape, 0 for a dynamic one.
double numel(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasStaticShape())
    return 0;
  double n = 1;
  for (int64_t d : shaped.getShape())
    n *= (double)d;
  return n;
}

/// Floating-point operations of one execution of `op` (0 where it does none or they cannot be counted
/// statically): a loop nest counts the float arithmetic of its body once per iteration.
double countFlops(Operation *op) {
  if (auto gemm = dyn_cast<mccd::SgemmOp>(op)) {
    auto a = cast<ShapedType>(gemm.getA().getType());
    int64_t k = a.getDimSize(a.getRank() - (gemm.getTransA() ? 2 : 1));
    return ShapedType::isDynamic(k) ? 0 : 2.0 * numel(gemm.getInit().getType()) * (double)k;
  }
  if (auto conv = dyn_cast<mccd::Conv2dOp>(op)) {
    auto in = cast<ShapedType>(conv.getInput().getType());
    if (in.isDynamicDim(1))
      return 0;
    double window = 1;
    for (int64_t k : conv.getKernel())
      window *= (double)k;
    return 2.0 * numel(conv.getInit().getType()) * (double)(in.getDimSize(1) / (int64_t)conv.getGroup()) * window;
  }
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    double iterations = 1;
    for (int64_t r : linalgOp.getStaticLoopRanges()) {
      if (ShapedType::isDynamic(r))
        return 0;
      iterations *= (double)r;
    }
    double body = 0;
    for (Operation &inner : linalgOp->getRegion(0).getOps())
      body += countFlops(&inner);
    return iterations * body;
  }
  if (auto loop = dyn_cast<scf::ForOp>(op)) {
    std::optional<APInt> trips = loop.getStaticTripCount();
    double body = 0;
    for (Operation &inner : loop.getBody()->getOperations())
      body += countFlops(&inner);
    return trips ? (double)trips->getZExtValue() * body : 0;
  }
  if (op->getNumRegions()) {
    double sum = 0;
    for (Region &r : op->getRegions())
      for (Operation &inner : r.getOps())
        sum += countFlops(&inner);
    return sum;
  }
  if (op->getNumResults() == 1 && isa<FloatType>(getElementTypeOrSelf(op->getResult(0).getType())) &&
      (op->getName().getDialectNamespace() == "math" ||
       (op->getName().getDialectNamespace() == "arith" && !isa<arith::ConstantOp>(op) && op->getNumOperands() >= 1 &&
        isa<FloatType>(getElementTypeOrSelf(op->getOperand(0).getType())))))
    return numel(op->getResult(0).getType()) ? numel(op->getResult(0).getType()) : 1;
  return 0;
}

/// "1x64x56x56xf32" for a shaped type, its printed form otherwise.
std::string typeString(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  if (auto shaped = dyn_cast<ShapedType>(type)) {
    for (int64_t d : shaped.getShape())
      os << (ShapedType::isDynamic(d) ? std::string("?") : std::to_string(d)) << "x";
    os << shaped.getElementType();
  } else {
    os << type;
  }
  return s;
}

/// The operand shapes of `op`: inputs, then "->" and the outputs it writes.
std::string shapesOf(Operation *op) {
  SmallVector<std::string> ins, outs;
  auto dps = dyn_cast<DestinationStyleOpInterface>(op);
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isa<ShapedType>(operand.get().getType()))
      continue;
    (dps && dps.isDpsInit(&operand) ? outs : ins).push_back(typeString(operand.get().getType()));
  }
  if (auto copy = dyn_cast<memref::CopyOp>(op)) {
    ins = {typeString(copy.getSource().getType())};
    outs = {typeString(copy.getTarget().getType())};
  }
  return llvm::join(ins, ", ") + (outs.empty() ? "" : " -> " + llvm::join(outs, ", "));
}

/// Node names and op types of a location: "node 'conv1' (Conv)" locations, fused ones joined by '+'.
void describeLoc(Location loc, SmallVectorImpl<std::string> &names, SmallVectorImpl<std::string> &ops) {
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    for (Location l : fused.getLocations())
      describeLoc(l, names, ops);
    return;
  }
  auto nameLoc = dyn_cast<NameLoc>(loc);
  if (!nameLoc)
    return;
  StringRef desc = nameLoc.getName().getValue();
  // The importer's form: node 'NAME' (OP) or node #INDEX (OP).
  if (desc.consume_front("node ") && desc.ends_with(")")) {
    size_t paren = desc.rfind(" (");
    if (paren != StringRef::npos) {
      StringRef name = desc.take_front(paren);
      if (name.size() >= 2 && name.front() == '\'' && name.back() == '\'')
        name = name.drop_front().drop_back();
      names.push_back(name.str());
      ops.push_back(desc.drop_front(paren + 2).drop_back().str());
      return;
    }
  }
  names.push_back(nameLoc.getName().str());
}

/// Ops that move no data and compute nothing at run time stay outside the timed groups' boundaries.
bool doesWork(Operation *op) {
  if (isa<memref::AllocOp, memref::AllocaOp, memref::DeallocOp>(op) || op->hasTrait<OpTrait::IsTerminator>())
    return false;
  return op->getNumRegions() > 0 || !isMemoryEffectFree(op);
}

struct Group {
  Operation *first = nullptr, *last = nullptr;
  double flops = 0;
  Operation *heaviest = nullptr;
  double heaviestFlops = -1;
};

struct InstrumentNodesPass : mcc::impl::InstrumentNodesBase<InstrumentNodesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> entries;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isPrivate() && !func.isExternal())
        entries.push_back(func);
    if (entries.empty())
      return;
    if (entries.size() > 1) {
      module.emitError("--profile needs exactly one entry function, found ") << entries.size();
      return signalPassFailure();
    }
    func::FuncOp func = entries.front();
    MLIRContext *ctx = &getContext();

    SmallVector<Group> groups;
    Location current = UnknownLoc::get(ctx);
    for (Operation &op : func.front()) {
      if (!doesWork(&op))
        continue;
      if (groups.empty() || op.getLoc() != current) {
        groups.emplace_back();
        groups.back().first = &op;
        current = op.getLoc();
      }
      Group &g = groups.back();
      g.last = &op;
      double flops = countFlops(&op);
      g.flops += flops;
      if (flops > g.heaviestFlops) {
        g.heaviestFlops = flops;
        g.heaviest = &op;
      }
    }

    OpBuilder b(ctx);
    b.setInsertionPointToStart(module.getBody());
    auto i64 = b.getI64Type();
    auto clockType = b.getFunctionType({}, {i64});
    if (auto existing = module.lookupSymbol<func::FuncOp>(kClock)) {
      if (existing.getFunctionType() != clockType) {
        existing.emitError("'") << kClock << "' is reserved for mcc --profile";
        return signalPassFailure();
      }
    } else {
      auto decl = func::FuncOp::create(b, module.getLoc(), kClock, clockType);
      decl.setPrivate();
    }

    Location loc = func.getLoc();
    b.setInsertionPointToStart(&func.front());
    auto recordsType = MemRefType::get({std::max<int64_t>(2 * (int64_t)groups.size(), 1)}, i64);
    auto records = memref::AllocOp::create(b, loc, recordsType, b.getI64IntegerAttr(64));
    records->setAttr("mcc.profile_records", b.getUnitAttr());
    auto stamp = [&](int64_t slot) {
      Value now = func::CallOp::create(b, loc, kClock, TypeRange{i64}, ValueRange{}).getResult(0);
      Value index = arith::ConstantIndexOp::create(b, loc, slot);
      memref::StoreOp::create(b, loc, now, records, index);
    };

    SmallVector<Attribute> nodes;
    for (auto [i, g] : llvm::enumerate(groups)) {
      b.setInsertionPoint(g.first);
      stamp(2 * (int64_t)i);
      b.setInsertionPointAfter(g.last);
      stamp(2 * (int64_t)i + 1);

      SmallVector<std::string> names, ops;
      describeLoc(g.first->getLoc(), names, ops);
      if (names.empty())
        names.push_back(g.first->getName().getStringRef().str());
      if (ops.empty())
        ops.push_back(g.first->getName().getStringRef().str());
      // A node fused twice (a kernel and its epilogue both from it) is named once.
      auto dedup = [](SmallVectorImpl<std::string> &v) {
        SmallVector<std::string> out;
        for (std::string &s : v)
          if (!llvm::is_contained(out, s))
            out.push_back(s);
        v = std::move(out);
      };
      dedup(names);
      dedup(ops);
      NamedAttribute fields[] = {
          b.getNamedAttr("name", b.getStringAttr(llvm::join(names, "+"))),
          b.getNamedAttr("op", b.getStringAttr(llvm::join(ops, "+"))),
          b.getNamedAttr("shapes", b.getStringAttr(shapesOf(g.heaviest))),
          b.getNamedAttr("flops", b.getF64FloatAttr(g.flops)),
      };
      nodes.push_back(b.getDictionaryAttr(fields));
    }
    module->setAttr("mcc.profile", b.getArrayAttr(nodes));
  }
};

} // namespace
