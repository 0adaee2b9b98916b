// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file | FileCheck %s

// A known length: a constant cos/sin table indexed by k*n mod N (quarter turns exact), summed by an
// scf.for over the samples; no copy pass after it.
// CHECK-LABEL: func.func @dft_real
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x1xf32>)
// CHECK: %[[TABLE:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 0.000000e+00], [0.000000e+00, 1.000000e+00], [-1.000000e+00, 0.000000e+00], [0.000000e+00, -1.000000e+00]]> : tensor<4x2xf32>
// CHECK: %[[R:.*]] = linalg.generic
// CHECK: scf.for %[[N:[^ ]*]] = %{{.*}} to %{{.*}} step
// CHECK: %[[KN:.*]] = arith.muli %{{.*}}, %[[N]] : index
// CHECK: %[[M:.*]] = arith.remui %[[KN]]
// CHECK: tensor.extract %[[TABLE]][%[[M]], %{{.*}}]
// CHECK: tensor.extract %[[X]][%{{.*}}, %[[N]], %{{.*}}]
// CHECK-NOT: linalg.generic
// CHECK: return %[[R]]
func.func @dft_real(%x: tensor<1x4x1xf32>) -> tensor<1x4x2xf32> {
  %none = onnx.NoValue
  %0 = onnx.DFT %x, %none : (tensor<1x4x1xf32>, none) -> tensor<1x4x2xf32>
  return %0 : tensor<1x4x2xf32>
}

// -----

// A runtime dft_length: twiddles from cos/sin of the integer-reduced angle, samples past N masked,
// and a run-time check (status 8, MCC_ERR_INVALID_SIZE) that N/2+1 matches the onesided result length.
// CHECK-LABEL: func.func @dft_runtime_length_onesided
// CHECK: %[[N:.*]] = tensor.extract %{{.*}}[] : tensor<i64>
// CHECK: %[[HALF:.*]] = arith.divsi %[[N]]
// CHECK: %[[LEN:.*]] = arith.addi %[[HALF]]
// CHECK: arith.cmpi eq, %[[LEN]]
// CHECK: scf.for
// CHECK: math.cos %{{.*}} : f64
// CHECK: math.sin %{{.*}} : f64
// CHECK: arith.cmpi ult
// CHECK: cf.assert %{{.*}}, "mcc.status=8: a size input does not match the result shape"
// CHECK-NOT: 0x7FC00000
func.func @dft_runtime_length_onesided(%x: tensor<2x6x1xf32>, %n: tensor<i64>) -> tensor<2x4x2xf32> {
  %0 = onnx.DFT %x, %n {onesided = 1 : i64} : (tensor<2x6x1xf32>, tensor<i64>) -> tensor<2x4x2xf32>
  return %0 : tensor<2x4x2xf32>
}

// -----

// Inverse scales by 1/N after the sum.
// CHECK-LABEL: func.func @dft_inverse
// CHECK: scf.for
// CHECK: arith.subf
// CHECK: linalg.generic
// CHECK: arith.mulf %{{.*}}, %{{.*}} : f32
func.func @dft_inverse(%x: tensor<3x5x2xf32>) -> tensor<3x5x2xf32> {
  %none = onnx.NoValue
  %0 = onnx.DFT %x, %none {inverse = 1 : i64} : (tensor<3x5x2xf32>, none) -> tensor<3x5x2xf32>
  return %0 : tensor<3x5x2xf32>
}

// -----

// STFT reads sample f * step + n (clamped into the signal) times the window.
// CHECK-LABEL: func.func @stft_window
// CHECK-SAME: (%[[S:.*]]: tensor<1x16x1xf32>, %{{.*}}: tensor<i64>, %[[W:.*]]: tensor<4xf32>)
// CHECK: scf.for %[[N:[^ ]*]] =
// CHECK: arith.remui
// CHECK: %[[F:.*]] = arith.muli %{{.*}}, %{{.*}} : index
// CHECK: %[[T:.*]] = arith.addi %[[F]], %[[N]] : index
// CHECK: %[[TC:.*]] = arith.minui %[[T]]
// CHECK: tensor.extract %[[W]][%[[N]]]
// CHECK: tensor.extract %[[S]][%{{.*}}, %[[TC]], %{{.*}}]
func.func @stft_window(%s: tensor<1x16x1xf32>, %step: tensor<i64>, %w: tensor<4xf32>) -> tensor<1x7x3x2xf32> {
  %none = onnx.NoValue
  %0 = onnx.STFT %s, %step, %w, %none : (tensor<1x16x1xf32>, tensor<i64>, tensor<4xf32>, none) -> tensor<1x7x3x2xf32>
  return %0 : tensor<1x7x3x2xf32>
}

// -----

// A constant size: no run-time check; an integer output_datatype truncates like a C cast.
// CHECK-LABEL: func.func @hamming_int
// CHECK-NOT: 0x7FF8000000000000
// CHECK: linalg.generic
// CHECK: math.cos %{{.*}} : f64
// CHECK: arith.fptosi %{{.*}} : f64 to i32
func.func @hamming_int() -> tensor<5xi32> {
  %n = onnx.Constant dense<5> : tensor<i32> : tensor<i32>
  %0 = onnx.HammingWindow %n {output_datatype = 6 : i64} : (tensor<i32>) -> tensor<5xi32>
  return %0 : tensor<5xi32>
}

// -----

// A runtime size: checked to equal the result length before the window is written (status 8);
// symmetric windows divide by size - 1.
// CHECK-LABEL: func.func @blackman_runtime_symmetric
// CHECK: %[[N:.*]] = tensor.extract
// CHECK: %[[OK:.*]] = arith.cmpi eq, %[[N]]
// CHECK: %[[D:.*]] = arith.subi %[[N]]
// CHECK: arith.sitofp %[[D]]
// CHECK: cf.assert %[[OK]], "mcc.status=8: the window size differs from the compiled one"
// CHECK: linalg.generic
// CHECK-COUNT-2: math.cos
// CHECK-NOT: arith.select
// CHECK: arith.truncf %{{.*}} : f64 to f16
func.func @blackman_runtime_symmetric(%n: tensor<i64>) -> tensor<6xf16> {
  %0 = onnx.BlackmanWindow %n {periodic = 0 : i64, output_datatype = 10 : i64} : (tensor<i64>) -> tensor<6xf16>
  return %0 : tensor<6xf16>
}

// -----

// An integer window with a run-time size: the check stands in for the NaN an integer cannot hold.
// CHECK-LABEL: func.func @hamming_int_runtime
// CHECK: cf.assert %{{.*}}, "mcc.status=8:
// CHECK: arith.fptosi %{{.*}} : f64 to i64
func.func @hamming_int_runtime(%n: tensor<i64>) -> tensor<5xi64> {
  %0 = onnx.HammingWindow %n {output_datatype = 7 : i64} : (tensor<i64>) -> tensor<5xi64>
  return %0 : tensor<5xi64>
}

// -----

// CHECK-LABEL: func.func @mel
// CHECK: math.log10
// CHECK: linalg.generic
// CHECK: math.powf
// CHECK: math.floor
// CHECK: arith.truncf %{{.*}} : f64 to f32
func.func @mel(%m: tensor<i32>, %d: tensor<i32>, %r: tensor<i32>, %lo: tensor<f32>, %hi: tensor<f32>) -> tensor<9x8xf32> {
  %0 = onnx.MelWeightMatrix %m, %d, %r, %lo, %hi : (tensor<i32>, tensor<i32>, tensor<i32>, tensor<f32>, tensor<f32>) -> tensor<9x8xf32>
  return %0 : tensor<9x8xf32>
}
