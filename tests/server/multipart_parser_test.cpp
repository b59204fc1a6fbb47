// Tests of the streaming multipart parser, fed whole and split at every byte.
#include "server/multipart_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dd::server {
namespace {

struct RecordedPart {
  MultipartPartHeader header;
  std::string data;
  bool ended = false;
};

class Recorder final : public MultipartHandler {
 public:
  Status on_part_begin(const MultipartPartHeader& header) override {
    parts.push_back({header, "", false});
    return ok_status();
  }
  Status on_part_data(std::string_view data) override {
    parts.back().data.append(data);
    return ok_status();
  }
  Status on_part_end() override {
    parts.back().ended = true;
    return ok_status();
  }
  std::vector<RecordedPart> parts;
};

const std::string kBoundary = "----ddBoundary42";
// File content that looks like a delimiter and holds a NUL byte.
constexpr char kTrickyLiteral[] = "\r\n--not-the-boundary\r\n\0binary";
const std::string kTrickyData(kTrickyLiteral, sizeof(kTrickyLiteral) - 1);

std::string two_part_body() {
  return "preamble to ignore\r\n--" + kBoundary +
         "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--" + kBoundary +
         "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"my \\\"clip\\\".mp4\"\r\n"
         "Content-Type: video/mp4\r\n\r\n" +
         kTrickyData + "\r\n--" + kBoundary + "--\r\nepilogue";
}

void expect_two_parts(const Recorder& recorder) {
  ASSERT_EQ(recorder.parts.size(), 2u);
  EXPECT_EQ(recorder.parts[0].header.name, "note");
  EXPECT_FALSE(recorder.parts[0].header.filename.has_value());
  EXPECT_EQ(recorder.parts[0].data, "hello");
  EXPECT_TRUE(recorder.parts[0].ended);
  EXPECT_EQ(recorder.parts[1].header.name, "file");
  ASSERT_TRUE(recorder.parts[1].header.filename.has_value());
  EXPECT_EQ(*recorder.parts[1].header.filename, "my \"clip\".mp4");
  EXPECT_EQ(recorder.parts[1].header.content_type, "video/mp4");
  EXPECT_EQ(recorder.parts[1].data, kTrickyData);
  EXPECT_EQ(recorder.parts[1].data.size(), 29u);
  EXPECT_TRUE(recorder.parts[1].ended);
}

TEST(MultipartParserTest, WholeBody_YieldsBothParts) {
  MultipartParser parser(kBoundary);
  Recorder recorder;
  ASSERT_TRUE(parser.feed(two_part_body(), recorder));
  EXPECT_TRUE(parser.done());
  expect_two_parts(recorder);
}

TEST(MultipartParserTest, SplitAtEveryByte_YieldsSameParts) {
  const std::string body = two_part_body();
  for (size_t split = 0; split <= body.size(); ++split) {
    MultipartParser parser(kBoundary);
    Recorder recorder;
    ASSERT_TRUE(parser.feed(std::string_view(body).substr(0, split), recorder));
    ASSERT_TRUE(parser.feed(std::string_view(body).substr(split), recorder));
    EXPECT_TRUE(parser.done()) << "split at " << split;
    expect_two_parts(recorder);
  }
}

TEST(MultipartParserTest, OneByteChunks_YieldSameParts) {
  const std::string body = two_part_body();
  MultipartParser parser(kBoundary);
  Recorder recorder;
  for (char c : body) ASSERT_TRUE(parser.feed(std::string_view(&c, 1), recorder));
  EXPECT_TRUE(parser.done());
  expect_two_parts(recorder);
}

TEST(MultipartParserTest, TruncatedBody_IsNotDone) {
  const std::string body = two_part_body();
  MultipartParser parser(kBoundary);
  Recorder recorder;
  ASSERT_TRUE(parser.feed(std::string_view(body).substr(0, body.size() / 2), recorder));
  EXPECT_FALSE(parser.done());
}

TEST(MultipartParserTest, PartWithoutDisposition_IsInvalidArgument) {
  MultipartParser parser(kBoundary);
  Recorder recorder;
  auto fed = parser.feed("--" + kBoundary + "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" + kBoundary + "--",
                         recorder);
  ASSERT_FALSE(fed.has_value());
  EXPECT_EQ(fed.error().code, ErrorCode::kInvalidArgument);
}

TEST(MultipartParserTest, HugePartHeaders_AreRefused) {
  MultipartParser parser(kBoundary, /*max_part_header_bytes=*/128);
  Recorder recorder;
  auto fed = parser.feed("--" + kBoundary + "\r\nX-Filler: " + std::string(1000, 'a'), recorder);
  EXPECT_FALSE(fed.has_value());
}

TEST(MultipartParserTest, HandlerError_StopsTheParse) {
  class Refuser final : public MultipartHandler {
   public:
    Status on_part_begin(const MultipartPartHeader&) override {
      return make_error(ErrorCode::kInvalidArgument, "refused");
    }
    Status on_part_data(std::string_view) override { return ok_status(); }
    Status on_part_end() override { return ok_status(); }
  } refuser;
  MultipartParser parser(kBoundary);
  auto fed = parser.feed(two_part_body(), refuser);
  ASSERT_FALSE(fed.has_value());
  EXPECT_EQ(fed.error().message, "refused");
}

TEST(MultipartBoundaryTest, ParsesQuotedAndPlainBoundaries) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc123"), "abc123");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""), "a b");
  EXPECT_FALSE(multipart_boundary("application/json").has_value());
  EXPECT_FALSE(multipart_boundary("multipart/form-data").has_value());
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'x')).has_value());
}

}  // namespace
}  // namespace dd::server
