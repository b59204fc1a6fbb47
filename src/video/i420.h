// 8-bit 4:2:0 frames in OpenCV's I420 layout: one continuous CV_8UC1 image of rows * 3 / 2
// rows holding the Y plane, then the U plane, then the V plane (each chroma plane half the
// width and height). Values are limited range (luma 16..235) in the frame's colour matrix.
// The overlay pass draws on such frames directly: converting every frame to RGB and back
// cost about a tenth of the whole analysis.
#pragma once

#include <opencv2/core.hpp>

namespace dd::video {

// The RGB <-> YUV matrix a frame's values are in (H.264's matrix_coefficients).
enum class YuvMatrix { kBt601, kBt709, kBt2020 };

// The rest of a stream's colour description: its primaries and transfer function as H.273
// code points (FFmpeg's AVColorPrimaries / AVColorTransferCharacteristic values). 0 means "the
// SDR ones that go with the matrix". Phones' HDR videos (HLG or PQ) need theirs kept.
struct ColourTags {
  int primaries = 0;
  int transfer = 0;
};

// The tags with every code that is not a defined one (unspecified, reserved, out of range)
// turned into 0 (see i420.cpp for the list), so a damaged file cannot hand the encoder a value
// it rejects.
ColourTags defined_colour_tags(int primaries, int transfer);

// Views into the planes of an I420 image of even width and height (no copies).
struct I420Planes {
  cv::Mat y, u, v;
};
I420Planes i420_planes(cv::Mat& i420);

// The picture size of an I420 image: (cols, rows * 2 / 3).
cv::Size i420_picture_size(const cv::Mat& i420);

// True for a non-empty continuous CV_8UC1 image with an even width and an even picture height.
bool is_i420(const cv::Mat& image);

// Limited-range (Y, U, V) of an 8-bit colour given as (R, G, B) in val[0..2].
cv::Scalar rgb_to_yuv(const cv::Scalar& rgb, YuvMatrix matrix);

}  // namespace dd::video
