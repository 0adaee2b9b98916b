// RUN: %mcc-opt --mcc-lower-onnx-to-linalg --mcc-cpu-codegen %s | FileCheck %s

// The whole CPU pipeline on a small graph: the entry takes one bare pointer per input and output,
// the parallel context and the workers' scratch, and the workspace, and returns a status (0 here:
// nothing to check), nothing is left of the higher-level dialects, and nothing allocates or calls
// into MLIR's runner library. No kernel here: no scratch per worker.
// CHECK: module attributes {mcc.parallel_arg = 3 : i64, mcc.worker_scratch_size = 0 : i64, mcc.workspace_size = {{[1-9][0-9]*}} : i64}
// CHECK: llvm.func @main_graph(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr) -> i32 {
// CHECK-NOT: memref.
// CHECK-NOT: linalg.
// CHECK-NOT: tensor.
// CHECK-NOT: onnx.
// CHECK-NOT: unrealized_conversion_cast
// CHECK-NOT: @malloc
// CHECK-NOT: @memrefCopy
// CHECK: llvm.return %{{.*}} : i32
func.func @main_graph(%a: tensor<2x3xf32> {onnx.name = "a"}, %b: tensor<3xf32> {onnx.name = "b"}) -> (tensor<2x3xf32> {onnx.name = "y"}) {
  %0 = onnx.Add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = onnx.Relu %0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %s = onnx.Constant dense<[3, 2]> : tensor<2xi64> : tensor<2xi64>
  %2 = onnx.Reshape %1, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<3x2xf32>
  %3 = onnx.Transpose %2 : (tensor<3x2xf32>) -> tensor<2x3xf32>
  %4 = onnx.Mul %3, %0 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %4 : tensor<2x3xf32>
}
