//===- LowerKernelCalls.cpp - mcc kernel ops on memrefs -> calls ----------===//
//
// After bufferization each mcc.sgemm / mcc.conv2d becomes a call of its kernels.h function (mcc_sgemm,
// mcc_spgemm for a sparse-packed B, mcc_conv2d): every
// buffer is passed as a plain pointer (aligned base + offset) with its strides as integers, attributes
// as constants. The kernels' scratch is a memref.alloc sized by the *_scratch_floats functions, so
// mcc-plan-memory places it in the workspace like any other buffer. An operand laid out in a way the
// kernel cannot address (batch dimensions that do not collapse, a non-unit column stride where the
// kernel wants contiguous rows, a non-contiguous conv tensor) is copied to a contiguous buffer first,
// an output computed into one and copied back. The functions themselves are linked from bitcode when
// the LLVM module is built (ObjectEmitter.cpp). With `parallel`, the calls go to the *_parallel
// wrappers, which take the entry's parallel context and per-worker scratch.
//
//===----------------------------------------------------------------------===//
#include "codegen/cpu/Passes.h"
#include "dialects/mcc/MccDialect.h"

#include "mcc/kernels.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "llvm/Support/Debug.h"

namespace mcc {
#define GEN_PASS_DEF_LOWERKERNELCALLS
#include "codegen/cpu/Passes.h.inc"
} // namespace mcc

using namespace mlir;

#define DEBUG_TYPE "mcc-lower-kernel-calls"
namespace mccd = mcc::dialect;

namespace {

struct CallBuilder {
  OpBuilder &b;
  Location loc;

  Value i64(int64_t v) { return arith::ConstantIntOp::create(b, loc, v, 64); }
  Value i32(int64_t v) { return arith::ConstantIntOp::create(b, loc, v, 32); }
  Value f32(float v) { return arith::ConstantFloatOp::create(b, loc, b.getF32Type(), APFloat(v)); }
  Value toI64(Value index) { return arith::IndexCastOp::create(b, loc, b.getI64Type(), index); }
  Value null() { return LLVM::ZeroOp::create(b, loc, LLVM::LLVMPointerType::get(b.getContext())); }

  /// The address of element 0 of `memref`: its aligned base pointer plus its offset.
  Value pointer(Value memref, memref::ExtractStridedMetadataOp meta) {
    Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, memref);
    Value bytes = arith::MulIOp::create(b, loc, meta.getOffset(), arith::ConstantIndexOp::create(b, loc, 4));
    Value addr = toI64(arith::AddIOp::create(b, loc, base, bytes));
    return LLVM::IntToPtrOp::create(b, loc, LLVM::LLVMPointerType::get(b.getContext()), addr);
  }

  Value contiguousCopy(Value memref) {
    auto type = cast<MemRefType>(memref.getType());
    Value copy = memref::AllocOp::create(b, loc, MemRefType::get(type.getShape(), type.getElementType()),
                                         b.getI64IntegerAttr(64));
    memref::CopyOp::create(b, loc, memref, copy);
    return copy;
  }
};

/// Static strides of `type`, or nullopt where a layout leaves them to run time.
std::optional<SmallVector<int64_t>> staticStrides(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) ||
      llvm::any_of(strides, [](int64_t s) { return ShapedType::isDynamic(s); }))
    return std::nullopt;
  return strides;
}

/// Whether a [batch..., rows, cols] operand can be addressed with one batch stride (its batch dims
/// larger than 1 collapse into one) and, with `unitColumns`, contiguous columns. Layouts with run-time
/// strides pass only when that cannot matter: at most one batch dim above 1 and no column demand.
bool addressable(MemRefType type, bool unitColumns) {
  int64_t rank = type.getRank();
  SmallVector<int64_t> batchDims;
  for (int64_t i = 0; i < rank - 2; ++i)
    if (type.getDimSize(i) != 1)
      batchDims.push_back(i);
  SmallVector<int64_t> layout;
  int64_t offset;
  if (failed(type.getStridesAndOffset(layout, offset)))
    return false;
  auto strides = staticStrides(type);
  if (!strides)
    return batchDims.size() <= 1 && !unitColumns;
  if (unitColumns && type.getDimSize(rank - 1) != 1 && (*strides)[rank - 1] != 1)
    return false;
  for (size_t i = 0; i + 1 < batchDims.size(); ++i)
    if ((*strides)[batchDims[i]] != (*strides)[batchDims[i + 1]] * type.getDimSize(batchDims[i + 1]))
      return false;
  return true;
}

/// Pointer, batch stride (0 when the operand has one matrix: a broadcast), row and column stride of a
/// [batch..., rows, cols] buffer that `addressable` accepts.
struct MatrixView {
  Value ptr, batchStride, rowStride, colStride;
};
MatrixView matrixView(CallBuilder &cb, Value memref) {
  auto type = cast<MemRefType>(memref.getType());
  int64_t rank = type.getRank();
  auto meta = memref::ExtractStridedMetadataOp::create(cb.b, cb.loc, memref);
  MatrixView v;
  v.ptr = cb.pointer(memref, meta);
  v.batchStride = cb.i64(0);
  // The innermost batch dim above 1 has the stride of one matrix step once the batch is collapsed.
  for (int64_t i = rank - 3; i >= 0; --i)
    if (type.getDimSize(i) != 1) {
      v.batchStride = cb.toI64(meta.getStrides()[i]);
      break;
    }
  v.rowStride = cb.toI64(meta.getStrides()[rank - 2]);
  v.colStride = cb.toI64(meta.getStrides()[rank - 1]);
  return v;
}

bool isContiguous(Value memref) {
  return memref::isStaticShapeAndContiguousRowMajor(cast<MemRefType>(memref.getType()));
}

func::FuncOp declare(ModuleOp module, StringRef name, FunctionType type) {
  if (auto f = module.lookupSymbol<func::FuncOp>(name))
    return f;
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto f = func::FuncOp::create(b, module.getLoc(), name, type);
  f.setPrivate();
  return f;
}

Value scratch(CallBuilder &cb, int64_t floats) {
  if (floats <= 0)
    return cb.null();
  Value buf =
      memref::AllocOp::create(cb.b, cb.loc, MemRefType::get({floats}, cb.b.getF32Type()), cb.b.getI64IntegerAttr(64));
  auto meta = memref::ExtractStridedMetadataOp::create(cb.b, cb.loc, buf);
  return cb.pointer(buf, meta);
}

/// Where the parallel wrappers get their workers from: the entry's `const mcc_parallel *` and
/// per-worker scratch arguments. Null values: the serial kernels.
struct ParallelContext {
  Value par, workerScratch;
  int64_t *sliceBytes; ///< the largest slice any call needs, updated per call
};

/// The leading arguments of a *_parallel call: the context, the worker scratch and this call's
/// slice stride in floats (its scratch rounded up to whole cache lines).
SmallVector<Value> parallelPrefix(CallBuilder &cb, const ParallelContext &pc, int64_t scratchFloats) {
  int64_t stride = (std::max<int64_t>(scratchFloats, 0) + 15) / 16 * 16;
  *pc.sliceBytes = std::max(*pc.sliceBytes, stride * 4);
  return {pc.par, pc.workerScratch, cb.i64(stride)};
}

Value flatPointer(CallBuilder &cb, Value memref) {
  auto meta = memref::ExtractStridedMetadataOp::create(cb.b, cb.loc, memref);
  return cb.pointer(memref, meta);
}

LogicalResult lowerSpgemm(mccd::SgemmOp op, ModuleOp module);

LogicalResult lowerSgemm(mccd::SgemmOp op, ModuleOp module, const ParallelContext &pc) {
  auto config = op.getLoweringConfigAttr();
  if (!config)
    return op.emitError("no lowering_config: run mcc-select-lowering-config first");
  if (op.getBSparse())
    return lowerSpgemm(op, module);
  OpBuilder b(op);
  CallBuilder cb{b, op.getLoc()};
  auto isa = static_cast<mcc_isa>(config.getIsa());
  auto cType = cast<MemRefType>(op.getInit().getType());
  int64_t m = op.getM(), n = op.getN(), k = op.getK(), batch = 1;
  for (int64_t d : cType.getShape().drop_back(2))
    batch *= d;
  // Operands the kernel cannot address are copied first; all allocations and copies come before the
  // pointers are taken, so no buffer the planner places can start between a pointer and its call.
  Value a = op.getA(), bm = op.getB(), bias = op.getBias(), residual = op.getResidual(), c = op.getInit();
  if (!addressable(cast<MemRefType>(a.getType()), false))
    a = cb.contiguousCopy(a);
  if (!op.getBPacked() &&
      (!addressable(cast<MemRefType>(bm.getType()), false) || !staticStrides(cast<MemRefType>(bm.getType()))))
    bm = cb.contiguousCopy(bm);
  if (bias && !isContiguous(bias))
    bias = cb.contiguousCopy(bias);
  if (residual && !addressable(cast<MemRefType>(residual.getType()), true))
    residual = cb.contiguousCopy(residual);
  Value out = c;
  if (!addressable(cType, true))
    out = memref::AllocOp::create(b, op.getLoc(), MemRefType::get(cType.getShape(), cType.getElementType()),
                                  b.getI64IntegerAttr(64));
  // The kernel's row/column strides of B: it reads them for the scratch size.
  int64_t rsb = 0, csb = 0;
  if (!op.getBPacked()) {
    auto bt = cast<MemRefType>(bm.getType());
    auto strides = *staticStrides(bt);
    rsb = strides[bt.getRank() - 2];
    csb = strides[bt.getRank() - 1];
    if (op.getTransB())
      std::swap(rsb, csb);
  }
  int64_t scratchFloats = mcc_sgemm_scratch_floats(isa, m, n, k, op.getBPacked(), rsb, csb);
  Value scratchPtr = scratch(cb, scratchFloats);

  MatrixView av = matrixView(cb, a), cv = matrixView(cb, out);
  if (op.getTransA())
    std::swap(av.rowStride, av.colStride);
  MatrixView bv;
  if (op.getBPacked()) {
    bv.ptr = flatPointer(cb, bm);
    bv.batchStride = bv.rowStride = bv.colStride = cb.i64(0);
  } else {
    bv = matrixView(cb, bm);
    if (op.getTransB())
      std::swap(bv.rowStride, bv.colStride);
  }
  Value biasPtr = bias ? flatPointer(cb, bias) : cb.null();
  MatrixView rv{cb.null(), cb.i64(0), cb.i64(0), cb.i64(0)};
  if (residual)
    rv = matrixView(cb, residual);
  int32_t biasKind = !bias ? MCC_BIAS_NONE : op.getBiasPerM() ? MCC_BIAS_PER_M : MCC_BIAS_PER_N;

  SmallVector<Value> args{cb.i64(batch),
                          cb.i64(m),
                          cb.i64(n),
                          cb.i64(k),
                          av.ptr,
                          av.batchStride,
                          av.rowStride,
                          av.colStride,
                          bv.ptr,
                          bv.batchStride,
                          bv.rowStride,
                          bv.colStride,
                          cb.i32(op.getBPacked()),
                          cv.ptr,
                          cv.batchStride,
                          cv.rowStride,
                          biasPtr,
                          cb.i32(biasKind),
                          rv.ptr,
                          rv.batchStride,
                          rv.rowStride,
                          cb.i32((int32_t)op.getAct()),
                          cb.f32(op.getAlpha().convertToFloat()),
                          cb.f32(op.getBeta().convertToFloat()),
                          scratchPtr};
  StringRef callee = "mcc_sgemm";
  if (pc.par) {
    SmallVector<Value> prefix = parallelPrefix(cb, pc, scratchFloats);
    args.insert(args.begin(), prefix.begin(), prefix.end());
    callee = "mcc_sgemm_parallel";
  }
  auto fn = declare(module, callee, b.getFunctionType(ValueRange(args).getTypes(), {}));
  func::CallOp::create(b, op.getLoc(), fn, args);
  if (out != c)
    memref::CopyOp::create(b, op.getLoc(), out, c);
  op.erase();
  return success();
}

/// A sparse-packed B: a call of mcc_spgemm, with mcc_sgemm's A, C, bias and residual operands.
LogicalResult lowerSpgemm(mccd::SgemmOp op, ModuleOp module) {
  OpBuilder b(op);
  CallBuilder cb{b, op.getLoc()};
  auto isa = static_cast<mcc_isa>(op.getLoweringConfigAttr().getIsa());
  auto cType = cast<MemRefType>(op.getInit().getType());
  int64_t m = op.getM(), n = op.getN(), k = op.getK(), batch = 1;
  for (int64_t d : cType.getShape().drop_back(2))
    batch *= d;
  Value a = op.getA(), bias = op.getBias(), residual = op.getResidual(), c = op.getInit();
  if (!addressable(cast<MemRefType>(a.getType()), false))
    a = cb.contiguousCopy(a);
  if (bias && !isContiguous(bias))
    bias = cb.contiguousCopy(bias);
  if (residual && !addressable(cast<MemRefType>(residual.getType()), true))
    residual = cb.contiguousCopy(residual);
  Value out = c;
  if (!addressable(cType, true))
    out = memref::AllocOp::create(b, op.getLoc(), MemRefType::get(cType.getShape(), cType.getElementType()),
                                  b.getI64IntegerAttr(64));
  Value scratchPtr = scratch(cb, mcc_spgemm_scratch_floats(isa, (int64_t)*op.getBSparse(), m, k));
  MatrixView av = matrixView(cb, a), cv = matrixView(cb, out);
  if (op.getTransA())
    std::swap(av.rowStride, av.colStride);
  Value biasPtr = bias ? flatPointer(cb, bias) : cb.null();
  MatrixView rv{cb.null(), cb.i64(0), cb.i64(0), cb.i64(0)};
  if (residual)
    rv = matrixView(cb, residual);
  int32_t biasKind = !bias ? MCC_BIAS_NONE : op.getBiasPerM() ? MCC_BIAS_PER_M : MCC_BIAS_PER_N;
  SmallVector<Value> args{cb.i64(batch),
                          cb.i64(m),
                          cb.i64(n),
                          cb.i64(k),
                          av.ptr,
                          av.batchStride,
                          av.rowStride,
                          av.colStride,
                          flatPointer(cb, op.getB()),
                          cv.ptr,
                          cv.batchStride,
                          cv.rowStride,
                          biasPtr,
                          cb.i32(biasKind),
                          rv.ptr,
                          rv.batchStride,
                          rv.rowStride,
                          cb.i32((int32_t)op.getAct()),
                          cb.f32(op.getAlpha().convertToFloat()),
                          cb.f32(op.getBeta().convertToFloat()),
                          scratchPtr};
  auto fn = declare(module, "mcc_spgemm", b.getFunctionType(ValueRange(args).getTypes(), {}));
  func::CallOp::create(b, op.getLoc(), fn, args);
  if (out != c)
    memref::CopyOp::create(b, op.getLoc(), out, c);
  op.erase();
  return success();
}

LogicalResult lowerConv2d(mccd::Conv2dOp op, ModuleOp module, const ParallelContext &pc) {
  auto config = op.getLoweringConfigAttr();
  if (!config || !op.getFilterPacked())
    return op.emitError("no packed filter: run mcc-select-lowering-config first");
  OpBuilder b(op);
  CallBuilder cb{b, op.getLoc()};
  auto isa = static_cast<mcc_isa>(config.getIsa());
  Value x = op.getInput(), w = op.getFilter(), bias = op.getBias(), residual = op.getResidual(), y = op.getInit();
  for (Value *v : {&x, &w, &bias, &residual})
    if (*v && !isContiguous(*v))
      *v = cb.contiguousCopy(*v);
  auto yType = cast<MemRefType>(y.getType());
  Value out = isContiguous(y)
                  ? y
                  : memref::AllocOp::create(b, op.getLoc(), MemRefType::get(yType.getShape(), yType.getElementType()),
                                            b.getI64IntegerAttr(64));
  auto xType = cast<MemRefType>(x.getType());
  bool oneD = xType.getRank() == 3;
  int64_t n = xType.getDimSize(0), c = xType.getDimSize(1), h = oneD ? 1 : xType.getDimSize(2),
          wd = xType.getDimSize(xType.getRank() - 1);
  int64_t mm = yType.getDimSize(1), oh = oneD ? 1 : yType.getDimSize(2), ow = yType.getDimSize(yType.getRank() - 1);
  ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(), dil = op.getDilations(), pads = op.getPads();
  int64_t g = op.getGroup();
  if (op.getFilterSparse()) {
    SmallVector<Value> args{cb.i64(n),
                            cb.i64(c),
                            cb.i64(h * wd),
                            flatPointer(cb, x),
                            cb.i64(mm),
                            flatPointer(cb, w),
                            flatPointer(cb, out),
                            bias ? flatPointer(cb, bias) : cb.null(),
                            residual ? flatPointer(cb, residual) : cb.null(),
                            cb.i32((int32_t)op.getAct()),
                            cb.f32(op.getAlpha().convertToFloat()),
                            cb.f32(op.getBeta().convertToFloat()),
                            scratch(cb, mcc_spconv1x1_scratch_floats(isa, c, h * wd))};
    auto fn = declare(module, "mcc_spconv1x1", b.getFunctionType(ValueRange(args).getTypes(), {}));
    func::CallOp::create(b, op.getLoc(), fn, args);
    if (out != y)
      memref::CopyOp::create(b, op.getLoc(), out, y);
    op.erase();
    return success();
  }
  int64_t scratchFloats = mcc_conv2d_scratch_floats(isa, c, h, wd, mm, kernel[0], kernel[1], g, strides[0], strides[1],
                                                    dil[0], dil[1], oh, ow);
  Value scratchPtr = scratch(cb, scratchFloats);
  SmallVector<Value> args{cb.i64(n),
                          cb.i64(c),
                          cb.i64(h),
                          cb.i64(wd),
                          flatPointer(cb, x),
                          cb.i64(mm),
                          cb.i64(kernel[0]),
                          cb.i64(kernel[1]),
                          cb.i64(g),
                          flatPointer(cb, w),
                          cb.i64(strides[0]),
                          cb.i64(strides[1]),
                          cb.i64(dil[0]),
                          cb.i64(dil[1]),
                          cb.i64(pads[0]),
                          cb.i64(pads[1]),
                          cb.i64(oh),
                          cb.i64(ow),
                          flatPointer(cb, out),
                          bias ? flatPointer(cb, bias) : cb.null(),
                          residual ? flatPointer(cb, residual) : cb.null(),
                          cb.i32((int32_t)op.getAct()),
                          cb.f32(op.getAlpha().convertToFloat()),
                          cb.f32(op.getBeta().convertToFloat()),
                          scratchPtr};
  StringRef callee = "mcc_conv2d";
  if (pc.par) {
    SmallVector<Value> prefix = parallelPrefix(cb, pc, scratchFloats);
    args.insert(args.begin(), prefix.begin(), prefix.end());
    callee = "mcc_conv2d_parallel";
  }
  auto fn = declare(module, callee, b.getFunctionType(ValueRange(args).getTypes(), {}));
  func::CallOp::create(b, op.getLoc(), fn, args);
  if (out != y)
    memref::CopyOp::create(b, op.getLoc(), out, y);
  op.erase();
  return success();
}

/// The address of element 0 of `memref`, for any element size.
Value bytePointer(CallBuilder &cb, Value memref) {
  auto type = cast<MemRefType>(memref.getType());
  auto meta = memref::ExtractStridedMetadataOp::create(cb.b, cb.loc, memref);
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(cb.b, cb.loc, memref);
  int64_t size = std::max<int64_t>(1, type.getElementTypeBitWidth() / 8);
  Value bytes =
      arith::MulIOp::create(cb.b, cb.loc, meta.getOffset(), arith::ConstantIndexOp::create(cb.b, cb.loc, size));
  Value addr = cb.toI64(arith::AddIOp::create(cb.b, cb.loc, base, bytes));
  return LLVM::IntToPtrOp::create(cb.b, cb.loc, LLVM::LLVMPointerType::get(cb.b.getContext()), addr);
}

Value byteScratch(CallBuilder &cb, int64_t bytes) {
  if (bytes <= 0)
    return cb.null();
  Value buf = memref::AllocOp::create(cb.b, cb.loc, MemRefType::get({bytes}, cb.b.getIntegerType(8)),
                                      cb.b.getI64IntegerAttr(64));
  return bytePointer(cb, buf);
}

/// kernels.h's mcc_qout for an output element type.
int32_t outKind(Type elt, bool ySigned) {
  if (elt.isInteger(32))
    return MCC_QOUT_S32;
  if (elt.isF32())
    return MCC_QOUT_F32;
  return ySigned ? MCC_QOUT_S8 : MCC_QOUT_U8;
}

/// The epilogue arguments the two int8 calls share, in kernels.h's order.
template <typename OpTy> void appendQuantEpilogue(CallBuilder &cb, OpTy op, Type outElt, SmallVector<Value> &args) {
  args.append({cb.i32(outKind(outElt, op.getYSigned())), cb.i32(op.getYZp()), cb.i32(op.getLo()), cb.i32(op.getHi()),
               cb.i32((int32_t)op.getAct()), cb.f32(op.getAlpha().convertToFloat()),
               cb.f32(op.getBeta().convertToFloat()), cb.i32(op.getVnni())});
}

LogicalResult lowerQgemm(mccd::QgemmOp op, ModuleOp module) {
  auto config = op.getLoweringConfigAttr();
  if (!config || !op.getBPacked())
    return op.emitError("no packed weights: run mcc-select-lowering-config first");
  OpBuilder b(op);
  CallBuilder cb{b, op.getLoc()};
  auto isa = static_cast<mcc_isa>(config.getIsa());
  Value a = op.getA(), c = op.getInit();
  if (!isContiguous(a))
    a = cb.contiguousCopy(a);
  auto cType = cast<MemRefType>(c.getType());
  Value out = isContiguous(c)
                  ? c
                  : memref::AllocOp::create(b, op.getLoc(), MemRefType::get(cType.getShape(), cType.getElementType()),
                                            b.getI64IntegerAttr(64));
  int64_t m = op.getM(), n = op.getN(), k = op.getK(), batch = 1;
  for (int64_t d : cType.getShape().drop_back(2))
    batch *= d;
  Value scratchPtr = byteScratch(cb, mcc_qgemm_scratch_bytes(isa, m, n, k));
  SmallVector<Value> args{cb.i64(batch),
                          cb.i64(m),
                          cb.i64(n),
                          cb.i64(k),
                          bytePointer(cb, a),
                          cb.i64(m * k),
                          cb.i64(k),
                          cb.i32(op.getASigned()),
                          bytePointer(cb, op.getB()),
                          bytePointer(cb, out),
                          cb.i64(m * n),
                          cb.i64(n)};
  appendQuantEpilogue(cb, op, cType.getElementType(), args);
  args.push_back(scratchPtr);
  auto fn = declare(module, "mcc_qgemm", b.getFunctionType(ValueRange(args).getTypes(), {}));
  func::CallOp::create(b, op.getLoc(), fn, args);
  if (out != c)
    memref::CopyOp::create(b, op.getLoc(), out, c);
  op.erase();
  return success();
}

LogicalResult lowerQConv2d(mccd::QConv2dOp op, ModuleOp module) {
  auto config = op.getLoweringConfigAttr();
  if (!config || !op.getFilterPacked())
    return op.emitError("no packed filter: run mcc-select-lowering-config first");
  OpBuilder b(op);
  CallBuilder cb{b, op.getLoc()};
  auto isa = static_cast<mcc_isa>(config.getIsa());
  Value x = op.getInput(), y = op.getInit();
  if (!isContiguous(x))
    x = cb.contiguousCopy(x);
  auto yType = cast<MemRefType>(y.getType());
  Value out = isContiguous(y)
                  ? y
                  : memref::AllocOp::create(b, op.getLoc(), MemRefType::get(yType.getShape(), yType.getElementType()),
                                            b.getI64IntegerAttr(64));
  auto xType = cast<MemRefType>(x.getType());
  ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(), dil = op.getDilations(), pads = op.getPads();
  int64_t ch = xType.getDimSize(1);
  Value scratchPtr = byteScratch(cb, mcc_qconv2d_scratch_bytes(isa, ch, xType.getDimSize(2), xType.getDimSize(3),
                                                               kernel[0], kernel[1], strides[0], strides[1], dil[0],
                                                               dil[1], yType.getDimSize(2), yType.getDimSize(3)));
  SmallVector<Value> args{cb.i64(xType.getDimSize(0)),
                          cb.i64(ch),
                          cb.i64(xType.getDimSize(2)),
                          cb.i64(xType.getDimSize(3)),
                          bytePointer(cb, x),
                          cb.i32(op.getXSigned()),
                          cb.i32(op.getXZp()),
                          cb.i64(yType.getDimSize(1)),
                          cb.i64(kernel[0]),
                          cb.i64(kernel[1]),
                          bytePointer(cb, op.getFilter()),
                          cb.i64(strides[0]),
                          cb.i64(strides[1]),
                          cb.i64(dil[0]),
                          cb.i64(dil[1]),
                          cb.i64(pads[0]),
                          cb.i64(pads[1]),
                          cb.i64(yType.getDimSize(2)),
                          cb.i64(yType.getDimSize(3)),
                          bytePointer(cb, out)};
  appendQuantEpilogue(cb, op, yType.getElementType(), args);
  args.push_back(scratchPtr);
  auto fn = declare(module, "mcc_qconv2d", b.getFunctionType(ValueRange(args).getTypes(), {}));
  func::CallOp::create(b, op.getLoc(), fn, args);
  if (out != y)
    memref::CopyOp::create(b, op.getLoc(), out, y);
  op.erase();
  return success();
}

struct LowerKernelCallsPass : mcc::impl::LowerKernelCallsBase<LowerKernelCallsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // The parallel arguments of each public function, appended before any kernel call is built.
    DenseMap<Operation *, ParallelContext> contexts;
    int64_t sliceBytes = 0;
    if (parallel) {
      auto ptrType = LLVM::LLVMPointerType::get(&getContext());
      std::optional<unsigned> first;
      for (auto func : module.getOps<func::FuncOp>()) {
        if (func.isPrivate() || func.isExternal())
          continue;
        unsigned index = func.getNumArguments();
        if (failed(func.insertArguments({index, index}, {ptrType, ptrType}, {DictionaryAttr(), DictionaryAttr()},
                                        {func.getLoc(), func.getLoc()})))
          return signalPassFailure();
        if (first && *first != index) {
          func.emitError("public functions with different argument counts: cannot place the parallel arguments");
          return signalPassFailure();
        }
        first = index;
        contexts[func] = {func.getArgument(index), func.getArgument(index + 1), &sliceBytes};
      }
      auto i64 = IntegerType::get(&getContext(), 64);
      module->setAttr("mcc.parallel_arg", IntegerAttr::get(i64, first.value_or(0)));
    }
    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (isa<mccd::SgemmOp, mccd::Conv2dOp, mccd::QgemmOp, mccd::QConv2dOp>(op))
        ops.push_back(op);
    });
    LLVM_DEBUG(llvm::dbgs() << DEBUG_TYPE << ": " << ops.size() << " kernel ops -> calls\n");
    for (Operation *op : ops) {
      if (op->getNumResults()) {
        op->emitError("kernel op on tensors after bufferization");
        return signalPassFailure();
      }
      ParallelContext pc{Value(), Value(), &sliceBytes};
      if (auto it = contexts.find(op->getParentOfType<func::FuncOp>()); it != contexts.end())
        pc = it->second;
      LogicalResult r = failure();
      if (auto g = dyn_cast<mccd::SgemmOp>(op))
        r = lowerSgemm(g, module, pc);
      else if (auto c = dyn_cast<mccd::Conv2dOp>(op))
        r = lowerConv2d(c, module, pc);
      else if (auto q = dyn_cast<mccd::QgemmOp>(op))
        r = lowerQgemm(q, module);
      else
        r = lowerQConv2d(cast<mccd::QConv2dOp>(op), module);
      if (failed(r))
        return signalPassFailure();
    }
    if (parallel)
      module->setAttr("mcc.worker_scratch_size", IntegerAttr::get(IntegerType::get(&getContext(), 64), sliceBytes));
  }
};

} // namespace
