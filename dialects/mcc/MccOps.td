//===- MccOps.td - the mcc dialect -----------------------------*- tablegen -*-===//
//
// What CPU code generation needs past ONNX: calls of the C microkernels of kernels/ (SGEMM, 2-D
// convolution, each with its fused epilogue) and the lowering choices the strategy pass makes for them.
// The ops are in destination-passing style on tensors, bufferize in place, and become calls of
// kernels.h's functions once on memrefs (mcc-lower-kernel-calls).
//
//===----------------------------------------------------------------------===//
#ifndef MCC_DIALECT_OPS
#define MCC_DIALECT_OPS

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"

def Mcc_Dialect : Dialect {
  let name = "mcc";
  let summary = "microkernel calls and CPU lowering choices";
  let cppNamespace = "::mcc::dialect";
  let useDefaultAttributePrinterParser = 1;
}

// The values are those of enum mcc_act in kernels.h: the lowering passes them through as int32.
def Mcc_Activation : I32EnumAttr<"Activation", "activation of a fused epilogue", [
    I32EnumAttrCase<"none", 0>, I32EnumAttrCase<"relu", 1>, I32EnumAttrCase<"clip", 2>,
    I32EnumAttrCase<"leaky_relu", 3>, I32EnumAttrCase<"sigmoid", 4>, I32EnumAttrCase<"hard_sigmoid", 5>,
    I32EnumAttrCase<"hard_swish", 6>, I32EnumAttrCase<"silu", 7>, I32EnumAttrCase<"gelu_erf", 8>,
    I32EnumAttrCase<"gelu_tanh", 9>, I32EnumAttrCase<"tanh", 10>]> {
  let cppNamespace = "::mcc::dialect";
  let genSpecializedAttr = 0;
}
def Mcc_ActivationAttr : EnumAttr<Mcc_Dialect, Mcc_Activation, "act">;

// The values are those of enum mcc_isa in kernels.h.
def Mcc_Isa : I32EnumAttr<"Isa", "microkernel ISA family", [
    I32EnumAttrCase<"generic", 0>, I32EnumAttrCase<"avx2", 1>, I32EnumAttrCase<"avx512", 2>,
    I32EnumAttrCase<"neon", 3>]> {
  let cppNamespace = "::mcc::dialect";
  let genSpecializedAttr = 0;
}

def Mcc_LoweringConfigAttr : AttrDef<Mcc_Dialect, "LoweringConfig"> {
  let mnemonic = "lowering_config";
  let summary = "the strategy's choice for one kernel op: ISA family and its register tile";
  let description = [{
    Written by mcc-select-lowering-config, the only place with heuristics; everything after it reads
    it. `mr` x `nr` is the SGEMM register tile of `isa`; packed weights are laid out for that `nr`.
  }];
  let parameters = (ins EnumParameter<Mcc_Isa>:$isa, "int64_t":$mr, "int64_t":$nr);
  let assemblyFormat = "`<` struct(params) `>`";
}

class Mcc_Op<string mnemonic, list<Trait> traits = []> : Op<Mcc_Dialect, mnemonic, traits>;

def Mcc_SgemmOp : Mcc_Op<"sgemm", [AttrSizedOperandSegments, DestinationStyleOpInterface]> {
  let summary = "batched f32 matrix product with a fused epilogue (mcc_sgemm)";
  let description = [{
    init[b..., m, n] = act(sum_k a[b..., m, k] * b[b..., k, n] + bias + residual[b..., m, n]).
    `a` is [batch..., M, K] ([batch..., K, M] with `trans_a`); `b` is [batch..., K, N] ([batch..., N, K]
    with `trans_b`), or with `b_packed` the 1-D output of mcc_sgemm_pack_b for the `lowering_config`'s
    ISA. The batch dimensions of `a` and `b` are either those of `init` or all 1 (broadcast), and may be
    fewer than init's (leading ones dropped). `bias` has N elements (M with `bias_per_m`); `residual`
    has init's shape. `alpha`/`beta` parameterise `act` as in kernels.h. With `b_sparse = bw` (set with
    `b_packed` by the strategy when B is mostly zero) `b` is the 1-D output of mcc_spgemm_pack for block
    width bw (the ISA's vector width, or 1: columns) instead, and the op becomes a call of mcc_spgemm.
  }];
  let arguments = (ins AnyShaped:$a, AnyShaped:$b, Optional<AnyShaped>:$bias, Optional<AnyShaped>:$residual,
                   AnyShaped:$init, UnitAttr:$trans_a, UnitAttr:$trans_b, UnitAttr:$b_packed,
                   UnitAttr:$bias_per_m,
                   DefaultValuedAttr<Mcc_ActivationAttr, "::mcc::dialect::Activation::none">:$act,
                   DefaultValuedAttr<F32Attr, "0.0">:$alpha, DefaultValuedAttr<F32Attr, "0.0">:$beta,
                   OptionalAttr<Mcc_LoweringConfigAttr>:$lowering_config, OptionalAttr<I64Attr>:$b_sparse);
  let results = (outs Variadic<AnyRankedTensor>:$result);
  let assemblyFormat = [{
    `ins` `(` $a `,` $b `:` type($a) `,` type($b) `)`
    (`bias` `(` $bias^ `:` type($bias) `)`)?
    (`residual` `(` $residual^ `:` type($residual) `)`)?
    `outs` `(` $init `:` type($init) `)` attr-dict (`->` type($result)^)?
  }];
  let builders = [
    // No epilogue but the given bias/residual, no packing, no lowering config yet.
    OpBuilder<(ins "mlir::TypeRange":$result, "mlir::Value":$a, "mlir::Value":$b, "mlir::Value":$bias,
                   "mlir::Value":$residual, "mlir::Value":$init), [{
      build($_builder, $_state, result, a, b, bias, residual, init, false, false, false, false,
            ::mcc::dialect::Activation::none, llvm::APFloat(0.0f), llvm::APFloat(0.0f), nullptr, mlir::IntegerAttr());
    }]>];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    mlir::MutableOperandRange getDpsInitsMutable() { return getInitMutable(); }
    /// M, N, K from the operand shapes.
    int64_t getM();
    int64_t getN();
    int64_t getK();
  }];
}

def Mcc_Conv2dOp : Mcc_Op<"conv2d", [AttrSizedOperandSegments, DestinationStyleOpInterface]> {
  let summary = "NCHW grouped 2-D (or 1-D) f32 convolution with a fused epilogue (mcc_conv2d)";
  let description = [{
    `input` is [N, C, H, W] (or [N, C, W]: a 1-D convolution, H = KH = 1); `init` is [N, M, OH, OW] of
    the same rank. `filter` is [M, C/group, KH, KW] (or [M, C/group, KW]) or, with `filter_packed`, the
    1-D output of mcc_conv2d_pack_w for the `lowering_config`'s ISA. `kernel`, `strides`, `dilations`
    are (H, W) pairs, `pads` the padding before H and W (the padding after is what OH/OW imply).
    `bias` has M elements; `residual` has init's shape. Epilogue as for mcc.sgemm. With
    `filter_sparse = 1` (a 1x1 convolution, stride 1, no padding, one group, whose filter is mostly zero;
    set with `filter_packed` by the strategy) the filter is the output of mcc_spgemm_pack(1, C, M, W,
    1, C) and the op becomes a call of mcc_spconv1x1.
  }];
  let arguments = (ins AnyShaped:$input, AnyShaped:$filter, Optional<AnyShaped>:$bias,
                   Optional<AnyShaped>:$residual, AnyShaped:$init, DenseI64ArrayAttr:$kernel,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations, DenseI64ArrayAttr:$pads,
                   I64Attr:$group, UnitAttr:$filter_packed,
                   DefaultValuedAttr<Mcc_ActivationAttr, "::mcc::dialect::Activation::none">:$act,
                   DefaultValuedAttr<F32Attr, "0.0">:$alpha, DefaultValuedAttr<F32Attr, "0.0">:$beta,
                   OptionalAttr<Mcc_LoweringConfigAttr>:$lowering_config, OptionalAttr<I64Attr>:$filter_sparse);
  let results = (outs Variadic<AnyRankedTensor>:$result);
  let assemblyFormat = [{
    `ins` `(` $input `,` $filter `:` type($input) `,` type($filter) `)`
    (`bias` `(` $bias^ `:` type($bias) `)`)?
    (`residual` `(` $residual^ `:` type($residual) `)`)?
    `outs` `(` $init `:` type($init) `)` attr-dict (`->` type($result)^)?
  }];
  let builders = [
    OpBuilder<(ins "mlir::TypeRange":$result, "mlir::Value":$input, "mlir::Value":$filter, "mlir::Value":$bias,
                   "mlir::Value":$residual, "mlir::Value":$init, "llvm::ArrayRef<int64_t>":$kernel,
                   "llvm::ArrayRef<int64_t>":$strides, "llvm::ArrayRef<int64_t>":$dilations,
                   "llvm::ArrayRef<int64_t>":$pads, "int64_t":$group), [{
      build($_builder, $_state, result, input, filter, bias, residual, init, kernel, strides, dilations, pads,
            group, false, ::mcc::dialect::Activation::none, llvm::APFloat(0.0f), llvm::APFloat(0.0f), nullptr,
            mlir::IntegerAttr());
    }]>];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    mlir::MutableOperandRange getDpsInitsMutable() { return getInitMutable(); }
  }];
}

// int8 kernels. Quantisation parameters are compile-time constants, so they are attributes; the
// strategy pass packs them with the weights (kernels.h, "int8"). `a`/`input` and an 8-bit `init`
// may be ui8 or i8 (signedness is `a_signed` / `y_signed`, as the kernel wants it); weights are
// always s8 (u8 weights are shifted by 128 when the op is formed).
defvar Mcc_QuantAttrs = (ins DenseI32ArrayAttr:$w_zp, DenseF32ArrayAttr:$scale, OptionalAttr<DenseI32ArrayAttr>:$bias,
                   OptionalAttr<DenseF32ArrayAttr>:$fbias, DefaultValuedAttr<I32Attr, "0">:$y_zp,
                   UnitAttr:$y_signed, DefaultValuedAttr<I32Attr, "0">:$lo, DefaultValuedAttr<I32Attr, "255">:$hi,
                   DefaultValuedAttr<Mcc_ActivationAttr, "::mcc::dialect::Activation::none">:$act,
                   DefaultValuedAttr<F32Attr, "0.0">:$alpha, DefaultValuedAttr<F32Attr, "0.0">:$beta,
                   UnitAttr:$vnni, OptionalAttr<Mcc_LoweringConfigAttr>:$lowering_config);

def Mcc_QgemmOp : Mcc_Op<"qgemm", [DestinationStyleOpInterface]> {
  let summary = "u8/s8 x s8 matrix product with a requantizing epilogue (mcc_qgemm)";
  let description = [{
    init[b..., m, n] = epilogue(sum_k (a[b..., m, k] - a_zp) * (b[k, n] - w_zp[n]) + bias[n]).
    `a` is [batch..., M, K] of 8-bit integers (s8 with `a_signed`; `a_zp` in a's own domain); `b` is
    [K, N] s8, or with `b_packed` the 1-D bytes of mcc_qgemm_pack_b for the `lowering_config`'s ISA.
    `init`'s element type picks the epilogue: i32 (the accumulator), f32 (times `scale[n]`, plus
    `fbias[n]`, then `act`), or 8-bit (requantised with `scale[n]`, `y_zp`, clamped to [`lo`, `hi`]).
    `vnni`: the target has AVX-512 VNNI.
  }];
  let arguments = !con((ins AnyShaped:$a, AnyShaped:$b, AnyShaped:$init, UnitAttr:$a_signed,
                            DefaultValuedAttr<I32Attr, "0">:$a_zp, UnitAttr:$b_packed), Mcc_QuantAttrs);
  let results = (outs Variadic<AnyRankedTensor>:$result);
  let assemblyFormat = [{
    `ins` `(` $a `,` $b `:` type($a) `,` type($b) `)`
    `outs` `(` $init `:` type($init) `)` attr-dict (`->` type($result)^)?
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    mlir::MutableOperandRange getDpsInitsMutable() { return getInitMutable(); }
    int64_t getM();
    int64_t getN();
    int64_t getK();
  }];
}

def Mcc_QConv2dOp : Mcc_Op<"qconv2d", [DestinationStyleOpInterface]> {
  let summary = "NCHW 2-D convolution of u8/s8 by s8 weights with a requantizing epilogue (mcc_qconv2d)";
  let description = [{
    `input` is [N, C, H, W] of 8-bit integers (s8 with `x_signed`, zero point `x_zp` in its own domain,
    which is also what padding reads); `filter` is [M, C, KH, KW] s8, or with `filter_packed` the 1-D
    bytes of mcc_qconv2d_pack_w; `init` is [N, M, OH, OW]. Geometry as mcc.conv2d (group 1); the
    epilogue as mcc.qgemm, per output channel.
  }];
  let arguments = !con((ins AnyShaped:$input, AnyShaped:$filter, AnyShaped:$init, DenseI64ArrayAttr:$kernel,
                            DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations, DenseI64ArrayAttr:$pads,
                            UnitAttr:$x_signed, DefaultValuedAttr<I32Attr, "0">:$x_zp, UnitAttr:$filter_packed),
                       Mcc_QuantAttrs);
  let results = (outs Variadic<AnyRankedTensor>:$result);
  let assemblyFormat = [{
    `ins` `(` $input `,` $filter `:` type($input) `,` type($filter) `)`
    `outs` `(` $init `:` type($init) `)` attr-dict (`->` type($result)^)?
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    mlir::MutableOperandRange getDpsInitsMutable() { return getInitMutable(); }
  }];
}

#endif // MCC_DIALECT_OPS
