// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @constant_of_shape
// CHECK: %[[C:.*]] = arith.constant dense<7> : tensor<2x3xi32>
// CHECK: return %[[C]]
func.func @constant_of_shape(%s: tensor<2xi64>) -> tensor<2x3xi32> {
  %0 = onnx.ConstantOfShape %s {value = dense<7> : tensor<1xi32>} : (tensor<2xi64>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

// Trilu keeps j - i >= k (upper) and zeroes the rest.
// CHECK-LABEL: func.func @trilu_upper
// CHECK: linalg.generic
// CHECK: linalg.index 0
// CHECK: linalg.index 1
// CHECK: arith.cmpi sge
// CHECK: arith.select
func.func @trilu_upper(%x: tensor<3x4xf32>, %k: tensor<i64>) -> tensor<3x4xf32> {
  %0 = onnx.Trilu %x, %k : (tensor<3x4xf32>, tensor<i64>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// OneHot: negative indices count from the end of depth; the new dim is at axis.
// CHECK-DAG: #[[IND:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @one_hot
// CHECK: linalg.generic {indexing_maps = [#[[IND]], {{.*}}]
// CHECK: arith.cmpi eq
// CHECK: arith.select
func.func @one_hot(%i: tensor<3xi64>, %d: tensor<i64>, %v: tensor<2xf32>) -> tensor<3x5xf32> {
  %0 = onnx.OneHot %i, %d, %v : (tensor<3xi64>, tensor<i64>, tensor<2xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}
