// RUN: %mcc-opt --mcc-entry-destination-style %s -split-input-file | FileCheck %s

// Inputs become read-only memrefs seen through to_tensor restrict; each result is materialised in
// a trailing output memref; the function returns nothing and loses its onnx.name attributes.
// CHECK-LABEL: func.func @main_graph
// CHECK-SAME: (%[[IN0:.*]]: memref<2x3xf32>, %[[IN1:.*]]: memref<2x3xf32>, %[[OUT0:.*]]: memref<2x3xf32>, %[[OUT1:.*]]: memref<2x3xf32>)
// CHECK-NOT: onnx.name
// CHECK-NOT: ->
// CHECK: %[[A:.*]] = bufferization.to_tensor %[[IN0]] restrict : memref<2x3xf32> to tensor<2x3xf32>
// CHECK: %[[B:.*]] = bufferization.to_tensor %[[IN1]] restrict : memref<2x3xf32> to tensor<2x3xf32>
// CHECK: %[[S:.*]] = arith.addf %[[A]], %[[B]]
// CHECK: %[[P:.*]] = arith.mulf %[[A]], %[[S]]
// CHECK: bufferization.materialize_in_destination %[[S]] in restrict writable %[[OUT0]] : (tensor<2x3xf32>, memref<2x3xf32>) -> ()
// CHECK: bufferization.materialize_in_destination %[[P]] in restrict writable %[[OUT1]] : (tensor<2x3xf32>, memref<2x3xf32>) -> ()
// CHECK-NEXT: return{{$}}
// Private functions are not entry points and keep their signature.
// CHECK-LABEL: func.func private @helper
// CHECK-SAME: (%{{.*}}: tensor<2xf32>) -> tensor<2xf32>
func.func @main_graph(%a: tensor<2x3xf32> {onnx.name = "a"}, %b: tensor<2x3xf32> {onnx.name = "b"}) -> (tensor<2x3xf32> {onnx.name = "y"}, tensor<2x3xf32> {onnx.name = "z"}) {
  %0 = arith.addf %a, %b : tensor<2x3xf32>
  %1 = arith.mulf %a, %0 : tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}
func.func private @helper(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}

// -----

// An input returned as is: copied into the output buffer.
// CHECK-LABEL: func.func @main_graph
// CHECK-SAME: (%[[IN:.*]]: memref<4xi64>, %[[OUT:.*]]: memref<4xi64>)
// CHECK: %[[T:.*]] = bufferization.to_tensor %[[IN]] restrict
// CHECK: bufferization.materialize_in_destination %[[T]] in restrict writable %[[OUT]]
func.func @main_graph(%a: tensor<4xi64>) -> tensor<4xi64> {
  return %a : tensor<4xi64>
}

// -----

// No inputs: only the output buffer.
// CHECK-LABEL: func.func @main_graph
// CHECK-SAME: (%[[OUT:.*]]: memref<2xf32>)
// CHECK: %[[C:.*]] = arith.constant dense<{{.*}}> : tensor<2xf32>
// CHECK: bufferization.materialize_in_destination %[[C]] in restrict writable %[[OUT]]
func.func @main_graph() -> tensor<2xf32> {
  %c = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  return %c : tensor<2xf32>
}

// -----

// Tensors with no elements are passed as one-element placeholders (the bare-pointer convention
// rejects zero-size memrefs): an empty input is a tensor.empty, an empty output is never written.
// CHECK-LABEL: func.func @main_graph
// CHECK-SAME: (%[[E_IN:.*]]: memref<1xf32>, %[[IN:.*]]: memref<2xf32>, %[[E_OUT:.*]]: memref<1xf32>, %[[OUT:.*]]: memref<2xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<0x3xf32>
// CHECK: %[[T:.*]] = bufferization.to_tensor %[[IN]] restrict
// CHECK-NOT: %[[E_OUT]]
// CHECK: bufferization.materialize_in_destination %[[T]] in restrict writable %[[OUT]]
// CHECK-NOT: materialize_in_destination
// CHECK: return
func.func @main_graph(%a: tensor<0x3xf32>, %b: tensor<2xf32>) -> (tensor<0x3xf32>, tensor<2xf32>) {
  return %a, %b : tensor<0x3xf32>, tensor<2xf32>
}

// -----

// A result whose shape depends on the data: its buffer is flat with the upper bound's capacity
// (2 x 6), written densely through a row-major view of the actual shape; the actual shape goes to
// an extra memref<2xi64> argument after all outputs.
// CHECK-LABEL: func.func @main_graph
// CHECK-SAME: (%[[IN:.*]]: memref<6xi64>, %[[OUT:.*]]: memref<12xi64>, %[[OUT1:.*]]: memref<6xi64>, %[[DIMS:.*]]: memref<2xi64>)
// CHECK: %[[S:.*]] = tensor.extract_slice
// CHECK: %[[D0:.*]] = tensor.dim %[[S]], %{{.*}} : tensor<2x?xi64>
// CHECK: %[[D0I:.*]] = arith.index_cast %[[D0]] : index to i64
// CHECK: memref.store %[[D0I]], %[[DIMS]][%{{.*}}] : memref<2xi64>
// CHECK: %[[D1:.*]] = tensor.dim %[[S]], %{{.*}} : tensor<2x?xi64>
// CHECK: %[[D1I:.*]] = arith.index_cast %[[D1]] : index to i64
// CHECK: memref.store %[[D1I]], %[[DIMS]][%{{.*}}] : memref<2xi64>
// CHECK: %[[VIEW:.*]] = memref.reinterpret_cast %[[OUT]] to offset: [0], sizes: [2, %[[D1]]], strides: [%[[D1]], 1] : memref<12xi64> to memref<2x?xi64, strided<[?, 1]>>
// CHECK: bufferization.materialize_in_destination %[[S]] in restrict writable %[[VIEW]]
// CHECK: bufferization.materialize_in_destination %{{.*}} in restrict writable %[[OUT1]]
func.func @main_graph(%a: tensor<6xi64> {onnx.name = "a"}) -> (tensor<2x?xi64> {onnx.name = "y", mcc.upper_bound = array<i64: 2, 6>}, tensor<6xi64> {onnx.name = "z"}) {
  %e = tensor.empty() : tensor<2x6xi64>
  %c = arith.constant 4 : index
  %n = tensor.extract %a[%c] : tensor<6xi64>
  %i = arith.index_cast %n : i64 to index
  %s = tensor.extract_slice %e[0, 0] [2, %i] [1, 1] : tensor<2x6xi64> to tensor<2x?xi64>
  return %s, %a : tensor<2x?xi64>, tensor<6xi64>
}
