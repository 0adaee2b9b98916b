//===- TensorIO.h - host tensors: .npy / ONNX TensorProto I/O, comparison -===//
//
// Plain C++17 (no LLVM/MLIR): used by mcc-run, the conformance runner and unit tests.
//
//  * HostTensor: dtype (ONNX TensorProto::DataType number), shape, raw little-endian row-major bytes
//    (or strings for STRING tensors).
//  * readNpy / writeNpy: NumPy .npy v1, v2, v3.
//  * readTensorProto: a serialized onnx.TensorProto (.pb, as in the ONNX backend test data).
//  * readTensor: dispatch on the file extension.
//  * compareTensors: ONNX-backend-style closeness check (|a-e| <= atol + rtol*|e|).
//
// Every function that can fail returns false (or ok=false) and fills `error` with a message that
// names the file, e.g. "input.npy: not a .npy file (bad magic)".
//
//===----------------------------------------------------------------------===//
#ifndef MCC_TOOLS_TENSORIO_H
#define MCC_TOOLS_TENSORIO_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mcc::tools {

/// ONNX TensorProto::DataType numbers (onnx.proto), so this header needs no protobuf.
enum OnnxDType : int32_t {
  kUndefined = 0,
  kFloat = 1,
  kUInt8 = 2,
  kInt8 = 3,
  kUInt16 = 4,
  kInt16 = 5,
  kInt32 = 6,
  kInt64 = 7,
  kString = 8,
  kBool = 9,
  kFloat16 = 10,
  kDouble = 11,
  kUInt32 = 12,
  kUInt64 = 13,
  kComplex64 = 14,
  kComplex128 = 15,
  kBFloat16 = 16,
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

struct HostTensor {
  int32_t dtype = kUndefined;       ///< ONNX TensorProto DataType number
  std::vector<int64_t> shape;       ///< empty = 0-d (scalar, one element)
  std::vector<uint8_t> data;        ///< raw little-endian, row-major (C order); empty for STRING
  std::vector<std::string> strings; ///< only for dtype STRING
  std::string name;                 ///< TensorProto name when read from .pb (empty otherwise)

  /// Product of the dims (1 for a 0-d tensor, 0 if any dim is 0).
  int64_t numel() const;
  /// numel() * dtypeSize(dtype); 0 for STRING.
  size_t byteSize() const;
};

/// "float32", "uint8", ..., "bfloat16"; "dtype(N)" for unknown numbers.
std::string dtypeName(int32_t dtype);
/// Bytes per element (complex64 = 8, complex128 = 16, float8 and the 4- and 2-bit types = 1); 0 for
/// STRING, UNDEFINED and unknown types.
size_t dtypeSize(int32_t dtype);
/// float4, float8 (all four), float16, bfloat16, float32, float64 (complex types are not "float" here).
bool isFloatDType(int32_t dtype);
/// The ONNX float8 types (17 FLOAT8E4M3FN .. 20 FLOAT8E5M2FNUZ).
bool isFloat8DType(int32_t dtype);
/// The value of a float8 bit pattern of `dtype` (NaN, and infinity for E5M2, as ONNX defines them).
double float8ToDouble(int32_t dtype, uint8_t bits);
/// Bits per element of the 4- and 2-bit types (packed in TensorProtos, one per byte in a HostTensor,
/// whose element is read from its low bits); 0 for the others.
int packedBits(int32_t dtype);
/// Element `i` of a 4- or 2-bit integer tensor (sign-extended for int4/int2), or the bits of a float4.
int64_t narrowIntAt(const HostTensor &t, int64_t i);
/// The value of a float4 E2M1 bit pattern (its low 4 bits).
double float4ToDouble(uint8_t bits);
/// "[1,3,224,224]"; "[]" for 0-d.
std::string shapeToString(const std::vector<int64_t> &shape);

/// IEEE half and bfloat16 bit patterns <-> numbers (NaN/inf/subnormals handled; float->half rounds
/// to nearest even).
double halfToDouble(uint16_t bits);
double bfloat16ToDouble(uint16_t bits);
uint16_t floatToHalf(float value);
uint16_t floatToBFloat16(float value);

/// Element `index` (row-major) of a numeric tensor as a double (real part for complex; 0 for STRING).
double elementAsDouble(const HostTensor &t, int64_t index);

/// .npy (v1/v2/v3). dtypes: <f2 <f4 <f8 |i1 <i2 <i4 <i8 |u1 <u2 <u4 <u8 |b1 <c8 <c16 (also the
/// one-letter codes e f d b h i l q B H I L Q ?; '=' byte order is taken as little-endian).
/// fortran_order True is transposed to C order; big-endian data, object/string/structured dtypes
/// are rejected.
bool readNpy(const std::string &path, HostTensor &out, std::string &error);
/// Same, from bytes in memory; `displayName` prefixes error messages.
bool parseNpy(std::string_view bytes, const std::string &displayName, HostTensor &out, std::string &error);
/// Writes .npy v1 (v2 if the header needs it), C order, byte-identical to numpy.save.
/// bfloat16 and STRING tensors cannot be written (NumPy has no such dtype) and are rejected.
bool writeNpy(const std::string &path, const HostTensor &t, std::string &error);
/// The .npy file contents as bytes.
bool serializeNpy(const HostTensor &t, std::string &bytes, std::string &error);

/// ONNX TensorProto (.pb): raw_data or the typed fields (float_data, int32_data for
/// int8/uint8/int16/uint16/bool/float16/bfloat16, int64_data, double_data, uint64_data for
/// uint32/uint64, string_data). External data and segments are rejected.
bool readTensorProto(const std::string &path, HostTensor &out, std::string &error);
bool parseTensorProto(std::string_view bytes, const std::string &displayName, HostTensor &out, std::string &error);

/// ".npy" -> readNpy, ".pb" -> readTensorProto; any other extension: sniffed (.npy magic, else
/// TensorProto).
bool readTensor(const std::string &path, HostTensor &out, std::string &error);

struct CompareResult {
  bool ok = false;
  /// Always filled. On failure, e.g. "3 of 10 elements differ; max abs error 3.2e-02 at index 17
  /// (actual 0.51, expected 0.48), rtol 1e-03 atol 1e-07".
  std::string message;
  double maxAbsErr = 0;    ///< over all elements (inf if a NaN/inf does not match)
  double maxRelErr = 0;    ///< |a-e|/|e| over elements with e != 0
  int64_t worstIndex = -1; ///< row-major index of the worst element (-1 if none)
  int64_t mismatches = 0;  ///< number of elements that fail the check
};

/// Shapes and dtypes must match exactly. Floating types (f16/bf16/f32/f64, complex per component)
/// pass where |a-e| <= atol + rtol*|e|; NaN matches NaN, +inf matches +inf, -inf matches -inf.
/// Integers, bools and strings must be equal.
CompareResult compareTensors(const HostTensor &actual, const HostTensor &expected, double rtol, double atol);

} // namespace mcc::tools

#endif // MCC_TOOLS_TENSORIO_H
