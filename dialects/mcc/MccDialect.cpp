//===- MccDialect.cpp - mcc dialect: verifiers and bufferization ----------===//
//
// The verifiers hold the shapes to what kernels.h accepts, so that the call lowering only has to read
// sizes and strides off the buffers.
//
//===----------------------------------------------------------------------===//
#include "dialects/mcc/MccDialect.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/IR/DstBufferizableOpInterfaceImpl.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mcc::dialect;

#include "dialects/mcc/MccDialect.cpp.inc"
#include "dialects/mcc/MccEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/mcc/MccAttrs.cpp.inc"

void MccDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/mcc/MccAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "dialects/mcc/MccOps.cpp.inc"
      >();
}

namespace {

ShapedType shaped(Value v) { return cast<ShapedType>(v.getType()); }

/// Static shape, f32 elements, and tensors or memrefs like `init` (the op is all one or the other).
LogicalResult checkOperand(Operation *op, Value v, StringRef name, bool tensors) {
  auto t = shaped(v);
  if (!t.hasStaticShape() || !t.getElementType().isF32())
    return op->emitOpError(name) << " must be a static f32 shape, got " << t;
  if (isa<RankedTensorType>(t) != tensors)
    return op->emitOpError(name) << " must be a " << (tensors ? "tensor" : "memref") << " like init";
  return success();
}

/// Checks the operands common to both ops: types, bias size, residual shape, result.
LogicalResult checkCommon(Operation *op, Value init, ValueRange inputs, ArrayRef<StringRef> names, Value bias,
                          int64_t biasSize, Value residual) {
  auto initType = shaped(init);
  bool tensors = isa<RankedTensorType>(initType);
  if (failed(checkOperand(op, init, "init", tensors)))
    return failure();
  for (auto [v, name] : llvm::zip(inputs, names))
    if (failed(checkOperand(op, v, name, tensors)))
      return failure();
  if (bias) {
    if (failed(checkOperand(op, bias, "bias", tensors)))
      return failure();
    if (shaped(bias).getRank() != 1 || shaped(bias).getDimSize(0) != biasSize)
      return op->emitOpError("bias must have ") << biasSize << " elements, got " << bias.getType();
  }
  if (residual) {
    if (failed(checkOperand(op, residual, "residual", tensors)))
      return failure();
    if (shaped(residual).getShape() != initType.getShape())
      return op->emitOpError("residual must have the shape of init, got ") << residual.getType();
  }
  if (tensors != (op->getNumResults() == 1) || (tensors && op->getResult(0).getType() != initType))
    return op->emitOpError("must return init's type on tensors and nothing on memrefs");
  return success();
}

} // namespace

int64_t SgemmOp::getM() {
  auto c = shaped(getInit());
  return c.getDimSize(c.getRank() - 2);
}
int64_t SgemmOp::getN() {
  auto c = shaped(getInit());
  return c.getDimSize(c.getRank() - 1);
}
int64_t SgemmOp::getK() {
  auto a = shaped(getA());
  return a.getDimSize(a.getRank() - (getTransA() ? 2 : 1));
}

LogicalResult SgemmOp::verify() {
  if (failed(checkCommon(*this, getInit(), {getA(), getB()}, {"a", "b"}, getBias(), getBiasPerM() ? getM() : getN(),
                         getResidual())))
    return failure();
  auto c = shaped(getInit()), a = shaped(getA()), b = shaped(getB());
  if (c.getRank() < 2 || a.getRank() < 2 || a.getRank() > c.getRank())
    return emitOpError("a and init must be matrices or batches of them, a no higher rank than init");
  int64_t m = getM(), n = getN(), k = getK();
  ArrayRef<int64_t> batch = c.getShape().drop_back(2);
  // Batch dimensions: those of init (aligned at the right) or all ones.
  auto checkBatch = [&](ShapedType t, StringRef name) -> LogicalResult {
    ArrayRef<int64_t> own = t.getShape().drop_back(2);
    bool ones = llvm::all_of(own, [](int64_t d) { return d == 1; });
    if (!ones && own != batch.take_back(own.size()))
      return emitOpError(name) << " batch dimensions must be init's or all 1, got " << t;
    if (!ones && own.size() != batch.size() &&
        !llvm::all_of(batch.drop_back(own.size()), [](int64_t d) { return d == 1; }))
      return emitOpError(name) << " must have all of init's batch dimensions that are not 1";
    return success();
  };
  if (failed(checkBatch(a, "a")))
    return failure();
  if ((getTransA() ? a.getDimSize(a.getRank() - 1) : a.getDimSize(a.getRank() - 2)) != m)
    return emitOpError("a has ") << a << ", expected " << m << " rows";
  if (auto bw = getBSparse(); bw && (!getBPacked() || *bw < 1))
    return emitOpError("b_sparse needs b_packed and a block width of at least 1");
  if (getBPacked()) {
    if (b.getRank() != 1)
      return emitOpError("packed b must be 1-D, got ") << b;
    if (!getLoweringConfig())
      return emitOpError("packed b needs the lowering_config it was packed for");
  } else {
    if (b.getRank() < 2 || b.getRank() > c.getRank())
      return emitOpError("b must be a matrix or a batch of them, no higher rank than init");
    if (failed(checkBatch(b, "b")))
      return failure();
    int64_t bk = b.getDimSize(b.getRank() - (getTransB() ? 1 : 2)),
            bn = b.getDimSize(b.getRank() - (getTransB() ? 2 : 1));
    if (bk != k || bn != n)
      return emitOpError("b is ") << b << ", expected K = " << k << " by N = " << n;
  }
  return success();
}

LogicalResult Conv2dOp::verify() {
  auto x = shaped(getInput()), y = shaped(getInit()), w = shaped(getFilter());
  int64_t rank = x.getRank();
  if ((rank != 3 && rank != 4) || y.getRank() != rank)
    return emitOpError("input and init must both be [N, C, H, W] or [N, C, W]");
  for (auto [arr, name] : {std::pair{getKernel(), "kernel"},
                           {getStrides(), "strides"},
                           {getDilations(), "dilations"},
                           {getPads(), "pads"}})
    if (arr.size() != 2)
      return emitOpError(name) << " must have 2 entries (H, W)";
  int64_t g = getGroup(), c = x.getDimSize(1), m = y.getDimSize(1);
  if (failed(
          checkCommon(*this, getInit(), {getInput(), getFilter()}, {"input", "filter"}, getBias(), m, getResidual())))
    return failure();
  if (g < 1 || c % g || m % g)
    return emitOpError("group ") << g << " must divide the channels " << c << " and " << m;
  if (x.getDimSize(0) != y.getDimSize(0))
    return emitOpError("input and init must have the same batch");
  ArrayRef<int64_t> kernel = getKernel();
  if (llvm::any_of(getStrides(), [](int64_t s) { return s < 1; }) ||
      llvm::any_of(getDilations(), [](int64_t d) { return d < 1; }) ||
      llvm::any_of(getPads(), [](int64_t p) { return p < 0; }) || llvm::any_of(kernel, [](int64_t k) { return k < 1; }))
    return emitOpError("kernel, strides and dilations must be positive, pads not negative");
  if (rank == 3 && (kernel[0] != 1 || getPads()[0] != 0))
    return emitOpError("a 1-D convolution has kernel height 1 and no padding in H");
  if (auto bw = getFilterSparse(); bw && (!getFilterPacked() || *bw != 1))
    return emitOpError("filter_sparse needs filter_packed and a block width of 1");
  if (getFilterPacked()) {
    if (w.getRank() != 1)
      return emitOpError("packed filter must be 1-D, got ") << w;
    if (!getLoweringConfig())
      return emitOpError("packed filter needs the lowering_config it was packed for");
    return success();
  }
  SmallVector<int64_t> expected{m, c / g};
  if (rank == 4)
    expected.push_back(kernel[0]);
  expected.push_back(kernel[1]);
  if (w.getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("filter is ") << w << ", expected [M, C/group, kernel...] = "
                                     << RankedTensorType::get(expected, w.getElementType());
  return success();
}

namespace {

/// Static shape, `tensors` like init, 8-bit integer elements (`ints8`) or any of i32/f32/8-bit.
LogicalResult checkQuantOperand(Operation *op, Value v, StringRef name, bool tensors, bool only8) {
  auto t = shaped(v);
  Type e = t.getElementType();
  bool ok8 = e.isInteger(8), okOut = ok8 || e.isInteger(32) || e.isF32();
  if (!t.hasStaticShape() || !(only8 ? ok8 : okOut))
    return op->emitOpError(name) << " must be a static shape of " << (only8 ? "8-bit integers" : "i8, i32 or f32")
                                 << ", got " << t;
  if (isa<RankedTensorType>(t) != tensors)
    return op->emitOpError(name) << " must be a " << (tensors ? "tensor" : "memref") << " like init";
  return success();
}

/// The per-channel attributes have one entry per channel; the result is init's type on tensors.
template <typename OpTy> LogicalResult checkQuantCommon(OpTy op, int64_t channels) {
  if (op.getWZp().size() != (size_t)channels || op.getScale().size() != (size_t)channels)
    return op.emitOpError("w_zp and scale must have ") << channels << " entries";
  if ((op.getBias() && op.getBias()->size() != (size_t)channels) ||
      (op.getFbias() && op.getFbias()->size() != (size_t)channels))
    return op.emitOpError("bias and fbias must have ") << channels << " entries";
  auto initType = shaped(op.getInit());
  bool tensors = isa<RankedTensorType>(initType);
  if (tensors != (op->getNumResults() == 1) || (tensors && op->getResult(0).getType() != initType))
    return op.emitOpError("must return init's type on tensors and nothing on memrefs");
  return success();
}

} // namespace

int64_t QgemmOp::getM() {
  auto c = shaped(getInit());
  return c.getDimSize(c.getRank() - 2);
}
int64_t QgemmOp::getN() {
  auto c = shaped(getInit());
  return c.getDimSize(c.getRank() - 1);
}
int64_t QgemmOp::getK() {
  auto a = shaped(getA());
  return a.getDimSize(a.getRank() - 1);
}

LogicalResult QgemmOp::verify() {
  bool tensors = isa<RankedTensorType>(getInit().getType());
  if (failed(checkQuantOperand(*this, getA(), "a", tensors, true)) ||
      failed(checkQuantOperand(*this, getB(), "b", tensors, true)) ||
      failed(checkQuantOperand(*this, getInit(), "init", tensors, false)))
    return failure();
  auto a = shaped(getA()), b = shaped(getB()), c = shaped(getInit());
  if (a.getRank() < 2 || a.getRank() != c.getRank() || a.getShape().drop_back(2) != c.getShape().drop_back(2) ||
      a.getDimSize(a.getRank() - 2) != getM())
    return emitOpError("a must be [batch..., M, K] with init's batch and M, got ") << a;
  if (getBPacked()) {
    if (b.getRank() != 1 || !getLoweringConfig())
      return emitOpError("packed b must be 1-D, with the lowering_config it was packed for");
  } else if (b.getRank() != 2 || b.getDimSize(0) != getK() || b.getDimSize(1) != getN()) {
    return emitOpError("b must be [K, N] = [") << getK() << ", " << getN() << "], got " << b;
  }
  return checkQuantCommon(*this, getN());
}

LogicalResult QConv2dOp::verify() {
  bool tensors = isa<RankedTensorType>(getInit().getType());
  if (failed(checkQuantOperand(*this, getInput(), "input", tensors, true)) ||
      failed(checkQuantOperand(*this, getFilter(), "filter", tensors, true)) ||
      failed(checkQuantOperand(*this, getInit(), "init", tensors, false)))
    return failure();
  auto x = shaped(getInput()), y = shaped(getInit()), w = shaped(getFilter());
  if (x.getRank() != 4 || y.getRank() != 4 || x.getDimSize(0) != y.getDimSize(0))
    return emitOpError("input and init must be [N, C, H, W] with the same N");
  for (ArrayRef<int64_t> arr : {getKernel(), getStrides(), getDilations(), getPads()})
    if (arr.size() != 2 || llvm::any_of(arr, [](int64_t v) { return v < 0; }))
      return emitOpError("kernel, strides, dilations and pads must be (H, W) pairs, not negative");
  if (llvm::any_of(getStrides(), [](int64_t v) { return v < 1; }) ||
      llvm::any_of(getDilations(), [](int64_t v) { return v < 1; }))
    return emitOpError("strides and dilations must be positive");
  int64_t m = y.getDimSize(1);
  if (getFilterPacked()) {
    if (w.getRank() != 1 || !getLoweringConfig())
      return emitOpError("packed filter must be 1-D, with the lowering_config it was packed for");
  } else if (w.getShape() != ArrayRef<int64_t>{m, x.getDimSize(1), getKernel()[0], getKernel()[1]}) {
    return emitOpError("filter must be [M, C, KH, KW], got ") << w;
  }
  return checkQuantCommon(*this, m);
}

namespace {

/// Both ops bufferize the same way: every tensor operand becomes its buffer, the result is `init`'s.
template <typename OpTy>
struct KernelOpBufferization
    : bufferization::DstBufferizableOpInterfaceExternalModel<KernelOpBufferization<OpTy>, OpTy> {
  // The kernels write every element of init without reading it first.
  bool bufferizesToMemoryRead(Operation *op, OpOperand &operand, const bufferization::AnalysisState &) const {
    return !cast<DestinationStyleOpInterface>(op).isDpsInit(&operand);
  }

  LogicalResult bufferize(Operation *op, RewriterBase &rewriter, const bufferization::BufferizationOptions &options,
                          bufferization::BufferizationState &state) const {
    SmallVector<Value> operands;
    Value initBuffer;
    for (OpOperand &operand : op->getOpOperands()) {
      if (!isa<TensorType>(operand.get().getType())) {
        operands.push_back(operand.get());
        continue;
      }
      FailureOr<Value> buffer = bufferization::getBuffer(rewriter, operand.get(), options, state);
      if (failed(buffer))
        return failure();
      operands.push_back(*buffer);
      if (cast<DestinationStyleOpInterface>(op).isDpsInit(&operand))
        initBuffer = *buffer;
    }
    rewriter.setInsertionPoint(op);
    OperationState result(op->getLoc(), op->getName(), operands, TypeRange{}, op->getAttrs());
    rewriter.create(result);
    bufferization::replaceOpWithBufferizedValues(rewriter, op, initBuffer);
    return success();
  }
};

} // namespace

void mcc::dialect::registerBufferizableOpInterfaceExternalModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, MccDialect *) {
    SgemmOp::attachInterface<KernelOpBufferization<SgemmOp>>(*ctx);
    Conv2dOp::attachInterface<KernelOpBufferization<Conv2dOp>>(*ctx);
    QgemmOp::attachInterface<KernelOpBufferization<QgemmOp>>(*ctx);
    QConv2dOp::attachInterface<KernelOpBufferization<QConv2dOp>>(*ctx);
  });
}

#define GET_OP_CLASSES
#include "dialects/mcc/MccOps.cpp.inc"
