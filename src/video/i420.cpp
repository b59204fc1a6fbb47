#include "video/i420.h"

namespace dd::video {

I420Planes i420_planes(cv::Mat& i420) {
  const cv::Size size = i420_picture_size(i420);
  const int chroma_width = size.width / 2;
  const int chroma_height = size.height / 2;
  uint8_t* y = i420.data;
  uint8_t* u = y + static_cast<size_t>(size.width) * size.height;
  uint8_t* v = u + static_cast<size_t>(chroma_width) * chroma_height;
  return {cv::Mat(size.height, size.width, CV_8UC1, y), cv::Mat(chroma_height, chroma_width, CV_8UC1, u),
          cv::Mat(chroma_height, chroma_width, CV_8UC1, v)};
}

cv::Size i420_picture_size(const cv::Mat& i420) {
  return {i420.cols, i420.rows * 2 / 3};
}

bool is_i420(const cv::Mat& image) {
  return !image.empty() && image.type() == CV_8UC1 && image.isContinuous() && image.cols % 2 == 0 &&
         image.rows % 3 == 0 && (image.rows * 2 / 3) % 2 == 0;
}

ColourTags defined_colour_tags(int primaries, int transfer) {
  // The H.273 codes x264 can write: primaries 1 and 4-12, transfer 1 and 4-18 (2 means
  // unspecified, 3 is reserved; primaries 22, EBU 3213, is left out).
  const auto defined = [](int code, int last) { return code == 1 || (code >= 4 && code <= last) ? code : 0; };
  return {defined(primaries, 12), defined(transfer, 18)};
}

cv::Scalar rgb_to_yuv(const cv::Scalar& rgb, YuvMatrix matrix) {
  double kr = 0.299, kb = 0.114;
  if (matrix == YuvMatrix::kBt709) kr = 0.2126, kb = 0.0722;
  if (matrix == YuvMatrix::kBt2020) kr = 0.2627, kb = 0.0593;
  const double r = rgb[0] / 255.0, g = rgb[1] / 255.0, b = rgb[2] / 255.0;
  const double luma = kr * r + (1 - kr - kb) * g + kb * b;
  const double cb = (b - luma) / (2 * (1 - kb));
  const double cr = (r - luma) / (2 * (1 - kr));
  return {16 + 219 * luma, 128 + 224 * cb, 128 + 224 * cr};
}

}  // namespace dd::video
