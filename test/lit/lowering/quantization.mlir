// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file | FileCheck %s

// QuantizeLinear per tensor to uint8: x / scale rounded half to even, plus the zero point, saturated.
// CHECK-LABEL: func.func @quantize_uint8
// CHECK: linalg.generic
// CHECK: %[[Z:.*]] = arith.uitofp %{{.*}} : i8 to f32
// CHECK: %[[Q:.*]] = arith.divf
// CHECK: %[[R:.*]] = math.roundeven %[[Q]]
// CHECK: %[[S:.*]] = arith.addf %[[R]], %[[Z]]
// CHECK: %[[LO:.*]] = arith.maxnumf %[[S]], %{{.*}}
// CHECK: %[[HI:.*]] = arith.minnumf %[[LO]], %{{.*}}
// CHECK: arith.fptoui %[[HI]] : f32 to i8
func.func @quantize_uint8(%x: tensor<6xf32>, %s: tensor<f32>, %z: tensor<ui8>) -> tensor<6xui8> {
  %0 = onnx.QuantizeLinear %x, %s, %z : (tensor<6xf32>, tensor<f32>, tensor<ui8>) -> tensor<6xui8>
  return %0 : tensor<6xui8>
}

// -----

// Per axis (axis = 1 of [2, 3, 4]): scale and zero point become [3, 1] and broadcast; int8 bounds.
// CHECK-DAG: #[[$AXIS:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-LABEL: func.func @quantize_axis_int8
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [3, 1] : tensor<3xf32> into tensor<3x1xf32>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$AXIS]], #[[$AXIS]], #{{.*}}]
// CHECK: arith.constant -1.280000e+02 : f32
// CHECK: arith.constant 1.270000e+02 : f32
// CHECK: arith.fptosi %{{.*}} : f32 to i8
func.func @quantize_axis_int8(%x: tensor<2x3x4xf32>, %s: tensor<3xf32>, %z: tensor<3xi8>) -> tensor<2x3x4xi8> {
  %0 = onnx.QuantizeLinear %x, %s, %z : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<2x3x4xi8>
  return %0 : tensor<2x3x4xi8>
}

// -----

// DequantizeLinear: (x - zero point) in i32, then times the scale.
// CHECK-LABEL: func.func @dequantize
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.subi
// CHECK: arith.sitofp %{{.*}} : i32 to f32
// CHECK: arith.mulf
func.func @dequantize(%x: tensor<4xui8>, %s: tensor<f32>, %z: tensor<ui8>) -> tensor<4xf32> {
  %0 = onnx.DequantizeLinear %x, %s, %z : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// DynamicQuantizeLinear: min and max (with 0) in one reduction, the scale (1 for an empty range) and
// the rounded zero point, then the quantization.
// CHECK-LABEL: func.func @dynamic_quantize
// CHECK: %[[RANGE:.*]]:2 = linalg.generic {{.*}} iterator_types = ["reduction"]}
// CHECK: arith.minnumf
// CHECK: arith.maxnumf
// CHECK: %[[P:.*]]:2 = linalg.generic {{.*}} ins(%[[RANGE]]#0, %[[RANGE]]#1 : tensor<f32>, tensor<f32>)
// CHECK: arith.cmpf oeq
// CHECK: math.roundeven
// CHECK: arith.fptoui
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[P]]#0, %[[P]]#1 : tensor<6xf32>, tensor<f32>, tensor<i8>)
// CHECK: math.roundeven
// CHECK: return %{{.*}}, %[[P]]#0, %[[P]]#1
func.func @dynamic_quantize(%x: tensor<6xf32>) -> (tensor<6xui8>, tensor<f32>, tensor<ui8>) {
  %0:3 = onnx.DynamicQuantizeLinear %x : (tensor<6xf32>) -> (tensor<6xui8>, tensor<f32>, tensor<ui8>)
  return %0#0, %0#1, %0#2 : tensor<6xui8>, tensor<f32>, tensor<ui8>
}
