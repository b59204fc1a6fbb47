// Tests of Range header parsing against RFC 9110's examples.
#include "server/byte_range.h"

#include <gtest/gtest.h>

namespace dd::server {
namespace {

ByteRange range_of(std::string_view header, uint64_t size) {
  auto parsed = parse_byte_range(header, size);
  EXPECT_TRUE(parsed.has_value()) << header;
  EXPECT_TRUE(parsed && parsed->has_value()) << header;
  return parsed && *parsed ? **parsed : ByteRange{};
}

TEST(ByteRangeTest, ClosedOpenAndSuffixRanges) {
  EXPECT_EQ(range_of("bytes=0-499", 10000).last, 499u);
  EXPECT_EQ(range_of("bytes=500-999", 10000).first, 500u);
  EXPECT_EQ(range_of("bytes=9500-", 10000).last, 9999u);
  const ByteRange suffix = range_of("bytes=-500", 10000);
  EXPECT_EQ(suffix.first, 9500u);
  EXPECT_EQ(suffix.last, 9999u);
  EXPECT_EQ(range_of("bytes=0-99999", 10000).last, 9999u);  // clamped to the end
  EXPECT_EQ(range_of("bytes=-20000", 10000).first, 0u);
  EXPECT_EQ(range_of("bytes=10-19", 10000).length(), 10u);
}

TEST(ByteRangeTest, UnsatisfiableRanges_AreErrors) {
  for (const char* header :
       {"bytes=10000-", "bytes=500-100", "bytes=-0", "bytes=abc-", "bytes=5", "bytes=1-2x"}) {
    auto parsed = parse_byte_range(header, 10000);
    EXPECT_FALSE(parsed.has_value()) << header;
  }
  EXPECT_FALSE(parse_byte_range("bytes=0-", 0).has_value());
}

TEST(ByteRangeTest, OtherUnitsAndMultipleRanges_AreIgnored) {
  auto other = parse_byte_range("items=0-5", 100);
  ASSERT_TRUE(other.has_value());
  EXPECT_FALSE(other->has_value());
  auto several = parse_byte_range("bytes=0-5,10-20", 100);
  ASSERT_TRUE(several.has_value());
  EXPECT_FALSE(several->has_value());
}

}  // namespace
}  // namespace dd::server
