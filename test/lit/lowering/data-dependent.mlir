// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file | FileCheck %s
// Values are checked end to end in test/lit/run/data-dependent.test; here the shape of the lowering:
// an scf.for fills an upper-bound tensor and counts, the result is the leading slice of that count.

// NonZero: one row-major pass; each non-zero element's coordinates become a column of [rank, numel].
// CHECK-LABEL: func.func @nonzero
// CHECK: %[[UB:.*]] = tensor.empty() : tensor<2x6xi64>
// CHECK: %[[LOOP:.*]]:2 = scf.for {{.*}} iter_args({{.*}} = %[[UB]], {{.*}}) -> (tensor<2x6xi64>, index)
// CHECK: %[[V:.*]] = tensor.extract %{{.*}} : tensor<2x3xi32>
// CHECK: %[[NZ:.*]] = arith.cmpi ne, %[[V]]
// CHECK: scf.if %[[NZ]] -> (tensor<2x6xi64>, index)
// CHECK-COUNT-2: tensor.insert
// CHECK: tensor.extract_slice %[[LOOP]]#0[0, 0] [2, %[[LOOP]]#1] [1, 1] : tensor<2x6xi64> to tensor<2x?xi64>
func.func @nonzero(%x: tensor<2x3xi32>) -> tensor<2x?xi64> {
  %0 = onnx.NonZero %x : (tensor<2x3xi32>) -> tensor<2x?xi64>
  return %0 : tensor<2x?xi64>
}

// -----

// A float input: NaN is non-zero (unordered-or-not-equal), -0.0 is zero.
// CHECK-LABEL: func.func @nonzero_float
// CHECK: arith.cmpf une
func.func @nonzero_float(%x: tensor<4xf32>) -> tensor<1x?xi64> {
  %0 = onnx.NonZero %x : (tensor<4xf32>) -> tensor<1x?xi64>
  return %0 : tensor<1x?xi64>
}

// -----

// Unique, flattened, all four results: Y, indices and counts are slices of the unique count;
// inverse_indices has one entry per input element.
// CHECK-LABEL: func.func @unique_all
// CHECK: %[[PASS:.*]]:4 = scf.for {{.*}} -> (tensor<6xi64>, tensor<6xi64>, tensor<6xi64>, index)
// CHECK: tensor.extract_slice %{{.*}}[0] [%{{.*}}] [1] : tensor<6xf32> to tensor<?xf32>
// CHECK: tensor.extract_slice %{{.*}}[0] [%{{.*}}] [1] : tensor<6xi64> to tensor<?xi64>
// CHECK: tensor.extract_slice %{{.*}}[0] [%{{.*}}] [1] : tensor<6xi64> to tensor<?xi64>
// CHECK: return {{.*}} : tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>
func.func @unique_all(%x: tensor<2x3xf32>) -> (tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>) {
  %y, %i, %inv, %c = onnx.Unique %x {sorted = 1 : i64} : (tensor<2x3xf32>) -> (tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>)
  return %y, %i, %inv, %c : tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>
}

// -----

// Unique along axis 1 with only Y: slices x[:, i, :] gathered into the input's shape, then sliced.
// CHECK-LABEL: func.func @unique_axis
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, %{{.*}}, 0] [2, 1, 2] [1, 1, 1] : tensor<2x1x2xi8> into tensor<2x4x2xi8>
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0] [2, %{{.*}}, 2] [1, 1, 1] : tensor<2x4x2xi8> to tensor<2x?x2xi8>
func.func @unique_axis(%x: tensor<2x4x2xi8>) -> tensor<2x?x2xi8> {
  %n = onnx.NoValue
  %y, %i, %inv, %c = onnx.Unique %x {axis = 1 : i64, sorted = 0 : i64} : (tensor<2x4x2xi8>) -> (tensor<2x?x2xi8>, none, none, none)
  return %y : tensor<2x?x2xi8>
}

// -----

// NonMaxSuppression: rows [batch, class, box] into [batch * classes * boxes, 3]; the limit per
// class is clamp(max_output_boxes_per_class, 0, boxes).
// CHECK-LABEL: func.func @nms
// CHECK: arith.minsi
// CHECK: arith.maxsi
// CHECK: %[[UB:.*]] = tensor.empty() : tensor<12x3xi64>
// CHECK: %[[LOOP:.*]]:2 = scf.for
// CHECK: tensor.extract_slice %[[LOOP]]#0[0, 0] [%[[LOOP]]#1, 3] [1, 1] : tensor<12x3xi64> to tensor<?x3xi64>
func.func @nms(%b: tensor<1x6x4xf32>, %s: tensor<1x2x6xf32>, %m: tensor<1xi64>, %iou: tensor<1xf32>) -> tensor<?x3xi64> {
  %n = onnx.NoValue
  %0 = onnx.NonMaxSuppression %b, %s, %m, %iou, %n : (tensor<1x6x4xf32>, tensor<1x2x6xf32>, tensor<1xi64>, tensor<1xf32>, none) -> tensor<?x3xi64>
  return %0 : tensor<?x3xi64>
}
