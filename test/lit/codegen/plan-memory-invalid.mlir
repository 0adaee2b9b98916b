// RUN: %mcc-opt --mcc-plan-memory %s -split-input-file -verify-diagnostics

func.func @main_graph(%in: memref<4xf32>, %n: index) {
  // expected-error @+1 {{allocation with a dynamic size or inside a loop cannot be planned}}
  %a = memref.alloc(%n) : memref<?xf32>
  return
}

// -----

func.func @main_graph(%in: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    // expected-error @+1 {{allocation with a dynamic size or inside a loop cannot be planned}}
    %a = memref.alloc() : memref<4xf32>
  }
  return
}
