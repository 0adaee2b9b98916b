// RUN: %mcc-opt --mcc-plan-memory %s -split-input-file -verify-diagnostics

func.func @main_graph(%in: memref<4xf32>, %n: index) {
  // expected-error @+1 {{allocation with a dynamic size cannot be planned}}
  %a = memref.alloc(%n) : memref<?xf32>
  return
}
