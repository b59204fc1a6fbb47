// Reference float kernels (plain loops, NHWC) for every op dd::nn supports; the
// kReference backend runs on them, and they define what the XNNPACK path must match.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "nn/detail/graph.h"

namespace dd::nn::detail {

using Shape = std::vector<int32_t>;

// Convolution (op.type kConv2d, filter [O,KH,KW,I]) or depthwise convolution
// (kDepthwiseConv2d, filter [1,KH,KW,I*M]); bias may be empty. Output shape from out_shape.
void conv2d(const Op& op, std::span<const float> input, const Shape& in_shape, std::span<const float> filter,
            const Shape& filter_shape, std::span<const float> bias, std::span<float> output,
            const Shape& out_shape);

// Element-wise a + b clamped to [op.output_min, op.output_max].
void add(const Op& op, std::span<const float> a, std::span<const float> b, std::span<float> output);

// Max pooling over op.filter_h x op.filter_w windows; padded cells never win.
void max_pool2d(const Op& op, std::span<const float> input, const Shape& in_shape, std::span<float> output,
                const Shape& out_shape);

// Bilinear resize with half-pixel centres (align_corners false).
void resize_bilinear(std::span<const float> input, const Shape& in_shape, std::span<float> output,
                     const Shape& out_shape);

// Zero padding by op.pad_before/op.pad_after in every dimension.
void pad(const Op& op, std::span<const float> input, const Shape& in_shape, std::span<float> output,
         const Shape& out_shape);

// 1 / (1 + exp(-x)).
void logistic(std::span<const float> input, std::span<float> output);

// Concatenation of inputs along op.axis; axis_sizes[k] is input k's extent along it.
void concatenate(const Op& op, std::span<const std::span<const float>> inputs,
                 std::span<const int32_t> axis_sizes, std::span<float> output, const Shape& out_shape);

// TF DEPTH_TO_SPACE (DCR order): out[n, h*b+i, w*b+j, c] = in[n, h, w, (i*b+j)*C_out + c].
void depth_to_space(const Op& op, std::span<const float> input, const Shape& in_shape,
                    std::span<float> output);

}  // namespace dd::nn::detail
