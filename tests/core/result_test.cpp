#include "core/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace dd {
namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) return make_error(ErrorCode::kInvalidArgument, "not positive: " + std::to_string(v));
  return v;
}

Status doubled_is_small(int v, int* out) {
  auto parsed = parse_positive(v);
  DD_TRY(parsed);
  *out = *parsed * 2;
  if (*out > 10) return make_error(ErrorCode::kFailedPrecondition, "too big");
  return ok_status();
}

TEST(ResultTest, HoldsValueOrError) {
  auto good = parse_positive(3);
  ASSERT_TRUE(good.has_value());
  EXPECT_EQ(*good, 3);
  auto bad = parse_positive(-1);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message, "not positive: -1");
}

TEST(ResultTest, TryPropagatesFirstError) {
  int out = 0;
  EXPECT_TRUE(doubled_is_small(4, &out));
  EXPECT_EQ(out, 8);
  auto invalid = doubled_is_small(0, &out);
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().code, ErrorCode::kInvalidArgument);
  auto too_big = doubled_is_small(6, &out);
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().code, ErrorCode::kFailedPrecondition);
}

TEST(ResultTest, MovesOnlyTypes) {
  Result<std::unique_ptr<int>> holder(std::make_unique<int>(7));
  std::unique_ptr<int> taken = std::move(holder).value();
  EXPECT_EQ(*taken, 7);
}

TEST(ResultTest, ValueOnErrorAborts) {
  EXPECT_DEATH({ (void)parse_positive(0).value(); }, "value\\(\\) on an error Result");
}

TEST(ErrorCodeTest, NamesAreDistinct) {
  EXPECT_STREQ(error_code_name(ErrorCode::kNotFound), "not_found");
  EXPECT_STREQ(error_code_name(ErrorCode::kDataLoss), "data_loss");
}

}  // namespace
}  // namespace dd
