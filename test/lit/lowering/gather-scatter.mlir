// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file | FileCheck %s

// Gather: first the run-time check that every index lies in [-4, 4) (one all-reduction generic into an
// i1, then an assert returning status 7), then a generic over the result reading indices through an
// affine map, data through tensor.extract.
// CHECK-DAG: #[[IND:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[D:.*]]: tensor<3x4xf32>, %[[I:.*]]: tensor<2x2xi64>)
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction", "reduction"]{{.*}} ins(%[[I]] : tensor<2x2xi64>)
// CHECK: arith.constant 4 : i64
// CHECK: arith.cmpi sge
// CHECK: arith.cmpi slt
// CHECK: %[[OK:.*]] = tensor.extract %{{.*}}[] : tensor<i1>
// CHECK: cf.assert %[[OK]], "mcc.status=7: index out of range"
// CHECK: linalg.generic {indexing_maps = [#[[IND]], {{.*}}]{{.*}} ins(%[[I]] : tensor<2x2xi64>)
// CHECK: arith.index_cast
// CHECK: arith.select
// CHECK: %[[V:.*]] = tensor.extract %[[D]]
// CHECK: linalg.yield %[[V]]
func.func @gather(%d: tensor<3x4xf32>, %i: tensor<2x2xi64>) -> tensor<3x2x2xf32> {
  %0 = onnx.Gather %d, %i {axis = 1 : i64} : (tensor<3x4xf32>, tensor<2x2xi64>) -> tensor<3x2x2xf32>
  return %0 : tensor<3x2x2xf32>
}

// -----

// Constant indices are checked at compile time: no run-time check.
// CHECK-LABEL: func.func @gather_constant_indices
// CHECK-NOT: cf.assert
// CHECK: return
func.func @gather_constant_indices(%d: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %i = onnx.Constant dense<[-4, 3]> : tensor<2xi64> : tensor<2xi64>
  %0 = onnx.Gather %d, %i {axis = 1 : i64} : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// GatherND checks each position of an index tuple against its own dim: bounds [3, 4] along the last dim.
// CHECK-LABEL: func.func @gather_nd_bounds
// CHECK: arith.constant dense<[3, 4]> : tensor<2xi64>
// CHECK: cf.assert %{{.*}}, "mcc.status=7: index out of range"
func.func @gather_nd_bounds(%d: tensor<3x4xf32>, %i: tensor<5x2xi64>) -> tensor<5xf32> {
  %0 = onnx.GatherND %d, %i : (tensor<3x4xf32>, tensor<5x2xi64>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

// Scatter: an scf.for over the updates carrying the result, one tensor.insert per update.
// CHECK-LABEL: func.func @scatter_elements_add
// CHECK-SAME: (%[[D:.*]]: tensor<3x3xf32>, %[[I:.*]]: tensor<1x2xi64>, %[[U:.*]]: tensor<1x2xf32>)
// CHECK: %[[R:.*]] = scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[D]]) -> (tensor<3x3xf32>)
// CHECK: tensor.extract %[[I]]
// CHECK: %[[OLD:.*]] = tensor.extract %[[ACC]]
// CHECK: %[[NEW:.*]] = arith.addf %[[OLD]]
// CHECK: %[[INS:.*]] = tensor.insert %[[NEW]] into %[[ACC]]
// CHECK: scf.yield %[[INS]]
// CHECK: return %[[R]]
func.func @scatter_elements_add(%d: tensor<3x3xf32>, %i: tensor<1x2xi64>, %u: tensor<1x2xf32>) -> tensor<3x3xf32> {
  %0 = onnx.ScatterElements %d, %i, %u {axis = 1 : i64, reduction = "add"} : (tensor<3x3xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}
