#include "nn/detail/graph.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace dd::nn::detail {

const char* op_type_name(OpType type) {
  switch (type) {
    case OpType::kConv2d: return "CONV_2D";
    case OpType::kDepthwiseConv2d: return "DEPTHWISE_CONV_2D";
    case OpType::kAdd: return "ADD";
    case OpType::kMaxPool2d: return "MAX_POOL_2D";
    case OpType::kResizeBilinear: return "RESIZE_BILINEAR";
    case OpType::kPad: return "PAD";
    case OpType::kReshape: return "RESHAPE";
    case OpType::kLogistic: return "LOGISTIC";
    case OpType::kConcatenation: return "CONCATENATION";
    case OpType::kDepthToSpace: return "DEPTH_TO_SPACE";
  }
  return "?";
}

size_t Tensor::element_count() const {
  size_t count = 1;
  for (int32_t dim : shape) count *= static_cast<size_t>(dim);
  return count;
}

int64_t count_macs(const Graph& graph) {
  int64_t macs = 0;
  for (const Op& op : graph.ops) {
    if (op.type != OpType::kConv2d && op.type != OpType::kDepthwiseConv2d) continue;
    const auto& filter = graph.tensors[op.inputs[1]].shape;
    int64_t per_output = int64_t{filter[1]} * filter[2];
    if (op.type == OpType::kConv2d) per_output *= filter[3];
    macs += per_output * static_cast<int64_t>(graph.tensors[op.outputs[0]].element_count());
  }
  return macs;
}

namespace {

bool is_graph_output(const Graph& graph, int32_t tensor) {
  return std::find(graph.outputs.begin(), graph.outputs.end(), tensor) != graph.outputs.end();
}

}  // namespace

int remove_dead_ops(Graph& graph, const std::vector<int32_t>& skipped_outputs) {
  std::vector<bool> needed(graph.tensors.size(), false);
  for (int32_t t : graph.outputs) needed[t] = true;
  for (int32_t t : skipped_outputs) needed[t] = false;
  std::vector<bool> keep(graph.ops.size(), false);
  for (size_t i = graph.ops.size(); i-- > 0;) {
    const Op& op = graph.ops[i];
    keep[i] = std::any_of(op.outputs.begin(), op.outputs.end(), [&](int32_t t) { return needed[t]; });
    if (!keep[i]) continue;
    for (int32_t t : op.inputs)
      if (t >= 0) needed[t] = true;
  }
  std::vector<Op> kept;
  for (size_t i = 0; i < graph.ops.size(); ++i)
    if (keep[i]) kept.push_back(std::move(graph.ops[i]));
  const int removed = static_cast<int>(graph.ops.size() - kept.size());
  graph.ops = std::move(kept);
  return removed;
}

int fold_pads(Graph& graph) {
  int folded = 0;
  std::vector<Op> kept;
  kept.reserve(graph.ops.size());
  for (size_t i = 0; i < graph.ops.size(); ++i) {
    const Op& pad = graph.ops[i];
    bool foldable = pad.type == OpType::kPad && pad.pad_before.size() == 4 && pad.pad_before[0] == 0 &&
                    pad.pad_after[0] == 0 && pad.pad_before[3] == 0 && pad.pad_after[3] == 0 &&
                    !is_graph_output(graph, pad.outputs[0]);
    std::vector<Op*> consumers;
    for (size_t j = i + 1; foldable && j < graph.ops.size(); ++j) {
      Op& op = graph.ops[j];
      if (std::find(op.inputs.begin(), op.inputs.end(), pad.outputs[0]) == op.inputs.end()) continue;
      // Max pooling pads with -inf, not zero, so only convolutions can absorb a PAD.
      bool conv = op.type == OpType::kConv2d || op.type == OpType::kDepthwiseConv2d;
      if (!conv || op.inputs[0] != pad.outputs[0]) foldable = false;
      consumers.push_back(&op);
    }
    if (!foldable || consumers.empty()) {
      kept.push_back(pad);
      continue;
    }
    for (Op* op : consumers) {
      op->inputs[0] = pad.inputs[0];
      op->padding.top += pad.pad_before[1];
      op->padding.bottom += pad.pad_after[1];
      op->padding.left += pad.pad_before[2];
      op->padding.right += pad.pad_after[2];
    }
    ++folded;
  }
  graph.ops = std::move(kept);
  return folded;
}

namespace {

Error op_error(size_t index, const Op& op, const std::string& what) {
  return make_error(ErrorCode::kInvalidArgument,
                    fmt::format("op {} ({}): {}", index, op_type_name(op.type), what));
}

std::string shape_string(const std::vector<int32_t>& shape) {
  return fmt::format("[{}]", fmt::join(shape, ","));
}

// Output extent of a window op along one axis; 0 when the window does not fit.
int32_t window_output(int32_t in, int32_t pad_a, int32_t pad_b, int32_t window, int32_t dilation,
                      int32_t stride) {
  int64_t effective = int64_t{window - 1} * dilation + 1;
  int64_t span = int64_t{in} + pad_a + pad_b - effective;
  if (span < 0) return 0;
  return static_cast<int32_t>(span / stride + 1);
}

Status check_window_params(size_t index, const Op& op) {
  if (op.stride_h < 1 || op.stride_w < 1 || op.dilation_h < 1 || op.dilation_w < 1 || op.stride_h > 64 ||
      op.stride_w > 64 || op.dilation_h > 64 || op.dilation_w > 64)
    return op_error(index, op, "stride/dilation out of range");
  if (op.padding.top < 0 || op.padding.bottom < 0 || op.padding.left < 0 || op.padding.right < 0 ||
      op.padding.top > 1024 || op.padding.bottom > 1024 || op.padding.left > 1024 || op.padding.right > 1024)
    return op_error(index, op, "padding out of range");
  return ok_status();
}

Status expect_shape(size_t index, const Op& op, const Tensor& tensor, const std::vector<int32_t>& expected) {
  if (tensor.shape != expected)
    return op_error(index, op,
                    fmt::format("tensor '{}' has shape {}, expected {}", tensor.name,
                                shape_string(tensor.shape), shape_string(expected)));
  return ok_status();
}

Status validate_op(const Graph& graph, size_t index, const Op& op) {
  auto in = [&](size_t k) -> const Tensor& { return graph.tensors[op.inputs[k]]; };
  const Tensor& out = graph.tensors[op.outputs[0]];
  auto need_rank = [&](const Tensor& t, size_t rank) -> Status {
    if (t.shape.size() != rank)
      return op_error(index, op, fmt::format("tensor '{}' must have rank {}", t.name, rank));
    return ok_status();
  };
  size_t want_inputs = 1;
  switch (op.type) {
    case OpType::kConv2d:
    case OpType::kDepthwiseConv2d: want_inputs = 3; break;
    case OpType::kAdd: want_inputs = 2; break;
    case OpType::kConcatenation: want_inputs = op.inputs.size(); break;
    default: break;
  }
  if (op.inputs.size() != want_inputs || op.inputs.empty() || op.outputs.size() != 1)
    return op_error(index, op, "wrong number of inputs or outputs");
  for (size_t k = 0; k < op.inputs.size(); ++k) {
    bool optional_bias = k == 2 && (op.type == OpType::kConv2d || op.type == OpType::kDepthwiseConv2d);
    if (op.inputs[k] < 0 && !optional_bias) return op_error(index, op, "missing input");
  }
  switch (op.type) {
    case OpType::kConv2d:
    case OpType::kDepthwiseConv2d: {
      DD_TRY(need_rank(in(0), 4));
      DD_TRY(need_rank(in(1), 4));
      DD_TRY(check_window_params(index, op));
      const Tensor& filter = in(1);
      if (!filter.is_constant) return op_error(index, op, "filter must be constant");
      if (in(0).is_constant) return op_error(index, op, "constant input is not supported");
      const auto& s = in(0).shape;
      int32_t out_channels = 0;
      if (op.type == OpType::kConv2d) {
        if (filter.shape[3] != s[3])
          return op_error(index, op, "filter input channels do not match the input");
        out_channels = filter.shape[0];
      } else {
        if (filter.shape[0] != 1 || filter.shape[3] % s[3] != 0)
          return op_error(index, op, "depthwise filter shape does not match the input");
        out_channels = filter.shape[3];
      }
      if (op.inputs[2] >= 0) {
        if (!in(2).is_constant || in(2).shape != std::vector<int32_t>{out_channels})
          return op_error(index, op, "bias must be a constant of the output channel count");
      }
      int32_t oh =
          window_output(s[1], op.padding.top, op.padding.bottom, filter.shape[1], op.dilation_h, op.stride_h);
      int32_t ow =
          window_output(s[2], op.padding.left, op.padding.right, filter.shape[2], op.dilation_w, op.stride_w);
      if (oh < 1 || ow < 1) return op_error(index, op, "filter larger than the padded input");
      return expect_shape(index, op, out, {s[0], oh, ow, out_channels});
    }
    case OpType::kMaxPool2d: {
      DD_TRY(need_rank(in(0), 4));
      DD_TRY(check_window_params(index, op));
      if (op.filter_h < 1 || op.filter_w < 1 || op.filter_h > 64 || op.filter_w > 64)
        return op_error(index, op, "pool window out of range");
      const auto& s = in(0).shape;
      int32_t oh = window_output(s[1], op.padding.top, op.padding.bottom, op.filter_h, 1, op.stride_h);
      int32_t ow = window_output(s[2], op.padding.left, op.padding.right, op.filter_w, 1, op.stride_w);
      if (oh < 1 || ow < 1) return op_error(index, op, "pool window larger than the input");
      return expect_shape(index, op, out, {s[0], oh, ow, s[3]});
    }
    case OpType::kAdd:
      DD_TRY(expect_shape(index, op, in(0), out.shape));
      return expect_shape(index, op, in(1), out.shape);
    case OpType::kLogistic: return expect_shape(index, op, in(0), out.shape);
    case OpType::kResizeBilinear: {
      DD_TRY(need_rank(in(0), 4));
      DD_TRY(need_rank(out, 4));
      const auto& s = in(0).shape;
      return expect_shape(index, op, out, {s[0], out.shape[1], out.shape[2], s[3]});
    }
    case OpType::kPad: {
      const auto& s = in(0).shape;
      if (op.pad_before.size() != s.size() || op.pad_after.size() != s.size())
        return op_error(index, op, "paddings do not match the input rank");
      std::vector<int32_t> expected = s;
      for (size_t d = 0; d < s.size(); ++d) {
        if (op.pad_before[d] < 0 || op.pad_after[d] < 0 || op.pad_before[d] > 4096 || op.pad_after[d] > 4096)
          return op_error(index, op, "padding out of range");
        expected[d] += op.pad_before[d] + op.pad_after[d];
      }
      return expect_shape(index, op, out, expected);
    }
    case OpType::kReshape:
      if (in(0).element_count() != out.element_count())
        return op_error(
            index, op,
            fmt::format("cannot reshape {} to {}", shape_string(in(0).shape), shape_string(out.shape)));
      return ok_status();
    case OpType::kConcatenation: {
      const auto& s = in(0).shape;
      if (op.axis < 0 || op.axis >= static_cast<int32_t>(s.size()))
        return op_error(index, op, "axis out of range");
      std::vector<int32_t> expected = s;
      expected[op.axis] = 0;
      for (size_t k = 0; k < op.inputs.size(); ++k) {
        const auto& sk = in(k).shape;
        if (sk.size() != s.size()) return op_error(index, op, "inputs differ in rank");
        for (size_t d = 0; d < s.size(); ++d) {
          if (static_cast<int32_t>(d) != op.axis && sk[d] != s[d])
            return op_error(index, op, "inputs differ outside the axis");
        }
        expected[op.axis] += sk[op.axis];
      }
      return expect_shape(index, op, out, expected);
    }
    case OpType::kDepthToSpace: {
      DD_TRY(need_rank(in(0), 4));
      const auto& s = in(0).shape;
      int32_t b = op.block_size;
      if (b < 1 || b > 64 || s[3] % (b * b) != 0) return op_error(index, op, "bad block size");
      return expect_shape(index, op, out, {s[0], s[1] * b, s[2] * b, s[3] / (b * b)});
    }
  }
  return op_error(index, op, "unknown op");
}

}  // namespace

Status validate_graph(const Graph& graph) {
  const auto tensor_count = static_cast<int32_t>(graph.tensors.size());
  std::vector<bool> available(graph.tensors.size(), false);
  for (int32_t t = 0; t < tensor_count; ++t) {
    available[t] = graph.tensors[t].is_constant;
    if (graph.tensors[t].shape.size() > kMaxRank)
      return make_error(ErrorCode::kInvalidArgument,
                        "tensor '" + graph.tensors[t].name + "' has too many dimensions");
  }
  for (int32_t t : graph.inputs) {
    if (t < 0 || t >= tensor_count)
      return make_error(ErrorCode::kInvalidArgument, "graph input index out of range");
    if (graph.tensors[t].is_constant)
      return make_error(ErrorCode::kInvalidArgument,
                        "graph input '" + graph.tensors[t].name + "' is a constant");
    available[t] = true;
  }
  for (size_t i = 0; i < graph.ops.size(); ++i) {
    const Op& op = graph.ops[i];
    for (int32_t t : op.inputs) {
      if (t >= tensor_count || t < -1) return op_error(i, op, "input tensor index out of range");
      if (t >= 0 && !available[t])
        return op_error(i, op, "reads tensor '" + graph.tensors[t].name + "' before it is produced");
      if (t >= 0 && graph.tensors[t].is_constant &&
          graph.tensors[t].data.size() != graph.tensors[t].element_count())
        return op_error(i, op, "constant '" + graph.tensors[t].name + "' is not a float tensor of its shape");
    }
    for (int32_t t : op.outputs) {
      if (t < 0 || t >= tensor_count) return op_error(i, op, "output tensor index out of range");
      if (available[t])
        return op_error(i, op, "writes tensor '" + graph.tensors[t].name + "' twice or a constant");
    }
    DD_TRY(validate_op(graph, i, op));
    for (int32_t t : op.outputs) available[t] = true;
  }
  if (graph.outputs.empty()) return make_error(ErrorCode::kInvalidArgument, "graph has no outputs");
  for (int32_t t : graph.outputs) {
    if (t < 0 || t >= tensor_count)
      return make_error(ErrorCode::kInvalidArgument, "graph output index out of range");
    if (!available[t] || graph.tensors[t].is_constant)
      return make_error(ErrorCode::kInvalidArgument,
                        "graph output '" + graph.tensors[t].name + "' is not computed by any op");
  }
  return ok_status();
}

}  // namespace dd::nn::detail
