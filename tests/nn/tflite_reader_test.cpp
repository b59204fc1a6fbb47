// The .tflite reader: a small model built in memory with every supported op (fp16 weights,
// a sparse CSR weight, PAD, CONCATENATION), and malformed variants of it and of the real
// models, which must all be rejected with an error (or load), never crash.
#include <flatbuffers/flatbuffers.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "nn/detail/tflite_reader.h"
#include "nn/model.h"
#include "nn/tflite_schema_generated.h"

namespace dd::nn {
namespace {

namespace tfl = dd::nn::tfl;

// Float -> IEEE half for values exactly representable as normal halves (test data only).
uint16_t to_half(float value) {
  if (value == 0.0f) return 0;
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  const uint32_t sign = (bits >> 16) & 0x8000u;
  const int32_t exponent = static_cast<int32_t>((bits >> 23) & 0xffu) - 127 + 15;
  return static_cast<uint16_t>(sign | (static_cast<uint32_t>(exponent) << 10) | ((bits >> 13) & 0x3ffu));
}

template <typename T>
std::vector<uint8_t> raw_bytes(const std::vector<T>& values) {
  std::vector<uint8_t> out(values.size() * sizeof(T));
  std::memcpy(out.data(), values.data(), out.size());
  return out;
}

std::vector<uint8_t> half_bytes(const std::vector<float>& values) {
  std::vector<uint16_t> halves;
  for (float v : values) halves.push_back(to_half(v));
  return raw_bytes(halves);
}

// The dense [8,1,1,2] weight stored sparse in the tiny model: row r holds r+1 in column
// r%2, row 3 holds both columns.
std::vector<float> sparse_weight_dense() {
  std::vector<float> dense(16, 0.0f);
  for (int r = 0; r < 8; ++r) dense[2 * r + r % 2] = static_cast<float>(r + 1);
  dense[6] = 1.5f;
  dense[7] = 2.5f;
  return dense;
}

// Defects the tiny model can be built with.
struct Defects {
  int32_t extra_op_code = -1;       // builtin code of an extra op appended to the graph
  int32_t bad_input_index = -1;     // replaces the depthwise conv's bias index
  bool short_bias_buffer = false;   // bias buffer holds one float instead of two
  bool wrong_output_shape = false;  // the depthwise output claims 3x3 instead of 2x2
  int32_t bad_buffer_index = -1;    // the depthwise filter's buffer index
  bool bad_sparse_index = false;    // a CSR column index past the dimension
};

std::vector<uint8_t> build_tiny_model(const Defects& defects = {}) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<tfl::Buffer>> buffers;
  buffers.push_back(tfl::CreateBuffer(fbb));  // buffer 0: the empty sentinel
  auto add_buffer = [&](const std::vector<uint8_t>& data) {
    buffers.push_back(tfl::CreateBufferDirect(fbb, &data));
    return static_cast<uint32_t>(buffers.size() - 1);
  };
  std::vector<flatbuffers::Offset<tfl::Tensor>> tensors;
  auto tensor = [&](std::vector<int32_t> shape, tfl::TensorType type, uint32_t buffer, const char* name,
                    flatbuffers::Offset<tfl::SparsityParameters> sparsity = 0) {
    tensors.push_back(tfl::CreateTensorDirect(fbb, &shape, type, buffer, name, sparsity));
    return static_cast<int32_t>(tensors.size() - 1);
  };
  const auto f32 = tfl::TensorType_FLOAT32, f16 = tfl::TensorType_FLOAT16, i32 = tfl::TensorType_INT32;

  std::vector<float> dw_filter(18);
  for (int i = 0; i < 18; ++i) dw_filter[i] = static_cast<float>(i % 5) * 0.25f - 0.5f;
  std::vector<float> bias = {0.5f, -0.25f};
  if (defects.short_bias_buffer) bias.resize(1);

  // Sparse weight: traversal [0,1,2,3], dense 8 x 1 x 1, CSR over the last dimension.
  std::vector<float> dense = sparse_weight_dense();
  std::vector<uint8_t> segments = {0}, indices;
  std::vector<float> values;
  for (int r = 0; r < 8; ++r) {
    for (int c = 0; c < 2; ++c) {
      if (dense[2 * r + c] != 0.0f) {
        indices.push_back(static_cast<uint8_t>(c));
        values.push_back(dense[2 * r + c]);
      }
    }
    segments.push_back(static_cast<uint8_t>(indices.size()));
  }
  if (defects.bad_sparse_index) indices[3] = 2;
  std::vector<flatbuffers::Offset<tfl::DimensionMetadata>> dims;
  for (int32_t size : {8, 1, 1})
    dims.push_back(tfl::CreateDimensionMetadata(fbb, tfl::DimensionType_DENSE, size));
  auto seg = tfl::CreateUint8VectorDirect(fbb, &segments);
  std::vector<uint16_t> indices16(indices.begin(), indices.end());
  auto idx = tfl::CreateUint16VectorDirect(fbb, &indices16);
  dims.push_back(tfl::CreateDimensionMetadata(fbb, tfl::DimensionType_SPARSE_CSR, 0,
                                              tfl::SparseIndexVector_Uint8Vector, seg.Union(),
                                              tfl::SparseIndexVector_Uint16Vector, idx.Union()));
  std::vector<int32_t> order = {0, 1, 2, 3};
  auto sparsity = tfl::CreateSparsityParametersDirect(fbb, &order, nullptr, &dims);

  const int32_t t_in = tensor({1, 4, 4, 2}, f32, 0, "input_1");
  const int32_t t_paddings =
      tensor({4, 2}, i32, add_buffer(raw_bytes(std::vector<int32_t>{0, 0, 0, 1, 0, 1, 0, 0})), "paddings");
  const int32_t t_padded = tensor({1, 5, 5, 2}, f32, 0, "padded");
  const uint32_t dw_buffer = defects.bad_buffer_index >= 0 ? static_cast<uint32_t>(defects.bad_buffer_index)
                                                           : add_buffer(half_bytes(dw_filter));
  const int32_t t_dw_half = tensor({1, 3, 3, 2}, f16, dw_buffer, "dw_filter_fp16");
  const int32_t t_dw = tensor({1, 3, 3, 2}, f32, 0, "dw_filter");
  const int32_t t_bias = tensor({2}, f32, add_buffer(raw_bytes(bias)), "dw_bias");
  const int32_t t_dw_out = defects.wrong_output_shape ? tensor({1, 3, 3, 2}, f32, 0, "dw_out")
                                                      : tensor({1, 2, 2, 2}, f32, 0, "dw_out");
  const int32_t t_size = tensor({2}, i32, add_buffer(raw_bytes(std::vector<int32_t>{4, 4})), "size");
  const int32_t t_resized = tensor({1, 4, 4, 2}, f32, 0, "resized");
  const int32_t t_pooled = tensor({1, 2, 2, 2}, f32, 0, "pooled");
  const int32_t t_sum = tensor({1, 2, 2, 2}, f32, 0, "sum");
  const int32_t t_sparse = tensor({8, 1, 1, 2}, f16, add_buffer(half_bytes(values)), "w_sparse", sparsity);
  const int32_t t_dense_half = tensor({8, 1, 1, 2}, f16, 0, "w_fp16");
  const int32_t t_dense = tensor({8, 1, 1, 2}, f32, 0, "w");
  const int32_t t_conv = tensor({1, 2, 2, 8}, f32, 0, "conv");
  const int32_t t_d2s = tensor({1, 4, 4, 2}, f32, 0, "d2s");
  const int32_t t_sigmoid = tensor({1, 4, 4, 2}, f32, 0, "sigmoid");
  const int32_t t_new_shape =
      tensor({3}, i32, add_buffer(raw_bytes(std::vector<int32_t>{1, 16, 2})), "new_shape");
  const int32_t t_flat_a = tensor({1, 16, 2}, f32, 0, "flat_a");
  const int32_t t_flat_b = tensor({1, 16, 2}, f32, 0, "flat_b");
  const int32_t t_out = tensor({1, 32, 2}, f32, 0, "Identity");
  const int32_t t_extra = tensor({1, 2, 2, 2}, f32, 0, "extra");

  std::vector<int32_t> codes = {34, 6, 4, 23, 17, 0, 124, 3, 5, 14, 22, 2};
  if (defects.extra_op_code >= 0) codes.push_back(defects.extra_op_code);
  std::vector<flatbuffers::Offset<tfl::OperatorCode>> op_codes;
  for (int32_t code : codes)
    op_codes.push_back(tfl::CreateOperatorCode(fbb, static_cast<int8_t>(std::min(code, 127)), 0, 1, code));
  auto code_index = [&](int32_t code) {
    return static_cast<uint32_t>(std::find(codes.begin(), codes.end(), code) - codes.begin());
  };

  std::vector<flatbuffers::Offset<tfl::Operator>> ops;
  auto op = [&](int32_t code, std::vector<int32_t> in, int32_t out,
                tfl::BuiltinOptions type = tfl::BuiltinOptions_NONE, flatbuffers::Offset<void> options = 0) {
    std::vector<int32_t> outs = {out};
    ops.push_back(tfl::CreateOperatorDirect(fbb, code_index(code), &in, &outs, type, options));
  };
  op(34, {t_in, t_paddings}, t_padded, tfl::BuiltinOptions_PadOptions, tfl::CreatePadOptions(fbb).Union());
  op(6, {t_dw_half}, t_dw);
  const int32_t bias_index = defects.bad_input_index >= 0 ? defects.bad_input_index : t_bias;
  op(4, {t_padded, t_dw, bias_index}, t_dw_out, tfl::BuiltinOptions_DepthwiseConv2DOptions,
     tfl::CreateDepthwiseConv2DOptions(fbb, tfl::Padding_VALID, 2, 2, 1, tfl::ActivationFunctionType_RELU6)
         .Union());
  op(23, {t_dw_out, t_size}, t_resized, tfl::BuiltinOptions_ResizeBilinearOptions,
     tfl::CreateResizeBilinearOptions(fbb, false, true).Union());
  op(17, {t_resized}, t_pooled, tfl::BuiltinOptions_Pool2DOptions,
     tfl::CreatePool2DOptions(fbb, tfl::Padding_VALID, 2, 2, 2, 2).Union());
  op(0, {t_dw_out, t_pooled}, t_sum, tfl::BuiltinOptions_AddOptions, tfl::CreateAddOptions(fbb).Union());
  op(124, {t_sparse}, t_dense_half);
  op(6, {t_dense_half}, t_dense);
  op(3, {t_sum, t_dense, -1}, t_conv, tfl::BuiltinOptions_Conv2DOptions,
     tfl::CreateConv2DOptions(fbb, tfl::Padding_SAME, 1, 1).Union());
  op(5, {t_conv}, t_d2s, tfl::BuiltinOptions_DepthToSpaceOptions,
     tfl::CreateDepthToSpaceOptions(fbb, 2).Union());
  op(14, {t_d2s}, t_sigmoid);
  op(22, {t_d2s, t_new_shape}, t_flat_a, tfl::BuiltinOptions_ReshapeOptions);
  op(22, {t_sigmoid, t_new_shape}, t_flat_b, tfl::BuiltinOptions_ReshapeOptions);
  op(2, {t_flat_a, t_flat_b}, t_out, tfl::BuiltinOptions_ConcatenationOptions,
     tfl::CreateConcatenationOptions(fbb, 1).Union());
  std::vector<int32_t> outputs = {t_out, t_sum};
  if (defects.extra_op_code >= 0) {
    op(defects.extra_op_code, {t_sum}, t_extra);
    outputs.push_back(t_extra);
  }
  std::vector<int32_t> inputs = {t_in};
  std::vector<flatbuffers::Offset<tfl::SubGraph>> subgraphs = {
      tfl::CreateSubGraphDirect(fbb, &tensors, &inputs, &outputs, &ops, "main")};
  auto model = tfl::CreateModelDirect(fbb, 3, &op_codes, &subgraphs, "tiny", &buffers);
  tfl::FinishModelBuffer(fbb, model);
  return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

// input [1,1,1,4] -> CONV_2D 1x1 whose [4,1,1,4] fp32 weight is stored block-sparse: the
// last dimension in blocks of 2 (block_map [3]), CSR over the block columns.
std::vector<uint8_t> build_block_sparse_model() {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<tfl::Buffer>> buffers = {tfl::CreateBuffer(fbb)};
  const auto values = raw_bytes(std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8});
  buffers.push_back(tfl::CreateBufferDirect(fbb, &values));
  std::vector<flatbuffers::Offset<tfl::DimensionMetadata>> dims;
  for (int32_t size : {4, 1, 1})
    dims.push_back(tfl::CreateDimensionMetadata(fbb, tfl::DimensionType_DENSE, size));
  std::vector<int32_t> segments = {0, 1, 2, 2, 4}, indices = {0, 1, 0, 1};
  auto seg = tfl::CreateInt32VectorDirect(fbb, &segments);
  auto idx = tfl::CreateInt32VectorDirect(fbb, &indices);
  dims.push_back(tfl::CreateDimensionMetadata(fbb, tfl::DimensionType_SPARSE_CSR, 0,
                                              tfl::SparseIndexVector_Int32Vector, seg.Union(),
                                              tfl::SparseIndexVector_Int32Vector, idx.Union()));
  dims.push_back(tfl::CreateDimensionMetadata(fbb, tfl::DimensionType_DENSE, 2));
  std::vector<int32_t> order = {0, 1, 2, 3, 4}, block_map = {3};
  auto sparsity = tfl::CreateSparsityParametersDirect(fbb, &order, &block_map, &dims);
  std::vector<int32_t> in_shape = {1, 1, 1, 4}, w_shape = {4, 1, 1, 4};
  std::vector<flatbuffers::Offset<tfl::Tensor>> tensors = {
      tfl::CreateTensorDirect(fbb, &in_shape, tfl::TensorType_FLOAT32, 0, "input_1"),
      tfl::CreateTensorDirect(fbb, &w_shape, tfl::TensorType_FLOAT32, 1, "w", sparsity),
      tfl::CreateTensorDirect(fbb, &in_shape, tfl::TensorType_FLOAT32, 0, "Identity")};
  std::vector<flatbuffers::Offset<tfl::OperatorCode>> codes = {tfl::CreateOperatorCode(fbb, 3, 0, 1, 3)};
  std::vector<int32_t> op_in = {0, 1, -1}, op_out = {2}, inputs = {0}, outputs = {2};
  std::vector<flatbuffers::Offset<tfl::Operator>> ops = {
      tfl::CreateOperatorDirect(fbb, 0, &op_in, &op_out, tfl::BuiltinOptions_Conv2DOptions,
                                tfl::CreateConv2DOptions(fbb, tfl::Padding_VALID, 1, 1).Union())};
  std::vector<flatbuffers::Offset<tfl::SubGraph>> subgraphs = {
      tfl::CreateSubGraphDirect(fbb, &tensors, &inputs, &outputs, &ops, "main")};
  tfl::FinishModelBuffer(fbb, tfl::CreateModelDirect(fbb, 3, &codes, &subgraphs, "block", &buffers));
  return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

std::vector<uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>()};
}

// Loads with both backends and runs whatever loads; returns whether the reference load worked.
bool load_and_run(std::span<const uint8_t> bytes) {
  auto reference = Model::load_from_buffer(bytes, {Backend::kReference, 1, {}});
  if (reference) {
    EXPECT_TRUE((*reference)->run().has_value());
  }
  auto fast = Model::load_from_buffer(bytes, {Backend::kXnnpack, 1, {}});
  if (fast) {
    EXPECT_TRUE((*fast)->run().has_value());
  }
  if (!reference) {
    EXPECT_FALSE(reference.error().message.empty());
  }
  return reference.has_value();
}

TEST(TfliteReaderTest, TinyModel_LoadsAndBackendsAgree) {
  const auto bytes = build_tiny_model();
  auto fast = Model::load_from_buffer(bytes, {Backend::kXnnpack, 2, {}});
  auto slow = Model::load_from_buffer(bytes, {Backend::kReference, 1, {}});
  ASSERT_TRUE(fast.has_value()) << fast.error().message;
  ASSERT_TRUE(slow.has_value()) << slow.error().message;
  ASSERT_EQ((*fast)->outputs().size(), 2u);
  EXPECT_EQ((*fast)->outputs()[0].name, "Identity");
  EXPECT_EQ((*fast)->outputs()[0].shape, (std::vector<int32_t>{1, 32, 2}));
  std::mt19937 rng(2);
  std::uniform_real_distribution<float> dist(-1.0f, 3.0f);
  for (size_t i = 0; i < (*fast)->input(0).size(); ++i)
    (*fast)->input(0)[i] = (*slow)->input(0)[i] = dist(rng);
  ASSERT_TRUE((*fast)->run().has_value());
  ASSERT_TRUE((*slow)->run().has_value());
  for (size_t o = 0; o < 2; ++o) {
    auto a = (*fast)->output(o);
    auto b = (*slow)->output(o);
    for (size_t i = 0; i < a.size(); ++i)
      EXPECT_NEAR(a[i], b[i], 1e-5f) << "output " << o << " element " << i;
  }
  // The second half of output 0 is the sigmoid of the first half.
  auto out = (*slow)->output(0);
  for (size_t i = 0; i < 32; ++i) EXPECT_NEAR(out[32 + i], 1.0f / (1.0f + std::exp(-out[i])), 1e-6f);
}

TEST(TfliteReaderTest, Densify_ExpandsCsrWeightsAndDequantizes) {
  const auto bytes = build_tiny_model();
  auto graph = detail::read_tflite(bytes);
  ASSERT_TRUE(graph.has_value()) << graph.error().message;
  const auto it = std::find_if(graph->tensors.begin(), graph->tensors.end(),
                               [](const detail::Tensor& t) { return t.name == "w"; });
  ASSERT_NE(it, graph->tensors.end());
  ASSERT_TRUE(it->is_constant);
  const std::vector<float> expected = sparse_weight_dense();
  ASSERT_EQ(it->data.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(it->data[i], expected[i], 0.0f) << i;
  // DEQUANTIZE and DENSIFY are folded away.
  EXPECT_EQ(graph->ops.size(), 11u);
}

TEST(TfliteReaderTest, Densify_ExpandsBlockSparseWeights) {
  const auto bytes = build_block_sparse_model();
  auto graph = detail::read_tflite(bytes);
  ASSERT_TRUE(graph.has_value()) << graph.error().message;
  const std::vector<float> expected = {1, 2, 0, 0, 0, 0, 3, 4, 0, 0, 0, 0, 5, 6, 7, 8};
  ASSERT_EQ(graph->tensors[1].data.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(graph->tensors[1].data[i], expected[i], 0.0f) << i;
  // Through the XNNPACK backend: input [1,1,1,1] gives the row sums.
  auto model = Model::load_from_buffer(bytes);
  ASSERT_TRUE(model.has_value()) << model.error().message;
  std::fill((*model)->input(0).begin(), (*model)->input(0).end(), 1.0f);
  ASSERT_TRUE((*model)->run().has_value());
  const std::vector<float> sums = {3, 7, 0, 26};
  for (size_t i = 0; i < 4; ++i) EXPECT_NEAR((*model)->output(0)[i], sums[i], 1e-6f);
}

TEST(TfliteReaderTest, HalfToFloat_SpecialValues) {
  EXPECT_EQ(detail::half_to_float(0x3c00), 1.0f);
  EXPECT_EQ(detail::half_to_float(0xc000), -2.0f);
  EXPECT_EQ(detail::half_to_float(0x0001), std::ldexp(1.0f, -24));
  EXPECT_EQ(detail::half_to_float(0x7bff), 65504.0f);
  EXPECT_TRUE(std::isinf(detail::half_to_float(0x7c00)));
}

void expect_error(const std::vector<uint8_t>& bytes, ErrorCode code, const std::string& fragment) {
  auto model = Model::load_from_buffer(bytes, {Backend::kReference, 1, {}});
  ASSERT_FALSE(model.has_value());
  EXPECT_EQ(model.error().code, code) << model.error().message;
  EXPECT_NE(model.error().message.find(fragment), std::string::npos) << model.error().message;
}

TEST(TfliteReaderTest, RejectsWrongMagic) {
  auto bytes = build_tiny_model();
  std::memcpy(bytes.data() + 4, "TFL2", 4);
  expect_error(bytes, ErrorCode::kInvalidArgument, "TFL3");
}

TEST(TfliteReaderTest, RejectsEmptyAndTinyBuffers) {
  expect_error({}, ErrorCode::kInvalidArgument, "TFL3");
  expect_error({0x10, 0, 0, 0, 'T', 'F', 'L', '3'}, ErrorCode::kDataLoss, "verification");
}

TEST(TfliteReaderTest, RejectsUnsupportedOpByName) {
  expect_error(build_tiny_model({.extra_op_code = 9}), ErrorCode::kUnimplemented, "FULLY_CONNECTED");
  expect_error(build_tiny_model({.extra_op_code = 150}), ErrorCode::kUnimplemented, "GELU");
}

TEST(TfliteReaderTest, RejectsOutOfRangeTensorIndex) {
  expect_error(build_tiny_model({.bad_input_index = 999}), ErrorCode::kInvalidArgument, "out of range");
}

TEST(TfliteReaderTest, RejectsOutOfRangeBufferIndex) {
  expect_error(build_tiny_model({.bad_buffer_index = 500}), ErrorCode::kInvalidArgument, "buffer 500");
}

TEST(TfliteReaderTest, RejectsBufferTooSmallForTensor) {
  expect_error(build_tiny_model({.short_bias_buffer = true}), ErrorCode::kInvalidArgument, "too small");
}

TEST(TfliteReaderTest, RejectsShapeMismatch) {
  expect_error(build_tiny_model({.wrong_output_shape = true}), ErrorCode::kInvalidArgument,
               "expected [1,2,2,2]");
}

TEST(TfliteReaderTest, RejectsBadSparseIndex) {
  expect_error(build_tiny_model({.bad_sparse_index = true}), ErrorCode::kInvalidArgument, "sparse");
}

TEST(TfliteReaderTest, MissingFile_NotFound) {
  auto model = Model::load("/nonexistent/model.tflite");
  ASSERT_FALSE(model.has_value());
  EXPECT_EQ(model.error().code, ErrorCode::kNotFound);
}

TEST(MalformedModelTest, TruncatedAtEveryLength_Rejected) {
  const auto bytes = build_tiny_model();
  for (size_t length = 0; length < bytes.size(); ++length) {
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length));
    auto model = Model::load_from_buffer(cut, {Backend::kReference, 1, {}});
    EXPECT_FALSE(model.has_value()) << "length " << length;
  }
}

TEST(MalformedModelTest, BitFlips_NeverCrash) {
  const auto bytes = build_tiny_model();
  std::mt19937 rng(17);
  int rejected = 0;
  for (int trial = 0; trial < 400; ++trial) {
    auto mutated = bytes;
    const size_t position = rng() % mutated.size();
    mutated[position] ^= static_cast<uint8_t>(1u << (rng() % 8));
    if (!load_and_run(mutated)) ++rejected;
  }
  // Many flips hit payload bytes (weights, names) and still load; structural ones must not.
  EXPECT_GT(rejected, 20);
}

TEST(MalformedModelTest, RandomByteMutations_NeverCrash) {
  const auto bytes = build_tiny_model();
  std::mt19937 rng(23);
  int rejected = 0;
  for (int trial = 0; trial < 300; ++trial) {
    auto mutated = bytes;
    const int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits; ++e) {
      const size_t position = rng() % mutated.size();
      // Small integers and 0xff bytes are the values most likely to alias indices and sizes.
      const uint32_t pick = rng() % 4;
      mutated[position] = pick == 0   ? 0xff
                          : pick == 1 ? static_cast<uint8_t>(rng() % 8)
                                      : static_cast<uint8_t>(rng());
    }
    if (!load_and_run(mutated)) ++rejected;
  }
  EXPECT_GT(rejected, 20);
}

TEST(MalformedModelTest, RealModelTruncated_Rejected) {
  const auto bytes = read_file(std::filesystem::path(DD_TEST_MODEL_DIR) / "pose_detection.tflite");
  if (bytes.empty()) GTEST_SKIP() << "pose_detection.tflite not installed (run scripts/setup.sh)";
  std::mt19937 rng(29);
  for (int trial = 0; trial < 24; ++trial) {
    const size_t length = trial < 8 ? static_cast<size_t>(trial) * 3 : rng() % bytes.size();
    auto graph = detail::read_tflite(std::span<const uint8_t>(bytes.data(), length));
    EXPECT_FALSE(graph.has_value()) << "length " << length;
  }
}

TEST(MalformedModelTest, RealModelBitFlips_NeverCrash) {
  const auto bytes = read_file(std::filesystem::path(DD_TEST_MODEL_DIR) / "pose_detection.tflite");
  if (bytes.empty()) GTEST_SKIP() << "pose_detection.tflite not installed (run scripts/setup.sh)";
  std::mt19937 rng(31);
  std::vector<uint8_t> mutated = bytes;
  for (int trial = 0; trial < 40; ++trial) {
    // Flip within the first 64 KiB and the last 64 KiB, where the tables and indices live.
    const size_t window = std::min<size_t>(65536, bytes.size());
    size_t position = rng() % window;
    if (trial % 2 == 1) position = bytes.size() - 1 - position;
    mutated[position] ^= static_cast<uint8_t>(1u << (rng() % 8));
    auto graph = detail::read_tflite(mutated);
    if (!graph) {
      EXPECT_FALSE(graph.error().message.empty());
    }
    mutated[position] = bytes[position];
  }
}

}  // namespace
}  // namespace dd::nn
