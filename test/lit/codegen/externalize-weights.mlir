// RUN: %mcc-opt --mcc-externalize-weights=min-bytes=16 %s | FileCheck %s

// @big (32 bytes) moves into the blob after its 64-byte header, which is then padded to 128 bytes;
// @small (8 bytes, under min-bytes) stays in the object. The entry reads @big through a view of the
// trailing weights argument.
// CHECK: module attributes {mcc.weights_size = 128 : i64}
// CHECK-NOT: @big
// CHECK: memref.global "private" constant @small : memref<2xf32>
// CHECK-NOT: @big
// CHECK-LABEL: func.func @main_graph
// CHECK-SAME: %[[W:[^:]*]]: memref<128xi8>)
// CHECK: %[[OFF:.*]] = arith.constant 64 : index
// CHECK: memref.view %[[W]][%[[OFF]]][] : memref<128xi8> to memref<8xf32>
// CHECK: memref.get_global @small : memref<2xf32>
memref.global "private" constant @big : memref<8xf32> = dense<1.0>
memref.global "private" constant @small : memref<2xf32> = dense<2.0>
func.func @main_graph(%out: memref<8xf32>, %out2: memref<2xf32>) {
  %0 = memref.get_global @big : memref<8xf32>
  memref.copy %0, %out : memref<8xf32> to memref<8xf32>
  %1 = memref.get_global @small : memref<2xf32>
  memref.copy %1, %out2 : memref<2xf32> to memref<2xf32>
  return
}
