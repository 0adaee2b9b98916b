//===- EntryDestinationStyle.cpp - caller-owned input/output buffers ------===//
#include "codegen/cpu/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mcc {
#define GEN_PASS_DEF_ENTRYDESTINATIONSTYLE
#include "codegen/cpu/Passes.h.inc"
} // namespace mcc

using namespace mlir;

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

struct EntryDestinationStylePass : mcc::impl::EntryDestinationStyleBase<EntryDestinationStylePass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isPrivate() || func.isExternal())
        continue;
      if (failed(convert(func)))
        return signalPassFailure();
    }
  }

  LogicalResult convert(func::FuncOp func) {
    FunctionType type = func.getFunctionType();
    for (Type t : llvm::concat<const Type>(type.getInputs(), type.getResults()))
      if (!isa<RankedTensorType>(t) || !cast<RankedTensorType>(t).hasStaticShape())
        return func.emitError("entry function needs statically shaped tensors, got ") << t;
    Block &entry = func.front();
    unsigned numIn = type.getNumInputs();
    SmallVector<Type> argTypes;
    for (Type t : type.getInputs())
      argTypes.push_back(bufferTypeFor(t));
    for (Type t : type.getResults())
      argTypes.push_back(bufferTypeFor(t));

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
    for (auto [value, out] : llvm::zip(ret.getOperands(), outArgs)) {
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
