// libmcc_rt: status strings, dtype sizes, element counts.
#include "mcc/mcc_rt.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

TEST(Runtime, EveryStatusHasItsOwnMessage) {
  std::set<std::string> seen;
  for (int s = MCC_OK; s <= MCC_ERR_INVALID_SIZE; ++s) {
    const char *m = mcc_strerror(s);
    ASSERT_NE(m, nullptr);
    EXPECT_TRUE(seen.insert(m).second) << "duplicate message for status " << s;
  }
  EXPECT_STREQ(mcc_strerror(MCC_OK), "success");
  EXPECT_STRNE(mcc_strerror(MCC_ERR_INDEX_OUT_OF_RANGE), "unknown mcc status code");
  EXPECT_STRNE(mcc_strerror(MCC_ERR_INVALID_SIZE), "unknown mcc status code");
  EXPECT_STREQ(mcc_strerror(12345), "unknown mcc status code");
  EXPECT_STREQ(mcc_strerror(-1), "unknown mcc status code");
}

TEST(Runtime, DtypeSizesFollowOnnxNumbers) {
  EXPECT_EQ(mcc_dtype_size(MCC_DTYPE_FLOAT32), 4u);
  EXPECT_EQ(mcc_dtype_size(MCC_DTYPE_FLOAT64), 8u);
  EXPECT_EQ(mcc_dtype_size(MCC_DTYPE_FLOAT16), 2u);
  EXPECT_EQ(mcc_dtype_size(MCC_DTYPE_BFLOAT16), 2u);
  EXPECT_EQ(mcc_dtype_size(MCC_DTYPE_INT64), 8u);
  EXPECT_EQ(mcc_dtype_size(MCC_DTYPE_UINT8), 1u);
  EXPECT_EQ(mcc_dtype_size(MCC_DTYPE_BOOL), 1u);
  EXPECT_EQ(mcc_dtype_size(MCC_DTYPE_STRING), 0u);
  EXPECT_EQ(mcc_dtype_size(99), 0u);
  // The enum values are ONNX TensorProto.DataType numbers.
  EXPECT_EQ(MCC_DTYPE_FLOAT32, 1);
  EXPECT_EQ(MCC_DTYPE_INT64, 7);
  EXPECT_EQ(MCC_DTYPE_BFLOAT16, 16);
}

TEST(Runtime, TensorNumel) {
  int64_t shape[] = {2, 3, 4};
  mcc_tensor_info t = {"x", MCC_DTYPE_FLOAT32, 3, shape, shape};
  EXPECT_EQ(mcc_tensor_numel(&t), 24);
  int64_t dynamic[] = {-1, 3};
  int64_t bound[] = {4, 3};
  mcc_tensor_info d = {"y", MCC_DTYPE_FLOAT32, 2, dynamic, bound};
  EXPECT_EQ(mcc_tensor_numel(&d), -1);
  mcc_tensor_info scalar = {"s", MCC_DTYPE_FLOAT32, 0, nullptr, nullptr};
  EXPECT_EQ(mcc_tensor_numel(&scalar), 1);
}
