// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file | FileCheck %s

// Nearest resize with constant scales: one tap per dim; unit-scale dims keep their index.
// CHECK-LABEL: func.func @resize_nearest
// CHECK-SAME: (%[[X:.*]]: tensor<1x1x2x2xf32>)
// CHECK: linalg.generic
// CHECK: %[[N:.*]] = linalg.index 0
// CHECK: %[[C:.*]] = linalg.index 1
// CHECK-COUNT-2: math.floor
// CHECK: %[[V:.*]] = tensor.extract %[[X]][%[[N]], %[[C]], %{{.*}}, %{{.*}}]
// CHECK-NEXT: linalg.yield %[[V]]
func.func @resize_nearest(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x6xf32> {
  %none = onnx.NoValue
  %scales = onnx.Constant dense<[1.0, 1.0, 2.0, 3.0]> : tensor<4xf32> : tensor<4xf32>
  %0 = onnx.Resize %x, %none, %scales, %none {mode = "nearest"} : (tensor<1x1x2x2xf32>, none, tensor<4xf32>, none) -> tensor<1x1x4x6xf32>
  return %0 : tensor<1x1x4x6xf32>
}

// -----

// Linear resize with run-time scales: the scale is read once, the 2 taps are summed in f64.
// CHECK-LABEL: func.func @resize_linear_runtime_scales
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[S:.*]]: tensor<1xf32>)
// CHECK: %[[SC:.*]] = tensor.extract %[[S]]
// CHECK: arith.extf %[[SC]] : f32 to f64
// CHECK: linalg.generic
// CHECK: math.ceil
// CHECK: tensor.extract %[[X]]
// CHECK: tensor.extract %[[X]]
// CHECK: arith.truncf {{.*}} : f64 to f32
func.func @resize_linear_runtime_scales(%x: tensor<4xf32>, %s: tensor<1xf32>) -> tensor<8xf32> {
  %none = onnx.NoValue
  %0 = onnx.Resize %x, %none, %s, %none {mode = "linear"} : (tensor<4xf32>, none, tensor<1xf32>, none) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}
