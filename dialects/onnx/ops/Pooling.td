//===- Pooling.td - onnx pooling -----*- tablegen -*-===//
#ifndef MCC_ONNX_OPS_POOLING
#define MCC_ONNX_OPS_POOLING

include "dialects/onnx/OnnxBase.td"

def Onnx_MaxPoolOp : Onnx_Op<"MaxPool"> {
  let summary = "N-d max pooling, with the optional flat argmax Indices output";
  let arguments = (ins AnyRankedTensor:$X,
                   DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad,
                   DefaultValuedAttr<I64Attr, "0">:$ceil_mode,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DenseI64ArrayAttr:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   DefaultValuedAttr<I64Attr, "0">:$storage_order,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyRankedTensor:$Y, TensorOrNone:$Indices);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Onnx_AveragePoolOp : Onnx_Op<"AveragePool"> {
  let summary = "N-d average pooling";
  let arguments = (ins AnyRankedTensor:$X,
                   DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad,
                   DefaultValuedAttr<I64Attr, "0">:$ceil_mode,
                   DefaultValuedAttr<I64Attr, "0">:$count_include_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DenseI64ArrayAttr:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Onnx_GlobalAveragePoolOp : Onnx_Op<"GlobalAveragePool"> {
  let summary = "mean over all spatial dimensions";
  let arguments = (ins AnyRankedTensor:$X);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_MaxUnpoolOp : Onnx_Op<"MaxUnpool"> {
  let summary = "scatter pooled values back to the flat positions given by MaxPool's Indices";
  let arguments = (ins AnyRankedTensor:$X, AnyRankedTensor:$I, TensorOrNone:$output_shape,
                   DenseI64ArrayAttr:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_RoiAlignOp : Onnx_Op<"RoiAlign"> {
  let summary = "bilinear region-of-interest pooling (avg or max)";
  let arguments = (ins AnyRankedTensor:$X, AnyRankedTensor:$rois, AnyRankedTensor:$batch_indices,
                   DefaultValuedAttr<StrAttr, "\"half_pixel\"">:$coordinate_transformation_mode,
                   DefaultValuedAttr<StrAttr, "\"avg\"">:$mode,
                   DefaultValuedAttr<I64Attr, "1">:$output_height,
                   DefaultValuedAttr<I64Attr, "1">:$output_width,
                   DefaultValuedAttr<I64Attr, "0">:$sampling_ratio,
                   DefaultValuedAttr<F32Attr, "1.0">:$spatial_scale);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

// Pooling by a reduction over whole planes (Global*) or windows (LpPool); their lowerings share the
// reduction builders of passes/lowering/Reduction.h.
def Onnx_GlobalMaxPoolOp : Onnx_Op<"GlobalMaxPool"> {
  let summary = "maximum over all spatial dimensions";
  let arguments = (ins AnyRankedTensor:$X);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_GlobalLpPoolOp : Onnx_Op<"GlobalLpPool"> {
  let summary = "p-norm over all spatial dimensions";
  let arguments = (ins AnyRankedTensor:$X, DefaultValuedAttr<I64Attr, "2">:$p);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_LpPoolOp : Onnx_Op<"LpPool"> {
  let summary = "N-d p-norm pooling (padding contributes zeros)";
  let arguments = (ins AnyRankedTensor:$X,
                   DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad,
                   DefaultValuedAttr<I64Attr, "0">:$ceil_mode,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DenseI64ArrayAttr:$kernel_shape,
                   DefaultValuedAttr<I64Attr, "2">:$p,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

#endif
