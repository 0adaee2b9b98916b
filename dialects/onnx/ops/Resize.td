//===- Resize.td - onnx Resize, Upsample and GridSample -----*- tablegen -*-===//
//
// Lowered in passes/lowering/Resize.cpp; Upsample is imported as Resize (compiler/import/adapters/Resize.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef MCC_ONNX_OPS_RESIZE
#define MCC_ONNX_OPS_RESIZE

include "dialects/onnx/OnnxBase.td"

def Onnx_ResizeOp : Onnx_Op<"Resize"> {
  let summary = "N-d resize by scales or to sizes: nearest, linear or cubic interpolation";
  let arguments = (ins AnyRankedTensor:$X, TensorOrNone:$roi, TensorOrNone:$scales, TensorOrNone:$sizes,
                   DefaultValuedAttr<StrAttr, "\"half_pixel\"">:$coordinate_transformation_mode,
                   DefaultValuedAttr<F32Attr, "-0.75">:$cubic_coeff_a,
                   DefaultValuedAttr<I64Attr, "0">:$exclude_outside,
                   DefaultValuedAttr<F32Attr, "0.0">:$extrapolation_value,
                   DefaultValuedAttr<StrAttr, "\"nearest\"">:$mode,
                   DefaultValuedAttr<StrAttr, "\"round_prefer_floor\"">:$nearest_mode);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_UpsampleOp : Onnx_Op<"Upsample"> {
  let summary = "deprecated Resize by scales (the importer builds onnx.Resize)";
  let arguments = (ins AnyRankedTensor:$X, TensorOrNone:$scales,
                   DefaultValuedAttr<StrAttr, "\"nearest\"">:$mode);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_GridSampleOp : Onnx_Op<"GridSample"> {
  let summary = "sample [N, C, H, W] at the normalized (x, y) points of a [N, Ho, Wo, 2] grid (opset 16)";
  let arguments = (ins AnyRankedTensor:$X, AnyRankedTensor:$grid,
                   DefaultValuedAttr<I64Attr, "0">:$align_corners,
                   DefaultValuedAttr<StrAttr, "\"bilinear\"">:$mode,
                   DefaultValuedAttr<StrAttr, "\"zeros\"">:$padding_mode);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

#endif
