//===- Resize.cpp - onnx Resize (and Upsample, mapped to it), GridSample -> linalg ===//
//
// The Resize family: declared in dialects/onnx/ops/Resize.td, older forms imported in
// compiler/import/adapters/Resize.cpp, tested in test/lit/lowering/resize*.mlir and gridsample*.mlir.
//
//===----------------------------------------------------------------------===//
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "passes/lowering/LoweringUtils.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {
namespace {

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

/// Resize as the ONNX reference computes it: per output element and resized dim, the source coordinate
/// from coordinate_transformation_mode (in f64, with output_width = scale * input_width), then 1, 2 or 4
/// taps at clamped (edge) indices with nearest, linear or cubic weights; the weighted sum runs in f64.
struct ResizeLowering : OpConversionPattern<onnxd::ResizeOp> {
  using OpConversionPattern::OpConversionPattern;

  struct DimPlan {
    bool identity = true;
    int64_t in = 0;
    Value scale, outWidth, roiStart, roiEnd; // f64
  };

  LogicalResult matchAndRewrite(onnxd::ResizeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto inType = tensorType(x);
    auto resultType = loweredType(op.getType());
    Type elt = resultType.getElementType();
    int64_t rank = inType.getRank();
    if (resultType.getRank() != rank)
      return op.emitError("result rank differs from the input rank");
    StringRef mode = op.getMode(), ctm = op.getCoordinateTransformationMode(), nearestMode = op.getNearestMode();
    if (mode != "nearest" && mode != "linear" && mode != "cubic")
      return op.emitError("mode '") << mode << "' is not one of nearest, linear, cubic";
    if (!llvm::is_contained({"half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nn",
                             "tf_crop_and_resize"},
                            ctm))
      return op.emitError("coordinate_transformation_mode '") << ctm << "' is not supported";
    if (mode == "nearest" &&
        !llvm::is_contained({"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"}, nearestMode))
      return op.emitError("nearest_mode '") << nearestMode << "' is not supported";
    if (mode != "nearest" && !isa<FloatType>(elt))
      return op.emitError(mode) << " interpolation needs a float element type, not " << elt;
    for (int64_t d = 0; d < rank; ++d)
      if (inType.getDimSize(d) == 0 && resultType.getDimSize(d) != 0)
        return op.emitError("cannot resize an empty dim to a non-empty one");
    if (resultType.getNumElements() == 0) {
      rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, resultType.getShape(), elt);
      return success();
    }

    auto present = [](Value original, Value converted) {
      return !onnxd::isNoValue(original) && tensorType(converted).getNumElements() > 0;
    };
    bool hasScales = present(op.getScales(), adaptor.getScales());
    bool hasSizes = present(op.getSizes(), adaptor.getSizes());
    if (hasScales == hasSizes)
      return op.emitError("exactly one of scales and sizes must be given");
    Value scalesT = adaptor.getScales(), sizesT = adaptor.getSizes();
    if (tensorType(hasScales ? scalesT : sizesT).getNumElements() != rank)
      return op.emitError(hasScales ? "scales" : "sizes") << " must have one entry per input dim";
    std::optional<SmallVector<double>> scales;
    if (hasScales) {
      if (!isa<FloatType>(tensorType(scalesT).getElementType()))
        return op.emitError("scales must be floats");
      scales = constantFloats(op.getScales(), scalesT);
      if (scales)
        for (int64_t d = 0; d < rank; ++d) {
          int64_t expected = (int64_t)std::floor((*scales)[d] * inType.getDimSize(d));
          if ((*scales)[d] <= 0 || expected != resultType.getDimSize(d))
            return op.emitError("scale ") << (*scales)[d] << " gives " << expected << " in dim " << d
                                          << ", the result type " << resultType.getDimSize(d);
        }
    } else if (auto sizes = constantInts(op.getSizes(), sizesT)) {
      if (ArrayRef(*sizes) != resultType.getShape())
        return op.emitError("sizes differ from the result shape ") << resultType;
    }
    bool crop = ctm == "tf_crop_and_resize";
    Value roiT = adaptor.getRoi();
    if (crop && (!present(op.getRoi(), roiT) || tensorType(roiT).getNumElements() != 2 * rank ||
                 !isa<FloatType>(tensorType(roiT).getElementType())))
      return op.emitError("tf_crop_and_resize needs a float roi with ") << 2 * rank << " entries";

    Type f64 = rewriter.getF64Type();
    auto f64Const = [&](OpBuilder &b, Location l, double v) -> Value {
      return arith::ConstantOp::create(b, l, b.getF64FloatAttr(v));
    };
    auto toF64 = [&](OpBuilder &b, Location l, Value v) -> Value {
      if (v.getType() == f64)
        return v;
      if (v.getType().getIntOrFloatBitWidth() < 64)
        return arith::ExtFOp::create(b, l, f64, v);
      return arith::TruncFOp::create(b, l, f64, v);
    };
    SmallVector<DimPlan> plans(rank);
    for (int64_t d = 0; d < rank; ++d) {
      DimPlan &p = plans[d];
      p.in = inType.getDimSize(d);
      int64_t out = resultType.getDimSize(d);
      bool unitScale = hasScales ? (scales && (*scales)[d] == 1.0) : true;
      p.identity = !crop && p.in == out && unitScale;
      if (p.identity)
        continue;
      if (hasScales)
        p.scale = scales ? f64Const(rewriter, loc, (*scales)[d])
                         : toF64(rewriter, loc, extractAt(rewriter, loc, scalesT, {d}));
      else
        p.scale = f64Const(rewriter, loc, (double)out / (double)p.in);
      p.outWidth = arith::MulFOp::create(rewriter, loc, p.scale, f64Const(rewriter, loc, (double)p.in));
      if (crop) {
        p.roiStart = toF64(rewriter, loc, extractAt(rewriter, loc, roiT, {d}));
        p.roiEnd = toF64(rewriter, loc, extractAt(rewriter, loc, roiT, {d + rank}));
      }
    }

    double a = op.getCubicCoeffA().convertToDouble();
    bool excludeOutside = op.getExcludeOutside() != 0;
    Value extrapolation = scalarConstant(rewriter, loc, elt, op.getExtrapolationValue().convertToDouble());

    Value result = indexedGeneric(
        rewriter, loc, resultType, {}, {}, [&](OpBuilder &b, Location l, ArrayRef<Value> ivs, ValueRange) -> Value {
          auto c = [&](double v) { return f64Const(b, l, v); };
          auto add = [&](Value p, Value q) { return arith::AddFOp::create(b, l, p, q).getResult(); };
          auto sub = [&](Value p, Value q) { return arith::SubFOp::create(b, l, p, q).getResult(); };
          auto mul = [&](Value p, Value q) { return arith::MulFOp::create(b, l, p, q).getResult(); };
          auto div = [&](Value p, Value q) { return arith::DivFOp::create(b, l, p, q).getResult(); };
          auto select = [&](Value cond, Value p, Value q) {
            return arith::SelectOp::create(b, l, cond, p, q).getResult();
          };
          auto cmp = [&](arith::CmpFPredicate pred, Value p, Value q) {
            return arith::CmpFOp::create(b, l, pred, p, q).getResult();
          };
          auto toIdx = [&](Value v, int64_t in, Value *outside) {
            Value i =
                arith::IndexCastOp::create(b, l, b.getIndexType(), arith::FPToSIOp::create(b, l, b.getI64Type(), v));
            if (outside) {
              Value lo =
                  arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, i, arith::ConstantIndexOp::create(b, l, 0));
              Value hi =
                  arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, i, arith::ConstantIndexOp::create(b, l, in));
              *outside = arith::OrIOp::create(b, l, lo, hi);
            }
            return arith::MinSIOp::create(b, l,
                                          arith::MaxSIOp::create(b, l, i, arith::ConstantIndexOp::create(b, l, 0)),
                                          arith::ConstantIndexOp::create(b, l, in - 1))
                .getResult();
          };

          // Per dim: the taps (indices) and their weights (null for nearest).
          SmallVector<SmallVector<Value>> taps(rank), weights(rank);
          Value outside;
          for (int64_t d = 0; d < rank; ++d) {
            const DimPlan &p = plans[d];
            if (p.identity) {
              taps[d].push_back(ivs[d]);
              continue;
            }
            Value xo = arith::SIToFPOp::create(b, l, f64, arith::IndexCastOp::create(b, l, b.getI64Type(), ivs[d]));
            Value inF = c((double)p.in);
            Value one = c(1.0), half = c(0.5);
            Value outIsOne = cmp(arith::CmpFPredicate::OEQ, p.outWidth, one);
            if (ctm == "half_pixel") {
              xo = sub(div(add(xo, half), p.scale), half);
            } else if (ctm == "pytorch_half_pixel") {
              xo = select(outIsOne, c(-0.5), sub(div(add(xo, half), p.scale), half));
            } else if (ctm == "align_corners") {
              xo = select(outIsOne, c(0.0), div(mul(xo, sub(inF, one)), sub(p.outWidth, one)));
            } else if (ctm == "asymmetric") {
              xo = div(xo, p.scale);
            } else if (ctm == "tf_half_pixel_for_nn") {
              xo = div(add(xo, half), p.scale);
            } else {
              Value span = sub(p.roiEnd, p.roiStart), last = sub(inF, one);
              xo = select(outIsOne, div(mul(span, last), c(2.0)), div(mul(mul(xo, span), last), sub(p.outWidth, one)));
              xo = add(xo, mul(p.roiStart, last));
              Value out = arith::OrIOp::create(b, l, cmp(arith::CmpFPredicate::OLT, xo, c(0.0)),
                                               cmp(arith::CmpFPredicate::OGT, xo, last));
              outside = outside ? arith::OrIOp::create(b, l, outside, out).getResult() : out;
            }
            if (mode == "nearest") {
              Value fl = math::FloorOp::create(b, l, xo);
              Value frac = sub(xo, fl);
              Value idx;
              if (nearestMode == "floor")
                idx = fl;
              else if (nearestMode == "ceil")
                idx = math::CeilOp::create(b, l, xo);
              else
                idx = select(
                    cmp(nearestMode == "round_prefer_floor" ? arith::CmpFPredicate::OLE : arith::CmpFPredicate::OLT,
                        frac, half),
                    fl, add(fl, one));
              taps[d].push_back(toIdx(idx, p.in, nullptr));
              continue;
            }
            // The reference prefers the left neighbour: ratio in (0, 1].
            Value base = sub(math::CeilOp::create(b, l, xo), one);
            Value r = sub(xo, base);
            SmallVector<Value> w;
            int64_t first;
            if (mode == "linear") {
              first = 0;
              w = {sub(one, r), r};
            } else {
              first = -1;
              Value r1 = add(r, one), s = sub(one, r), s1 = add(s, one);
              Value ca = c(a), a5 = c(5 * a), a8 = c(8 * a), a4 = c(4 * a), ap2 = c(a + 2), ap3 = c(a + 3);
              // ((A(t) - 5A)t + 8A)t - 4A for the outer taps, ((A+2)t - (A+3))t^2 + 1 for the inner ones.
              auto outer = [&](Value t) { return sub(mul(add(mul(sub(mul(ca, t), a5), t), a8), t), a4); };
              auto inner = [&](Value t) { return add(mul(mul(sub(mul(ap2, t), ap3), t), t), one); };
              w = {outer(r1), inner(r), inner(s), outer(s1)};
            }
            SmallVector<Value> outsideTap;
            for (size_t t = 0; t < w.size(); ++t) {
              Value pos = add(base, c((double)(first + (int64_t)t)));
              Value out;
              taps[d].push_back(toIdx(pos, p.in, excludeOutside ? &out : nullptr));
              if (excludeOutside)
                outsideTap.push_back(out);
            }
            if (excludeOutside) {
              Value sum;
              for (size_t t = 0; t < w.size(); ++t) {
                w[t] = select(outsideTap[t], c(0.0), w[t]);
                sum = sum ? add(sum, w[t]) : w[t];
              }
              for (Value &wt : w)
                wt = div(wt, sum);
            }
            weights[d] = w;
          }

          // Sum over every combination of taps.
          Value acc;
          SmallVector<size_t> pick(rank, 0);
          while (true) {
            SmallVector<Value> coords;
            Value w;
            for (int64_t d = 0; d < rank; ++d) {
              coords.push_back(taps[d][pick[d]]);
              if (!weights[d].empty())
                w = w ? mul(w, weights[d][pick[d]]) : weights[d][pick[d]];
            }
            Value v = tensor::ExtractOp::create(b, l, x, coords);
            if (mode == "nearest") {
              acc = v;
            } else {
              Value term = w ? mul(w, toF64(b, l, v)) : toF64(b, l, v);
              acc = acc ? add(acc, term) : term;
            }
            int64_t d = rank - 1;
            for (; d >= 0; --d) {
              if (++pick[d] < taps[d].size())
                break;
              pick[d] = 0;
            }
            if (d < 0)
              break;
          }
          if (mode != "nearest" && acc.getType() != elt)
            acc = arith::TruncFOp::create(b, l, elt, acc);
          return outside ? select(outside, extrapolation, acc) : acc;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// GridSample (opset 16)
//===----------------------------------------------------------------------===//

/// GridSample as PyTorch's grid_sample computes it (the source of ONNX's expected outputs): grid (x, y) in
/// [-1, 1] unnormalized to pixel coordinates per align_corners, coordinates folded by padding_mode
/// (border clamps, reflection mirrors then clamps), taps outside the image read 0. Bicubic (A = -0.75)
/// folds each of its 4x4 integer taps rather than the sample point. All arithmetic in f64.
struct GridSampleLowering : OpConversionPattern<onnxd::GridSampleOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(onnxd::GridSampleOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    Value x = adaptor.getX(), grid = adaptor.getGrid();
    auto xType = tensorType(x), gridType = tensorType(grid);
    auto resultType = loweredType(op.getType());
    Type elt = xType.getElementType();
    if (xType.getRank() != 4)
      return op.emitError("X must be 4-D [N, C, H, W] (GridSample-16), got ") << xType;
    if (!isa<FloatType>(elt))
      return op.emitError("X must have float elements, not ") << elt;
    if (gridType.getRank() != 4 || gridType.getDimSize(3) != 2 || !isa<FloatType>(gridType.getElementType()))
      return op.emitError("grid must be float [N, H_out, W_out, 2], got ") << gridType;
    if (resultType.getElementType() != elt ||
        resultType.getShape() != ArrayRef<int64_t>{xType.getDimSize(0), xType.getDimSize(1), gridType.getDimSize(1),
                                                   gridType.getDimSize(2)} ||
        gridType.getDimSize(0) != xType.getDimSize(0))
      return op.emitError("result ") << resultType << " does not fit X " << xType << " and grid " << gridType;
    StringRef mode = op.getMode(), padding = op.getPaddingMode();
    if (mode != "bilinear" && mode != "nearest" && mode != "bicubic")
      return op.emitError("mode '") << mode << "' is not one of bilinear, nearest, bicubic";
    if (padding != "zeros" && padding != "border" && padding != "reflection")
      return op.emitError("padding_mode '") << padding << "' is not one of zeros, border, reflection";
    if (op.getAlignCorners() != 0 && op.getAlignCorners() != 1)
      return op.emitError("align_corners must be 0 or 1");
    bool align = op.getAlignCorners() == 1;
    int64_t height = xType.getDimSize(2), width = xType.getDimSize(3);
    if (resultType.getNumElements() == 0) {
      rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, resultType.getShape(), elt);
      return success();
    }
    if (height == 0 || width == 0)
      return op.emitError("cannot sample an empty image ") << xType << " at a non-empty grid";
    Type f64 = rewriter.getF64Type();

    Value result = indexedGeneric(
        rewriter, loc, resultType, {}, {}, [&](OpBuilder &b, Location l, ArrayRef<Value> ivs, ValueRange) -> Value {
          auto c = [&](double v) -> Value { return arith::ConstantOp::create(b, l, b.getF64FloatAttr(v)); };
          auto add = [&](Value p, Value q) { return arith::AddFOp::create(b, l, p, q).getResult(); };
          auto sub = [&](Value p, Value q) { return arith::SubFOp::create(b, l, p, q).getResult(); };
          auto mul = [&](Value p, Value q) { return arith::MulFOp::create(b, l, p, q).getResult(); };
          auto div = [&](Value p, Value q) { return arith::DivFOp::create(b, l, p, q).getResult(); };
          auto clamp = [&](Value v, double lo, double hi) {
            return arith::MinimumFOp::create(b, l, arith::MaximumFOp::create(b, l, v, c(lo)), c(hi)).getResult();
          };
          auto toF64 = [&](Value v) -> Value {
            if (v.getType() == f64)
              return v;
            return arith::ExtFOp::create(b, l, f64, v);
          };
          auto gridAt = [&](int64_t comp) {
            return toF64(tensor::ExtractOp::create(
                b, l, grid, ValueRange{ivs[0], ivs[2], ivs[3], arith::ConstantIndexOp::create(b, l, comp)}));
          };
          auto unnormalize = [&](Value g, int64_t size) {
            if (align)
              return mul(div(add(g, c(1.0)), c(2.0)), c((double)(size - 1)));
            return div(sub(mul(add(g, c(1.0)), c((double)size)), c(1.0)), c(2.0));
          };
          // PyTorch's reflect_coordinates over [twiceLow / 2, twiceHigh / 2].
          auto reflect = [&](Value v, int64_t twiceLow, int64_t twiceHigh) -> Value {
            if (twiceLow == twiceHigh)
              return c(0.0);
            double lo = twiceLow / 2.0, span = (twiceHigh - twiceLow) / 2.0;
            Value in = math::AbsFOp::create(b, l, sub(v, c(lo)));
            Value extra = arith::RemFOp::create(b, l, in, c(span));
            Value flips = arith::FPToSIOp::create(b, l, b.getI64Type(), math::FloorOp::create(b, l, div(in, c(span))));
            Value odd = arith::TruncIOp::create(b, l, b.getI1Type(), flips);
            return arith::SelectOp::create(b, l, odd, add(sub(c(span), extra), c(lo)), add(extra, c(lo)));
          };
          auto fold = [&](Value v, int64_t size) -> Value {
            if (padding == "border")
              return clamp(v, 0.0, (double)(size - 1));
            if (padding == "reflection") {
              v = align ? reflect(v, 0, 2 * (size - 1)) : reflect(v, -1, 2 * size - 1);
              return clamp(v, 0.0, (double)(size - 1));
            }
            return v;
          };
          // X at whole-number float coordinates; 0 outside the image (NaN counts as outside).
          auto read = [&](Value yf, Value xf) -> Value {
            auto inside = [&](Value v, int64_t size) {
              return arith::AndIOp::create(
                         b, l, arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, v, c(0.0)),
                         arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLE, v, c((double)(size - 1))))
                  .getResult();
            };
            auto index = [&](Value v, int64_t size) {
              Value i = arith::FPToSIOp::create(b, l, b.getI64Type(), clamp(v, 0.0, (double)(size - 1)));
              return arith::IndexCastOp::create(b, l, b.getIndexType(), i).getResult();
            };
            Value ok = arith::AndIOp::create(b, l, inside(yf, height), inside(xf, width));
            Value v = toF64(
                tensor::ExtractOp::create(b, l, x, ValueRange{ivs[0], ivs[1], index(yf, height), index(xf, width)}));
            return arith::SelectOp::create(b, l, ok, v, c(0.0));
          };

          Value gx = unnormalize(gridAt(0), width), gy = unnormalize(gridAt(1), height);
          Value acc;
          if (mode == "nearest") {
            acc = read(math::RoundEvenOp::create(b, l, fold(gy, height)),
                       math::RoundEvenOp::create(b, l, fold(gx, width)));
          } else if (mode == "bilinear") {
            gx = fold(gx, width);
            gy = fold(gy, height);
            Value x0 = math::FloorOp::create(b, l, gx), y0 = math::FloorOp::create(b, l, gy);
            Value x1 = add(x0, c(1.0)), y1 = add(y0, c(1.0));
            Value wx1 = sub(gx, x0), wx0 = sub(x1, gx), wy1 = sub(gy, y0), wy0 = sub(y1, gy);
            acc = add(add(mul(mul(wy0, wx0), read(y0, x0)), mul(mul(wy0, wx1), read(y0, x1))),
                      add(mul(mul(wy1, wx0), read(y1, x0)), mul(mul(wy1, wx1), read(y1, x1))));
          } else {
            const double a = -0.75;
            auto inner = [&](Value t) { // ((A + 2) t - (A + 3)) t^2 + 1
              return add(mul(mul(sub(mul(c(a + 2), t), c(a + 3)), t), t), c(1.0));
            };
            auto outer = [&](Value t) { // ((A t - 5A) t + 8A) t - 4A
              return sub(mul(add(mul(sub(mul(c(a), t), c(5 * a)), t), c(8 * a)), t), c(4 * a));
            };
            auto coeffs = [&](Value t) -> SmallVector<Value, 4> {
              Value s = sub(c(1.0), t);
              return {outer(add(t, c(1.0))), inner(t), inner(s), outer(add(s, c(1.0)))};
            };
            Value x0 = math::FloorOp::create(b, l, gx), y0 = math::FloorOp::create(b, l, gy);
            SmallVector<Value, 4> cx = coeffs(sub(gx, x0)), cy = coeffs(sub(gy, y0));
            // A tap is folded as a coordinate, then truncated to an index as the reference does.
            auto tap = [&](Value base, int64_t offset, int64_t size) -> Value {
              return math::TruncOp::create(b, l, fold(add(base, c((double)offset)), size));
            };
            for (int64_t j = 0; j < 4; ++j) {
              Value ty = tap(y0, j - 1, height), row;
              for (int64_t i = 0; i < 4; ++i) {
                Value term = mul(cx[i], read(ty, tap(x0, i - 1, width)));
                row = row ? add(row, term) : term;
              }
              Value term = mul(cy[j], row);
              acc = acc ? add(acc, term) : term;
            }
          }
          return acc.getType() == elt ? acc : arith::TruncFOp::create(b, l, elt, acc).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateResizePatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<ResizeLowering, GridSampleLowering>(converter, patterns.getContext());
}

} // namespace mcc::lowering
