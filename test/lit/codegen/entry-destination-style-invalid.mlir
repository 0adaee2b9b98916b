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
