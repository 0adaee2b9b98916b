// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file -verify-diagnostics

func.func @nonzero_scalar(%x: tensor<f32>) -> tensor<0x?xi64> {
  // expected-error @+2 {{NonZero needs a statically shaped input of rank >= 1}}
  // expected-error @+1 {{failed to legalize operation 'onnx.NonZero'}}
  %0 = onnx.NonZero %x : (tensor<f32>) -> tensor<0x?xi64>
  return %0 : tensor<0x?xi64>
}

// -----

func.func @unique_bad_sorted(%x: tensor<4xf32>) -> tensor<?xf32> {
  // expected-error @+2 {{attribute 'sorted' must be 0 or 1, got 2}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Unique'}}
  %y, %i, %inv, %c = onnx.Unique %x {sorted = 2 : i64} : (tensor<4xf32>) -> (tensor<?xf32>, none, none, none)
  return %y : tensor<?xf32>
}

// -----

func.func @unique_bad_axis(%x: tensor<4xf32>) -> tensor<?xf32> {
  // expected-error @+2 {{attribute 'axis' 1 is out of range for rank 1}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Unique'}}
  %y, %i, %inv, %c = onnx.Unique %x {axis = 1 : i64} : (tensor<4xf32>) -> (tensor<?xf32>, none, none, none)
  return %y : tensor<?xf32>
}

// -----

func.func @nms_bad_boxes(%b: tensor<1x6x3xf32>, %s: tensor<1x2x6xf32>) -> tensor<?x3xi64> {
  %n = onnx.NoValue
  // expected-error @+2 {{boxes must be [batch, boxes, 4] and scores [batch, classes, boxes]}}
  // expected-error @+1 {{failed to legalize operation 'onnx.NonMaxSuppression'}}
  %0 = onnx.NonMaxSuppression %b, %s, %n, %n, %n : (tensor<1x6x3xf32>, tensor<1x2x6xf32>, none, none, none) -> tensor<?x3xi64>
  return %0 : tensor<?x3xi64>
}

// -----

func.func @nms_bad_center(%b: tensor<1x6x4xf32>, %s: tensor<1x2x6xf32>) -> tensor<?x3xi64> {
  %n = onnx.NoValue
  // expected-error @+2 {{attribute 'center_point_box' must be 0 or 1, got 2}}
  // expected-error @+1 {{failed to legalize operation 'onnx.NonMaxSuppression'}}
  %0 = onnx.NonMaxSuppression %b, %s, %n, %n, %n {center_point_box = 2 : i64} : (tensor<1x6x4xf32>, tensor<1x2x6xf32>, none, none, none) -> tensor<?x3xi64>
  return %0 : tensor<?x3xi64>
}

// -----

func.func @nms_bad_threshold(%b: tensor<1x6x4xf32>, %s: tensor<1x2x6xf32>, %t: tensor<2xf32>) -> tensor<?x3xi64> {
  %n = onnx.NoValue
  // expected-error @+2 {{'iou_threshold' must hold one 'f32'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.NonMaxSuppression'}}
  %0 = onnx.NonMaxSuppression %b, %s, %n, %t, %n : (tensor<1x6x4xf32>, tensor<1x2x6xf32>, none, tensor<2xf32>, none) -> tensor<?x3xi64>
  return %0 : tensor<?x3xi64>
}

// -----

// A run-time condition with a static result type would trust a count nobody checked.
func.func @compress_runtime_static(%x: tensor<3x2xf32>, %c: tensor<3xi1>) -> tensor<2x2xf32> {
  // expected-error @+2 {{a condition known only at run time needs a result type with a dynamic dim 0}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Compress'}}
  %0 = onnx.Compress %x, %c {axis = 0 : i64} : (tensor<3x2xf32>, tensor<3xi1>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}
