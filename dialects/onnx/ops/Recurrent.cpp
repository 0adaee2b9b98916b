//===- Recurrent.cpp - verifiers of the onnx recurrent ops -===//
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;
using namespace mcc::onnx;

namespace {

/// The checks RNN, GRU and LSTM share; `gates` is the number of gate blocks stacked in W and R.
template <typename RecurrentOp> LogicalResult verifyRecurrent(RecurrentOp op, int64_t gates) {
  StringRef dir = op.getDirection();
  if (dir != "forward" && dir != "reverse" && dir != "bidirectional")
    return op.emitOpError("direction must be forward, reverse or bidirectional, got '") << dir << "'";
  if (op.getLayout() != 0 && op.getLayout() != 1)
    return op.emitOpError("layout must be 0 or 1");
  auto x = tensorTypeOf(op.getX()), w = tensorTypeOf(op.getW()), r = tensorTypeOf(op.getR());
  if (x.getRank() != 3 || w.getRank() != 3 || r.getRank() != 3)
    return op.emitOpError("X, W and R must be 3-D");
  if (!w.hasStaticShape() || !r.hasStaticShape())
    return success();
  int64_t dirs = dir == "bidirectional" ? 2 : 1, hidden = r.getDimSize(2);
  if (w.getDimSize(0) != dirs || r.getDimSize(0) != dirs)
    return op.emitOpError("W and R must have ") << dirs << " direction(s) for direction '" << dir << "'";
  if (auto hs = op.getHiddenSize(); hs && (int64_t)*hs != hidden)
    return op.emitOpError("hidden_size ") << *hs << " does not match R's hidden size " << hidden;
  if (w.getDimSize(1) != gates * hidden || r.getDimSize(1) != gates * hidden)
    return op.emitOpError("W and R must stack ") << gates << " gates of hidden size " << hidden;
  if (x.hasStaticShape() && w.getDimSize(2) != x.getDimSize(2))
    return op.emitOpError("W's input size ") << w.getDimSize(2) << " != X's " << x.getDimSize(2);
  if (!isNoValue(op.getB())) {
    auto b = tensorTypeOf(op.getB());
    if (b.hasStaticShape() && (b.getRank() != 2 || b.getDimSize(0) != dirs || b.getDimSize(1) != 2 * gates * hidden))
      return op.emitOpError("B must be [") << dirs << ", " << 2 * gates * hidden << "], got " << b;
  }
  return success();
}

} // namespace

LogicalResult RNNOp::verify() { return verifyRecurrent(*this, 1); }
LogicalResult GRUOp::verify() { return verifyRecurrent(*this, 3); }
LogicalResult LSTMOp::verify() {
  if (failed(verifyRecurrent(*this, 4)))
    return failure();
  if (!isNoValue(getP())) {
    auto p = tensorTypeOf(getP()), r = tensorTypeOf(getR());
    if (p.hasStaticShape() && r.hasStaticShape() &&
        (p.getRank() != 2 || p.getDimSize(0) != r.getDimSize(0) || p.getDimSize(1) != 3 * r.getDimSize(2)))
      return emitOpError("P must be [") << r.getDimSize(0) << ", " << 3 * r.getDimSize(2) << "], got " << p;
  }
  return success();
}
