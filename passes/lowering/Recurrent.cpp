//===- Recurrent.cpp - onnx RNN, GRU, LSTM -> linalg + scf ----------------===//
//
// Each direction is one scf.for over time steps carrying its state tensors as iter_args. The input
// projection X W^T + Wb of all steps is one contraction before the loop; each step is the recurrent
// contraction H R^T + Rb and one elementwise generic computing the gates (ONNX gate order: LSTM
// i, o, f, c; GRU z, r, h) that writes the new state in place. Every buffer a step writes is carried
// as an iter_arg, so nothing is allocated inside the loop.
//
// A reverse direction runs forward over its input reversed within each batch entry's sequence
// length and reverses its Y back. Steps at or past a batch entry's sequence length keep its state
// and write zeros to Y (as ONNX Runtime).
//
//===----------------------------------------------------------------------===//
#include "passes/lowering/LoweringUtils.h"
#include "passes/lowering/RuntimeChecks.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include <cctype>

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {
namespace {

enum class CellKind { RNN, GRU, LSTM };

struct Activation {
  std::string name; // lower case
  double alpha = 0, beta = 0;
};

/// The activation functions of every direction (`perDirection` each), with their alpha/beta consumed
/// in order by the functions that take them (as ONNX Runtime does).
FailureOr<SmallVector<Activation>> parseActivations(Operation *op, std::optional<ArrayAttr> names,
                                                    std::optional<ArrayRef<float>> alphas,
                                                    std::optional<ArrayRef<float>> betas, ArrayRef<StringRef> defaults,
                                                    int64_t dirs) {
  SmallVector<std::string> list;
  if (names && !names->empty()) {
    for (Attribute a : *names)
      list.push_back(cast<StringAttr>(a).getValue().lower());
    if ((int64_t)list.size() != (int64_t)defaults.size() * dirs)
      return op->emitError("activations must list ") << defaults.size() * dirs << " functions, got " << list.size(),
             failure();
  } else {
    for (int64_t d = 0; d < dirs; ++d)
      for (StringRef s : defaults)
        list.push_back(s.lower());
  }
  // name -> (takes alpha, takes beta, default alpha, default beta)
  struct Usage {
    bool alpha, beta;
    double a, b;
  };
  static const llvm::StringMap<Usage> usage = {
      {"relu", {false, false, 0, 0}},         {"tanh", {false, false, 0, 0}},
      {"sigmoid", {false, false, 0, 0}},      {"softsign", {false, false, 0, 0}},
      {"softplus", {false, false, 0, 0}},     {"affine", {true, true, 1.0, 0.0}},
      {"leakyrelu", {true, false, 0.01, 0}},  {"thresholdedrelu", {true, false, 1.0, 0}},
      {"scaledtanh", {true, true, 1.0, 1.0}}, {"hardsigmoid", {true, true, 0.2, 0.5}},
      {"elu", {true, false, 1.0, 0}}};
  size_t ai = 0, bi = 0;
  SmallVector<Activation> acts;
  for (const std::string &name : list) {
    auto it = usage.find(name);
    if (it == usage.end())
      return op->emitError("activation '") << name << "' is not supported", failure();
    Activation a{name, it->second.a, it->second.b};
    if (it->second.alpha && alphas && ai < alphas->size())
      a.alpha = (*alphas)[ai++];
    if (it->second.beta && betas && bi < betas->size())
      a.beta = (*betas)[bi++];
    acts.push_back(a);
  }
  return acts;
}

Value activate(OpBuilder &b, Location loc, const Activation &a, Value x) {
  Type t = x.getType();
  auto cst = [&](double v) { return scalarConstant(b, loc, t, v); };
  auto add = [&](Value p, Value q) { return arith::AddFOp::create(b, loc, p, q).getResult(); };
  auto mul = [&](Value p, Value q) { return arith::MulFOp::create(b, loc, p, q).getResult(); };
  auto select = [&](arith::CmpFPredicate pred, Value lhs, Value rhs, Value yes, Value no) {
    Value c = arith::CmpFOp::create(b, loc, pred, lhs, rhs);
    return arith::SelectOp::create(b, loc, c, yes, no).getResult();
  };
  StringRef n = a.name;
  if (n == "sigmoid") {
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
    return arith::DivFOp::create(b, loc, cst(1), add(cst(1), e));
  }
  if (n == "tanh")
    return math::TanhOp::create(b, loc, x);
  if (n == "relu")
    return select(arith::CmpFPredicate::OGT, x, cst(0), x, cst(0));
  if (n == "affine")
    return add(mul(cst(a.alpha), x), cst(a.beta));
  if (n == "leakyrelu")
    return select(arith::CmpFPredicate::OGE, x, cst(0), x, mul(cst(a.alpha), x));
  if (n == "thresholdedrelu")
    return select(arith::CmpFPredicate::OGT, x, cst(a.alpha), x, cst(0));
  if (n == "scaledtanh")
    return mul(cst(a.alpha), math::TanhOp::create(b, loc, mul(cst(a.beta), x)));
  if (n == "hardsigmoid") {
    Value v = add(mul(cst(a.alpha), x), cst(a.beta));
    return arith::MinNumFOp::create(b, loc, arith::MaxNumFOp::create(b, loc, v, cst(0)), cst(1));
  }
  if (n == "elu") {
    Value em1 = math::ExpM1Op::create(b, loc, x);
    return select(arith::CmpFPredicate::OGE, x, cst(0), x, mul(cst(a.alpha), em1));
  }
  if (n == "softsign")
    return arith::DivFOp::create(b, loc, x, add(cst(1), math::AbsFOp::create(b, loc, x)));
  // softplus: log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|)), without overflow.
  Value negAbs = arith::NegFOp::create(b, loc, math::AbsFOp::create(b, loc, x));
  Value pos = arith::MaxNumFOp::create(b, loc, x, cst(0));
  return add(pos, math::Log1pOp::create(b, loc, math::ExpOp::create(b, loc, negAbs)));
}

Value transpose(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> perm) {
  auto type = tensorType(v);
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  Value init = tensor::EmptyOp::create(b, loc, shape, type.getElementType());
  return linalg::TransposeOp::create(b, loc, v, init, perm)->getResult(0);
}

/// v[d] (rank-reduced), optionally only rows [off, off + len) of the next dim.
Value sliceDir(OpBuilder &b, Location loc, Value v, int64_t d, int64_t off = 0, int64_t len = -1) {
  auto type = tensorType(v);
  SmallVector<int64_t> offsets(type.getRank(), 0), sizes(type.getShape()), strides(type.getRank(), 1);
  offsets[0] = d;
  sizes[0] = 1;
  if (len >= 0) {
    offsets[1] = off;
    sizes[1] = len;
  }
  auto resultType = RankedTensorType::get(ArrayRef<int64_t>(sizes).drop_front(), type.getElementType());
  MLIRContext *ctx = b.getContext();
  return tensor::ExtractSliceOp::create(b, loc, resultType, v, getAsIndexOpFoldResult(ctx, offsets),
                                        getAsIndexOpFoldResult(ctx, sizes), getAsIndexOpFoldResult(ctx, strides));
}

/// Rows [off, off + len) of a 2-D tensor, or elements of a 1-D one.
Value sliceRows(OpBuilder &b, Location loc, Value v, int64_t off, int64_t len) {
  auto type = tensorType(v);
  SmallVector<int64_t> offsets(type.getRank(), 0), sizes(type.getShape()), strides(type.getRank(), 1);
  offsets[0] = off;
  sizes[0] = len;
  MLIRContext *ctx = b.getContext();
  return tensor::ExtractSliceOp::create(b, loc, RankedTensorType::get(sizes, type.getElementType()), v,
                                        getAsIndexOpFoldResult(ctx, offsets), getAsIndexOpFoldResult(ctx, sizes),
                                        getAsIndexOpFoldResult(ctx, strides));
}

/// `dest` overwritten with `bias` [N] broadcast along its last dim, or with zeros.
Value biasInto(OpBuilder &b, Location loc, Value bias, Value dest) {
  auto type = tensorType(dest);
  if (!bias)
    return linalg::FillOp::create(b, loc, scalarConstant(b, loc, type.getElementType(), 0), dest).getResult(0);
  int64_t rank = type.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps{AffineMap::get(rank, 0, {getAffineDimExpr(rank - 1, ctx)}, ctx),
                              b.getMultiDimIdentityMap(rank)};
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, ValueRange{bias}, ValueRange{dest}, maps,
             SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
             [](OpBuilder &nb, Location l, ValueRange a) { linalg::YieldOp::create(nb, l, a[0]); })
      .getResult(0);
}

/// dest = lhs[..., K] * rhs[N, K]^T + bias[N] (bias may be null), written into `dest` [..., N].
Value contractTransposedInto(OpBuilder &b, Location loc, Value lhs, Value rhs, Value bias, Value dest) {
  MLIRContext *ctx = b.getContext();
  auto lType = tensorType(lhs);
  int64_t batch = lType.getRank() - 1, numLoops = batch + 2;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> le, oe;
  for (int64_t i = 0; i < batch; ++i) {
    le.push_back(d(i));
    oe.push_back(d(i));
  }
  le.push_back(d(batch + 1));
  oe.push_back(d(batch));
  SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, le, ctx),
                              AffineMap::get(numLoops, 0, {d(batch), d(batch + 1)}, ctx),
                              AffineMap::get(numLoops, 0, oe, ctx)};
  SmallVector<utils::IteratorType> iters(numLoops, utils::IteratorType::parallel);
  iters.back() = utils::IteratorType::reduction;
  Value init = biasInto(b, loc, bias, dest);
  return linalg::GenericOp::create(b, loc, TypeRange{init.getType()}, ValueRange{lhs, rhs}, ValueRange{init}, maps,
                                   iters,
                                   [](OpBuilder &nb, Location l, ValueRange a) {
                                     Value p = arith::MulFOp::create(nb, l, a[0], a[1]);
                                     linalg::YieldOp::create(nb, l, arith::AddFOp::create(nb, l, a[2], p).getResult());
                                   })
      .getResult(0);
}

/// The step index t read for (t, b) of a sequence reversed within its length: len-1-t below len.
Value reversedStep(OpBuilder &b, Location loc, Value t, Value len) {
  Value inside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, t, len);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value rev = arith::SubIOp::create(b, loc, arith::SubIOp::create(b, loc, len, one), t);
  return arith::SelectOp::create(b, loc, inside, rev, t);
}

/// v [S, B, F] with each batch entry's first len[b] steps reversed (all S steps when `lens` is null).
Value reverseTime(OpBuilder &b, Location loc, Value v, Value lens) {
  MLIRContext *ctx = b.getContext();
  auto type = tensorType(v);
  int64_t s = type.getDimSize(0);
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  SmallVector<utils::IteratorType> iters(3, utils::IteratorType::parallel);
  if (!lens) {
    SmallVector<AffineMap> maps{AffineMap::get(3, 0, {getAffineConstantExpr(s - 1, ctx) - d(0), d(1), d(2)}, ctx),
                                b.getMultiDimIdentityMap(3)};
    return linalg::GenericOp::create(
               b, loc, TypeRange{type}, ValueRange{v}, ValueRange{init}, maps, iters,
               [](OpBuilder &nb, Location l, ValueRange a) { linalg::YieldOp::create(nb, l, a[0]); })
        .getResult(0);
  }
  SmallVector<AffineMap> maps{AffineMap::get(3, 0, {d(1)}, ctx), b.getMultiDimIdentityMap(3)};
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, ValueRange{lens}, ValueRange{init}, maps, iters,
             [&](OpBuilder &nb, Location l, ValueRange a) {
               Value len = arith::IndexCastOp::create(nb, l, nb.getIndexType(), a[0]);
               Value t = linalg::IndexOp::create(nb, l, 0);
               Value src = reversedStep(nb, l, t, len);
               Value x = tensor::ExtractOp::create(
                   nb, l, v, ValueRange{src, linalg::IndexOp::create(nb, l, 1), linalg::IndexOp::create(nb, l, 2)});
               linalg::YieldOp::create(nb, l, x);
             })
      .getResult(0);
}

/// Operands of one step's elementwise generic over (b, j) in [B, H]. Gate blocks are passed as
/// column slices (views), so that every operand's map is a plain projection of the loops.
struct StepOperands {
  StepOperands(OpBuilder &b, Location loc, int64_t hidden) : b(b), loc(loc), hidden(hidden) {}
  OpBuilder &b;
  Location loc;
  int64_t hidden;
  SmallVector<Value> ins;
  SmallVector<AffineMap> maps;
  /// Columns [off, off + H) of a [B, N] tensor.
  unsigned gate(Value v, int64_t off) {
    auto type = tensorType(v);
    int64_t batch = type.getDimSize(0);
    Value slice = v;
    if (off != 0 || type.getDimSize(1) != hidden)
      slice = tensor::ExtractSliceOp::create(b, loc, RankedTensorType::get({batch, hidden}, type.getElementType()), v,
                                             getAsIndexOpFoldResult(b.getContext(), {0, off}),
                                             getAsIndexOpFoldResult(b.getContext(), {batch, hidden}),
                                             getAsIndexOpFoldResult(b.getContext(), {1, 1}));
    return push(slice, {getAffineDimExpr(0, b.getContext()), getAffineDimExpr(1, b.getContext())});
  }
  /// Elements [off, off + H) of an [N] vector, read at j.
  unsigned row(Value v, int64_t off) {
    return push(sliceRows(b, loc, v, off, hidden), {getAffineDimExpr(1, b.getContext())});
  }
  /// A [B] vector read at b.
  unsigned batch(Value v) { return push(v, {getAffineDimExpr(0, b.getContext())}); }
  unsigned push(Value v, ArrayRef<AffineExpr> exprs) {
    ins.push_back(v);
    maps.push_back(AffineMap::get(2, 0, exprs, b.getContext()));
    return ins.size() - 1;
  }
};

struct RecurrentParams {
  CellKind kind;
  int64_t gates;
  Value x, w, r, bias, lens, h0, c0, peep; // converted operands; null when omitted
  Value lensOriginal;                      // the onnx sequence_lens, for constants
  RankedTensorType yType, yhType, ycType;  // null when the output is omitted
  StringRef direction;
  int64_t layout;
  std::optional<double> clip;
  bool linearBeforeReset = false, inputForget = false;
  SmallVector<Activation> acts;
};

/// Y, Y_h and Y_c (null where not wanted).
FailureOr<SmallVector<Value>> lowerRecurrent(OpBuilder &b, Location loc, Operation *op, RecurrentParams &p) {
  MLIRContext *ctx = b.getContext();
  auto xType = tensorType(p.x);
  auto elt = dyn_cast<FloatType>(xType.getElementType());
  if (!elt)
    return op->emitError("element type ") << xType.getElementType() << " is not supported", failure();
  bool batchFirst = p.layout == 1;
  Value x = batchFirst ? transpose(b, loc, p.x, {1, 0, 2}) : p.x;
  int64_t s = tensorType(x).getDimSize(0), batch = tensorType(x).getDimSize(1);
  int64_t hidden = tensorType(p.r).getDimSize(2), dirs = tensorType(p.w).getDimSize(0);
  int64_t gh = p.gates * hidden;
  auto expect = [&](Value v, ArrayRef<int64_t> shape, StringRef what) -> LogicalResult {
    if (v && tensorType(v).getShape() != shape)
      return op->emitError(what) << " has type " << tensorType(v) << ", expected "
                                 << RankedTensorType::get(shape, tensorType(v).getElementType());
    return success();
  };
  SmallVector<int64_t> stateShape =
      batchFirst ? SmallVector<int64_t>{batch, dirs, hidden} : SmallVector<int64_t>{dirs, batch, hidden};
  SmallVector<int64_t> yShape =
      batchFirst ? SmallVector<int64_t>{batch, s, dirs, hidden} : SmallVector<int64_t>{s, dirs, batch, hidden};
  if (failed(expect(p.h0, stateShape, "initial_h")) || failed(expect(p.c0, stateShape, "initial_c")) ||
      failed(expect(p.peep, {dirs, 3 * hidden}, "P")))
    return failure();
  if ((p.yType && p.yType.getShape() != ArrayRef<int64_t>(yShape)) ||
      (p.yhType && p.yhType.getShape() != ArrayRef<int64_t>(stateShape)) ||
      (p.ycType && p.ycType.getShape() != ArrayRef<int64_t>(stateShape)))
    return op->emitError("result shapes do not match the inputs"), failure();
  if (p.lens &&
      (tensorType(p.lens).getShape() != ArrayRef<int64_t>{batch} || !tensorType(p.lens).getElementType().isInteger()))
    return op->emitError("sequence_lens must be an integer vector of the batch size"), failure();
  if (tensorType(p.w).getDimSize(2) != tensorType(x).getDimSize(2))
    return op->emitError("W's input size does not match X"), failure();
  Value h0 = p.h0 && batchFirst ? transpose(b, loc, p.h0, {1, 0, 2}) : p.h0;
  Value c0 = p.c0 && batchFirst ? transpose(b, loc, p.c0, {1, 0, 2}) : p.c0;

  // Sequence lengths as i64. A length outside [0, S] returns MCC_ERR_INVALID_SIZE (as ONNX Runtime
  // rejects it); the clamp to [0, S] keeps the loops inside the tensors regardless.
  Type i64 = b.getI64Type();
  Value lens;
  if (p.lens) {
    if (failed(checkInRange(b, op, p.lensOriginal, p.lens, 0, s, std::nullopt, RuntimeError::InvalidSize,
                            "sequence_lens value")))
      return failure();
    Type lensElt = tensorType(p.lens).getElementType();
    lens = elementwise(b, loc, RankedTensorType::get({batch}, i64), {p.lens},
                       [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                         Value v = a[0];
                         if (lensElt.getIntOrFloatBitWidth() < 64)
                           v = arith::ExtSIOp::create(nb, l, i64, v);
                         else if (lensElt.getIntOrFloatBitWidth() > 64)
                           v = arith::TruncIOp::create(nb, l, i64, v);
                         v = arith::MaxSIOp::create(nb, l, v, scalarConstant(nb, l, i64, 0));
                         return arith::MinSIOp::create(nb, l, v, scalarConstant(nb, l, i64, (double)s));
                       });
  }

  int64_t perDir = p.acts.size() / dirs;
  auto stateType = RankedTensorType::get({batch, hidden}, elt);
  auto seqType = RankedTensorType::get({s, batch, hidden}, elt);
  Value zero = scalarConstant(b, loc, elt, 0);
  SmallVector<Value> ys, hs, cs;
  for (int64_t d = 0; d < dirs; ++d) {
    bool reverse = p.direction == "reverse" || d == 1;
    ArrayRef<Activation> acts = ArrayRef<Activation>(p.acts).slice(d * perDir, perDir);
    Value wd = sliceDir(b, loc, p.w, d), rd = sliceDir(b, loc, p.r, d);
    Value wb, rb;
    if (p.bias) {
      wb = sliceDir(b, loc, p.bias, d, 0, gh);
      rb = sliceDir(b, loc, p.bias, d, gh, gh);
    }
    Value xd = reverse ? reverseTime(b, loc, x, lens) : x;
    Value xw = contractTransposedInto(b, loc, xd, wd, wb,
                                      tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{s, batch, gh}, elt));
    // Initial states are copied: the loop updates them in place.
    auto initState = [&](Value init) -> Value {
      Value dest = tensor::EmptyOp::create(b, loc, stateType.getShape(), elt);
      if (!init)
        return linalg::FillOp::create(b, loc, zero, dest).getResult(0);
      return linalg::CopyOp::create(b, loc, sliceDir(b, loc, init, d), dest).getResult(0);
    };
    SmallVector<Value> iterInits{initState(h0)};
    int64_t cIdx = -1, yIdx = -1;
    if (p.kind == CellKind::LSTM) {
      cIdx = iterInits.size();
      iterInits.push_back(initState(c0));
    }
    if (p.yType) {
      yIdx = iterInits.size();
      iterInits.push_back(filledTensor(b, loc, seqType, zero));
    }
    // Scratch buffers of the step: the recurrent contraction(s) and GRU's r * H.
    bool gruSplit = p.kind == CellKind::GRU && !p.linearBeforeReset;
    int64_t hrWidth = gruSplit ? 2 * hidden : gh;
    int64_t scratchIdx = iterInits.size();
    // Scratch buffers start as zeros, not tensor.empty: uninitialised buffers of one shape would be
    // CSE'd into one allocation that one-shot bufferization then lets two iter_args share.
    iterInits.push_back(filledTensor(b, loc, RankedTensorType::get({batch, hrWidth}, elt), zero));
    Value rdMain = rd, rdH;
    if (gruSplit) {
      rdMain = sliceRows(b, loc, rd, 0, 2 * hidden);
      rdH = sliceRows(b, loc, rd, 2 * hidden, hidden);
      iterInits.push_back(filledTensor(b, loc, stateType, zero)); // r * H
      iterInits.push_back(filledTensor(b, loc, stateType, zero)); // (r * H) Rh^T
    }

    Value peepD = p.peep ? sliceDir(b, loc, p.peep, d) : Value();
    Value lb = arith::ConstantIndexOp::create(b, loc, 0), ub = arith::ConstantIndexOp::create(b, loc, s),
          step = arith::ConstantIndexOp::create(b, loc, 1);
    auto loop =
        scf::ForOp::create(b, loc, lb, ub, step, iterInits, [&](OpBuilder &nb, Location l, Value t, ValueRange args) {
          auto clipped = [&](OpBuilder &bb, Location ll, Value v) -> Value {
            if (!p.clip)
              return v;
            Value c = scalarConstant(bb, ll, elt, *p.clip), nc = scalarConstant(bb, ll, elt, -*p.clip);
            return arith::MinNumFOp::create(bb, ll, arith::MaxNumFOp::create(bb, ll, v, nc), c);
          };
          auto addf = [](OpBuilder &bb, Location ll, Value u, Value v) {
            return arith::AddFOp::create(bb, ll, u, v).getResult();
          };
          auto mulf = [](OpBuilder &bb, Location ll, Value u, Value v) {
            return arith::MulFOp::create(bb, ll, u, v).getResult();
          };
          Value h = args[0];
          SmallVector<Value> yields(args.begin(), args.end());
          // Step t's input projection is read with tensor.extract in the payloads: a slice at the
          // dynamic offset t would become a subview whose offset arithmetic the CPU pipeline cannot
          // lower after its affine lowering.
          auto xwAt = [&](OpBuilder &bb, Location ll, int64_t g) -> Value {
            Value j = linalg::IndexOp::create(bb, ll, 1);
            if (g)
              j = arith::AddIOp::create(bb, ll, j, arith::ConstantIndexOp::create(bb, ll, g * hidden));
            return tensor::ExtractOp::create(bb, ll, xw, ValueRange{t, linalg::IndexOp::create(bb, ll, 0), j});
          };
          Value hr = contractTransposedInto(nb, l, h, rdMain, Value(), args[scratchIdx]);
          yields[scratchIdx] = hr;
          Value tI64 = arith::IndexCastOp::create(nb, l, i64, t);
          // Whether step t is inside batch entry b's sequence; with no sequence_lens every step is. Each
          // output of the step's generics is selected against its old value, so the payload reads every
          // output and the update stays in place in its loop-carried buffer (upstream's outs-dependency
          // removal would otherwise give it a fresh buffer inside the loop).
          auto valid = [&](OpBuilder &bb, Location ll, ValueRange a, unsigned lenIdx) -> Value {
            Value len = lens ? a[lenIdx] : scalarConstant(bb, ll, i64, (double)s);
            return arith::CmpIOp::create(bb, ll, arith::CmpIPredicate::slt, tI64, len);
          };

          Value rhProj;
          if (gruSplit) {
            // r = f(X Wr + H Rr + b); (r * H) Rh^T + Rbh.
            StepOperands so(nb, l, hidden);
            unsigned hrr = so.gate(hr, hidden), hi = so.gate(h, 0);
            unsigned rbr = rb ? so.row(rb, hidden) : 0, li = lens ? so.batch(lens) : 0;
            unsigned numIns = so.ins.size();
            so.maps.push_back(nb.getMultiDimIdentityMap(2));
            Value rh =
                linalg::GenericOp::create(nb, l, TypeRange{stateType}, so.ins, ValueRange{args[scratchIdx + 1]},
                                          so.maps, SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
                                          [&](OpBuilder &bb, Location ll, ValueRange a) {
                                            Value pre = addf(bb, ll, xwAt(bb, ll, 1), a[hrr]);
                                            if (rb)
                                              pre = addf(bb, ll, pre, a[rbr]);
                                            Value r = activate(bb, ll, acts[0], clipped(bb, ll, pre));
                                            Value v = arith::SelectOp::create(bb, ll, valid(bb, ll, a, li),
                                                                              mulf(bb, ll, r, a[hi]), a[numIns]);
                                            linalg::YieldOp::create(bb, ll, v);
                                          })
                    .getResult(0);
            yields[scratchIdx + 1] = rh;
            rhProj = contractTransposedInto(nb, l, rh, rdH, Value(), args[scratchIdx + 2]);
            yields[scratchIdx + 2] = rhProj;
          }

          // The step's elementwise generic: reads the gate pre-activations, writes the new state (and
          // the step's Y) in place.
          StepOperands so(nb, l, hidden);
          SmallVector<unsigned> hg, rbg, pg;
          for (int64_t g = 0; g < p.gates; ++g) {
            if (!gruSplit || g < 2)
              hg.push_back(so.gate(hr, g * hidden));
            if (rb)
              rbg.push_back(so.row(rb, g * hidden));
          }
          unsigned rhIdx = 0, lenIdx = 0;
          if (gruSplit)
            rhIdx = so.gate(rhProj, 0);
          if (peepD) {
            for (int64_t k = 0; k < 3; ++k)
              pg.push_back(so.row(peepD, k * hidden));
          }
          if (lens)
            lenIdx = so.batch(lens);
          SmallVector<Value> outs{h};
          SmallVector<Type> outTypes{stateType};
          if (cIdx >= 0) {
            outs.push_back(args[cIdx]);
            outTypes.push_back(stateType);
          }
          for (size_t i = 0; i < outs.size(); ++i)
            so.maps.push_back(nb.getMultiDimIdentityMap(2));
          size_t numIns = so.ins.size();
          auto gen = linalg::GenericOp::create(
              nb, l, outTypes, so.ins, outs, so.maps,
              SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
              [&](OpBuilder &bb, Location ll, ValueRange a) {
                Value hOld = a[numIns];
                Value cOld = cIdx >= 0 ? a[numIns + 1] : Value();
                // Gate g's pre-activation X W^T + Wb + H R^T + Rb.
                auto recurrent = [&](unsigned g) { return rb ? addf(bb, ll, a[hg[g]], a[rbg[g]]) : a[hg[g]]; };
                auto pre = [&](unsigned g) { return addf(bb, ll, xwAt(bb, ll, g), recurrent(g)); };
                Value hNew, cNew;
                switch (p.kind) {
                case CellKind::RNN:
                  hNew = activate(bb, ll, acts[0], clipped(bb, ll, pre(0)));
                  break;
                case CellKind::GRU: {
                  Value z = activate(bb, ll, acts[0], clipped(bb, ll, pre(0)));
                  Value cand;
                  if (gruSplit) { // X Wh^T + Wbh + (r * H) Rh^T + Rbh
                    cand = addf(bb, ll, xwAt(bb, ll, 2), a[rhIdx]);
                    if (rb)
                      cand = addf(bb, ll, cand, a[rbg[2]]);
                  } else { // X Wh^T + Wbh + r * (H Rh^T + Rbh)
                    Value r = activate(bb, ll, acts[0], clipped(bb, ll, pre(1)));
                    cand = addf(bb, ll, xwAt(bb, ll, 2), mulf(bb, ll, r, recurrent(2)));
                  }
                  Value hc = activate(bb, ll, acts[1], clipped(bb, ll, cand));
                  // (1 - z) * hc + z * H
                  Value oneMinusZ = arith::SubFOp::create(bb, ll, scalarConstant(bb, ll, elt, 1), z);
                  hNew = addf(bb, ll, mulf(bb, ll, oneMinusZ, hc), mulf(bb, ll, z, hOld));
                  break;
                }
                case CellKind::LSTM: {
                  // Gate blocks: i 0, o 1, f 2, c 3; peepholes i, o, f.
                  auto withPeep = [&](Value v, int k, Value cell) {
                    return p.peep ? addf(bb, ll, v, mulf(bb, ll, a[pg[k]], cell)) : v;
                  };
                  Value i = activate(bb, ll, acts[0], clipped(bb, ll, withPeep(pre(0), 0, cOld)));
                  Value f = p.inputForget ? arith::SubFOp::create(bb, ll, scalarConstant(bb, ll, elt, 1), i).getResult()
                                          : activate(bb, ll, acts[0], clipped(bb, ll, withPeep(pre(2), 2, cOld)));
                  Value cc = activate(bb, ll, acts[1], clipped(bb, ll, pre(3)));
                  cNew = addf(bb, ll, mulf(bb, ll, f, cOld), mulf(bb, ll, i, cc));
                  Value o = activate(bb, ll, acts[0], clipped(bb, ll, withPeep(pre(1), 1, cNew)));
                  hNew = mulf(bb, ll, o, activate(bb, ll, acts[2], cNew));
                  break;
                }
                }
                Value inside = valid(bb, ll, a, lenIdx);
                hNew = arith::SelectOp::create(bb, ll, inside, hNew, hOld);
                if (cNew)
                  cNew = arith::SelectOp::create(bb, ll, inside, cNew, cOld);
                SmallVector<Value> results{hNew};
                if (cNew)
                  results.push_back(cNew);
                linalg::YieldOp::create(bb, ll, results);
              });
          unsigned res = 0;
          yields[0] = gen.getResult(res++);
          if (cIdx >= 0)
            yields[cIdx] = gen.getResult(res++);
          if (yIdx >= 0) {
            // Y[t] = H where step t is inside the sequence, 0 past its end (scalar stores: see xwAt).
            Value hNew = yields[0];
            Value c0 = arith::ConstantIndexOp::create(nb, l, 0), c1 = arith::ConstantIndexOp::create(nb, l, 1);
            Value cb = arith::ConstantIndexOp::create(nb, l, batch), ch = arith::ConstantIndexOp::create(nb, l, hidden);
            auto bLoop = scf::ForOp::create(
                nb, l, c0, cb, c1, ValueRange{args[yIdx]}, [&](OpBuilder &bb, Location ll, Value bi, ValueRange ba) {
                  Value inside = arith::ConstantIntOp::create(bb, ll, 1, 1);
                  if (lens)
                    inside = arith::CmpIOp::create(bb, ll, arith::CmpIPredicate::slt, tI64,
                                                   tensor::ExtractOp::create(bb, ll, lens, ValueRange{bi}));
                  auto jLoop = scf::ForOp::create(
                      bb, ll, c0, ch, c1, ValueRange{ba[0]}, [&](OpBuilder &jb, Location jl, Value ji, ValueRange ja) {
                        Value v = tensor::ExtractOp::create(jb, jl, hNew, ValueRange{bi, ji});
                        v = arith::SelectOp::create(jb, jl, inside, v, scalarConstant(jb, jl, elt, 0));
                        scf::YieldOp::create(
                            jb, jl, tensor::InsertOp::create(jb, jl, v, ja[0], ValueRange{t, bi, ji}).getResult());
                      });
                  scf::YieldOp::create(bb, ll, jLoop.getResult(0));
                });
            yields[yIdx] = bLoop.getResult(0);
          }
          scf::YieldOp::create(nb, l, yields);
        });
    hs.push_back(loop.getResult(0));
    if (cIdx >= 0)
      cs.push_back(loop.getResult(cIdx));
    if (yIdx >= 0) {
      Value y = loop.getResult(yIdx);
      ys.push_back(reverse ? reverseTime(b, loc, y, lens) : y);
    }
  }

  // Stack the directions: Y [S, dirs, B, H], Y_h and Y_c [dirs, B, H]; then the batch-first layout.
  auto stack = [&](ArrayRef<Value> parts, ArrayRef<int64_t> shape, int64_t dirDim) -> Value {
    Value out = tensor::EmptyOp::create(b, loc, shape, elt);
    for (int64_t d = 0; d < dirs; ++d) {
      SmallVector<int64_t> offsets(shape.size(), 0), sizes(shape), strides(shape.size(), 1);
      offsets[dirDim] = d;
      sizes[dirDim] = 1;
      out = tensor::InsertSliceOp::create(b, loc, parts[d], out, getAsIndexOpFoldResult(ctx, offsets),
                                          getAsIndexOpFoldResult(ctx, sizes), getAsIndexOpFoldResult(ctx, strides));
    }
    return out;
  };
  SmallVector<Value> results(3);
  if (p.yType) {
    Value y = stack(ys, {s, dirs, batch, hidden}, 1);
    results[0] = batchFirst ? transpose(b, loc, y, {2, 0, 1, 3}) : y;
  }
  if (p.yhType) {
    Value yh = stack(hs, {dirs, batch, hidden}, 0);
    results[1] = batchFirst ? transpose(b, loc, yh, {1, 0, 2}) : yh;
  }
  if (p.ycType) {
    Value yc = stack(cs, {dirs, batch, hidden}, 0);
    results[2] = batchFirst ? transpose(b, loc, yc, {1, 0, 2}) : yc;
  }
  return results;
}

RankedTensorType resultTypeOrNull(Value v) {
  return onnxd::isNoValue(v) ? RankedTensorType() : loweredType(v.getType());
}

template <typename OpT, typename AdaptorT>
FailureOr<RecurrentParams> commonParams(OpT op, AdaptorT adaptor, CellKind kind, int64_t gates,
                                        ArrayRef<StringRef> defaultActs) {
  RecurrentParams p;
  p.kind = kind;
  p.gates = gates;
  auto opt = [](Value orig, Value conv) { return onnxd::isNoValue(orig) ? Value() : conv; };
  p.x = adaptor.getX();
  p.w = adaptor.getW();
  p.r = adaptor.getR();
  p.bias = opt(op.getB(), adaptor.getB());
  p.lens = opt(op.getSequenceLens(), adaptor.getSequenceLens());
  p.lensOriginal = op.getSequenceLens();
  p.h0 = opt(op.getInitialH(), adaptor.getInitialH());
  p.yType = resultTypeOrNull(op.getY());
  p.yhType = resultTypeOrNull(op.getYH());
  p.direction = op.getDirection();
  p.layout = op.getLayout();
  if (auto c = op.getClip())
    p.clip = c->convertToDouble();
  if (p.clip && *p.clip < 0)
    return op.emitError("clip must be non-negative"), failure();
  int64_t dirs = tensorType(p.w).getDimSize(0);
  auto acts =
      parseActivations(op, op.getActivations(), op.getActivationAlpha(), op.getActivationBeta(), defaultActs, dirs);
  if (failed(acts))
    return failure();
  p.acts = std::move(*acts);
  return p;
}

template <typename OpT>
LogicalResult finish(OpT op, ConversionPatternRewriter &rewriter, FailureOr<SmallVector<Value>> results,
                     unsigned numResults) {
  if (failed(results))
    return failure();
  SmallVector<Value> replacements;
  for (unsigned i = 0; i < numResults; ++i)
    replacements.push_back((*results)[i]
                               ? (*results)[i]
                               : onnxd::NoValueOp::create(rewriter, op.getLoc(), rewriter.getNoneType()).getResult());
  rewriter.replaceOp(op, replacements);
  return success();
}

struct RNNLowering : OpConversionPattern<onnxd::RNNOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::RNNOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    auto p = commonParams(op, adaptor, CellKind::RNN, 1, {"Tanh"});
    if (failed(p))
      return failure();
    return finish(op, rewriter, lowerRecurrent(rewriter, op.getLoc(), op, *p), 2);
  }
};

struct GRULowering : OpConversionPattern<onnxd::GRUOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::GRUOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    auto p = commonParams(op, adaptor, CellKind::GRU, 3, {"Sigmoid", "Tanh"});
    if (failed(p))
      return failure();
    p->linearBeforeReset = op.getLinearBeforeReset() != 0;
    return finish(op, rewriter, lowerRecurrent(rewriter, op.getLoc(), op, *p), 2);
  }
};

struct LSTMLowering : OpConversionPattern<onnxd::LSTMOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::LSTMOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    auto p = commonParams(op, adaptor, CellKind::LSTM, 4, {"Sigmoid", "Tanh", "Tanh"});
    if (failed(p))
      return failure();
    p->c0 = onnxd::isNoValue(op.getInitialC()) ? Value() : adaptor.getInitialC();
    p->peep = onnxd::isNoValue(op.getP()) ? Value() : adaptor.getP();
    p->ycType = resultTypeOrNull(op.getYC());
    p->inputForget = op.getInputForget() != 0;
    return finish(op, rewriter, lowerRecurrent(rewriter, op.getLoc(), op, *p), 3);
  }
};

} // namespace

void populateRecurrentPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<RNNLowering, GRULowering, LSTMLowering>(converter, patterns.getContext());
}

} // namespace mcc::lowering
