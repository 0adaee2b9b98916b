//===- OutlineParallelLoops.cpp - large loop nests run on the caller's workers --===//
//
// A top-level loop that mcc-generic-loops marked (`mcc.parallel_work`: its iterations write disjoint
// outputs) and that does enough work becomes a private function
//   void body(void *captures, int64_t begin, int64_t end, int32_t worker)
// running iterations [begin, end), and the loop a call of mcc_parallel_loop(par, body, captures, n)
// (defined by the object emitter), which hands the n iterations to the entry's mcc_parallel or runs
// them all on the calling thread.
// What the body uses from outside travels in a stack struct: memrefs as their aligned pointer (shape,
// strides and offset are static and rebuilt in the body), scalars as themselves. Every run, serial
// or not, goes through the same body, so results do not depend on the number of workers.
//
//===----------------------------------------------------------------------===//
#include "codegen/cpu/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/Support/Debug.h"

namespace mcc {
#define GEN_PASS_DEF_OUTLINEPARALLELLOOPS
#include "codegen/cpu/Passes.h.inc"
} // namespace mcc

using namespace mlir;

#define DEBUG_TYPE "mcc-outline-parallel-loops"

namespace {

/// A memref whose descriptor is known at compile time but for its pointer.
bool isStaticMemRef(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  return type.hasStaticShape() && succeeded(type.getStridesAndOffset(strides, offset)) &&
         !ShapedType::isDynamic(offset) && llvm::none_of(strides, ShapedType::isDynamic);
}

/// The LLVM type a captured value is stored as, or null when it cannot be captured.
Type storageType(Type t) {
  MLIRContext *ctx = t.getContext();
  if (auto m = dyn_cast<MemRefType>(t))
    return isStaticMemRef(m) ? LLVM::LLVMPointerType::get(ctx) : Type();
  if (isa<IndexType>(t))
    return IntegerType::get(ctx, 64);
  if (isa<IntegerType, FloatType>(t))
    return t;
  return Type();
}

/// Stores `v` as `storageType(v)`.
Value toStorage(OpBuilder &b, Location loc, Value v) {
  if (isa<MemRefType>(v.getType())) {
    Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, v);
    Value i64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), base);
    return LLVM::IntToPtrOp::create(b, loc, LLVM::LLVMPointerType::get(b.getContext()), i64);
  }
  if (isa<IndexType>(v.getType()))
    return arith::IndexCastOp::create(b, loc, b.getI64Type(), v);
  return v;
}

/// Rebuilds a value of `type` from its stored form.
Value fromStorage(OpBuilder &b, Location loc, Type type, Value stored) {
  if (auto m = dyn_cast<MemRefType>(type)) {
    SmallVector<int64_t> strides;
    int64_t offset;
    (void)m.getStridesAndOffset(strides, offset);
    MLIRContext *ctx = b.getContext();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i64 = b.getI64Type();
    SmallVector<Type> fields{ptr, ptr, i64};
    if (m.getRank() > 0) {
      fields.push_back(LLVM::LLVMArrayType::get(i64, m.getRank()));
      fields.push_back(LLVM::LLVMArrayType::get(i64, m.getRank()));
    }
    auto descType = LLVM::LLVMStructType::getLiteral(ctx, fields);
    Value desc = LLVM::UndefOp::create(b, loc, descType);
    desc = LLVM::InsertValueOp::create(b, loc, desc, stored, ArrayRef<int64_t>{0});
    desc = LLVM::InsertValueOp::create(b, loc, desc, stored, ArrayRef<int64_t>{1});
    auto c = [&](int64_t v) { return LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(v)); };
    desc = LLVM::InsertValueOp::create(b, loc, desc, c(offset), ArrayRef<int64_t>{2});
    for (int64_t d = 0; d < m.getRank(); ++d) {
      desc = LLVM::InsertValueOp::create(b, loc, desc, c(m.getDimSize(d)), ArrayRef<int64_t>{3, d});
      desc = LLVM::InsertValueOp::create(b, loc, desc, c(strides[d]), ArrayRef<int64_t>{4, d});
    }
    return UnrealizedConversionCastOp::create(b, loc, type, desc).getResult(0);
  }
  if (isa<IndexType>(type))
    return arith::IndexCastOp::create(b, loc, type, stored);
  return stored;
}

struct OutlineParallelLoopsPass : mcc::impl::OutlineParallelLoopsBase<OutlineParallelLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto parArg = module->getAttrOfType<IntegerAttr>("mcc.parallel_arg");
    if (!parArg)
      return;
    SmallVector<func::FuncOp> entries;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isPrivate() && !func.isExternal())
        entries.push_back(func);
    unsigned counter = 0;
    for (func::FuncOp func : entries) {
      Value par = func.getArgument(parArg.getInt());
      SmallVector<scf::ForOp> loops;
      for (auto loop : func.front().getOps<scf::ForOp>()) {
        auto work = loop->getAttrOfType<IntegerAttr>("mcc.parallel_work");
        if (work && work.getInt() >= minWork)
          loops.push_back(loop);
      }
      LLVM_DEBUG(llvm::dbgs() << DEBUG_TYPE << ": " << func.getName() << ": " << loops.size()
                              << " loops of >= " << (int64_t)minWork << " work items onto the workers\n");
      for (scf::ForOp loop : loops)
        if (failed(outline(module, func, loop, par, counter)))
          return signalPassFailure();
    }
  }

  LogicalResult outline(ModuleOp module, func::FuncOp func, scf::ForOp loop, Value par, unsigned &counter) {
    std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound()),
                           ub = getConstantIntValue(loop.getUpperBound()), step = getConstantIntValue(loop.getStep());
    if (!lb || !ub || !step || *step <= 0 || *ub - *lb < 2 || loop.getNumResults())
      return success();
    // Plain loop code only: nothing that allocates (a planned slot would be shared by the workers),
    // calls out, or is a run-time check (which returns its status from the entry).
    bool plain = true;
    loop.getBody()->walk([&](Operation *op) {
      StringRef dialect = op->getDialect() ? op->getDialect()->getNamespace() : "";
      if (!llvm::is_contained({"arith", "math", "memref", "scf", "affine", "vector"}, dialect) ||
          isa<memref::AllocOp, memref::AllocaOp, memref::ViewOp>(op))
        plain = false;
    });
    if (!plain)
      return success();
    // Captures: constants are cloned into the body; everything else must be storable.
    SetVector<Value> above;
    getUsedValuesDefinedAbove(loop.getRegion(), above);
    SmallVector<Value> captures, constants;
    for (Value v : above) {
      if (Operation *def = v.getDefiningOp(); def && def->hasTrait<OpTrait::ConstantLike>())
        constants.push_back(v);
      else if (storageType(v.getType()))
        captures.push_back(v);
      else
        return success();
    }
    MLIRContext *ctx = &getContext();
    Location loc = loop.getLoc();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i64 = IntegerType::get(ctx, 64);
    auto i32 = IntegerType::get(ctx, 32);
    SmallVector<Type> fields;
    for (Value v : captures)
      fields.push_back(storageType(v.getType()));
    if (fields.empty())
      fields.push_back(i64); // an empty struct is not addressable
    auto structType = LLVM::LLVMStructType::getLiteral(ctx, fields);

    // The body: void name(ptr captures, i64 begin, i64 end, i32 worker).
    OpBuilder mb = OpBuilder::atBlockEnd(module.getBody());
    std::string name = (func.getName() + ".parallel_loop" + Twine(counter++)).str();
    auto body = func::FuncOp::create(mb, loc, name, FunctionType::get(ctx, {ptr, i64, i64, i32}, {}));
    body.setPrivate();
    Block *entry = body.addEntryBlock();
    OpBuilder b = OpBuilder::atBlockEnd(entry);
    IRMapping map;
    for (Value c : constants)
      map.map(c, b.clone(*c.getDefiningOp())->getResult(0));
    for (auto [i, v] : llvm::enumerate(captures)) {
      Value field = LLVM::GEPOp::create(b, loc, ptr, structType, entry->getArgument(0),
                                        ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(i)});
      Value stored = LLVM::LoadOp::create(b, loc, fields[i], field);
      map.map(v, fromStorage(b, loc, v.getType(), stored));
    }
    // Iteration j of [begin, end) is the loop's lb + j * step.
    Value begin = arith::IndexCastOp::create(b, loc, b.getIndexType(), entry->getArgument(1));
    Value end = arith::IndexCastOp::create(b, loc, b.getIndexType(), entry->getArgument(2));
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    Value lbV = arith::ConstantIndexOp::create(b, loc, *lb), stepV = arith::ConstantIndexOp::create(b, loc, *step);
    auto part = scf::ForOp::create(b, loc, begin, end, one);
    {
      OpBuilder ib = OpBuilder::atBlockBegin(part.getBody());
      Value iv = arith::AddIOp::create(ib, loc, lbV, arith::MulIOp::create(ib, loc, part.getInductionVar(), stepV));
      map.map(loop.getInductionVar(), iv);
      for (Operation &op : loop.getBody()->without_terminator())
        ib.clone(op, map);
    }
    func::ReturnOp::create(b, loc);

    // The launch: captures into a stack struct, then mcc_parallel_loop(par, body, captures, n).
    // The struct is a static alloca at the top of the entry.
    OpBuilder ab = OpBuilder::atBlockBegin(&func.front());
    Value count = LLVM::ConstantOp::create(ab, loc, i64, ab.getI64IntegerAttr(1));
    Value slot = LLVM::AllocaOp::create(ab, loc, ptr, structType, count);
    OpBuilder cb(loop);
    for (auto [i, v] : llvm::enumerate(captures)) {
      Value field =
          LLVM::GEPOp::create(cb, loc, ptr, structType, slot, ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(i)});
      LLVM::StoreOp::create(cb, loc, toStorage(cb, loc, v), field);
    }
    Value fn = func::ConstantOp::create(cb, loc, body.getFunctionType(), SymbolRefAttr::get(body));
    Value fnPtr = UnrealizedConversionCastOp::create(cb, loc, ptr, fn).getResult(0);
    Value n = LLVM::ConstantOp::create(cb, loc, i64, cb.getI64IntegerAttr((*ub - *lb + *step - 1) / *step));
    auto launchType = FunctionType::get(ctx, {ptr, ptr, ptr, i64}, {});
    func::FuncOp launch = module.lookupSymbol<func::FuncOp>("mcc_parallel_loop");
    if (!launch) {
      OpBuilder db = OpBuilder::atBlockEnd(module.getBody());
      launch = func::FuncOp::create(db, loc, "mcc_parallel_loop", launchType);
      launch.setPrivate();
    }
    func::CallOp::create(cb, loc, launch, ValueRange{par, fnPtr, slot, n});
    loop.erase();
    return success();
  }
};

} // namespace
