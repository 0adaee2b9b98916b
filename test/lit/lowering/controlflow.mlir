// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file | FileCheck %s

// If becomes scf.if on the extracted condition; branch bodies are lowered in place.
// CHECK-LABEL: func.func @if_select
// CHECK: %[[C:.*]] = tensor.extract %{{.*}}[] : tensor<i1>
// CHECK: scf.if %[[C]] -> (tensor<2xf32>)
// CHECK: scf.yield
// CHECK: } else {
// CHECK: linalg.generic
// CHECK: scf.yield
func.func @if_select(%c: tensor<i1>, %x: tensor<2xf32>) -> tensor<2xf32> {
  %r = "onnx.If"(%c) ({
    onnx.Yield %x : tensor<2xf32>
  }, {
    %n = onnx.Relu %x : (tensor<2xf32>) -> tensor<2xf32>
    onnx.Yield %n : tensor<2xf32>
  }) : (tensor<i1>) -> tensor<2xf32>
  return %r : tensor<2xf32>
}

// -----

// Scan over axis 0: an scf.for over the 3 steps, slicing the input and stacking the output; the
// carried state is copied into its own iteration buffer.
// CHECK-LABEL: func.func @scan_sum
// CHECK: %[[C3:.*]] = arith.constant 3 : index
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %[[C3]] step %{{.*}} iter_args(%[[S:.*]] = %{{.*}}, %[[ACC:.*]] = %{{.*}}) -> (tensor<2xf32>, tensor<3x2xf32>)
// CHECK: tensor.extract_slice %{{.*}}[%[[I]], 0] [1, 2] [1, 1] : tensor<3x2xf32> to tensor<2xf32>
// CHECK: linalg.copy {{.*}} outs(%[[S]] : tensor<2xf32>)
// CHECK: tensor.insert_slice %{{.*}} into %[[ACC]][%[[I]], 0] [1, 2] [1, 1]
// CHECK: scf.yield
func.func @scan_sum(%init: tensor<2xf32>, %x: tensor<3x2xf32>) -> (tensor<2xf32>, tensor<3x2xf32>) {
  %r:2 = "onnx.Scan"(%init, %x) <{num_scan_inputs = 1 : i64}> ({
  ^bb0(%s: tensor<2xf32>, %v: tensor<2xf32>):
    %n = onnx.Add %s, %v : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    onnx.Yield %n, %n : tensor<2xf32>, tensor<2xf32>
  }) : (tensor<2xf32>, tensor<3x2xf32>) -> (tensor<2xf32>, tensor<3x2xf32>)
  return %r#0, %r#1 : tensor<2xf32>, tensor<3x2xf32>
}

// -----

// A Loop whose condition is a run-time value: scf.while checking i < M && cond.
// CHECK-LABEL: func.func @loop_while
// CHECK: scf.while
// CHECK: arith.cmpi slt
// CHECK: arith.andi
// CHECK: scf.condition
// CHECK: } do {
// CHECK: tensor.from_elements
// CHECK: scf.yield
func.func @loop_while(%m: tensor<i64>, %c0: tensor<i1>, %x: tensor<f32>) -> tensor<f32> {
  %r = "onnx.Loop"(%m, %c0, %x) ({
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %v: tensor<f32>):
    %n = onnx.Add %v, %v : (tensor<f32>, tensor<f32>) -> tensor<f32>
    %keep = onnx.Identity %c : (tensor<i1>) -> tensor<i1>
    onnx.Yield %keep, %n : tensor<i1>, tensor<f32>
  }) : (tensor<i64>, tensor<i1>, tensor<f32>) -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// A batched Scan (Scan-8): a loop over the batch axis around the scan loop; each batch element's
// state and sequence are sliced out, and its results inserted back. Directions run in reverse.
// CHECK-LABEL: func.func @scan8_batched
// CHECK-SAME: (%[[INIT:.*]]: tensor<2x3xf32>, %[[X:.*]]: tensor<2x4x3xf32>)
// CHECK: %[[C2:.*]] = arith.constant 2 : index
// CHECK: scf.for %[[B:.*]] = %{{.*}} to %[[C2]] step %{{.*}} iter_args(%[[ST:.*]] = %{{.*}}, %[[OUT:.*]] = %{{.*}}) -> (tensor<2x3xf32>, tensor<2x4x3xf32>)
// CHECK: %[[S0:.*]] = tensor.extract_slice %[[INIT]][%[[B]], 0] [1, 3] [1, 1] : tensor<2x3xf32> to tensor<3xf32>
// CHECK: %[[SEQ:.*]] = tensor.extract_slice %[[X]][%[[B]], 0, 0] [1, 4, 3] [1, 1, 1] : tensor<2x4x3xf32> to tensor<4x3xf32>
// CHECK: %[[C4:.*]] = arith.constant 4 : index
// CHECK: %[[INNER:.*]]:2 = scf.for %[[I:.*]] = %{{.*}} to %[[C4]] step %{{.*}} iter_args(%{{.*}} = %[[S0]], %{{.*}} = %{{.*}})
// CHECK: %[[C3:.*]] = arith.constant 3 : index
// CHECK: %[[REV:.*]] = arith.subi %[[C3]], %[[I]] : index
// CHECK: tensor.extract_slice %[[SEQ]][%[[REV]], 0] [1, 3] [1, 1]
// CHECK: arith.addf
// CHECK: tensor.insert_slice %[[INNER]]#0 into %[[ST]][%[[B]], 0] [1, 3] [1, 1]
// CHECK: tensor.insert_slice %[[INNER]]#1 into %[[OUT]][%[[B]], 0, 0] [1, 4, 3] [1, 1, 1]
func.func @scan8_batched(%init: tensor<2x3xf32>, %x: tensor<2x4x3xf32>) -> (tensor<2x3xf32>, tensor<2x4x3xf32>) {
  %r:2 = "onnx.Scan"(%init, %x) <{num_scan_inputs = 1 : i64, batched, scan_input_directions = array<i64: 1>}> ({
  ^bb0(%s: tensor<3xf32>, %v: tensor<3xf32>):
    %n = onnx.Add %s, %v : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
    onnx.Yield %n, %n : tensor<3xf32>, tensor<3xf32>
  }) : (tensor<2x3xf32>, tensor<2x4x3xf32>) -> (tensor<2x3xf32>, tensor<2x4x3xf32>)
  return %r#0, %r#1 : tensor<2x3xf32>, tensor<2x4x3xf32>
}
