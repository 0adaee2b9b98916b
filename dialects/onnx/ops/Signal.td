//===- Signal.td - onnx signal-processing ops: DFT, STFT, windows, mel ---*- tablegen -*-===//
//
// Complex values are real tensors whose last dim holds [real, imaginary] (size 2), or [real] (size 1) for a
// real signal. Scalar inputs that fix a result shape (window size, dft_length, frame_length, num_mel_bins)
// may be runtime values: the result type is static, so the lowering checks them against it.
//
//===----------------------------------------------------------------------===//
#ifndef MCC_ONNX_OPS_SIGNAL
#define MCC_ONNX_OPS_SIGNAL

include "dialects/onnx/OnnxBase.td"

def Onnx_DFTOp : Onnx_Op<"DFT"> {
  let summary = "discrete Fourier transform along one signal axis (opset 17: axis attribute)";
  let arguments = (ins AnyRankedTensor:$input, TensorOrNone:$dft_length,
                   DefaultValuedAttr<I64Attr, "1">:$axis,
                   DefaultValuedAttr<I64Attr, "0">:$inverse,
                   DefaultValuedAttr<I64Attr, "0">:$onesided);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_STFTOp : Onnx_Op<"STFT"> {
  let summary = "short-time Fourier transform of [batch, length, 1|2] signals";
  let arguments = (ins AnyRankedTensor:$signal, AnyRankedTensor:$frame_step, TensorOrNone:$window,
                   TensorOrNone:$frame_length,
                   DefaultValuedAttr<I64Attr, "1">:$onesided);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

class Onnx_WindowOp<string mnemonic, string what> : Onnx_Op<mnemonic> {
  let summary = what # " window of `size` points (periodic or symmetric)";
  let arguments = (ins AnyRankedTensor:$size,
                   DefaultValuedAttr<I64Attr, "1">:$output_datatype,
                   DefaultValuedAttr<I64Attr, "1">:$periodic);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_HannWindowOp : Onnx_WindowOp<"HannWindow", "Hann">;
def Onnx_HammingWindowOp : Onnx_WindowOp<"HammingWindow", "Hamming">;
def Onnx_BlackmanWindowOp : Onnx_WindowOp<"BlackmanWindow", "Blackman">;

def Onnx_MelWeightMatrixOp : Onnx_Op<"MelWeightMatrix"> {
  let summary = "[dft_length/2+1, num_mel_bins] triangular mel filterbank";
  let arguments = (ins AnyRankedTensor:$num_mel_bins, AnyRankedTensor:$dft_length, AnyRankedTensor:$sample_rate,
                   AnyRankedTensor:$lower_edge_hertz, AnyRankedTensor:$upper_edge_hertz,
                   DefaultValuedAttr<I64Attr, "1">:$output_datatype);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

#endif // MCC_ONNX_OPS_SIGNAL
