// RUN: %mcc-opt --mcc-flatten-constant-globals %s | FileCheck %s

// A rank-2 constant global becomes 1-D; its use reads it through an expand_shape to the old shape.
// CHECK: memref.global "private" constant @w : memref<6xf32> = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00]>
// A 1-D global is left alone.
// CHECK: memref.global "private" constant @b : memref<3xf32> = dense<7.000000e+00>
// CHECK-LABEL: func.func @main_graph
// CHECK: %[[G:.*]] = memref.get_global @w : memref<6xf32>
// CHECK: %[[V:.*]] = memref.expand_shape %[[G]] {{\[\[}}0, 1]] output_shape [2, 3] : memref<6xf32> into memref<2x3xf32>
// CHECK: memref.copy %[[V]], %{{.*}} : memref<2x3xf32> to memref<2x3xf32>
// CHECK: memref.get_global @b : memref<3xf32>
memref.global "private" constant @w : memref<2x3xf32> = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]>
memref.global "private" constant @b : memref<3xf32> = dense<7.0>
func.func @main_graph(%out: memref<2x3xf32>, %out2: memref<3xf32>) {
  %0 = memref.get_global @w : memref<2x3xf32>
  memref.copy %0, %out : memref<2x3xf32> to memref<2x3xf32>
  %1 = memref.get_global @b : memref<3xf32>
  memref.copy %1, %out2 : memref<3xf32> to memref<3xf32>
  return
}
