// RUN: %mcc-opt --mcc-lower-to-quant-kernel-ops %s -split-input-file | FileCheck %s

// QLinearMatMul with u8 weights: the weights become s8 (shifted by 128, zero point too), the scale is
// a_scale * b_scale / y_scale per column.
// CHECK-LABEL: func.func @qlinear_matmul
// CHECK: %[[W:.*]] = onnx.Constant dense<{{\[\[}}-128, 127]]> : tensor<1x2xi8>
// CHECK: mcc.qgemm ins(%{{.*}}, %[[W]] : tensor<3x1xui8>, tensor<1x2xi8>) outs(%{{.*}} : tensor<3x2xui8>)
// CHECK-SAME: a_zp = 5 : i32
// CHECK-SAME: scale = array<f32: 2.500000e-01, 2.500000e-01>
// CHECK-SAME: w_zp = array<i32: -118, -118>
// CHECK-SAME: y_zp = 7 : i32
func.func @qlinear_matmul(%a: tensor<3x1xui8>) -> tensor<3x2xui8> {
  %as = onnx.Constant dense<0.5> : tensor<f32> : tensor<f32>
  %az = onnx.Constant dense<5> : tensor<ui8> : tensor<ui8>
  %b = onnx.Constant dense<[[0, 255]]> : tensor<1x2xui8> : tensor<1x2xui8>
  %bs = onnx.Constant dense<1.0> : tensor<f32> : tensor<f32>
  %bz = onnx.Constant dense<10> : tensor<ui8> : tensor<ui8>
  %ys = onnx.Constant dense<2.0> : tensor<f32> : tensor<f32>
  %yz = onnx.Constant dense<7> : tensor<ui8> : tensor<ui8>
  %0 = onnx.QLinearMatMul %a, %as, %az, %b, %bs, %bz, %ys, %yz : (tensor<3x1xui8>, tensor<f32>, tensor<ui8>, tensor<1x2xui8>, tensor<f32>, tensor<ui8>, tensor<f32>, tensor<ui8>) -> tensor<3x2xui8>
  return %0 : tensor<3x2xui8>
}

// -----

// The QDQ form of Conv -> Relu: one mcc.qconv2d, the Relu folded into lo = y_zp, the int32 bias
// taken as is (its scale is x_scale * w_scale), s8 activations.
// CHECK-LABEL: func.func @qdq_conv_relu
// CHECK: mcc.qconv2d ins(%{{.*}}, %{{.*}} : tensor<1x2x5x5xi8>, tensor<3x2x3x3xi8>) outs(%{{.*}} : tensor<1x3x5x5xi8>)
// CHECK-SAME: bias = array<i32: 1, -2, 3>
// CHECK-SAME: lo = 4 : i32
// CHECK-SAME: pads = array<i64: 1, 1>
// CHECK-SAME: x_signed
// CHECK-SAME: x_zp = -3 : i32
// CHECK-SAME: y_signed
// CHECK-SAME: y_zp = 4 : i32
// CHECK-NOT: onnx.QuantizeLinear
func.func @qdq_conv_relu(%x: tensor<1x2x5x5xi8>) -> tensor<1x3x5x5xi8> {
  %xs = onnx.Constant dense<0.5> : tensor<f32> : tensor<f32>
  %xz = onnx.Constant dense<-3> : tensor<i8> : tensor<i8>
  %w = onnx.Constant dense<1> : tensor<3x2x3x3xi8> : tensor<3x2x3x3xi8>
  %ws = onnx.Constant dense<[0.25, 0.5, 1.0]> : tensor<3xf32> : tensor<3xf32>
  %wz = onnx.Constant dense<0> : tensor<3xi8> : tensor<3xi8>
  %b = onnx.Constant dense<[1, -2, 3]> : tensor<3xi32> : tensor<3xi32>
  %bs = onnx.Constant dense<[0.125, 0.25, 0.5]> : tensor<3xf32> : tensor<3xf32>
  %ys = onnx.Constant dense<0.1> : tensor<f32> : tensor<f32>
  %yz = onnx.Constant dense<4> : tensor<i8> : tensor<i8>
  %xd = onnx.DequantizeLinear %x, %xs, %xz : (tensor<1x2x5x5xi8>, tensor<f32>, tensor<i8>) -> tensor<1x2x5x5xf32>
  %wd = onnx.DequantizeLinear %w, %ws, %wz {axis = 0 : i64} : (tensor<3x2x3x3xi8>, tensor<3xf32>, tensor<3xi8>) -> tensor<3x2x3x3xf32>
  %n = onnx.NoValue
  %bd = onnx.DequantizeLinear %b, %bs, %n {axis = 0 : i64} : (tensor<3xi32>, tensor<3xf32>, none) -> tensor<3xf32>
  %c = onnx.Conv %xd, %wd, %bd {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>) -> tensor<1x3x5x5xf32>
  %r = onnx.Relu %c : (tensor<1x3x5x5xf32>) -> tensor<1x3x5x5xf32>
  %y = onnx.QuantizeLinear %r, %ys, %yz : (tensor<1x3x5x5xf32>, tensor<f32>, tensor<i8>) -> tensor<1x3x5x5xi8>
  return %y : tensor<1x3x5x5xi8>
}

// -----

// A grouped convolution has no int8 kernel yet: QLinearConv stays for the generic lowering.
// CHECK-LABEL: func.func @qlinear_conv_grouped
// CHECK-NOT: mcc.qconv2d
// CHECK: onnx.QLinearConv
func.func @qlinear_conv_grouped(%x: tensor<1x4x5x5xui8>) -> tensor<1x4x3x3xui8> {
  %s = onnx.Constant dense<0.5> : tensor<f32> : tensor<f32>
  %z = onnx.Constant dense<0> : tensor<ui8> : tensor<ui8>
  %w = onnx.Constant dense<1> : tensor<4x2x3x3xi8> : tensor<4x2x3x3xi8>
  %wz = onnx.Constant dense<0> : tensor<i8> : tensor<i8>
  %n = onnx.NoValue
  %0 = onnx.QLinearConv %x, %s, %z, %w, %s, %wz, %s, %z, %n {group = 2 : i64} : (tensor<1x4x5x5xui8>, tensor<f32>, tensor<ui8>, tensor<4x2x3x3xi8>, tensor<f32>, tensor<i8>, tensor<f32>, tensor<ui8>, none) -> tensor<1x4x3x3xui8>
  return %0 : tensor<1x4x3x3xui8>
}

// -----

// A depthwise QDQ layer has no int8 kernel: its constant weights are dequantized at compile time
// ((w - zp) * scale per channel, in f32) so that the float kernel takes the Conv.
// CHECK-LABEL: func.func @qdq_depthwise_folds_weights
// CHECK: %[[W:.*]] = onnx.Constant dense<{{\[\[\[\[}}2.000000e+00]]], {{\[\[\[}}-1.500000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK: onnx.Conv %{{.*}}, %[[W]], %{{.*}} {group = 2 : i64}
// CHECK-NOT: mcc.qconv2d
func.func @qdq_depthwise_folds_weights(%x: tensor<1x2x3x3xui8>) -> tensor<1x2x3x3xui8> {
  %s = onnx.Constant dense<0.5> : tensor<f32> : tensor<f32>
  %z = onnx.Constant dense<1> : tensor<ui8> : tensor<ui8>
  %w = onnx.Constant dense<[[[[5]]], [[[-2]]]]> : tensor<2x1x1x1xi8> : tensor<2x1x1x1xi8>
  %ws = onnx.Constant dense<[0.5, 1.5]> : tensor<2xf32> : tensor<2xf32>
  %wz = onnx.Constant dense<[1, -1]> : tensor<2xi8> : tensor<2xi8>
  %n = onnx.NoValue
  %xd = onnx.DequantizeLinear %x, %s, %z : (tensor<1x2x3x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x3x3xf32>
  %wd = onnx.DequantizeLinear %w, %ws, %wz {axis = 0 : i64} : (tensor<2x1x1x1xi8>, tensor<2xf32>, tensor<2xi8>) -> tensor<2x1x1x1xf32>
  %c = onnx.Conv %xd, %wd, %n {group = 2 : i64} : (tensor<1x2x3x3xf32>, tensor<2x1x1x1xf32>, none) -> tensor<1x2x3x3xf32>
  %y = onnx.QuantizeLinear %c, %s, %z : (tensor<1x2x3x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x3x3xui8>
  return %y : tensor<1x2x3x3xui8>
}

// -----

// Relu6 as Clip(0, 6) before QuantizeLinear: the output range becomes [Q(0), Q(6)] = [10, 10 + 6/0.5].
// CHECK-LABEL: func.func @qdq_matmul_clip
// CHECK: mcc.qgemm
// CHECK-SAME: hi = 22 : i32
// CHECK-SAME: lo = 10 : i32
func.func @qdq_matmul_clip(%x: tensor<2x3xui8>) -> tensor<2x4xui8> {
  %s = onnx.Constant dense<0.5> : tensor<f32> : tensor<f32>
  %z = onnx.Constant dense<10> : tensor<ui8> : tensor<ui8>
  %w = onnx.Constant dense<3> : tensor<3x4xi8> : tensor<3x4xi8>
  %ws = onnx.Constant dense<0.25> : tensor<f32> : tensor<f32>
  %lo = onnx.Constant dense<0.0> : tensor<f32> : tensor<f32>
  %hi = onnx.Constant dense<6.0> : tensor<f32> : tensor<f32>
  %n = onnx.NoValue
  %xd = onnx.DequantizeLinear %x, %s, %z : (tensor<2x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x3xf32>
  %wd = onnx.DequantizeLinear %w, %ws, %n : (tensor<3x4xi8>, tensor<f32>, none) -> tensor<3x4xf32>
  %m = onnx.MatMul %xd, %wd : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %c = onnx.Clip %m, %lo, %hi : (tensor<2x4xf32>, tensor<f32>, tensor<f32>) -> tensor<2x4xf32>
  %y = onnx.QuantizeLinear %c, %s, %z : (tensor<2x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x4xui8>
  return %y : tensor<2x4xui8>
}
