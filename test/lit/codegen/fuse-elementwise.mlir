// RUN: %mcc-opt --pass-pipeline='builtin.module(mcc-lower-onnx-to-linalg,func.func(mcc-fuse-elementwise{max-body-ops=8}))' %s | FileCheck %s --check-prefix=BOUND
// RUN: %mcc-opt --pass-pipeline='builtin.module(mcc-lower-onnx-to-linalg,func.func(mcc-fuse-elementwise))' %s | FileCheck %s --check-prefix=ALL

// Fusing a chain clones the growing body once per op, quadratic in the chain's length (a 20,000-node
// Relu chain did not compile in 120 s). A fusion whose body would exceed max-body-ops is not done: with
// a bound of 8 the six Relus (a few ops each) end in two generics; with the default (128), in one.
// BOUND-LABEL: func.func @chain
// BOUND-COUNT-2: linalg.generic
// BOUND-NOT: linalg.generic
// ALL-LABEL: func.func @chain
// ALL-COUNT-1: linalg.generic
// ALL-NOT: linalg.generic
func.func @chain(%x: tensor<16xf32>) -> tensor<16xf32> {
  %0 = onnx.Relu %x : (tensor<16xf32>) -> tensor<16xf32>
  %1 = onnx.Relu %0 : (tensor<16xf32>) -> tensor<16xf32>
  %2 = onnx.Relu %1 : (tensor<16xf32>) -> tensor<16xf32>
  %3 = onnx.Relu %2 : (tensor<16xf32>) -> tensor<16xf32>
  %4 = onnx.Relu %3 : (tensor<16xf32>) -> tensor<16xf32>
  %5 = onnx.Relu %4 : (tensor<16xf32>) -> tensor<16xf32>
  return %5 : tensor<16xf32>
}
