//===- EntryDestinationStyle.cpp - caller-owned input/output buffers ------===//
#include "codegen/cpu/Passes.h"
#include "codegen/header/Signature.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/Support/Debug.h"

namespace mcc {
#define GEN_PASS_DEF_ENTRYDESTINATIONSTYLE
#include "codegen/cpu/Passes.h.inc"
} // namespace mcc

using namespace mlir;

#define DEBUG_TYPE "mcc-entry-destination-style"

namespace {
/// A tensor with no elements is passed as a one-element placeholder: upstream's bare-pointer calling
/// convention rejects memrefs with a zero-size dimension, and no byte of it is ever accessed.
bool isEmpty(Type t) { return cast<RankedTensorType>(t).getNumElements() == 0; }

MemRefType bufferTypeFor(Type t) {
  auto tt = cast<RankedTensorType>(t);
  if (isEmpty(tt))
    return MemRefType::get({1}, tt.getElementType());
  return MemRefType::get(tt.getShape(), tt.getElementType());
}

/// The upper bound of a result whose shape depends on the data, or failure with a diagnostic.
FailureOr<SmallVector<int64_t>> upperBound(func::FuncOp func, unsigned i) {
  auto type = cast<RankedTensorType>(func.getResultTypes()[i]);
  auto bound = func.getResultAttrOfType<DenseI64ArrayAttr>(i, mcc::kUpperBoundAttr);
  if (!bound || (int64_t)bound.size() != type.getRank())
    return func.emitError("result #") << i << " of type " << type << " needs a '" << mcc::kUpperBoundAttr
                                      << "' of rank " << type.getRank();
  for (auto [d, ub] : llvm::zip(type.getShape(), bound.asArrayRef()))
    if (ub < 0 || (!ShapedType::isDynamic(d) && d != ub))
      return func.emitError("result #") << i << ": upper bound " << bound << " does not fit " << type;
  return SmallVector<int64_t>(bound.asArrayRef());
}

/// Writes `value` (dynamic dims) densely into the flat buffer `out`, row-major for its actual shape,
/// and that shape into `dims`.
void materializeDataDependent(OpBuilder &b, Location loc, Value value, Value out, Value dims) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> sizes;
  for (int64_t k = 0; k < rank; ++k) {
    Value size = tensor::DimOp::create(b, loc, value, k);
    Value asI64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), size);
    memref::StoreOp::create(b, loc, asI64, dims, ValueRange{arith::ConstantIndexOp::create(b, loc, k)});
    sizes.push_back(type.isDynamicDim(k) ? OpFoldResult(size) : OpFoldResult(b.getIndexAttr(type.getDimSize(k))));
  }
  SmallVector<OpFoldResult> strides(rank);
  SmallVector<int64_t> staticStrides(rank);
  OpFoldResult stride = b.getIndexAttr(1);
  for (int64_t k = rank - 1; k >= 0; --k) {
    strides[k] = stride;
    std::optional<int64_t> c = getConstantIntValue(stride);
    staticStrides[k] = c ? *c : ShapedType::kDynamic;
    if (k == 0)
      break;
    std::optional<int64_t> s = getConstantIntValue(sizes[k]);
    if (c && s) {
      stride = b.getIndexAttr(*c * *s);
    } else if (c == 1) {
      stride = sizes[k];
    } else {
      Value lhs = getValueOrCreateConstantIndexOp(b, loc, stride);
      Value rhs = getValueOrCreateConstantIndexOp(b, loc, sizes[k]);
      stride = arith::MulIOp::create(b, loc, lhs, rhs).getResult();
    }
  }
  auto layout = StridedLayoutAttr::get(b.getContext(), 0, staticStrides);
  auto viewType = MemRefType::get(type.getShape(), type.getElementType(), layout);
  Value view = memref::ReinterpretCastOp::create(b, loc, viewType, out, b.getIndexAttr(0), sizes, strides);
  auto m = bufferization::MaterializeInDestinationOp::create(b, loc, TypeRange{}, value, view);
  m.setRestrict(true);
  m.setWritable(true);
}

struct EntryDestinationStylePass : mcc::impl::EntryDestinationStyleBase<EntryDestinationStylePass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isPrivate() || func.isExternal())
        continue;
      if (failed(convert(func)))
        return signalPassFailure();
      LLVM_DEBUG(llvm::dbgs() << DEBUG_TYPE << ": " << func.getName()
                              << " writes its results into the caller's buffers\n");
    }
  }

  LogicalResult convert(func::FuncOp func) {
    FunctionType type = func.getFunctionType();
    for (Type t : type.getInputs())
      if (!isa<RankedTensorType>(t) || !cast<RankedTensorType>(t).hasStaticShape())
        return func.emitError("entry function needs statically shaped tensors, got ") << t;
    for (Type t : type.getResults())
      if (!isa<RankedTensorType>(t))
        return func.emitError("entry function needs ranked tensor results, got ") << t;
    Block &entry = func.front();
    unsigned numIn = type.getNumInputs();
    SmallVector<Type> argTypes;
    for (Type t : type.getInputs())
      argTypes.push_back(bufferTypeFor(t));
    // Data-dependent results: a flat buffer of the upper bound's capacity, and a shape argument.
    SmallVector<Type> dimsTypes;
    SmallVector<bool> dataDependent;
    for (auto [i, t] : llvm::enumerate(type.getResults())) {
      auto tt = cast<RankedTensorType>(t);
      dataDependent.push_back(!tt.hasStaticShape());
      if (tt.hasStaticShape()) {
        argTypes.push_back(bufferTypeFor(t));
        continue;
      }
      FailureOr<SmallVector<int64_t>> bound = upperBound(func, i);
      if (failed(bound))
        return failure();
      int64_t capacity = 1;
      for (int64_t d : *bound)
        capacity *= d;
      argTypes.push_back(MemRefType::get({std::max<int64_t>(capacity, 1)}, tt.getElementType()));
      dimsTypes.push_back(MemRefType::get({tt.getRank()}, IntegerType::get(func.getContext(), 64)));
    }
    argTypes.append(dimsTypes);

    OpBuilder b(&entry, entry.begin());
    for (unsigned i = 0; i < numIn; ++i) {
      BlockArgument oldArg = entry.getArgument(i);
      BlockArgument newArg = entry.addArgument(argTypes[i], oldArg.getLoc());
      auto type = cast<RankedTensorType>(oldArg.getType());
      Value t;
      if (isEmpty(type))
        t = tensor::EmptyOp::create(b, oldArg.getLoc(), type.getShape(), type.getElementType());
      else
        t = bufferization::ToTensorOp::create(b, oldArg.getLoc(), type, newArg, /*restrict=*/true,
                                              /*writable=*/false);
      oldArg.replaceAllUsesWith(t);
    }
    SmallVector<BlockArgument> outArgs;
    for (Type t : ArrayRef<Type>(argTypes).drop_front(numIn))
      outArgs.push_back(entry.addArgument(t, func.getLoc()));
    entry.eraseArguments(0, numIn);

    auto ret = cast<func::ReturnOp>(entry.getTerminator());
    b.setInsertionPoint(ret);
    unsigned nextDims = type.getNumResults();
    for (auto [i, value, out] :
         llvm::enumerate(ret.getOperands(), ArrayRef<BlockArgument>(outArgs).take_front(type.getNumResults()))) {
      if (dataDependent[i]) {
        materializeDataDependent(b, ret.getLoc(), value, out, outArgs[nextDims++]);
        continue;
      }
      if (isEmpty(value.getType()))
        continue;
      auto m = bufferization::MaterializeInDestinationOp::create(b, ret.getLoc(), TypeRange{}, value, out);
      m.setRestrict(true);
      m.setWritable(true);
    }
    func::ReturnOp::create(b, ret.getLoc());
    ret.erase();
    func.setType(FunctionType::get(func.getContext(), argTypes, {}));
    func.setAllArgAttrs(ArrayRef<DictionaryAttr>{});
    func.setAllResultAttrs(ArrayRef<DictionaryAttr>{});
    return success();
  }
};
} // namespace
