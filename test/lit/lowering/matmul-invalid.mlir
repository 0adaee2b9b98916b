// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file -verify-diagnostics

func.func @matmul_k_mismatch(%a: tensor<4x8xf32>, %b: tensor<7x16xf32>) -> tensor<4x16xf32> {
  // expected-error @+1 {{'onnx.MatMul' op contraction dimensions differ: 8 vs 7}}
  %0 = onnx.MatMul %a, %b : (tensor<4x8xf32>, tensor<7x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @matmul_rank0(%a: tensor<f32>, %b: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{'onnx.MatMul' op operands must have rank >= 1}}
  %0 = onnx.MatMul %a, %b : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

func.func @matmul_dynamic(%a: tensor<?x8xf32>, %b: tensor<8x16xf32>) -> tensor<?x16xf32> {
  // expected-error @+2 {{dynamic shapes are not supported by this op's lowering yet}}
  // expected-error @+1 {{failed to legalize operation 'onnx.MatMul'}}
  %0 = onnx.MatMul %a, %b : (tensor<?x8xf32>, tensor<8x16xf32>) -> tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}

// -----

func.func @gemm_3d(%a: tensor<2x4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Gemm' op A and B must be 2-D}}
  %0 = onnx.Gemm %a, %b, %none : (tensor<2x4x8xf32>, tensor<8x16xf32>, none) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @gemm_trans_k_mismatch(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Gemm' op contraction dimensions differ: 8 vs 16}}
  %0 = onnx.Gemm %a, %b, %none {transB = 1 : i64} : (tensor<4x8xf32>, tensor<8x16xf32>, none) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @gemm_c_rank3(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<1x4x16xf32>) -> tensor<4x16xf32> {
  // expected-error @+1 {{'onnx.Gemm' op C must have rank <= 2}}
  %0 = onnx.Gemm %a, %b, %c : (tensor<4x8xf32>, tensor<8x16xf32>, tensor<1x4x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @gemm_c_not_broadcastable(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<3x16xf32>) -> tensor<4x16xf32> {
  // expected-error @+2 {{C of shape 'tensor<3x16xf32>' does not broadcast to 'tensor<4x16xf32>'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Gemm'}}
  %0 = onnx.Gemm %a, %b, %c : (tensor<4x8xf32>, tensor<8x16xf32>, tensor<3x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @einsum_operand_count(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{equation 'ij,jk->i' has 2 operands, got 1}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Einsum'}}
  %0 = onnx.Einsum %a {equation = "ij,jk->i"} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @einsum_label_sizes(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+2 {{label dims of sizes 3 and 4 do not match}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Einsum'}}
  %0 = onnx.Einsum %a, %b {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @det_not_square(%x: tensor<2x3xf32>) -> tensor<f32> {
  // expected-error @+1 {{'onnx.Det' op matrices must be square, got 2x3}}
  %0 = onnx.Det %x : (tensor<2x3xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @matmulinteger_float(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> tensor<2x2xi32> {
  %none = onnx.NoValue
  // expected-error @+2 {{A and B must be 8-bit integers}}
  // expected-error @+1 {{failed to legalize operation 'onnx.MatMulInteger'}}
  %0 = onnx.MatMulInteger %a, %b, %none, %none : (tensor<2x3xf32>, tensor<3x2xf32>, none, none) -> tensor<2x2xi32>
  return %0 : tensor<2x2xi32>
}
