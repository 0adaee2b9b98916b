// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file | FileCheck %s

// Plain 2-D MatMul is the named linalg.matmul on a zero-filled accumulator.
// CHECK-LABEL: func.func @matmul_2d
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8x16xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x16xf32>
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<4x16xf32>)
// CHECK: %[[R:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<8x16xf32>) outs(%[[ACC]] : tensor<4x16xf32>)
// CHECK: return %[[R]]
func.func @matmul_2d(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %0 = onnx.MatMul %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_2d_i32
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: linalg.fill ins(%[[ZERO]] : i32)
// CHECK: linalg.matmul
func.func @matmul_2d_i32(%a: tensor<4x8xi32>, %b: tensor<8x16xi32>) -> tensor<4x16xi32> {
  %0 = onnx.MatMul %a, %b : (tensor<4x8xi32>, tensor<8x16xi32>) -> tensor<4x16xi32>
  return %0 : tensor<4x16xi32>
}

// -----

// Batched with broadcasting: loops (b0, b1, m, n, k); A's size-1 batch dim reads 0, B has one
// batch dim aligned with the inner batch loop.
// CHECK-DAG: #[[$MA:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d2, d4)>
// CHECK-DAG: #[[$MB:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4, d3)>
// CHECK-DAG: #[[$MC:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @matmul_batched
// CHECK-SAME: (%[[A:.*]]: tensor<2x1x4x8xf32>, %[[B:.*]]: tensor<3x8x16xf32>)
// CHECK: %[[ACC:.*]] = linalg.fill
// CHECK: linalg.generic {indexing_maps = [#[[$MA]], #[[$MB]], #[[$MC]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[A]], %[[B]] : tensor<2x1x4x8xf32>, tensor<3x8x16xf32>) outs(%[[ACC]] : tensor<2x3x4x16xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %[[O:.*]]: f32):
// CHECK: %[[P:.*]] = arith.mulf %[[X]], %[[Y]]
// CHECK: %[[S:.*]] = arith.addf %[[O]], %[[P]]
// CHECK: linalg.yield %[[S]]
// CHECK-NOT: linalg.matmul
func.func @matmul_batched(%a: tensor<2x1x4x8xf32>, %b: tensor<3x8x16xf32>) -> tensor<2x3x4x16xf32> {
  %0 = onnx.MatMul %a, %b : (tensor<2x1x4x8xf32>, tensor<3x8x16xf32>) -> tensor<2x3x4x16xf32>
  return %0 : tensor<2x3x4x16xf32>
}

// -----

// 1-D A is a row vector whose unit dim is dropped: loops (n, k).
// CHECK-DAG: #[[$VA:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[$VB:.*]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-DAG: #[[$VC:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @matmul_vec_mat
// CHECK: linalg.generic {indexing_maps = [#[[$VA]], #[[$VB]], #[[$VC]]], iterator_types = ["parallel", "reduction"]}
func.func @matmul_vec_mat(%a: tensor<8xf32>, %b: tensor<8x16xf32>) -> tensor<16xf32> {
  %0 = onnx.MatMul %a, %b : (tensor<8xf32>, tensor<8x16xf32>) -> tensor<16xf32>
  return %0 : tensor<16xf32>
}

// -----

// 1-D B is a column vector: loops (batch, m, k).
// CHECK-DAG: #[[$MA3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$MB3:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-DAG: #[[$MC3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @matmul_mat_vec
// CHECK: linalg.generic {indexing_maps = [#[[$MA3]], #[[$MB3]], #[[$MC3]]], iterator_types = ["parallel", "parallel", "reduction"]}
func.func @matmul_mat_vec(%a: tensor<2x4x8xf32>, %b: tensor<8xf32>) -> tensor<2x4xf32> {
  %0 = onnx.MatMul %a, %b : (tensor<2x4x8xf32>, tensor<8xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Dot product: a 0-d result, one reduction loop.
// CHECK-DAG: #[[$DOT:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @matmul_dot
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #[[$DOT]]], iterator_types = ["reduction"]}
// CHECK-SAME: outs(%{{.*}} : tensor<f32>)
func.func @matmul_dot(%a: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<f32> {
  %0 = onnx.MatMul %a, %b : (tensor<8xf32>, tensor<8xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Gemm without C and alpha = 1: only the contraction.
// CHECK-DAG: #[[$GA:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$GB:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[$GC:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @gemm_plain
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$GA]], #[[$GB]], #[[$GC]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-NOT: linalg.generic
// CHECK: return %[[R]]
func.func @gemm_plain(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %none = onnx.NoValue
  %0 = onnx.Gemm %a, %b, %none : (tensor<4x8xf32>, tensor<8x16xf32>, none) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// Transposes live in the indexing maps; alpha, beta and the broadcast C in one epilogue.
// CHECK-DAG: #[[$TA:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[$TB:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$TC:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[$EID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$EC:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @gemm_full
// CHECK-SAME: (%[[A:.*]]: tensor<8x4xf32>, %[[B:.*]]: tensor<16x8xf32>, %[[C:.*]]: tensor<16xf32>)
// CHECK: %[[ACC:.*]] = linalg.generic {indexing_maps = [#[[$TA]], #[[$TB]], #[[$TC]]]
// CHECK-SAME: ins(%[[A]], %[[B]] : tensor<8x4xf32>, tensor<16x8xf32>)
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$EID]], #[[$EC]], #[[$EID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[ACC]], %[[C]] : tensor<4x16xf32>, tensor<16xf32>)
// CHECK: ^bb0(%[[P:.*]]: f32, %[[Q:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[ALPHA:.*]] = arith.constant 2.000000e+00 : f32
// CHECK: %[[PA:.*]] = arith.mulf %[[P]], %[[ALPHA]]
// CHECK: %[[BETA:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: %[[QB:.*]] = arith.mulf %[[Q]], %[[BETA]]
// CHECK: %[[S:.*]] = arith.addf %[[PA]], %[[QB]]
// CHECK: linalg.yield %[[S]]
// CHECK: return %[[R]]
func.func @gemm_full(%a: tensor<8x4xf32>, %b: tensor<16x8xf32>, %c: tensor<16xf32>) -> tensor<4x16xf32> {
  %0 = onnx.Gemm %a, %b, %c {alpha = 2.0 : f32, beta = 0.5 : f32, transA = 1 : i64, transB = 1 : i64} : (tensor<8x4xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// A column C stretches along n; alpha = beta = 1 emit no multiplies.
// CHECK-DAG: #[[$CCOL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @gemm_c_column
// CHECK: linalg.generic
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$CCOL]], #{{.*}}]
// CHECK-NOT: arith.mulf
// CHECK: arith.addf
// CHECK-NEXT: linalg.yield
func.func @gemm_c_column(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<4x1xf32>) -> tensor<4x16xf32> {
  %0 = onnx.Gemm %a, %b, %c : (tensor<4x8xf32>, tensor<8x16xf32>, tensor<4x1xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// beta = 0 drops C altogether.
// CHECK-LABEL: func.func @gemm_beta_zero
// CHECK: %[[R:.*]] = linalg.generic
// CHECK-NOT: linalg.generic
// CHECK: return %[[R]]
func.func @gemm_beta_zero(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %0 = onnx.Gemm %a, %b, %c {beta = 0.0 : f32} : (tensor<4x8xf32>, tensor<8x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// Einsum: one generic, a loop per label; a repeated label reads the diagonal, '...' dims lead.
// CHECK-DAG: #[[$DIAG:.*]] = affine_map<(d0, d1) -> (d0, d1, d1)>
// CHECK-LABEL: func.func @einsum_batch_diagonal
// CHECK: linalg.generic {indexing_maps = [#[[$DIAG]], #{{.*}}], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%{{.*}} : tensor<3x5x5xf64>) outs(%{{.*}} : tensor<3x5xf64>)
// CHECK: arith.addf
func.func @einsum_batch_diagonal(%x: tensor<3x5x5xf64>) -> tensor<3x5xf64> {
  %0 = onnx.Einsum %x {equation = "...ii ->...i"} : (tensor<3x5x5xf64>) -> tensor<3x5xf64>
  return %0 : tensor<3x5xf64>
}

// -----

// Implicit output: the labels seen once, alphabetically (a, c); b is summed.
// CHECK-DAG: #[[$A:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[$B:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$O:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @einsum_implicit
// CHECK: linalg.generic {indexing_maps = [#[[$A]], #[[$B]], #[[$O]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @einsum_implicit(%a: tensor<2x3xf32>, %b: tensor<4x2xf32>) -> tensor<3x4xf32> {
  %0 = onnx.Einsum %a, %b {equation = "ba,cb"} : (tensor<2x3xf32>, tensor<4x2xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// Det: LU with partial pivoting on a copy, one matrix per iteration of the outer loop.
// CHECK-LABEL: func.func @det
// CHECK: %[[WORK:.*]] = linalg.copy ins(%{{.*}} : tensor<2x3x3xf32>)
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[WORK]], %{{.*}} = %{{.*}}) -> (tensor<2x3x3xf32>, tensor<2xf32>)
// CHECK: scf.for {{.*}} -> (tensor<2x3x3xf32>, f32)
// CHECK: math.absf
// CHECK: arith.cmpf ogt
// CHECK: arith.negf
// CHECK: arith.cmpf oeq
// CHECK: arith.divf
// CHECK: arith.subf
// CHECK: tensor.insert %{{.*}} into %{{.*}} : tensor<2xf32>
func.func @det(%x: tensor<2x3x3xf32>) -> tensor<2xf32> {
  %0 = onnx.Det %x : (tensor<2x3x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// MatMulInteger: operands widened to i32 minus their zero points (A per tensor, B per column), then
// the batched integer product.
// CHECK-DAG: #[[$PERCOL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @matmulinteger
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.subi
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$PERCOL]], #{{.*}}]
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.subi
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<2x4x3xi32>, tensor<3x5xi32>) outs(%{{.*}} : tensor<2x4x5xi32>)
// CHECK: arith.muli
// CHECK: arith.addi
func.func @matmulinteger(%a: tensor<2x4x3xui8>, %b: tensor<3x5xi8>, %az: tensor<ui8>, %bz: tensor<5xi8>) -> tensor<2x4x5xi32> {
  %0 = onnx.MatMulInteger %a, %b, %az, %bz : (tensor<2x4x3xui8>, tensor<3x5xi8>, tensor<ui8>, tensor<5xi8>) -> tensor<2x4x5xi32>
  return %0 : tensor<2x4x5xi32>
}

// -----

// QLinearMatMul: the i32 product requantized with a_scale * b_scale / y_scale, rounded half to even.
// CHECK-LABEL: func.func @qlinearmatmul
// CHECK: linalg.matmul
// CHECK: arith.divf
// CHECK: arith.sitofp %{{.*}} : i32 to f32
// CHECK: math.roundeven
// CHECK: arith.maxnumf
// CHECK: arith.minnumf
// CHECK: arith.fptosi %{{.*}} : f32 to i8
func.func @qlinearmatmul(%a: tensor<2x4xi8>, %as: tensor<f32>, %az: tensor<i8>, %b: tensor<4x3xi8>, %bs: tensor<f32>, %bz: tensor<i8>, %ys: tensor<f32>, %yz: tensor<i8>) -> tensor<2x3xi8> {
  %0 = onnx.QLinearMatMul %a, %as, %az, %b, %bs, %bz, %ys, %yz : (tensor<2x4xi8>, tensor<f32>, tensor<i8>, tensor<4x3xi8>, tensor<f32>, tensor<i8>, tensor<f32>, tensor<i8>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}
