// A dynamic dim must give a clean diagnostic (requireStaticShapes), not a tensor.empty without its
// dynamic size ("'tensor.empty' op incorrect number of dynamic sizes, has 0, expected 1").
// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -verify-diagnostics

func.func @relu_dynamic(%a: tensor<?x8xf32>) -> tensor<?x8xf32> {
  // expected-error @+2 {{dynamic shapes are not supported by this op's lowering yet}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Relu'}}
  %0 = onnx.Relu %a : (tensor<?x8xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}
