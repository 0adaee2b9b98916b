// RUN: %mcc-opt --mcc-lower-runtime-checks %s -split-input-file -verify-diagnostics -allow-unregistered-dialect | FileCheck %s

// Each "mcc.status=N" assert becomes a branch to a block returning N (one block per status); the
// entry returns 0 where it returned before; other asserts stay.
// CHECK-LABEL: func.func @main_graph(%{{.*}}: i1, %{{.*}}: i1, %{{.*}}: i1) -> i32
// CHECK: cf.cond_br %{{.*}}, ^[[A:.*]], ^[[FAIL7:.*]]
// CHECK: ^[[A]]:
// CHECK: "test.op"() {before = 2 : i64}
// CHECK: cf.cond_br %{{.*}}, ^[[B:.*]], ^[[FAIL7]]
// CHECK: ^[[B]]:
// CHECK: cf.assert %{{.*}}, "plain"
// CHECK: cf.cond_br %{{.*}}, ^[[C:.*]], ^[[FAIL8:.*]]
// CHECK: ^[[C]]:
// CHECK: %[[OK:.*]] = arith.constant 0 : i32
// CHECK: return %[[OK]] : i32
// CHECK: ^[[FAIL7]]:
// CHECK: %[[S7:.*]] = arith.constant 7 : i32
// CHECK: return %[[S7]] : i32
// CHECK: ^[[FAIL8]]:
// CHECK: %[[S8:.*]] = arith.constant 8 : i32
// CHECK: return %[[S8]] : i32
func.func @main_graph(%a: i1, %b: i1, %c: i1) {
  cf.assert %a, "mcc.status=7: index out of range"
  "test.op"() {before = 2} : () -> ()
  cf.assert %b, "mcc.status=7: index out of range"
  cf.assert %c, "plain"
  cf.assert %c, "mcc.status=8: size"
  return
}

// -----

func.func @main_graph(%a: i1) {
  // expected-error @+1 {{a run-time check inside a region: lower structured control flow first}}
  scf.execute_region {
    cf.assert %a, "mcc.status=7: index out of range"
    scf.yield
  }
  return
}

// -----

func.func @main_graph() {
  return
}

func.func private @helper(%a: i1) {
  // expected-error @+1 {{a run-time check outside the entry function}}
  cf.assert %a, "mcc.status=7: index out of range"
  return
}
