// RUN: %mcc-opt --mcc-select-lowering-config="triple=x86_64-unknown-linux-gnu cpu=x86-64" %s | FileCheck %s

// The generic x86-64 tile is 4x8: B [K=2, N=3] given transposed ([N, K] = [[1, 2], [3, 4], [5, 6]]) is
// packed as one panel of 8 columns per k, zero-padded: k=0: 1 3 5 0..., k=1: 2 4 6 0...
// CHECK-LABEL: func.func @pack_transposed
// CHECK: %[[P:.*]] = arith.constant dense<[1.000000e+00, 3.000000e+00, 5.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 2.000000e+00, 4.000000e+00, 6.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]> : tensor<16xf32>
// CHECK: mcc.sgemm ins(%{{.*}}, %[[P]] : tensor<4x2xf32>, tensor<16xf32>) outs({{.*}}) {b_packed, lowering_config = #mcc.lowering_config<isa = generic, mr = 4, nr = 8>}
func.func @pack_transposed(%a: tensor<4x2xf32>) -> tensor<4x3xf32> {
  %b = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %e = tensor.empty() : tensor<4x3xf32>
  %0 = mcc.sgemm ins(%a, %b : tensor<4x2xf32>, tensor<3x2xf32>) outs(%e : tensor<4x3xf32>) {trans_b} -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}
