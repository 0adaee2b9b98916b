//===- DataTypes.h - TensorProto.DataType numbers libonnx 1.12 lacks -*- C++ -*-===//
//
// libonnx 1.12's enum stops at BFLOAT16 (16); the numbers of the element types added since (IR version 9
// on) that mcc stores and converts.
//
//===----------------------------------------------------------------------===//
#ifndef MCC_COMPILER_IMPORT_DATATYPES_H
#define MCC_COMPILER_IMPORT_DATATYPES_H

#include <cstdint>

namespace mcc::import {

enum NewerDataType : int32_t {
  kFloat8E4M3FN = 17,
  kFloat8E4M3FNUZ = 18,
  kFloat8E5M2 = 19,
  kFloat8E5M2FNUZ = 20,
  kUInt4 = 21,
  kInt4 = 22,
  kFloat4E2M1 = 23,
  kUInt2 = 25,
  kInt2 = 26,
};

} // namespace mcc::import

#endif
