//===- Random.td - onnx random number generators -----------*- tablegen -*-===//
//
// mcc draws random numbers from a counter-based generator: element i of an op's output is a pure
// function of (seed, i) (splitmix64 of the seed's key plus i times the golden ratio), so the generated
// code is reentrant, needs no state and gives the same values on every run and every machine. The
// `seed` attribute selects the stream; the importer gives a seedless node one derived from the node's
// name, so runs stay reproducible and distinct nodes still draw distinct streams. The values are not
// those of numpy or ONNX Runtime. These ops are not Pure (Onnx_Drawn): two identical nodes must not be
// merged.
//
//===----------------------------------------------------------------------===//
#ifndef MCC_ONNX_OPS_RANDOM
#define MCC_ONNX_OPS_RANDOM

include "dialects/onnx/OnnxBase.td"

class Onnx_RandomOp<string mnemonic> : Op<Onnx_Dialect, mnemonic> {
  let description = [{
    Drawn from mcc's counter-based generator (splitmix64 of the seed's key plus the element's
    row-major index), not numpy's: values differ from ONNX Runtime's. `seed` picks the stream; the
    importer sets it from a hash of the node's name when the model has none, so every run and every
    build gives the same values.
  }];
  let results = (outs Onnx_Drawn<AnyRankedTensor>:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Onnx_RandomUniformOp : Onnx_RandomOp<"RandomUniform"> {
  let summary = "uniform samples in [low, high) of the given shape and float dtype";
  let arguments = (ins DefaultValuedAttr<I64Attr, "1">:$dtype, DefaultValuedAttr<F32Attr, "1.0">:$high,
                   DefaultValuedAttr<F32Attr, "0.0">:$low, OptionalAttr<F32Attr>:$seed,
                   DenseI64ArrayAttr:$shape);
}

def Onnx_RandomNormalOp : Onnx_RandomOp<"RandomNormal"> {
  let summary = "normal samples (mean, scale) of the given shape and float dtype (Box-Muller)";
  let arguments = (ins DefaultValuedAttr<I64Attr, "1">:$dtype, DefaultValuedAttr<F32Attr, "0.0">:$mean,
                   DefaultValuedAttr<F32Attr, "1.0">:$scale, OptionalAttr<F32Attr>:$seed,
                   DenseI64ArrayAttr:$shape);
}

def Onnx_RandomUniformLikeOp : Onnx_RandomOp<"RandomUniformLike"> {
  let summary = "uniform samples in [low, high) shaped like the input (dtype: the input's by default)";
  let arguments = (ins AnyRankedTensor:$input, OptionalAttr<I64Attr>:$dtype,
                   DefaultValuedAttr<F32Attr, "1.0">:$high, DefaultValuedAttr<F32Attr, "0.0">:$low,
                   OptionalAttr<F32Attr>:$seed);
}

def Onnx_RandomNormalLikeOp : Onnx_RandomOp<"RandomNormalLike"> {
  let summary = "normal samples (mean, scale) shaped like the input (dtype: the input's by default)";
  let arguments = (ins AnyRankedTensor:$input, OptionalAttr<I64Attr>:$dtype,
                   DefaultValuedAttr<F32Attr, "0.0">:$mean, DefaultValuedAttr<F32Attr, "1.0">:$scale,
                   OptionalAttr<F32Attr>:$seed);
}

def Onnx_BernoulliOp : Onnx_RandomOp<"Bernoulli"> {
  let summary = "1 with probability input[i], else 0, in the output dtype (the input's by default)";
  let arguments = (ins AnyRankedTensor:$input, OptionalAttr<I64Attr>:$dtype, OptionalAttr<F32Attr>:$seed);
}

def Onnx_MultinomialOp : Onnx_RandomOp<"Multinomial"> {
  let summary = "sample_size class indices per row of [batch, classes] unnormalised log-probabilities";
  let arguments = (ins AnyRankedTensor:$input, DefaultValuedAttr<I64Attr, "6">:$dtype,
                   DefaultValuedAttr<I64Attr, "1">:$sample_size, OptionalAttr<F32Attr>:$seed);
}

#endif
