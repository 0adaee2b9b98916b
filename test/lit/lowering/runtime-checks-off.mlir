// RUN: %mcc-opt --mcc-lower-onnx-to-linalg="runtime-checks=false" --canonicalize %s | FileCheck %s

// With runtime-checks=false (mcc's hidden --no-runtime-checks, for measuring what the checks cost) the
// check's assert is dropped and the canonicalizer erases its now dead reduction: only the gather is left.
// CHECK-LABEL: func.func @gather_unchecked
// CHECK-NOT: cf.assert
// CHECK-NOT: iterator_types = ["reduction"]
// CHECK: linalg.generic
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @gather_unchecked(%d: tensor<4x3xf32>, %i: tensor<2xi64>) -> tensor<2x3xf32> {
  %0 = onnx.Gather %d, %i {axis = 0 : i64} : (tensor<4x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
