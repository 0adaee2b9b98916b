// A dynamic dim must give a clean diagnostic (requireStaticShapes), not a tensor.empty without its
// dynamic size ("'tensor.empty' op incorrect number of dynamic sizes, has 0, expected 1").
// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s > %t 2>&1 || true
// RUN: FileCheck %s < %t

// CHECK-NOT: 'tensor.empty' op
// CHECK: {{linalg.generic|dynamic shapes are not supported}}
func.func @relu_dynamic(%a: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = onnx.Relu %a : (tensor<?x8xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}
