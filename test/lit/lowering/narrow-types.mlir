// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file | FileCheck %s

// f32 -> float8 with saturation (the default): the magnitude is clamped to the largest finite value's
// bits (448 = 0x43E00000 for E4M3FN) before rounding; the byte is the result's bit pattern.
// CHECK-LABEL: func.func @cast_f32_e4m3fn
// CHECK: linalg.generic
// CHECK: arith.bitcast %{{.*}} : f32 to i32
// CHECK: arith.minui
// CHECK: math.roundeven
// CHECK: arith.trunci %{{.*}} : i32 to i8
// CHECK: arith.bitcast %{{.*}} : i8 to f8E4M3FN
func.func @cast_f32_e4m3fn(%a: tensor<8xf32>) -> tensor<8xf8E4M3FN> {
  %0 = onnx.Cast %a {to = 17 : i64} : (tensor<8xf32>) -> tensor<8xf8E4M3FN>
  return %0 : tensor<8xf8E4M3FN>
}

// -----

// Without saturation nothing is clamped: what rounds past the largest finite value becomes infinity (E5M2).
// CHECK-LABEL: func.func @cast_f16_e5m2_nosat
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK-NOT: arith.minui
// CHECK: arith.bitcast %{{.*}} : i8 to f8E5M2
func.func @cast_f16_e5m2_nosat(%a: tensor<8xf16>) -> tensor<8xf8E5M2> {
  %0 = onnx.Cast %a {to = 19 : i64, saturate = 0 : i64} : (tensor<8xf16>) -> tensor<8xf8E5M2>
  return %0 : tensor<8xf8E5M2>
}

// -----

// float8 -> f16: decoded into f32 on the bits (exact), then one truncation (exact too).
// CHECK-LABEL: func.func @castlike_e4m3fnuz_f16
// CHECK: arith.bitcast %{{.*}} : f8E4M3FNUZ to i8
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.bitcast %{{.*}} : i32 to f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @castlike_e4m3fnuz_f16(%a: tensor<8xf8E4M3FNUZ>, %t: tensor<1xf16>) -> tensor<8xf16> {
  %0 = onnx.CastLike %a, %t : (tensor<8xf8E4M3FNUZ>, tensor<1xf16>) -> tensor<8xf16>
  return %0 : tensor<8xf16>
}

// -----

// QuantizeLinear to float8: x / scale rounded once into the type; DequantizeLinear decodes and scales.
// CHECK-LABEL: func.func @qdq_e5m2fnuz
// CHECK: arith.divf
// CHECK: arith.bitcast %{{.*}} : i8 to f8E5M2FNUZ
// CHECK: arith.bitcast %{{.*}} : f8E5M2FNUZ to i8
// CHECK: arith.mulf
func.func @qdq_e5m2fnuz(%x: tensor<8xf32>, %s: tensor<f32>, %z: tensor<f8E5M2FNUZ>) -> tensor<8xf32> {
  %q = onnx.QuantizeLinear %x, %s, %z : (tensor<8xf32>, tensor<f32>, tensor<f8E5M2FNUZ>) -> tensor<8xf8E5M2FNUZ>
  %d = onnx.DequantizeLinear %q, %s, %z : (tensor<8xf8E5M2FNUZ>, tensor<f32>, tensor<f8E5M2FNUZ>) -> tensor<8xf32>
  return %d : tensor<8xf32>
}

// -----

// f32 -> int4 as the reference converts: truncated toward zero, 0 when out of [-8, 7] (NaN too).
// CHECK-LABEL: func.func @cast_f32_i4
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf olt
// CHECK: arith.fptosi %{{.*}} : f32 to i32
// CHECK: arith.trunci %{{.*}} : i32 to i4
func.func @cast_f32_i4(%a: tensor<8xf32>) -> tensor<8xi4> {
  %0 = onnx.Cast %a {to = 22 : i64} : (tensor<8xf32>) -> tensor<8xi4>
  return %0 : tensor<8xi4>
}

// -----

// uint4 -> int8 zero-extends; float4 -> f32 decodes the 4 bits.
// CHECK-LABEL: func.func @cast_ui4_i8
// CHECK: arith.extui %{{.*}} : i4 to i8
// CHECK-LABEL: func.func @cast_f4_f32
// CHECK: arith.bitcast %{{.*}} : f4E2M1FN to i4
func.func @cast_ui4_i8(%a: tensor<8xui4>) -> tensor<8xi8> {
  %0 = onnx.Cast %a {to = 3 : i64} : (tensor<8xui4>) -> tensor<8xi8>
  return %0 : tensor<8xi8>
}
func.func @cast_f4_f32(%a: tensor<8xf4E2M1FN>) -> tensor<8xf32> {
  %0 = onnx.Cast %a {to = 1 : i64} : (tensor<8xf4E2M1FN>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}
