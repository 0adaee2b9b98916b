// RUN: %mcc-opt --mcc-instrument-nodes %s -split-input-file | FileCheck %s
// RUN: %mcc-opt --mcc-instrument-nodes --mcc-lower-kernel-calls --mcc-plan-memory %s -split-input-file | FileCheck %s --check-prefix=PLAN

// Two nodes: a packed SGEMM (MatMul fused with its Relu) and an elementwise Add. Each is bracketed
// by clock calls stored into the record buffer ({begin, end} per node); the module lists the nodes
// with their FLOPs: 2*M*N*K for the SGEMM, one per element and body op for the generic.
// CHECK: module attributes {mcc.profile = [{flops = 1.024000e+03 : f64, name = "mm+act", op = "MatMul+Relu", shapes = "4x8xf32, 256xf32 -> 4x16xf32"}, {flops = 6.400000e+01 : f64, name = "#3", op = "Add", shapes = "4x16xf32, 4x16xf32 -> 4x16xf32"}]}
// CHECK: func.func private @mcc_profile_now_ns() -> i64
// CHECK-LABEL: func.func @main_graph
// CHECK: %[[REC:.*]] = memref.alloc() {alignment = 64 : i64, mcc.profile_records} : memref<4xi64>
// CHECK: %[[T0:.*]] = call @mcc_profile_now_ns() : () -> i64
// CHECK: memref.store %[[T0]], %[[REC]][%{{.*}}] : memref<4xi64>
// CHECK-NEXT: mcc.sgemm
// CHECK-NEXT: %[[T1:.*]] = call @mcc_profile_now_ns() : () -> i64
// CHECK: memref.store %[[T1]], %[[REC]]
// CHECK: call @mcc_profile_now_ns()
// CHECK: linalg.generic
// CHECK: call @mcc_profile_now_ns()
// CHECK: return

// The planner places the records in the workspace like any buffer and says where.
// PLAN: module attributes {mcc.profile = {{.*}}, mcc.profile_offset = [[OFF:[0-9]+]] : i64, mcc.workspace_size
// PLAN: memref.view %{{.*}}[%c[[OFF]]{{.*}}] : memref<{{[0-9]+}}xi8> to memref<4xi64>
#map = affine_map<(d0, d1) -> (d0, d1)>
func.func @main_graph(%a: memref<4x8xf32>, %b: memref<256xf32>, %r: memref<4x16xf32>, %out: memref<4x16xf32>) {
  %c = memref.alloc() {alignment = 64 : i64} : memref<4x16xf32>
  mcc.sgemm ins(%a, %b : memref<4x8xf32>, memref<256xf32>) outs(%c : memref<4x16xf32>) {act = #mcc<act relu>, b_packed, lowering_config = #mcc.lowering_config<isa = avx512, mr = 14, nr = 32>} loc(fused["node 'mm' (MatMul)"("m.onnx":0:0), "node 'act' (Relu)"("m.onnx":0:0)])
  linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]} ins(%c, %r : memref<4x16xf32>, memref<4x16xf32>) outs(%out : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } loc("node #3 (Add)"("m.onnx":0:0))
  return
}
