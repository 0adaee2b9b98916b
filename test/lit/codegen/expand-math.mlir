// RUN: %mcc-opt --mcc-expand-math --cse %s -split-input-file | FileCheck %s

// f32 exp, erf and tanh become inline arithmetic: no math call is left for libm.
// CHECK-LABEL: func.func @f32_functions
// CHECK-NOT: math.exp
// CHECK-NOT: math.erf
// CHECK-NOT: math.tanh
// CHECK-NOT: math.log
// CHECK: arith.bitcast
// CHECK: return
func.func @f32_functions(%x: f32) -> (f32, f32, f32, f32) {
  %e = math.exp %x : f32
  %f = math.erf %x : f32
  %t = math.tanh %x : f32
  %l = math.log %x : f32
  return %e, %f, %t, %l : f32, f32, f32, f32
}

// -----

// f64 keeps libm's results.
// CHECK-LABEL: func.func @f64_kept
// CHECK: math.exp %{{.*}} : f64
// CHECK: math.erf %{{.*}} : f64
func.func @f64_kept(%x: f64) -> (f64, f64) {
  %e = math.exp %x : f64
  %f = math.erf %x : f64
  return %e, %f : f64, f64
}

// -----

// Pow by 2 and 3 multiplies, by -1 divides, by 0.5 takes a square root (with powf's +inf for -inf);
// any other exponent stays powf.
// CHECK-LABEL: func.func @pow_constant
// CHECK-SAME: (%[[X:.*]]: f32)
// CHECK-DAG: %[[SQ:.*]] = arith.mulf %[[X]], %[[X]] : f32
// CHECK-DAG: %[[CUBE:.*]] = arith.mulf %{{.*}}, %[[X]] : f32
// CHECK-DAG: %[[INV:.*]] = arith.divf %{{.*}}, %[[X]] : f32
// CHECK-DAG: %[[ISNINF:.*]] = arith.cmpf oeq, %[[X]], %{{.*}} : f32
// CHECK-DAG: %[[ROOT:.*]] = math.sqrt %[[X]] : f32
// CHECK-DAG: %[[HALF:.*]] = arith.select %[[ISNINF]], %{{.*}}, %[[ROOT]] : f32
// CHECK-DAG: %[[OTHER:.*]] = math.powf %[[X]], %{{.*}} : f32
// CHECK: return %[[SQ]], %[[CUBE]], %[[INV]], %[[HALF]], %[[OTHER]]
func.func @pow_constant(%x: f32) -> (f32, f32, f32, f32, f32) {
  %c2 = arith.constant 2.0 : f32
  %c3 = arith.constant 3.0 : f32
  %cm1 = arith.constant -1.0 : f32
  %ch = arith.constant 0.5 : f32
  %c07 = arith.constant 0.7 : f32
  %a = math.powf %x, %c2 : f32
  %b = math.powf %x, %c3 : f32
  %c = math.powf %x, %cm1 : f32
  %d = math.powf %x, %ch : f32
  %e = math.powf %x, %c07 : f32
  return %a, %b, %c, %d, %e : f32, f32, f32, f32, f32
}
