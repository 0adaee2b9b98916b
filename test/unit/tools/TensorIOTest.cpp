//===- TensorIOTest.cpp - tests for compiler/tools/TensorIO -----------------===//

#include "compiler/tools/TensorIO.h"

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <onnx/onnx-data.pb.h> // after onnx_pb.h, which defines ONNX_API

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <unistd.h>

using namespace mcc::tools;

namespace {

/// A fresh temporary directory per test, removed (with its files) afterwards.
class TensorIOTest : public ::testing::Test {
public:
  void SetUp() override {
    char tmpl[] = "/tmp/mcc-tensorio-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir = tmpl;
  }
  void TearDown() override {
    for (const std::string &f : files)
      std::remove(f.c_str());
    rmdir(dir.c_str());
  }
  std::string path(const std::string &name) {
    std::string p = dir + "/" + name;
    files.push_back(p);
    return p;
  }
  std::string writeBytes(const std::string &name, const std::string &bytes) {
    std::string p = path(name);
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  std::string dir;
  std::vector<std::string> files;
};

template <typename T> HostTensor makeTensor(int32_t dtype, std::vector<int64_t> shape, const std::vector<T> &values) {
  HostTensor t;
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.data.resize(values.size() * sizeof(T));
  if (!values.empty())
    std::memcpy(t.data.data(), values.data(), t.data.size());
  return t;
}

template <typename T> std::vector<T> values(const HostTensor &t) {
  std::vector<T> v(t.data.size() / sizeof(T));
  if (!v.empty())
    std::memcpy(v.data(), t.data.data(), v.size() * sizeof(T));
  return v;
}

/// A .npy file exactly as NumPy lays it out: magic, version, length, dict padded with spaces to a
/// multiple of 64 bytes, '\n', data.
std::string makeNpy(int major, const std::string &dict, const std::string &data) {
  size_t pre = major == 1 ? 10 : 12;
  std::string h = dict;
  size_t total = pre + h.size() + 1;
  h.append((64 - total % 64) % 64, ' ');
  h += '\n';
  std::string b("\x93NUMPY", 6);
  b += static_cast<char>(major);
  b += '\0';
  size_t len = h.size();
  for (size_t i = 0; i < pre - 8; ++i)
    b += static_cast<char>((len >> (8 * i)) & 0xff);
  return b + h + data;
}

template <typename T> std::string bytesOf(const std::vector<T> &v) {
  return std::string(reinterpret_cast<const char *>(v.data()), v.size() * sizeof(T));
}

// --------------------------------------------------------------------------------------------------
// dtype helpers

TEST(TensorIOHelpers, DTypeNamesAndSizes) {
  EXPECT_EQ(dtypeName(1), "float32");
  EXPECT_EQ(dtypeName(2), "uint8");
  EXPECT_EQ(dtypeName(3), "int8");
  EXPECT_EQ(dtypeName(7), "int64");
  EXPECT_EQ(dtypeName(8), "string");
  EXPECT_EQ(dtypeName(9), "bool");
  EXPECT_EQ(dtypeName(10), "float16");
  EXPECT_EQ(dtypeName(11), "float64");
  EXPECT_EQ(dtypeName(16), "bfloat16");
  EXPECT_EQ(dtypeName(99), "dtype(99)");
  EXPECT_EQ(dtypeSize(kFloat), 4u);
  EXPECT_EQ(dtypeSize(kBool), 1u);
  EXPECT_EQ(dtypeSize(kFloat16), 2u);
  EXPECT_EQ(dtypeSize(kBFloat16), 2u);
  EXPECT_EQ(dtypeSize(kInt64), 8u);
  EXPECT_EQ(dtypeSize(kComplex128), 16u);
  EXPECT_EQ(dtypeSize(kString), 0u);
  EXPECT_EQ(shapeToString({1, 3, 224, 224}), "[1,3,224,224]");
  EXPECT_EQ(shapeToString({}), "[]");
  HostTensor t;
  EXPECT_EQ(t.numel(), 1); // 0-d
  t.shape = {2, 0, 3};
  EXPECT_EQ(t.numel(), 0);
  t.shape = {2, 3, 4};
  t.dtype = kFloat;
  EXPECT_EQ(t.numel(), 24);
  EXPECT_EQ(t.byteSize(), 96u);
}

// The four float8 layouts: largest finite values, subnormals, NaN and infinity where each format has them.
TEST(TensorIOHelpers, Float8) {
  EXPECT_EQ(dtypeSize(kFloat8E4M3FN), 1u);
  EXPECT_TRUE(isFloatDType(kFloat8E5M2FNUZ));
  EXPECT_EQ(float8ToDouble(kFloat8E4M3FN, 0x7e), 448.0);
  EXPECT_EQ(float8ToDouble(kFloat8E4M3FN, 0x01), std::ldexp(1.0, -9));
  EXPECT_EQ(float8ToDouble(kFloat8E4M3FN, 0xb8), -1.0);
  EXPECT_TRUE(std::isnan(float8ToDouble(kFloat8E4M3FN, 0xff)));
  EXPECT_EQ(float8ToDouble(kFloat8E4M3FNUZ, 0x7f), 240.0);
  EXPECT_EQ(float8ToDouble(kFloat8E4M3FNUZ, 0x40), 1.0);
  EXPECT_TRUE(std::isnan(float8ToDouble(kFloat8E4M3FNUZ, 0x80)));
  EXPECT_EQ(float8ToDouble(kFloat8E5M2, 0x7b), 57344.0);
  EXPECT_EQ(float8ToDouble(kFloat8E5M2, 0xfc), -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(float8ToDouble(kFloat8E5M2, 0x7d)));
  EXPECT_EQ(float8ToDouble(kFloat8E5M2, 0x01), std::ldexp(1.0, -16));
  EXPECT_EQ(float8ToDouble(kFloat8E5M2FNUZ, 0x7f), 57344.0);
  EXPECT_EQ(float8ToDouble(kFloat8E5M2FNUZ, 0x01), std::ldexp(1.0, -17));
  EXPECT_TRUE(std::isnan(float8ToDouble(kFloat8E5M2FNUZ, 0x80)));
}

TEST(TensorIOHelpers, HalfAndBFloat16) {
  EXPECT_EQ(halfToDouble(0x3c00), 1.0);
  EXPECT_EQ(halfToDouble(0xc100), -2.5);
  EXPECT_EQ(halfToDouble(0x7bff), 65504.0);
  EXPECT_EQ(halfToDouble(0x0001), std::ldexp(1.0, -24)); // smallest subnormal
  EXPECT_EQ(halfToDouble(0x0400), std::ldexp(1.0, -14)); // smallest normal
  EXPECT_TRUE(std::isinf(halfToDouble(0x7c00)) && halfToDouble(0x7c00) > 0);
  EXPECT_TRUE(std::isinf(halfToDouble(0xfc00)) && halfToDouble(0xfc00) < 0);
  EXPECT_TRUE(std::isnan(halfToDouble(0x7e00)));
  EXPECT_EQ(bfloat16ToDouble(0x3f80), 1.0);
  EXPECT_EQ(bfloat16ToDouble(0xc020), -2.5);
  EXPECT_TRUE(std::isnan(bfloat16ToDouble(0x7fc0)));

  EXPECT_EQ(floatToHalf(1.0f), 0x3c00);
  EXPECT_EQ(floatToHalf(-2.5f), 0xc100);
  EXPECT_EQ(floatToHalf(65504.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(65520.0f), 0x7c00); // rounds to inf
  EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -24)), 0x0001);
  EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -26)), 0x0000);
  EXPECT_EQ(floatToHalf(1.0f + std::ldexp(1.0f, -11)), 0x3c00); // tie -> even
  EXPECT_EQ(floatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3c02);
  EXPECT_TRUE(std::isnan(halfToDouble(floatToHalf(std::numeric_limits<float>::quiet_NaN()))));
  // every finite half survives half -> float -> half
  for (uint32_t h = 0; h < 0x10000; ++h) {
    if ((h & 0x7c00) == 0x7c00)
      continue;
    ASSERT_EQ(floatToHalf(static_cast<float>(halfToDouble(static_cast<uint16_t>(h)))), h) << h;
  }
  EXPECT_EQ(floatToBFloat16(1.0f), 0x3f80);
  EXPECT_EQ(floatToBFloat16(-2.5f), 0xc020);
}

// --------------------------------------------------------------------------------------------------
// .npy

template <typename T>
void roundTrip(TensorIOTest &fx, const std::string &name, int32_t dtype, std::vector<int64_t> shape,
               std::vector<T> vals, const char *expectDescr) {
  HostTensor t = makeTensor(dtype, shape, vals);
  std::string err;
  std::string p = fx.path(name);
  ASSERT_TRUE(writeNpy(p, t, err)) << err;
  // header as NumPy writes it
  std::ifstream in(p, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GE(bytes.size(), 10u);
  size_t hlen = static_cast<uint8_t>(bytes[8]) | (static_cast<uint8_t>(bytes[9]) << 8);
  EXPECT_EQ((10 + hlen) % 64, 0u);
  EXPECT_EQ(bytes[10 + hlen - 1], '\n');
  EXPECT_NE(bytes.find(std::string("'descr': '") + expectDescr + "'"), std::string::npos) << bytes;
  EXPECT_EQ(bytes.size(), 10 + hlen + vals.size() * sizeof(T));

  HostTensor back;
  ASSERT_TRUE(readNpy(p, back, err)) << err;
  EXPECT_EQ(back.dtype, dtype);
  EXPECT_EQ(back.shape, shape);
  EXPECT_EQ(back.data, t.data);
  EXPECT_TRUE(compareTensors(back, t, 0, 0).ok);
}

TEST_F(TensorIOTest, NpyRoundTripAllDTypes) {
  roundTrip<float>(*this, "f32.npy", kFloat, {2, 3}, {1.5f, -2, 0, 3e38f, -1e-30f, 7}, "<f4");
  roundTrip<double>(*this, "f64.npy", kDouble, {3}, {1.0 / 3, -1e300, 0}, "<f8");
  roundTrip<uint16_t>(*this, "f16.npy", kFloat16, {2}, {0x3c00, 0xc100}, "<f2");
  roundTrip<int8_t>(*this, "i8.npy", kInt8, {4}, {-128, -1, 0, 127}, "|i1");
  roundTrip<int16_t>(*this, "i16.npy", kInt16, {2, 1}, {-32768, 32767}, "<i2");
  roundTrip<int32_t>(*this, "i32.npy", kInt32, {1, 1, 3}, {-7, 0, 2147483647}, "<i4");
  roundTrip<int64_t>(*this, "i64.npy", kInt64, {2}, {-(int64_t(1) << 62), 5}, "<i8");
  roundTrip<uint8_t>(*this, "u8.npy", kUInt8, {3}, {0, 128, 255}, "|u1");
  roundTrip<uint16_t>(*this, "u16.npy", kUInt16, {1}, {65535}, "<u2");
  roundTrip<uint32_t>(*this, "u32.npy", kUInt32, {2}, {0, 4294967295u}, "<u4");
  roundTrip<uint64_t>(*this, "u64.npy", kUInt64, {1}, {~uint64_t(0)}, "<u8");
  roundTrip<uint8_t>(*this, "bool.npy", kBool, {2, 2}, {1, 0, 0, 1}, "|b1");
  roundTrip<float>(*this, "c64.npy", kComplex64, {2}, {1, 2, 3, 4}, "<c8");
  roundTrip<float>(*this, "empty.npy", kFloat, {0, 5}, {}, "<f4");
}

TEST_F(TensorIOTest, NpyZeroDimensional) {
  HostTensor t = makeTensor<float>(kFloat, {}, {42.5f});
  std::string err, p = path("scalar.npy");
  ASSERT_TRUE(writeNpy(p, t, err)) << err;
  std::ifstream in(p, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(bytes.find("'shape': (), }"), std::string::npos);
  HostTensor back;
  ASSERT_TRUE(readNpy(p, back, err)) << err;
  EXPECT_TRUE(back.shape.empty());
  EXPECT_EQ(back.numel(), 1);
  EXPECT_EQ(values<float>(back), std::vector<float>{42.5f});
}

TEST_F(TensorIOTest, NpyExactNumpyHeader) {
  // Headers exactly as numpy 1.24 np.save writes them: the dict, spaces reserved for the first axis
  // to grow to 21 digits, padding to 64 bytes (a full 64 if already aligned), '\n'.
  auto header = [](const std::string &dict, size_t total) {
    std::string h("\x93NUMPY\x01\x00", 8);
    h += static_cast<char>((total - 10) & 0xff);
    h += static_cast<char>((total - 10) >> 8);
    h += dict;
    h.append(total - 1 - h.size(), ' ');
    return h + '\n';
  };
  std::string bytes, err;
  HostTensor t = makeTensor<float>(kFloat, {1, 784}, std::vector<float>(784, 0.0f));
  ASSERT_TRUE(serializeNpy(t, bytes, err)) << err;
  EXPECT_EQ(bytes.substr(0, 128), header("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 784), }", 128));
  EXPECT_EQ(bytes.size(), 128u + 784 * 4);

  HostTensor s = makeTensor<double>(kDouble, {}, {0.0}); // 0-d: no growth spaces
  ASSERT_TRUE(serializeNpy(s, bytes, err)) << err;
  EXPECT_EQ(bytes.substr(0, 128), header("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", 128));
  EXPECT_EQ(bytes.size(), 136u);

  HostTensor r20 = makeTensor<float>(kFloat, std::vector<int64_t>(20, 1), {0.0f});
  ASSERT_TRUE(serializeNpy(r20, bytes, err)) << err;
  EXPECT_EQ(bytes.substr(0, 192),
            header("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
                   "1, 1, 1, 1, 1, 1, 1, 1, 1, 1), }",
                   192));

  // 1-d tuples keep NumPy's trailing comma
  HostTensor v = makeTensor<int64_t>(kInt64, {3}, {1, 2, 3});
  ASSERT_TRUE(serializeNpy(v, bytes, err)) << err;
  EXPECT_NE(bytes.find("'shape': (3,), }"), std::string::npos);
}

TEST_F(TensorIOTest, NpyReadsNumpyLayouts) {
  std::string err;
  HostTensor t;
  // np.asfortranarray(np.arange(6, dtype='<i4').reshape(2, 3)) -> C order 0..5
  std::string fortran =
      makeNpy(1, "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }", bytesOf<int32_t>({0, 3, 1, 4, 2, 5}));
  ASSERT_TRUE(parseNpy(fortran, "f.npy", t, err)) << err;
  EXPECT_EQ(t.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(values<int32_t>(t), (std::vector<int32_t>{0, 1, 2, 3, 4, 5}));
  // 3-d Fortran: element (i,j,k) of shape (2,3,2) stored at i + 2j + 6k
  std::vector<int32_t> f3(12);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 2; ++k)
        f3[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
  std::string fortran3 = makeNpy(1, "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3, 2), }", bytesOf(f3));
  ASSERT_TRUE(parseNpy(fortran3, "f3.npy", t, err)) << err;
  std::vector<int32_t> c3 = values<int32_t>(t);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 2; ++k)
        EXPECT_EQ(c3[i * 6 + j * 2 + k], 100 * i + 10 * j + k);
  // version 2.0 (4-byte header length)
  std::string v2 =
      makeNpy(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", bytesOf<double>({1.5, -2.25}));
  ASSERT_TRUE(parseNpy(v2, "v2.npy", t, err)) << err;
  EXPECT_EQ(t.dtype, kDouble);
  EXPECT_EQ(values<double>(t), (std::vector<double>{1.5, -2.25}));
  // version 3.0 (utf-8 header)
  std::string v3 =
      makeNpy(3, "{'descr': '<u2', 'fortran_order': False, 'shape': (2,), }", bytesOf<uint16_t>({7, 65535}));
  ASSERT_TRUE(parseNpy(v3, "v3.npy", t, err)) << err;
  EXPECT_EQ(t.dtype, kUInt16);
  EXPECT_EQ(values<uint16_t>(t), (std::vector<uint16_t>{7, 65535}));
  // bool scalar
  std::string b = makeNpy(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (), }", "\x01");
  ASSERT_TRUE(parseNpy(b, "b.npy", t, err)) << err;
  EXPECT_EQ(t.dtype, kBool);
  EXPECT_TRUE(t.shape.empty());
  EXPECT_EQ(t.data, std::vector<uint8_t>{1});
  // one-letter codes and '=' byte order
  std::string e = makeNpy(1, "{'descr': '<e', 'fortran_order': False, 'shape': (1,), }", bytesOf<uint16_t>({0x3c00}));
  ASSERT_TRUE(parseNpy(e, "e.npy", t, err)) << err;
  EXPECT_EQ(t.dtype, kFloat16);
  std::string q = makeNpy(1, "{'descr': '=q', 'fortran_order': False, 'shape': (1,), }", bytesOf<int64_t>({-3}));
  ASSERT_TRUE(parseNpy(q, "q.npy", t, err)) << err;
  EXPECT_EQ(t.dtype, kInt64);
  EXPECT_EQ(values<int64_t>(t), std::vector<int64_t>{-3});
  // key order and quoting are not fixed by the format
  std::string odd = makeNpy(1, "{\"shape\": (2,), \"fortran_order\": False, \"descr\": \"|u1\"}", "ab");
  ASSERT_TRUE(parseNpy(odd, "odd.npy", t, err)) << err;
  EXPECT_EQ(t.dtype, kUInt8);
  EXPECT_EQ(t.shape, std::vector<int64_t>{2});
}

TEST_F(TensorIOTest, NpyErrors) {
  std::string err;
  HostTensor t;
  EXPECT_FALSE(readNpy(path("missing.npy"), t, err));
  EXPECT_NE(err.find("missing.npy: cannot open"), std::string::npos) << err;

  std::string p = writeBytes("input.npy", "PK\x03\x04 not numpy at all");
  EXPECT_FALSE(readNpy(p, t, err));
  EXPECT_EQ(err, p + ": not a .npy file (bad magic)");

  std::string big =
      makeNpy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", std::string("\x3f\x80\x00\x00", 4));
  EXPECT_FALSE(parseNpy(big, "be.npy", t, err));
  EXPECT_NE(err.find("be.npy: big-endian"), std::string::npos) << err;
  // big-endian marker on a 1-byte type is harmless
  std::string bigByte = makeNpy(1, "{'descr': '>i1', 'fortran_order': False, 'shape': (1,), }", "\x05");
  EXPECT_TRUE(parseNpy(bigByte, "be1.npy", t, err)) << err;

  std::string uni = makeNpy(1, "{'descr': '<U2', 'fortran_order': False, 'shape': (1,), }", std::string(8, '\0'));
  EXPECT_FALSE(parseNpy(uni, "u.npy", t, err));
  EXPECT_NE(err.find("string dtype '<U2'"), std::string::npos) << err;
  std::string obj = makeNpy(1, "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", std::string(8, '\0'));
  EXPECT_FALSE(parseNpy(obj, "o.npy", t, err));
  EXPECT_NE(err.find("object arrays"), std::string::npos) << err;
  std::string rec =
      makeNpy(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", std::string(4, '\0'));
  EXPECT_FALSE(parseNpy(rec, "r.npy", t, err));
  EXPECT_NE(err.find("structured"), std::string::npos) << err;

  // truncated data / header
  std::string good =
      makeNpy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", bytesOf<float>({1, 2, 3, 4, 5, 6}));
  std::string truncated = good.substr(0, good.size() - 3);
  p = writeBytes("trunc.npy", truncated);
  EXPECT_FALSE(readNpy(p, t, err));
  EXPECT_NE(err.find("trunc.npy: truncated .npy data (float32[2,3] needs 24 bytes, file has 21)"), std::string::npos)
      << err;
  EXPECT_FALSE(parseNpy(good.substr(0, 40), "h.npy", t, err));
  EXPECT_NE(err.find("h.npy: truncated .npy header"), std::string::npos) << err;
  EXPECT_FALSE(parseNpy(good.substr(0, 8), "h8.npy", t, err));
  EXPECT_NE(err.find("truncated"), std::string::npos) << err;
  std::string v9 = good;
  v9[6] = 9;
  EXPECT_FALSE(parseNpy(v9, "v9.npy", t, err));
  EXPECT_NE(err.find("unsupported .npy format version 9"), std::string::npos) << err;
  std::string bad = makeNpy(1, "{'descr': '<f4', 'fortran_order': Maybe, 'shape': (1,), }", "xxxx");
  EXPECT_FALSE(parseNpy(bad, "bad.npy", t, err));
  EXPECT_NE(err.find("bad.npy: malformed .npy header"), std::string::npos) << err;
  std::string noShape = makeNpy(1, "{'descr': '<f4', 'fortran_order': False}", "xxxx");
  EXPECT_FALSE(parseNpy(noShape, "ns.npy", t, err));
  EXPECT_NE(err.find("missing"), std::string::npos) << err;
  std::string huge = makeNpy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", "");
  EXPECT_FALSE(parseNpy(huge, "huge.npy", t, err));
  EXPECT_NE(err.find("too large"), std::string::npos) << err;

  // writing: inconsistent data size, unsupported dtypes, unwritable path
  HostTensor w = makeTensor<float>(kFloat, {2, 2}, {1, 2, 3});
  EXPECT_FALSE(writeNpy(path("w.npy"), w, err));
  EXPECT_NE(err.find("has 12 bytes of data, expected 16"), std::string::npos) << err;
  HostTensor bf = makeTensor<uint16_t>(kBFloat16, {1}, {0x3f80});
  EXPECT_FALSE(writeNpy(path("bf.npy"), bf, err));
  EXPECT_NE(err.find("bfloat16"), std::string::npos) << err;
  HostTensor ok = makeTensor<float>(kFloat, {1}, {1});
  EXPECT_FALSE(writeNpy(dir + "/no/such/dir/x.npy", ok, err));
  EXPECT_NE(err.find("cannot open for writing"), std::string::npos) << err;
}

// --------------------------------------------------------------------------------------------------
// TensorProto

TEST_F(TensorIOTest, TensorProtoRawData) {
  onnx::TensorProto tp;
  tp.set_name("x");
  tp.set_data_type(onnx::TensorProto::FLOAT);
  tp.add_dims(2);
  tp.add_dims(3);
  std::vector<float> vals = {0.5f, -1, 2, 3, 4, 5.25f};
  tp.set_raw_data(bytesOf(vals));
  std::string p = writeBytes("raw.pb", tp.SerializeAsString());
  HostTensor t;
  std::string err;
  ASSERT_TRUE(readTensorProto(p, t, err)) << err;
  EXPECT_EQ(t.dtype, kFloat);
  EXPECT_EQ(t.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(t.name, "x");
  EXPECT_EQ(values<float>(t), vals);
  // and through the extension dispatch
  HostTensor t2;
  ASSERT_TRUE(readTensor(p, t2, err)) << err;
  EXPECT_EQ(t2.data, t.data);
}

TEST_F(TensorIOTest, TensorProtoTypedFields) {
  std::string err;
  HostTensor t;
  {
    onnx::TensorProto tp;
    tp.set_data_type(onnx::TensorProto::FLOAT);
    tp.add_dims(3);
    for (float v : {1.0f, -2.0f, 0.125f})
      tp.add_float_data(v);
    ASSERT_TRUE(parseTensorProto(tp.SerializeAsString(), "f.pb", t, err)) << err;
    EXPECT_EQ(values<float>(t), (std::vector<float>{1.0f, -2.0f, 0.125f}));
  }
  {
    onnx::TensorProto tp; // int8 in int32_data
    tp.set_data_type(onnx::TensorProto::INT8);
    tp.add_dims(3);
    for (int v : {-128, 0, 127})
      tp.add_int32_data(v);
    ASSERT_TRUE(parseTensorProto(tp.SerializeAsString(), "i8.pb", t, err)) << err;
    EXPECT_EQ(values<int8_t>(t), (std::vector<int8_t>{-128, 0, 127}));
  }
  {
    onnx::TensorProto tp; // uint8
    tp.set_data_type(onnx::TensorProto::UINT8);
    tp.add_dims(2);
    tp.add_int32_data(255);
    tp.add_int32_data(1);
    ASSERT_TRUE(parseTensorProto(tp.SerializeAsString(), "u8.pb", t, err)) << err;
    EXPECT_EQ(values<uint8_t>(t), (std::vector<uint8_t>{255, 1}));
  }
  {
    onnx::TensorProto tp; // bool
    tp.set_data_type(onnx::TensorProto::BOOL);
    tp.add_dims(3);
    for (int v : {1, 0, 1})
      tp.add_int32_data(v);
    ASSERT_TRUE(parseTensorProto(tp.SerializeAsString(), "b.pb", t, err)) << err;
    EXPECT_EQ(t.data, (std::vector<uint8_t>{1, 0, 1}));
  }
  {
    onnx::TensorProto tp; // int16 / uint16
    tp.set_data_type(onnx::TensorProto::INT16);
    tp.add_dims(2);
    tp.add_int32_data(-32768);
    tp.add_int32_data(5);
    ASSERT_TRUE(parseTensorProto(tp.SerializeAsString(), "i16.pb", t, err)) << err;
    EXPECT_EQ(values<int16_t>(t), (std::vector<int16_t>{-32768, 5}));
    tp.set_data_type(onnx::TensorProto::UINT16);
    tp.set_int32_data(0, 65535);
    ASSERT_TRUE(parseTensorProto(tp.SerializeAsString(), "u16.pb", t, err)) << err;
    EXPECT_EQ(values<uint16_t>(t), (std::vector<uint16_t>{65535, 5}));
  }
  {
    onnx::TensorProto tp; // float16 / bfloat16 bit patterns in int32_data
    tp.set_data_type(onnx::TensorProto::FLOAT16);
    tp.add_dims(2);
    tp.add_int32_data(0x3c00);
    tp.add_int32_data(0xc100);
    ASSERT_TRUE(parseTensorProto(tp.SerializeAsString(), "f16.pb", t, err)) << err;
    EXPECT_EQ(t.dtype, kFloat16);
    EXPECT_EQ(elementAsDouble(t, 0), 1.0);
    EXPECT_EQ(elementAsDouble(t, 1), -2.5);
    tp.set_data_type(onnx::TensorProto::BFLOAT16);
    tp.set_int32_data(0, 0x3f80);
    tp.set_int32_data(1, 0xc020);
    ASSERT_TRUE(parseTensorProto(tp.SerializeAsString(), "bf16.pb", t, err)) << err;
    EXPECT_EQ(t.dtype, kBFloat16);
    EXPECT_EQ(elementAsDouble(t, 0), 1.0);
    EXPECT_EQ(elementAsDouble(t, 1), -2.5);
  }
  {
    onnx::TensorProto tp; // int32, int64, double
    tp.set_data_type(onnx::TensorProto::INT32);
    tp.add_int32_data(-9); // 0-d
    ASSERT_TRUE(parseTensorProto(tp.SerializeAsString(), "i32.pb", t, err)) << err;
    EXPECT_TRUE(t.shape.empty());
    EXPECT_EQ(values<int32_t>(t), std::vector<int32_t>{-9});
    onnx::TensorProto l;
    l.set_data_type(onnx::TensorProto::INT64);
    l.add_dims(2);
    l.add_int64_data(std::numeric_limits<int64_t>::min());
    l.add_int64_data(3);
    ASSERT_TRUE(parseTensorProto(l.SerializeAsString(), "i64.pb", t, err)) << err;
    EXPECT_EQ(values<int64_t>(t), (std::vector<int64_t>{std::numeric_limits<int64_t>::min(), 3}));
    onnx::TensorProto d;
    d.set_data_type(onnx::TensorProto::DOUBLE);
    d.add_dims(1);
    d.add_double_data(1e-300);
    ASSERT_TRUE(parseTensorProto(d.SerializeAsString(), "f64.pb", t, err)) << err;
    EXPECT_EQ(values<double>(t), std::vector<double>{1e-300});
  }
  {
    onnx::TensorProto tp; // uint32 / uint64 in uint64_data
    tp.set_data_type(onnx::TensorProto::UINT32);
    tp.add_dims(1);
    tp.add_uint64_data(4294967295u);
    ASSERT_TRUE(parseTensorProto(tp.SerializeAsString(), "u32.pb", t, err)) << err;
    EXPECT_EQ(values<uint32_t>(t), std::vector<uint32_t>{4294967295u});
    tp.set_data_type(onnx::TensorProto::UINT64);
    tp.set_uint64_data(0, ~uint64_t(0));
    ASSERT_TRUE(parseTensorProto(tp.SerializeAsString(), "u64.pb", t, err)) << err;
    EXPECT_EQ(values<uint64_t>(t), std::vector<uint64_t>{~uint64_t(0)});
  }
  {
    onnx::TensorProto tp; // strings
    tp.set_data_type(onnx::TensorProto::STRING);
    tp.add_dims(2);
    tp.add_string_data("hello");
    tp.add_string_data(std::string("a\0b", 3));
    ASSERT_TRUE(parseTensorProto(tp.SerializeAsString(), "s.pb", t, err)) << err;
    EXPECT_EQ(t.dtype, kString);
    ASSERT_EQ(t.strings.size(), 2u);
    EXPECT_EQ(t.strings[0], "hello");
    EXPECT_EQ(t.strings[1], std::string("a\0b", 3));
    EXPECT_TRUE(t.data.empty());
    HostTensor other = t;
    other.strings[1] = "ab";
    CompareResult r = compareTensors(other, t, 0, 0);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.worstIndex, 1);
    EXPECT_NE(r.message.find("actual \"ab\", expected \"a\\x00b\""), std::string::npos) << r.message;
    EXPECT_TRUE(compareTensors(t, t, 0, 0).ok);
  }
  {
    onnx::TensorProto tp; // empty tensor with no data is fine
    tp.set_data_type(onnx::TensorProto::FLOAT);
    tp.add_dims(0);
    tp.add_dims(4);
    ASSERT_TRUE(parseTensorProto(tp.SerializeAsString(), "e.pb", t, err)) << err;
    EXPECT_EQ(t.numel(), 0);
  }
}

TEST_F(TensorIOTest, TensorProtoErrors) {
  std::string err;
  HostTensor t;
  onnx::TensorProto tp;
  tp.set_name("w");
  tp.set_data_type(onnx::TensorProto::FLOAT);
  tp.add_dims(64);
  tp.set_raw_data(std::string(256, '\x01'));
  std::string good = tp.SerializeAsString();

  // truncated file (cut inside raw_data): protobuf rejects it
  std::string p = writeBytes("trunc.pb", good.substr(0, good.size() - 10));
  EXPECT_FALSE(readTensorProto(p, t, err));
  EXPECT_NE(err.find(p + ": not a valid ONNX TensorProto"), std::string::npos) << err;
  // garbage
  p = writeBytes("garbage.pb", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff");
  EXPECT_FALSE(readTensorProto(p, t, err));
  EXPECT_NE(err.find("garbage.pb: "), std::string::npos) << err;
  // an empty file
  p = writeBytes("empty.pb", "");
  EXPECT_FALSE(readTensorProto(p, t, err));
  EXPECT_NE(err.find("empty.pb: empty file"), std::string::npos) << err;
  // a .npy file passed as .pb
  std::string npy = makeNpy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", "abcd");
  EXPECT_FALSE(parseTensorProto(npy, "x.pb", t, err));
  EXPECT_NE(err.find("x.pb: "), std::string::npos) << err;
  // raw_data of the wrong size
  onnx::TensorProto shortRaw = tp;
  shortRaw.set_raw_data(std::string(100, '\0'));
  EXPECT_FALSE(parseTensorProto(shortRaw.SerializeAsString(), "s.pb", t, err));
  EXPECT_NE(err.find("float32[64] needs 256 bytes, raw_data has 100"), std::string::npos) << err;
  // typed field of the wrong length
  onnx::TensorProto fewer;
  fewer.set_data_type(onnx::TensorProto::INT64);
  fewer.add_dims(3);
  fewer.add_int64_data(1);
  EXPECT_FALSE(parseTensorProto(fewer.SerializeAsString(), "n.pb", t, err));
  EXPECT_NE(err.find("int64[3] needs 3 values, int64_data has 1"), std::string::npos) << err;
  // no data at all
  onnx::TensorProto none;
  none.set_data_type(onnx::TensorProto::FLOAT);
  none.add_dims(2);
  EXPECT_FALSE(parseTensorProto(none.SerializeAsString(), "none.pb", t, err));
  EXPECT_NE(err.find("has no data"), std::string::npos) << err;
  // no data_type
  onnx::TensorProto untyped;
  untyped.add_dims(2);
  EXPECT_FALSE(parseTensorProto(untyped.SerializeAsString(), "u.pb", t, err));
  EXPECT_NE(err.find("u.pb: TensorProto has no data_type"), std::string::npos) << err;
  // external data
  onnx::TensorProto ext;
  ext.set_name("big");
  ext.set_data_type(onnx::TensorProto::FLOAT);
  ext.add_dims(4);
  ext.set_data_location(onnx::TensorProto::EXTERNAL);
  auto *kv = ext.add_external_data();
  kv->set_key("location");
  kv->set_value("weights.bin");
  p = writeBytes("ext.pb", ext.SerializeAsString());
  EXPECT_FALSE(readTensorProto(p, t, err));
  EXPECT_EQ(err, p + ": tensor 'big' stores its data externally (in 'weights.bin'); external data is "
                     "not supported");
  // negative dims
  onnx::TensorProto neg = tp;
  neg.set_dims(0, -1);
  EXPECT_FALSE(parseTensorProto(neg.SerializeAsString(), "neg.pb", t, err));
  EXPECT_NE(err.find("negative dimension"), std::string::npos) << err;
  // a SequenceProto (how the ONNX backend tests store sequence values) is recognised
  onnx::SequenceProto seq;
  seq.set_name("seq_in");
  seq.set_elem_type(onnx::SequenceProto::TENSOR);
  *seq.add_tensor_values() = tp;
  *seq.add_tensor_values() = tp;
  EXPECT_FALSE(parseTensorProto(seq.SerializeAsString(), "seq.pb", t, err));
  EXPECT_EQ(err, "seq.pb: not a TensorProto but an ONNX SequenceProto or OptionalProto 'seq_in' "
                 "(elem_type tensor, 2 tensor(s)); only tensor values are supported");
  // missing file through readTensor
  EXPECT_FALSE(readTensor(dir + "/nope.pb", t, err));
  EXPECT_NE(err.find("nope.pb: cannot open"), std::string::npos) << err;
}

TEST_F(TensorIOTest, ReadTensorSniffsUnknownExtensions) {
  std::string err;
  HostTensor t;
  std::string npy = makeNpy(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }", bytesOf<int32_t>({77}));
  ASSERT_TRUE(readTensor(writeBytes("a.bin", npy), t, err)) << err;
  EXPECT_EQ(values<int32_t>(t), std::vector<int32_t>{77});
  onnx::TensorProto tp;
  tp.set_data_type(onnx::TensorProto::INT32);
  tp.add_int32_data(5);
  ASSERT_TRUE(readTensor(writeBytes("b.tensor", tp.SerializeAsString()), t, err)) << err;
  EXPECT_EQ(values<int32_t>(t), std::vector<int32_t>{5});
  ASSERT_TRUE(readTensor(writeBytes("C.NPY", npy), t, err)) << err;
}

TEST(TensorIOReal, OnnxBackendTestData) {
  const std::string dir = "/usr/share/libonnx-testdata/data/node/test_abs/test_data_set_0/";
  std::string err;
  HostTensor in, out;
  if (!readTensor(dir + "input_0.pb", in, err))
    GTEST_SKIP() << "libonnx-testdata not installed: " << err;
  EXPECT_EQ(in.dtype, kFloat);
  EXPECT_EQ(in.shape, (std::vector<int64_t>{3, 4, 5}));
  EXPECT_EQ(in.name, "x");
  ASSERT_TRUE(readTensor(dir + "output_0.pb", out, err)) << err;
  EXPECT_EQ(out.shape, in.shape);
  // the expected output is |x|
  HostTensor absIn = in;
  for (int64_t i = 0; i < absIn.numel(); ++i) {
    float v;
    std::memcpy(&v, absIn.data.data() + 4 * i, 4);
    v = std::fabs(v);
    std::memcpy(absIn.data.data() + 4 * i, &v, 4);
  }
  CompareResult r = compareTensors(absIn, out, 1e-3, 1e-7);
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_FALSE(compareTensors(in, out, 1e-3, 1e-7).ok);

  const std::string seqFile = "/usr/share/libonnx-testdata/data/node/test_identity_sequence/"
                              "test_data_set_0/input_0.pb";
  if (FILE *f = std::fopen(seqFile.c_str(), "rb")) {
    std::fclose(f);
    EXPECT_FALSE(readTensor(seqFile, in, err));
    EXPECT_NE(err.find("not a TensorProto but an ONNX SequenceProto"), std::string::npos) << err;
  }
}

// --------------------------------------------------------------------------------------------------
// compareTensors

TEST(TensorIOCompare, FloatPassAndFail) {
  HostTensor e = makeTensor<float>(kFloat, {2, 10}, std::vector<float>(20, 0.48f));
  HostTensor a = e;
  CompareResult r = compareTensors(a, e, 1e-3, 1e-7);
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.maxAbsErr, 0);
  EXPECT_EQ(r.mismatches, 0);

  // within tolerance: |a-e| <= atol + rtol*|e|
  std::vector<float> av(20, 0.48f);
  av[3] = 0.48f * (1 + 5e-4f);
  a = makeTensor(kFloat, {2, 10}, av);
  r = compareTensors(a, e, 1e-3, 1e-7);
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.worstIndex, 3);
  EXPECT_GT(r.maxAbsErr, 0);
  EXPECT_NE(r.message.find("ok:"), std::string::npos) << r.message;

  av[17] = 0.51f;
  av[5] = 0.4805f; // 5e-4 off, tolerance 1e-7 + 1e-3 * 0.48 = 4.8e-4: fails, but less badly
  a = makeTensor(kFloat, {2, 10}, av);
  r = compareTensors(a, e, 1e-3, 1e-7);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.mismatches, 2);
  EXPECT_EQ(r.worstIndex, 17);
  EXPECT_NEAR(r.maxAbsErr, 0.03, 1e-6);
  EXPECT_NEAR(r.maxRelErr, 0.03 / 0.48, 1e-5);
  EXPECT_NE(r.message.find("2 of 20 elements of float32[2,10] differ"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("abs error 0.03 at index 17 [1,7] (actual 0.50999999, expected 0.47999999)"),
            std::string::npos)
      << r.message;
  EXPECT_NE(r.message.find("rtol 0.001 atol 1e-07"), std::string::npos) << r.message;

  // atol alone
  HostTensor z = makeTensor<double>(kDouble, {2}, {0.0, 1.0});
  HostTensor zz = makeTensor<double>(kDouble, {2}, {1e-8, 1.0});
  EXPECT_TRUE(compareTensors(zz, z, 0, 1e-7).ok);
  EXPECT_FALSE(compareTensors(zz, z, 0.5, 0).ok); // rtol does not help near 0
}

TEST(TensorIOCompare, NaNAndInf) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  HostTensor e = makeTensor<float>(kFloat, {4}, {nan, inf, -inf, 1});
  EXPECT_TRUE(compareTensors(e, e, 0, 0).ok);
  HostTensor a = makeTensor<float>(kFloat, {4}, {1, inf, -inf, 1});
  CompareResult r = compareTensors(a, e, 1e-3, 1e-7);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.worstIndex, 0);
  EXPECT_TRUE(std::isinf(r.maxAbsErr));
  a = makeTensor<float>(kFloat, {4}, {nan, -inf, -inf, 1}); // +inf vs -inf
  r = compareTensors(a, e, 1e-3, 1e-7);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.worstIndex, 1);
  a = makeTensor<float>(kFloat, {4}, {nan, 3e38f, -inf, 1}); // finite vs inf
  EXPECT_FALSE(compareTensors(a, e, 1, 1).ok);
  a = makeTensor<float>(kFloat, {4}, {nan, inf, -inf, nan}); // NaN where a number is expected
  r = compareTensors(a, e, 1, 1);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.worstIndex, 3);
  EXPECT_NE(r.message.find("actual nan, expected 1"), std::string::npos) << r.message;
}

TEST(TensorIOCompare, HalfAndBFloat16) {
  HostTensor e = makeTensor<uint16_t>(kFloat16, {3}, {floatToHalf(1.0f), floatToHalf(-2.5f), floatToHalf(1000)});
  HostTensor a = makeTensor<uint16_t>(kFloat16, {3}, {floatToHalf(1.0f), floatToHalf(-2.5f), floatToHalf(1001)});
  CompareResult r = compareTensors(a, e, 5e-4, 0); // |1001 - 1000| = 1 > 5e-4 * 1000
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.worstIndex, 2);
  EXPECT_EQ(r.maxAbsErr, 1.0);
  EXPECT_NE(r.message.find("(actual 1001, expected 1000)"), std::string::npos) << r.message;
  r = compareTensors(a, e, 2e-3, 0);
  EXPECT_TRUE(r.ok) << r.message;
  HostTensor b = makeTensor<uint16_t>(kBFloat16, {2}, {floatToBFloat16(1.0f), floatToBFloat16(3.0f)});
  HostTensor b2 = makeTensor<uint16_t>(kBFloat16, {2}, {floatToBFloat16(1.0f), floatToBFloat16(3.015625f)});
  r = compareTensors(b2, b, 0, 0);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.worstIndex, 1);
  EXPECT_DOUBLE_EQ(r.maxAbsErr, 0.015625);
  EXPECT_TRUE(compareTensors(b2, b, 1e-2, 0).ok);
}

TEST(TensorIOCompare, IntegersBoolsExact) {
  HostTensor e = makeTensor<int64_t>(kInt64, {3}, {1, 2, 3});
  HostTensor a = makeTensor<int64_t>(kInt64, {3}, {1, 2, 4});
  CompareResult r = compareTensors(a, e, 1, 1); // tolerances are ignored for integers
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.mismatches, 1);
  EXPECT_EQ(r.worstIndex, 2);
  EXPECT_EQ(r.maxAbsErr, 1);
  EXPECT_NE(r.message.find("(actual 4, expected 3)"), std::string::npos) << r.message;
  EXPECT_TRUE(compareTensors(e, e, 0, 0).ok);

  HostTensor u = makeTensor<uint64_t>(kUInt64, {1}, {~uint64_t(0)});
  HostTensor u2 = makeTensor<uint64_t>(kUInt64, {1}, {~uint64_t(0) - 1});
  r = compareTensors(u2, u, 0, 0);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("actual 18446744073709551614, expected 18446744073709551615"), std::string::npos)
      << r.message;

  HostTensor bt = makeTensor<uint8_t>(kBool, {2, 2}, {1, 0, 0, 1});
  HostTensor bf = makeTensor<uint8_t>(kBool, {2, 2}, {1, 0, 1, 1});
  r = compareTensors(bf, bt, 0, 0);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.worstIndex, 2);
  EXPECT_NE(r.message.find("index 2 [1,0] (actual true, expected false)"), std::string::npos) << r.message;
}

TEST(TensorIOCompare, ShapeAndDTypeMismatch) {
  HostTensor e = makeTensor<float>(kFloat, {1, 1000}, std::vector<float>(1000, 0));
  HostTensor a = makeTensor<float>(kFloat, {1, 10}, std::vector<float>(10, 0));
  CompareResult r = compareTensors(a, e, 1e-3, 1e-7);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.message, "shape mismatch: actual [1,10], expected [1,1000]");
  HostTensor s = makeTensor<float>(kFloat, {1000}, std::vector<float>(1000, 0)); // same numel
  EXPECT_FALSE(compareTensors(s, e, 1e-3, 1e-7).ok);
  HostTensor d = makeTensor<double>(kDouble, {1, 1000}, std::vector<double>(1000, 0));
  r = compareTensors(d, e, 1e-3, 1e-7);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.message, "dtype mismatch: actual float64, expected float32");
  // malformed data size
  HostTensor bad = e;
  bad.data.resize(12);
  r = compareTensors(bad, e, 1e-3, 1e-7);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("malformed tensor"), std::string::npos) << r.message;
  // scalars and empty tensors
  HostTensor s0 = makeTensor<float>(kFloat, {}, {1});
  EXPECT_TRUE(compareTensors(s0, s0, 0, 0).ok);
  HostTensor e0 = makeTensor<float>(kFloat, {0, 3}, {});
  EXPECT_TRUE(compareTensors(e0, e0, 0, 0).ok);
}

} // namespace
