// Each op on tiny tensors: the reference kernels against hand-computed values, and the
// XNNPACK executor against the reference executor on small random tensors.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "nn/detail/executor.h"
#include "nn/detail/kernels.h"

namespace dd::nn::detail {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

// Builds single-op graphs: tensor 0 is the input, the last tensor the output.
class GraphBuilder {
 public:
  int32_t activation(std::vector<int32_t> shape) {
    graph_.tensors.push_back({fmt::format("t{}", graph_.tensors.size()), std::move(shape), false, {}, {}});
    return static_cast<int32_t>(graph_.tensors.size() - 1);
  }
  int32_t constant(std::vector<int32_t> shape, std::vector<float> data) {
    graph_.tensors.push_back(
        {fmt::format("c{}", graph_.tensors.size()), std::move(shape), true, std::move(data), {}});
    return static_cast<int32_t>(graph_.tensors.size() - 1);
  }
  int32_t random_constant(std::vector<int32_t> shape, std::mt19937& rng) {
    Tensor t{"c", shape, true, {}, {}};
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    t.data.resize(t.element_count());
    for (float& v : t.data) v = dist(rng);
    return constant(std::move(shape), std::move(t.data));
  }
  void op(Op op) { graph_.ops.push_back(std::move(op)); }
  Graph build(std::vector<int32_t> inputs, std::vector<int32_t> outputs) {
    graph_.inputs = std::move(inputs);
    graph_.outputs = std::move(outputs);
    return graph_;
  }

 private:
  Graph graph_;
};

Op make_op(OpType type, std::vector<int32_t> inputs, int32_t output) {
  Op op;
  op.type = type;
  op.inputs = std::move(inputs);
  op.outputs = {output};
  return op;
}

// Runs the graph on both backends with the same random inputs; returns max |difference|
// relative to the largest reference output.
float backend_difference(const Graph& graph, int threads = 1) {
  auto fast = create_model(graph, {Backend::kXnnpack, threads, {}});
  auto slow = create_model(graph, {Backend::kReference, 1, {}});
  EXPECT_TRUE(fast.has_value()) << (fast ? "" : fast.error().message);
  EXPECT_TRUE(slow.has_value()) << (slow ? "" : slow.error().message);
  if (!fast || !slow) return kInf;
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> dist(-2.0f, 2.0f);
  for (size_t i = 0; i < (*fast)->inputs().size(); ++i) {
    auto a = (*fast)->input(i);
    auto b = (*slow)->input(i);
    for (size_t k = 0; k < a.size(); ++k) a[k] = b[k] = dist(rng);
  }
  EXPECT_TRUE((*fast)->run().has_value());
  EXPECT_TRUE((*slow)->run().has_value());
  float worst = 0.0f;
  for (size_t o = 0; o < (*fast)->outputs().size(); ++o) {
    auto a = (*fast)->output(o);
    auto b = (*slow)->output(o);
    float scale = 1e-6f, error = 0.0f;
    for (size_t k = 0; k < a.size(); ++k) {
      scale = std::max(scale, std::abs(b[k]));
      error = std::max(error, std::abs(a[k] - b[k]));
    }
    worst = std::max(worst, error / scale);
  }
  return worst;
}

// --- Reference kernels against hand-computed values -------------------------------------

TEST(KernelTest, Conv2d_OneByOneWithBiasAndRelu6) {
  Op op = make_op(OpType::kConv2d, {}, 0);
  op.output_min = 0.0f;
  op.output_max = 6.0f;
  // Input 1x1x2x2: pixels (1,2) and (3,4); filter 2 outputs x 2 inputs.
  std::vector<float> input = {1, 2, 3, 4}, filter = {1, 1, 2, -1}, bias = {0.5f, 0.0f}, out(4);
  conv2d(op, input, {1, 1, 2, 2}, filter, {2, 1, 1, 2}, bias, out, {1, 1, 2, 2});
  // Pixel 0: 1+2+0.5 = 3.5, 2-2 = 0; pixel 1: 3+4+0.5 = 7.5 -> 6, 6-4 = 2.
  EXPECT_NEAR(out[0], 3.5f, 1e-6f);
  EXPECT_NEAR(out[1], 0.0f, 1e-6f);
  EXPECT_NEAR(out[2], 6.0f, 1e-6f);
  EXPECT_NEAR(out[3], 2.0f, 1e-6f);
}

TEST(KernelTest, Conv2d_ThreeByThreeSamePaddingSumsNeighbours) {
  Op op = make_op(OpType::kConv2d, {}, 0);
  op.padding = {1, 1, 1, 1};
  std::vector<float> input = {1, 2, 3, 4}, filter(9, 1.0f), out(4);
  conv2d(op, input, {1, 2, 2, 1}, filter, {1, 3, 3, 1}, {}, out, {1, 2, 2, 1});
  for (float v : out) EXPECT_NEAR(v, 10.0f, 1e-6f);  // every 3x3 window covers the whole 2x2 input
}

TEST(KernelTest, DepthwiseConv2d_StrideTwoValid) {
  Op op = make_op(OpType::kDepthwiseConv2d, {}, 0);
  op.stride_h = op.stride_w = 2;
  // 1x3x3x1 input 1..9, 3x3 filter of ones -> one output, 45; channel 2 doubles it via filter.
  std::vector<float> input(18), filter(18), out(2);
  for (int i = 0; i < 9; ++i) {
    input[2 * i] = input[2 * i + 1] = static_cast<float>(i + 1);
    filter[2 * i] = 1.0f;
    filter[2 * i + 1] = 2.0f;
  }
  conv2d(op, input, {1, 3, 3, 2}, filter, {1, 3, 3, 2}, std::vector<float>{0.0f, 1.0f}, out, {1, 1, 1, 2});
  EXPECT_NEAR(out[0], 45.0f, 1e-5f);
  EXPECT_NEAR(out[1], 91.0f, 1e-5f);
}

TEST(KernelTest, Add_ClampsToRelu6) {
  Op op = make_op(OpType::kAdd, {}, 0);
  op.output_min = 0.0f;
  op.output_max = 6.0f;
  std::vector<float> a = {1, -5, 4}, b = {2, 1, 4}, out(3);
  add(op, a, b, out);
  EXPECT_NEAR(out[0], 3.0f, 1e-6f);
  EXPECT_NEAR(out[1], 0.0f, 1e-6f);
  EXPECT_NEAR(out[2], 6.0f, 1e-6f);
}

TEST(KernelTest, MaxPool2d_TwoByTwoStrideTwo) {
  Op op = make_op(OpType::kMaxPool2d, {}, 0);
  op.filter_h = op.filter_w = op.stride_h = op.stride_w = 2;
  std::vector<float> input = {1, 5, 2, 0, -1, -2, 3, 7, -4, -3, 8, 1, -5, -6, 0, 2}, out(4);
  max_pool2d(op, input, {1, 4, 4, 1}, out, {1, 2, 2, 1});
  EXPECT_NEAR(out[0], 5.0f, 1e-6f);
  EXPECT_NEAR(out[1], 7.0f, 1e-6f);
  EXPECT_NEAR(out[2], -3.0f, 1e-6f);
  EXPECT_NEAR(out[3], 8.0f, 1e-6f);
}

TEST(KernelTest, ResizeBilinear_HalfPixelCentresDoubling) {
  // 1x1x2x1 [0, 4] -> width 4: samples at x = -0.25 (clamped 0), 0.25, 0.75, 1.25 (clamped to 1).
  std::vector<float> input = {0, 4}, out(4);
  resize_bilinear(input, {1, 1, 2, 1}, out, {1, 1, 4, 1});
  EXPECT_NEAR(out[0], 0.0f, 1e-6f);
  EXPECT_NEAR(out[1], 1.0f, 1e-6f);
  EXPECT_NEAR(out[2], 3.0f, 1e-6f);
  EXPECT_NEAR(out[3], 4.0f, 1e-6f);
}

TEST(KernelTest, Pad_AsymmetricSpatialPadding) {
  Op op = make_op(OpType::kPad, {}, 0);
  op.pad_before = {0, 0, 1, 0};
  op.pad_after = {0, 1, 0, 0};
  std::vector<float> input = {1, 2}, out(6, -1.0f);
  pad(op, input, {1, 1, 2, 1}, out, {1, 2, 3, 1});
  const std::vector<float> expected = {0, 1, 2, 0, 0, 0};
  for (size_t i = 0; i < out.size(); ++i) EXPECT_NEAR(out[i], expected[i], 1e-6f) << i;
}

TEST(KernelTest, Logistic_KnownValues) {
  std::vector<float> input = {0.0f, 2.0f, -2.0f}, out(3);
  logistic(input, out);
  EXPECT_NEAR(out[0], 0.5f, 1e-6f);
  EXPECT_NEAR(out[1], 0.880797f, 1e-5f);
  EXPECT_NEAR(out[2], 0.119203f, 1e-5f);
}

TEST(KernelTest, Concatenate_AxisOne) {
  Op op = make_op(OpType::kConcatenation, {}, 0);
  op.axis = 1;
  std::vector<float> a = {1, 2, 3, 4}, b = {5, 6}, out(6);
  const std::vector<std::span<const float>> inputs = {a, b};
  const std::vector<int32_t> axis_sizes = {2, 1};
  concatenate(op, inputs, axis_sizes, out, {1, 3, 2});
  const std::vector<float> expected = {1, 2, 3, 4, 5, 6};
  for (size_t i = 0; i < out.size(); ++i) EXPECT_NEAR(out[i], expected[i], 1e-6f);
}

TEST(KernelTest, DepthToSpace_BlockTwo) {
  Op op = make_op(OpType::kDepthToSpace, {}, 0);
  op.block_size = 2;
  std::vector<float> input = {1, 2, 3, 4}, out(4);
  depth_to_space(op, input, {1, 1, 1, 4}, out);
  // Channels (i*2+j) go to pixel (i, j) of the 2x2 output.
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(out[i], static_cast<float>(i + 1), 1e-6f);
}

// --- XNNPACK executor against the reference executor, one op per graph ---------------------

struct ConvCase {
  OpType type;
  int32_t kernel, stride;
  Padding2d padding;
  float output_min, output_max;
};

class ConvBackendTest : public ::testing::TestWithParam<ConvCase> {};

TEST_P(ConvBackendTest, XnnpackMatchesReference) {
  const ConvCase& c = GetParam();
  std::mt19937 rng(11);
  GraphBuilder b;
  const int32_t channels = 8, out_channels = c.type == OpType::kConv2d ? 12 : channels, size = 9;
  int32_t in = b.activation({1, size, size, channels});
  int32_t filter = c.type == OpType::kConv2d
                       ? b.random_constant({out_channels, c.kernel, c.kernel, channels}, rng)
                       : b.random_constant({1, c.kernel, c.kernel, channels}, rng);
  int32_t bias = b.random_constant({out_channels}, rng);
  const int32_t out_size_h = (size + c.padding.top + c.padding.bottom - c.kernel) / c.stride + 1;
  const int32_t out_size_w = (size + c.padding.left + c.padding.right - c.kernel) / c.stride + 1;
  int32_t out = b.activation({1, out_size_h, out_size_w, out_channels});
  Op op = make_op(c.type, {in, filter, bias}, out);
  op.stride_h = op.stride_w = c.stride;
  op.padding = c.padding;
  op.output_min = c.output_min;
  op.output_max = c.output_max;
  b.op(op);
  EXPECT_LE(backend_difference(b.build({in}, {out})), 1e-5f);
}

INSTANTIATE_TEST_SUITE_P(
    Ops, ConvBackendTest,
    ::testing::Values(ConvCase{OpType::kConv2d, 1, 1, {}, -kInf, kInf},
                      ConvCase{OpType::kConv2d, 3, 1, {1, 1, 1, 1}, 0.0f, 6.0f},
                      ConvCase{OpType::kConv2d, 3, 2, {0, 1, 0, 1}, 0.0f, 6.0f},
                      ConvCase{OpType::kDepthwiseConv2d, 3, 1, {1, 1, 1, 1}, -kInf, kInf},
                      ConvCase{OpType::kDepthwiseConv2d, 5, 1, {2, 2, 2, 2}, 0.0f, 6.0f},
                      ConvCase{OpType::kDepthwiseConv2d, 3, 2, {1, 1, 1, 1}, 0.0f, 6.0f},
                      ConvCase{OpType::kDepthwiseConv2d, 5, 2, {1, 2, 1, 2}, -kInf, kInf}));

TEST(OpBackendTest, Add_Relu6) {
  GraphBuilder b;
  int32_t x = b.activation({1, 4, 4, 3}), y = b.activation({1, 4, 4, 3}), out = b.activation({1, 4, 4, 3});
  Op op = make_op(OpType::kAdd, {x, y}, out);
  op.output_min = 0.0f;
  op.output_max = 6.0f;
  b.op(op);
  EXPECT_LE(backend_difference(b.build({x, y}, {out})), 1e-6f);
}

TEST(OpBackendTest, MaxPool2d) {
  GraphBuilder b;
  int32_t in = b.activation({1, 8, 6, 5}), out = b.activation({1, 4, 3, 5});
  Op op = make_op(OpType::kMaxPool2d, {in}, out);
  op.filter_h = op.filter_w = op.stride_h = op.stride_w = 2;
  b.op(op);
  EXPECT_LE(backend_difference(b.build({in}, {out})), 1e-6f);
}

TEST(OpBackendTest, ResizeBilinear_Upsample) {
  GraphBuilder b;
  int32_t in = b.activation({1, 4, 5, 3}), out = b.activation({1, 8, 10, 3});
  b.op(make_op(OpType::kResizeBilinear, {in}, out));
  EXPECT_LE(backend_difference(b.build({in}, {out})), 1e-6f);
}

TEST(OpBackendTest, Pad_FoldedIntoConvolution) {
  std::mt19937 rng(5);
  GraphBuilder b;
  int32_t in = b.activation({1, 8, 8, 4}), padded = b.activation({1, 9, 9, 4});
  int32_t filter = b.random_constant({1, 3, 3, 4}, rng), bias = b.random_constant({4}, rng);
  int32_t out = b.activation({1, 4, 4, 4});
  Op p = make_op(OpType::kPad, {in}, padded);
  p.pad_before = {0, 0, 0, 0};
  p.pad_after = {0, 1, 1, 0};
  b.op(p);
  Op conv = make_op(OpType::kDepthwiseConv2d, {padded, filter, bias}, out);
  conv.stride_h = conv.stride_w = 2;
  b.op(conv);
  Graph graph = b.build({in}, {out});
  Graph folded = graph;
  EXPECT_EQ(fold_pads(folded), 1);
  EXPECT_EQ(folded.ops.size(), 1u);
  EXPECT_EQ(folded.ops[0].padding.bottom, 1);
  EXPECT_LE(backend_difference(graph), 1e-5f);
}

TEST(OpBackendTest, Pad_ChannelsStayExplicit) {
  GraphBuilder b;
  int32_t in = b.activation({1, 3, 3, 2}), out = b.activation({1, 3, 3, 5});
  Op p = make_op(OpType::kPad, {in}, out);
  p.pad_before = {0, 0, 0, 0};
  p.pad_after = {0, 0, 0, 3};
  b.op(p);
  EXPECT_LE(backend_difference(b.build({in}, {out})), 1e-6f);
}

TEST(OpBackendTest, ReshapeLogistic) {
  GraphBuilder b;
  int32_t in = b.activation({1, 1, 1, 6}), flat = b.activation({1, 6}), out = b.activation({1, 6});
  b.op(make_op(OpType::kReshape, {in}, flat));
  b.op(make_op(OpType::kLogistic, {flat}, out));
  EXPECT_LE(backend_difference(b.build({in}, {out})), 1e-5f);
}

TEST(OpBackendTest, DepthToSpace) {
  GraphBuilder b;
  int32_t in = b.activation({1, 3, 4, 8}), out = b.activation({1, 6, 8, 2});
  Op op = make_op(OpType::kDepthToSpace, {in}, out);
  op.block_size = 2;
  b.op(op);
  EXPECT_LE(backend_difference(b.build({in}, {out})), 1e-6f);
}

TEST(OpBackendTest, Concatenation_SplitsOutOfXnnpackGraph) {
  GraphBuilder b;
  int32_t x = b.activation({1, 2, 2, 3}), y = b.activation({1, 2, 2, 3});
  int32_t sum = b.activation({1, 2, 2, 3}), xr = b.activation({1, 4, 3}), sr = b.activation({1, 4, 3});
  int32_t cat = b.activation({1, 8, 3}), out = b.activation({1, 24});
  b.op(make_op(OpType::kAdd, {x, y}, sum));
  b.op(make_op(OpType::kReshape, {x}, xr));
  b.op(make_op(OpType::kReshape, {sum}, sr));
  Op c = make_op(OpType::kConcatenation, {xr, sr}, cat);
  c.axis = 1;
  b.op(c);
  b.op(make_op(OpType::kReshape, {cat}, out));  // runs on the host, after the concatenation
  EXPECT_LE(backend_difference(b.build({x, y}, {out, sum}), /*threads=*/2), 1e-6f);
}

TEST(GraphTest, Validate_RejectsShapeMismatch) {
  GraphBuilder b;
  int32_t x = b.activation({1, 2, 2, 3}), y = b.activation({1, 2, 2, 4}), out = b.activation({1, 2, 2, 3});
  b.op(make_op(OpType::kAdd, {x, y}, out));
  auto model = create_model(b.build({x, y}, {out}), {});
  ASSERT_FALSE(model.has_value());
  EXPECT_EQ(model.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(model.error().message.find("ADD"), std::string::npos) << model.error().message;
}

TEST(GraphTest, DeadOpsAndConstantOnlyOps_RunWithoutXnnpackValues) {
  GraphBuilder b;
  int32_t x = b.activation({1, 2, 2, 3});
  int32_t c1 = b.constant({1, 2, 2, 3}, std::vector<float>(12, 1.0f));
  int32_t c2 = b.constant({1, 2, 2, 3}, std::vector<float>(12, 2.0f));
  int32_t folded = b.activation({1, 2, 2, 3}), sum = b.activation({1, 2, 2, 3}),
          dead = b.activation({1, 2, 2, 3});
  b.op(make_op(OpType::kAdd, {c1, c2}, folded));  // constants only: runs on the host
  b.op(make_op(OpType::kAdd, {x, folded}, sum));
  b.op(make_op(OpType::kLogistic, {x}, dead));  // nobody reads it: removed
  Graph graph = b.build({x}, {sum});
  EXPECT_EQ(remove_dead_ops(graph), 1);
  EXPECT_LE(backend_difference(b.build({x}, {sum})), 1e-6f);
  auto model = create_model(b.build({x}, {sum}), {Backend::kXnnpack, 1, {}});
  ASSERT_TRUE(model.has_value()) << model.error().message;
  std::fill((*model)->input(0).begin(), (*model)->input(0).end(), 0.5f);
  ASSERT_TRUE((*model)->run().has_value());
  for (float v : (*model)->output(0)) EXPECT_NEAR(v, 3.5f, 1e-6f);
}

TEST(GraphTest, CountMacs_ConvolutionsOnly) {
  std::mt19937 rng(1);
  GraphBuilder b;
  int32_t in = b.activation({1, 4, 4, 2});
  int32_t f = b.random_constant({3, 1, 1, 2}, rng), bias = b.random_constant({3}, rng);
  int32_t mid = b.activation({1, 4, 4, 3});
  b.op(make_op(OpType::kConv2d, {in, f, bias}, mid));
  int32_t dw = b.random_constant({1, 3, 3, 3}, rng), bias2 = b.random_constant({3}, rng);
  int32_t out = b.activation({1, 2, 2, 3});
  b.op(make_op(OpType::kDepthwiseConv2d, {mid, dw, bias2}, out));
  // 16 pixels * 3 outputs * 2 inputs + 4 pixels * 3 channels * 9 taps.
  EXPECT_EQ(count_macs(b.build({in}, {out})), 16 * 3 * 2 + 4 * 3 * 9);
}

}  // namespace
}  // namespace dd::nn::detail
