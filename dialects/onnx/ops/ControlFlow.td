//===- ControlFlow.td - onnx If, Loop, Scan ---------------*- tablegen -*-===//
//
// Subgraphs are regions: each holds one block whose arguments are the subgraph's inputs and whose
// onnx.Yield returns its outputs. Subgraphs read outer values directly (implicit capture).
//
//===----------------------------------------------------------------------===//
#ifndef MCC_ONNX_OPS_CONTROLFLOW
#define MCC_ONNX_OPS_CONTROLFLOW

include "dialects/onnx/OnnxBase.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

def Onnx_YieldOp : Op<Onnx_Dialect, "Yield", [Pure, Terminator, ReturnLike]> {
  let summary = "the outputs of a subgraph";
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
}

def Onnx_IfOp : Op<Onnx_Dialect, "If", [RecursiveMemoryEffects, NoRegionArguments]> {
  let summary = "run then_branch or else_branch on a boolean scalar";
  let arguments = (ins AnyRankedTensor:$cond);
  let results = (outs Variadic<AnyRankedTensor>:$outputs);
  let regions = (region SizedRegion<1>:$then_branch, SizedRegion<1>:$else_branch);
  let hasVerifier = 1;
}

def Onnx_LoopOp : Op<Onnx_Dialect, "Loop", [RecursiveMemoryEffects]> {
  let summary = "for i < M while cond: (cond, state..., scan...) = body(i, cond, state...)";
  let description = [{
    The body's block arguments are the iteration number (tensor<i64>), the condition (tensor<i1>) and
    the loop-carried values; it yields the next condition, the carried values and the scan outputs,
    which the loop stacks along a new leading axis.
  }];
  let arguments = (ins TensorOrNone:$M, TensorOrNone:$cond, Variadic<AnyRankedTensor>:$v_initial);
  let results = (outs Variadic<AnyRankedTensor>:$v_final_and_scan_outputs);
  let regions = (region SizedRegion<1>:$body);
  let hasVerifier = 1;
}

def Onnx_ScanOp : Op<Onnx_Dialect, "Scan", [RecursiveMemoryEffects]> {
  let summary = "iterate body over slices of the scan inputs, carrying state (opset 9+)";
  let description = [{
    With `batched` (the importer's form of Scan-8): every input and result has a leading batch axis,
    scan inputs and scan outputs run along axis 1 and the body sees one batch element at a time,
    without the batch axis; scan_input_directions holds Scan-8's `directions`.
  }];
  let arguments = (ins Variadic<AnyRankedTensor>:$initial_state_and_scan_inputs,
                   I64Attr:$num_scan_inputs,
                   OptionalAttr<DenseI64ArrayAttr>:$scan_input_axes,
                   OptionalAttr<DenseI64ArrayAttr>:$scan_input_directions,
                   OptionalAttr<DenseI64ArrayAttr>:$scan_output_axes,
                   OptionalAttr<DenseI64ArrayAttr>:$scan_output_directions,
                   UnitAttr:$batched);
  let results = (outs Variadic<AnyRankedTensor>:$final_state_and_scan_outputs);
  let regions = (region SizedRegion<1>:$body);
  let hasVerifier = 1;
}

#endif
