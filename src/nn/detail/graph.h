// dd::nn's in-memory model: float tensors and the handful of ops the pose models use,
// produced by the .tflite reader (constants already folded) and consumed by both executors.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/result.h"

namespace dd::nn::detail {

// Highest tensor rank the reader accepts and the kernels handle.
inline constexpr size_t kMaxRank = 6;

enum class OpType {
  kConv2d,
  kDepthwiseConv2d,
  kAdd,
  kMaxPool2d,
  kResizeBilinear,
  kPad,
  kReshape,
  kLogistic,
  kConcatenation,
  kDepthToSpace,
};

// Printable op name, e.g. "CONV_2D".
const char* op_type_name(OpType type);

struct Tensor {
  std::string name;
  std::vector<int32_t> shape;
  bool is_constant = false;
  std::vector<float> data;    // constant float values (dense, row-major), else empty
  std::vector<int32_t> ints;  // constant int32 values (PAD paddings, RESHAPE shape), else empty
  size_t element_count() const;
};

// Explicit zero padding of the spatial dimensions, in input pixels.
struct Padding2d {
  int32_t top = 0, bottom = 0, left = 0, right = 0;
};

struct Op {
  OpType type = OpType::kConv2d;
  std::vector<int32_t> inputs;   // tensor indices; -1 = absent optional input (bias)
  std::vector<int32_t> outputs;  // tensor indices
  // Convolutions and pooling.
  int32_t stride_h = 1, stride_w = 1;
  int32_t dilation_h = 1, dilation_w = 1;
  int32_t filter_h = 1, filter_w = 1;  // pooling window (convolutions read it from the filter)
  Padding2d padding;
  // Fused activation as a clamp; +-infinity when there is none.
  float output_min = -std::numeric_limits<float>::infinity();
  float output_max = std::numeric_limits<float>::infinity();
  // PAD: {before, after} per dimension.
  std::vector<int32_t> pad_before, pad_after;
  int32_t axis = 0;        // CONCATENATION (non-negative)
  int32_t block_size = 0;  // DEPTH_TO_SPACE
};

struct Graph {
  std::vector<Tensor> tensors;
  std::vector<Op> ops;  // in execution order
  std::vector<int32_t> inputs;
  std::vector<int32_t> outputs;
};

// Multiply-accumulates of one inference (convolutions only).
int64_t count_macs(const Graph& graph);

// Removes ops whose outputs no graph output (other than the skipped ones) depends on;
// returns how many.
int remove_dead_ops(Graph& graph, const std::vector<int32_t>& skipped_outputs = {});

// Folds every PAD whose consumers are all convolutions into their padding; returns how many.
int fold_pads(Graph& graph);

// Checks indices, shapes and op parameters of a whole graph; InvalidArgument naming the op.
Status validate_graph(const Graph& graph);

}  // namespace dd::nn::detail
