// RUN: %mcc-opt --mcc-entry-destination-style %s -split-input-file -verify-diagnostics

// expected-error @+1 {{entry function needs statically shaped tensors, got 'tensor<?x3xf32>'}}
func.func @main_graph(%a: tensor<?x3xf32>) -> tensor<?x3xf32> {
  return %a : tensor<?x3xf32>
}

// -----

// expected-error @+1 {{entry function needs statically shaped tensors, got 'memref<3xf32>'}}
func.func @main_graph(%a: memref<3xf32>) {
  return
}

// -----

// expected-error @+1 {{result #0 of type 'tensor<?xf32>' needs a 'mcc.upper_bound' of rank 1}}
func.func @main_graph(%a: tensor<3xf32>) -> tensor<?xf32> {
  %n = arith.constant 2 : index
  %s = tensor.extract_slice %a[0] [%n] [1] : tensor<3xf32> to tensor<?xf32>
  return %s : tensor<?xf32>
}

// -----

// expected-error @+1 {{result #0: upper bound array<i64: 4, 2> does not fit 'tensor<?x3xf32>'}}
func.func @main_graph(%a: tensor<3x3xf32>) -> (tensor<?x3xf32> {mcc.upper_bound = array<i64: 4, 2>}) {
  %c = arith.constant 1 : index
  %s = tensor.extract_slice %a[0, 0] [%c, 3] [1, 1] : tensor<3x3xf32> to tensor<?x3xf32>
  return %s : tensor<?x3xf32>
}
