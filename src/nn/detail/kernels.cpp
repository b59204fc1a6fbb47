#include "nn/detail/kernels.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

namespace dd::nn::detail {

namespace {

float clamp(float v, const Op& op) {
  return std::min(std::max(v, op.output_min), op.output_max);
}

}  // namespace

void conv2d(const Op& op, std::span<const float> input, const Shape& in_shape, std::span<const float> filter,
            const Shape& filter_shape, std::span<const float> bias, std::span<float> output,
            const Shape& out_shape) {
  const int32_t batches = in_shape[0], in_h = in_shape[1], in_w = in_shape[2], in_c = in_shape[3];
  const int32_t out_h = out_shape[1], out_w = out_shape[2], out_c = out_shape[3];
  const int32_t kh = filter_shape[1], kw = filter_shape[2];
  const bool depthwise = op.type == OpType::kDepthwiseConv2d;
  const int32_t multiplier = depthwise ? out_c / in_c : 1;
  for (int32_t n = 0; n < batches; ++n) {
    for (int32_t oy = 0; oy < out_h; ++oy) {
      for (int32_t ox = 0; ox < out_w; ++ox) {
        float* out = &output[((static_cast<size_t>(n) * out_h + oy) * out_w + ox) * out_c];
        for (int32_t oc = 0; oc < out_c; ++oc) out[oc] = bias.empty() ? 0.0f : bias[oc];
        for (int32_t ky = 0; ky < kh; ++ky) {
          const int32_t iy = oy * op.stride_h - op.padding.top + ky * op.dilation_h;
          if (iy < 0 || iy >= in_h) continue;
          for (int32_t kx = 0; kx < kw; ++kx) {
            const int32_t ix = ox * op.stride_w - op.padding.left + kx * op.dilation_w;
            if (ix < 0 || ix >= in_w) continue;
            const float* in = &input[((static_cast<size_t>(n) * in_h + iy) * in_w + ix) * in_c];
            if (depthwise) {
              const float* w = &filter[(static_cast<size_t>(ky) * kw + kx) * out_c];
              for (int32_t oc = 0; oc < out_c; ++oc) out[oc] += in[oc / multiplier] * w[oc];
            } else {
              for (int32_t oc = 0; oc < out_c; ++oc) {
                const float* w = &filter[((static_cast<size_t>(oc) * kh + ky) * kw + kx) * in_c];
                float sum = 0.0f;
                for (int32_t ic = 0; ic < in_c; ++ic) sum += in[ic] * w[ic];
                out[oc] += sum;
              }
            }
          }
        }
        for (int32_t oc = 0; oc < out_c; ++oc) out[oc] = clamp(out[oc], op);
      }
    }
  }
}

void add(const Op& op, std::span<const float> a, std::span<const float> b, std::span<float> output) {
  for (size_t i = 0; i < output.size(); ++i) output[i] = clamp(a[i] + b[i], op);
}

void max_pool2d(const Op& op, std::span<const float> input, const Shape& in_shape, std::span<float> output,
                const Shape& out_shape) {
  const int32_t batches = in_shape[0], in_h = in_shape[1], in_w = in_shape[2], channels = in_shape[3];
  const int32_t out_h = out_shape[1], out_w = out_shape[2];
  for (int32_t n = 0; n < batches; ++n) {
    for (int32_t oy = 0; oy < out_h; ++oy) {
      for (int32_t ox = 0; ox < out_w; ++ox) {
        float* out = &output[((static_cast<size_t>(n) * out_h + oy) * out_w + ox) * channels];
        std::fill(out, out + channels, -std::numeric_limits<float>::infinity());
        for (int32_t ky = 0; ky < op.filter_h; ++ky) {
          const int32_t iy = oy * op.stride_h - op.padding.top + ky;
          if (iy < 0 || iy >= in_h) continue;
          for (int32_t kx = 0; kx < op.filter_w; ++kx) {
            const int32_t ix = ox * op.stride_w - op.padding.left + kx;
            if (ix < 0 || ix >= in_w) continue;
            const float* in = &input[((static_cast<size_t>(n) * in_h + iy) * in_w + ix) * channels];
            for (int32_t c = 0; c < channels; ++c) out[c] = std::max(out[c], in[c]);
          }
        }
        for (int32_t c = 0; c < channels; ++c) out[c] = clamp(out[c], op);
      }
    }
  }
}

void resize_bilinear(std::span<const float> input, const Shape& in_shape, std::span<float> output,
                     const Shape& out_shape) {
  const int32_t batches = in_shape[0], in_h = in_shape[1], in_w = in_shape[2], channels = in_shape[3];
  const int32_t out_h = out_shape[1], out_w = out_shape[2];
  const float scale_y = static_cast<float>(in_h) / static_cast<float>(out_h);
  const float scale_x = static_cast<float>(in_w) / static_cast<float>(out_w);
  for (int32_t n = 0; n < batches; ++n) {
    for (int32_t oy = 0; oy < out_h; ++oy) {
      // Half-pixel centres: sample at (o + 0.5) * scale - 0.5, clamped to the first pixel.
      const float fy = std::max((static_cast<float>(oy) + 0.5f) * scale_y - 0.5f, 0.0f);
      const int32_t y0 = std::min(static_cast<int32_t>(fy), in_h - 1);
      const int32_t y1 = std::min(y0 + 1, in_h - 1);
      const float wy = fy - static_cast<float>(y0);
      for (int32_t ox = 0; ox < out_w; ++ox) {
        const float fx = std::max((static_cast<float>(ox) + 0.5f) * scale_x - 0.5f, 0.0f);
        const int32_t x0 = std::min(static_cast<int32_t>(fx), in_w - 1);
        const int32_t x1 = std::min(x0 + 1, in_w - 1);
        const float wx = fx - static_cast<float>(x0);
        auto at = [&](int32_t y, int32_t x) {
          return &input[((static_cast<size_t>(n) * in_h + y) * in_w + x) * channels];
        };
        const float *p00 = at(y0, x0), *p01 = at(y0, x1), *p10 = at(y1, x0), *p11 = at(y1, x1);
        float* out = &output[((static_cast<size_t>(n) * out_h + oy) * out_w + ox) * channels];
        for (int32_t c = 0; c < channels; ++c) {
          const float top = p00[c] + (p01[c] - p00[c]) * wx;
          const float bottom = p10[c] + (p11[c] - p10[c]) * wx;
          out[c] = top + (bottom - top) * wy;
        }
      }
    }
  }
}

void pad(const Op& op, std::span<const float> input, const Shape& in_shape, std::span<float> output,
         const Shape& out_shape) {
  std::fill(output.begin(), output.end(), 0.0f);
  const size_t rank = in_shape.size();
  if (rank == 0) {
    output[0] = input[0];
    return;
  }
  // Copy innermost rows; the outer coordinates walk like an odometer.
  const size_t row = static_cast<size_t>(in_shape[rank - 1]);
  const size_t rows = input.size() / row;
  std::array<int32_t, kMaxRank> coord{};
  for (size_t r = 0; r < rows; ++r) {
    size_t offset = 0;
    for (size_t d = 0; d < rank; ++d) offset = offset * out_shape[d] + coord[d] + op.pad_before[d];
    std::memcpy(&output[offset], &input[r * row], row * sizeof(float));
    for (size_t d = rank - 1; d-- > 0;) {
      if (++coord[d] < in_shape[d]) break;
      coord[d] = 0;
    }
  }
}

void logistic(std::span<const float> input, std::span<float> output) {
  for (size_t i = 0; i < output.size(); ++i) output[i] = 1.0f / (1.0f + std::exp(-input[i]));
}

void concatenate(const Op& op, std::span<const std::span<const float>> inputs,
                 std::span<const int32_t> axis_sizes, std::span<float> output, const Shape& out_shape) {
  size_t outer = 1;
  for (int32_t d = 0; d < op.axis; ++d) outer *= static_cast<size_t>(out_shape[d]);
  size_t inner = 1;
  for (size_t d = op.axis + 1; d < out_shape.size(); ++d) inner *= static_cast<size_t>(out_shape[d]);
  const size_t out_stride = static_cast<size_t>(out_shape[op.axis]) * inner;
  size_t axis_offset = 0;
  for (size_t k = 0; k < inputs.size(); ++k) {
    const size_t chunk = static_cast<size_t>(axis_sizes[k]) * inner;
    for (size_t o = 0; o < outer; ++o)
      std::memcpy(&output[o * out_stride + axis_offset], &inputs[k][o * chunk], chunk * sizeof(float));
    axis_offset += chunk;
  }
}

void depth_to_space(const Op& op, std::span<const float> input, const Shape& in_shape,
                    std::span<float> output) {
  const int32_t batches = in_shape[0], in_h = in_shape[1], in_w = in_shape[2], in_c = in_shape[3];
  const int32_t b = op.block_size;
  const int32_t out_c = in_c / (b * b), out_h = in_h * b, out_w = in_w * b;
  for (int32_t n = 0; n < batches; ++n)
    for (int32_t y = 0; y < in_h; ++y)
      for (int32_t x = 0; x < in_w; ++x)
        for (int32_t i = 0; i < b; ++i)
          for (int32_t j = 0; j < b; ++j) {
            const float* in =
                &input[((static_cast<size_t>(n) * in_h + y) * in_w + x) * in_c + (i * b + j) * out_c];
            float* out = &output[((static_cast<size_t>(n) * out_h + y * b + i) * out_w + x * b + j) * out_c];
            std::memcpy(out, in, out_c * sizeof(float));
          }
}

}  // namespace dd::nn::detail
