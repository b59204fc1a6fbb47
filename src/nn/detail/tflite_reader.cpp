#include "nn/detail/tflite_reader.h"

#include <flatbuffers/flatbuffers.h>
#include <fmt/format.h>

#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>

#include "nn/tflite_schema_generated.h"

namespace dd::nn::detail {

namespace tfl = dd::nn::tfl;

namespace {

// Limits that keep a hostile file from making us allocate gigabytes.
constexpr size_t kMaxTensorElements = size_t{1} << 26;
constexpr size_t kMaxConstantElements = size_t{1} << 24;
constexpr size_t kMaxActivationElements = size_t{1} << 28;

// Names of the public schema's BuiltinOperator values, for error messages.
constexpr std::array<const char*, 162> kBuiltinOpNames = {
    "ADD",
    "AVERAGE_POOL_2D",
    "CONCATENATION",
    "CONV_2D",
    "DEPTHWISE_CONV_2D",
    "DEPTH_TO_SPACE",
    "DEQUANTIZE",
    "EMBEDDING_LOOKUP",
    "FLOOR",
    "FULLY_CONNECTED",
    "HASHTABLE_LOOKUP",
    "L2_NORMALIZATION",
    "L2_POOL_2D",
    "LOCAL_RESPONSE_NORMALIZATION",
    "LOGISTIC",
    "LSH_PROJECTION",
    "LSTM",
    "MAX_POOL_2D",
    "MUL",
    "RELU",
    "RELU_N1_TO_1",
    "RELU6",
    "RESHAPE",
    "RESIZE_BILINEAR",
    "RNN",
    "SOFTMAX",
    "SPACE_TO_DEPTH",
    "SVDF",
    "TANH",
    "CONCAT_EMBEDDINGS",
    "SKIP_GRAM",
    "CALL",
    "CUSTOM",
    "EMBEDDING_LOOKUP_SPARSE",
    "PAD",
    "UNIDIRECTIONAL_SEQUENCE_RNN",
    "GATHER",
    "BATCH_TO_SPACE_ND",
    "SPACE_TO_BATCH_ND",
    "TRANSPOSE",
    "MEAN",
    "SUB",
    "DIV",
    "SQUEEZE",
    "UNIDIRECTIONAL_SEQUENCE_LSTM",
    "STRIDED_SLICE",
    "BIDIRECTIONAL_SEQUENCE_RNN",
    "EXP",
    "TOPK_V2",
    "SPLIT",
    "LOG_SOFTMAX",
    "DELEGATE",
    "BIDIRECTIONAL_SEQUENCE_LSTM",
    "CAST",
    "PRELU",
    "MAXIMUM",
    "ARG_MAX",
    "MINIMUM",
    "LESS",
    "NEG",
    "PADV2",
    "GREATER",
    "GREATER_EQUAL",
    "LESS_EQUAL",
    "SELECT",
    "SLICE",
    "SIN",
    "TRANSPOSE_CONV",
    "SPARSE_TO_DENSE",
    "TILE",
    "EXPAND_DIMS",
    "EQUAL",
    "NOT_EQUAL",
    "LOG",
    "SUM",
    "SQRT",
    "RSQRT",
    "SHAPE",
    "POW",
    "ARG_MIN",
    "FAKE_QUANT",
    "REDUCE_PROD",
    "REDUCE_MAX",
    "PACK",
    "LOGICAL_OR",
    "ONE_HOT",
    "LOGICAL_AND",
    "LOGICAL_NOT",
    "UNPACK",
    "REDUCE_MIN",
    "FLOOR_DIV",
    "REDUCE_ANY",
    "SQUARE",
    "ZEROS_LIKE",
    "FILL",
    "FLOOR_MOD",
    "RANGE",
    "RESIZE_NEAREST_NEIGHBOR",
    "LEAKY_RELU",
    "SQUARED_DIFFERENCE",
    "MIRROR_PAD",
    "ABS",
    "SPLIT_V",
    "UNIQUE",
    "CEIL",
    "REVERSE_V2",
    "ADD_N",
    "GATHER_ND",
    "COS",
    "WHERE",
    "RANK",
    "ELU",
    "REVERSE_SEQUENCE",
    "MATRIX_DIAG",
    "QUANTIZE",
    "MATRIX_SET_DIAG",
    "ROUND",
    "HARD_SWISH",
    "IF",
    "WHILE",
    "NON_MAX_SUPPRESSION_V4",
    "NON_MAX_SUPPRESSION_V5",
    "SCATTER_ND",
    "SELECT_V2",
    "DENSIFY",
    "SEGMENT_SUM",
    "BATCH_MATMUL",
    "PLACEHOLDER_FOR_GREATER_OP_CODES",
    "CUMSUM",
    "CALL_ONCE",
    "BROADCAST_TO",
    "RFFT2D",
    "CONV_3D",
    "IMAG",
    "REAL",
    "COMPLEX_ABS",
    "HASHTABLE",
    "HASHTABLE_FIND",
    "HASHTABLE_IMPORT",
    "HASHTABLE_SIZE",
    "REDUCE_ALL",
    "CONV_3D_TRANSPOSE",
    "VAR_HANDLE",
    "READ_VARIABLE",
    "ASSIGN_VARIABLE",
    "BROADCAST_ARGS",
    "RANDOM_STANDARD_NORMAL",
    "BUCKETIZE",
    "RANDOM_UNIFORM",
    "MULTINOMIAL",
    "GELU",
    "DYNAMIC_UPDATE_SLICE",
    "RELU_0_TO_1",
    "UNSORTED_SEGMENT_PROD",
    "UNSORTED_SEGMENT_MAX",
    "UNSORTED_SEGMENT_SUM",
    "ATAN2",
    "UNSORTED_SEGMENT_MIN",
    "SIGN",
    "BITCAST",
    "BITWISE_XOR",
    "RIGHT_SHIFT",
};

enum BuiltinCode : int32_t {
  kAdd = 0,
  kConcatenation = 2,
  kConv2d = 3,
  kDepthwiseConv2d = 4,
  kDepthToSpace = 5,
  kDequantize = 6,
  kLogistic = 14,
  kMaxPool2d = 17,
  kReshape = 22,
  kResizeBilinear = 23,
  kPad = 34,
  kDensify = 124,
};

Error invalid(std::string message) {
  return make_error(ErrorCode::kInvalidArgument, std::move(message));
}

std::string builtin_name(int32_t code) {
  if (code >= 0 && code < static_cast<int32_t>(kBuiltinOpNames.size())) return kBuiltinOpNames[code];
  return fmt::format("builtin op {}", code);
}

// A reader-side tensor: the graph tensor plus what only the reader needs.
struct FileTensor {
  tfl::TensorType type = tfl::TensorType_FLOAT32;
};

// One of the three index-vector encodings of the sparsity format.
class IndexVector {
 public:
  IndexVector() = default;
  static Result<IndexVector> from(tfl::SparseIndexVector type, const void* table) {
    IndexVector v;
    if (table == nullptr) return invalid("sparse tensor lacks an index vector");
    switch (type) {
      case tfl::SparseIndexVector_Int32Vector:
        v.i32_ = static_cast<const tfl::Int32Vector*>(table)->values();
        if (v.i32_ != nullptr) v.size_ = v.i32_->size();
        break;
      case tfl::SparseIndexVector_Uint16Vector:
        v.u16_ = static_cast<const tfl::Uint16Vector*>(table)->values();
        if (v.u16_ != nullptr) v.size_ = v.u16_->size();
        break;
      case tfl::SparseIndexVector_Uint8Vector:
        v.u8_ = static_cast<const tfl::Uint8Vector*>(table)->values();
        if (v.u8_ != nullptr) v.size_ = v.u8_->size();
        break;
      default: return invalid("unknown sparse index vector type");
    }
    return v;
  }
  size_t size() const { return size_; }
  // Value i as int64 (int32 entries may be negative; callers range-check).
  int64_t at(size_t i) const {
    if (i32_ != nullptr) return i32_->Get(static_cast<flatbuffers::uoffset_t>(i));
    if (u16_ != nullptr) return u16_->Get(static_cast<flatbuffers::uoffset_t>(i));
    return u8_->Get(static_cast<flatbuffers::uoffset_t>(i));
  }

 private:
  const flatbuffers::Vector<int32_t>* i32_ = nullptr;
  const flatbuffers::Vector<uint16_t>* u16_ = nullptr;
  const flatbuffers::Vector<uint8_t>* u8_ = nullptr;
  size_t size_ = 0;
};

struct SparseLevel {
  int32_t dim = 0;   // expanded dimension traversed at this level
  int32_t size = 0;  // its extent
  bool dense = true;
  IndexVector segments, indices;
};

// Expands TFLite's sparse storage (traversal order, block map, DENSE/SPARSE_CSR levels)
// into a dense row-major tensor.
class Densifier {
 public:
  Densifier(const std::vector<int32_t>& shape, const std::vector<float>& values)
      : shape_(shape), values_(values) {}

  Result<std::vector<float>> run(const tfl::SparsityParameters& sparsity) {
    const size_t rank = shape_.size();
    const auto* order = sparsity.traversal_order();
    const auto* metadata = sparsity.dim_metadata();
    const size_t blocks = sparsity.block_map() != nullptr ? sparsity.block_map()->size() : 0;
    const size_t levels = rank + blocks;
    if (order == nullptr || metadata == nullptr || order->size() != levels || metadata->size() != levels ||
        blocks > rank)
      return invalid("sparsity parameters do not match the tensor rank");
    block_of_dim_.assign(rank, -1);
    for (size_t b = 0; b < blocks; ++b) {
      int32_t d = sparsity.block_map()->Get(static_cast<flatbuffers::uoffset_t>(b));
      if (d < 0 || d >= static_cast<int32_t>(rank) || block_of_dim_[d] >= 0)
        return invalid("bad sparsity block map");
      block_of_dim_[d] = static_cast<int32_t>(b);
    }
    std::vector<int32_t> level_of_dim(levels, -1);
    for (size_t l = 0; l < levels; ++l) {
      int32_t d = order->Get(static_cast<flatbuffers::uoffset_t>(l));
      if (d < 0 || d >= static_cast<int32_t>(levels) || level_of_dim[d] >= 0)
        return invalid("sparsity traversal order is not a permutation");
      level_of_dim[d] = static_cast<int32_t>(l);
    }
    // Extents of the expanded dimensions: blocked originals shrink by their block size.
    extent_.assign(levels, 0);
    block_size_.assign(rank, 1);
    for (size_t b = 0; b < blocks; ++b) {
      const auto* m = metadata->Get(static_cast<flatbuffers::uoffset_t>(level_of_dim[rank + b]));
      if (m->format() != tfl::DimensionType_DENSE || m->dense_size() < 1)
        return invalid("sparse block must be dense");
      int32_t d = sparsity.block_map()->Get(static_cast<flatbuffers::uoffset_t>(b));
      if (shape_[d] % m->dense_size() != 0) return invalid("sparse block size does not divide the dimension");
      block_size_[d] = m->dense_size();
      extent_[rank + b] = m->dense_size();
    }
    for (size_t d = 0; d < rank; ++d) extent_[d] = shape_[d] / block_size_[d];
    levels_.resize(levels);
    for (size_t l = 0; l < levels; ++l) {
      const auto* m = metadata->Get(static_cast<flatbuffers::uoffset_t>(l));
      SparseLevel& level = levels_[l];
      level.dim = order->Get(static_cast<flatbuffers::uoffset_t>(l));
      level.size = extent_[level.dim];
      level.dense = m->format() == tfl::DimensionType_DENSE;
      if (level.dense) {
        if (m->dense_size() != level.size) return invalid("sparse dense dimension has the wrong size");
        continue;
      }
      if (m->format() != tfl::DimensionType_SPARSE_CSR) return invalid("unknown sparse dimension format");
      auto segments = IndexVector::from(m->array_segments_type(), m->array_segments());
      DD_TRY(segments);
      auto indices = IndexVector::from(m->array_indices_type(), m->array_indices());
      DD_TRY(indices);
      level.segments = *segments;
      level.indices = *indices;
      // Non-decreasing segments bounded by the index count keep the walk linear in the data.
      for (size_t i = 0; i < level.segments.size(); ++i) {
        int64_t s = level.segments.at(i);
        if (s < 0 || static_cast<size_t>(s) > level.indices.size() || (i > 0 && s < level.segments.at(i - 1)))
          return invalid("sparse segments are not monotonic within the indices");
      }
    }
    dense_.assign(std::accumulate(shape_.begin(), shape_.end(), size_t{1},
                                  [](size_t a, int32_t b) { return a * static_cast<size_t>(b); }),
                  0.0f);
    coords_.assign(levels, 0);
    DD_TRY(walk(0, 0));
    if (leaves_ != values_.size()) return invalid("sparse value count does not match its indices");
    return std::move(dense_);
  }

 private:
  Status walk(size_t level_index, size_t position) {
    if (level_index == levels_.size()) {
      // Also bounds the walk: duplicate indices cannot make it visit more leaves than values.
      if (position >= values_.size() || leaves_ >= values_.size())
        return invalid("sparse tensor has too few values");
      size_t offset = 0;
      for (size_t d = 0; d < shape_.size(); ++d) {
        size_t c = static_cast<size_t>(coords_[d]) * block_size_[d];
        if (block_of_dim_[d] >= 0) c += coords_[shape_.size() + block_of_dim_[d]];
        offset = offset * shape_[d] + c;
      }
      dense_[offset] = values_[position];
      ++leaves_;
      return ok_status();
    }
    const SparseLevel& level = levels_[level_index];
    if (level.dense) {
      for (int32_t i = 0; i < level.size; ++i) {
        coords_[level.dim] = i;
        DD_TRY(walk(level_index + 1, position * level.size + i));
      }
      return ok_status();
    }
    if (position + 1 >= level.segments.size()) return invalid("sparse segments too short");
    auto begin = static_cast<size_t>(level.segments.at(position));
    auto end = static_cast<size_t>(level.segments.at(position + 1));
    for (size_t j = begin; j < end; ++j) {
      int64_t index = level.indices.at(j);
      if (index < 0 || index >= level.size) return invalid("sparse index out of range");
      coords_[level.dim] = static_cast<int32_t>(index);
      DD_TRY(walk(level_index + 1, j));
    }
    return ok_status();
  }

  const std::vector<int32_t>& shape_;
  const std::vector<float>& values_;
  std::vector<int32_t> block_of_dim_, block_size_, extent_, coords_;
  std::vector<SparseLevel> levels_;
  std::vector<float> dense_;
  size_t leaves_ = 0;
};

Result<std::pair<float, float>> activation_range(tfl::ActivationFunctionType activation) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  switch (activation) {
    case tfl::ActivationFunctionType_NONE: return std::pair{-kInf, kInf};
    case tfl::ActivationFunctionType_RELU: return std::pair{0.0f, kInf};
    case tfl::ActivationFunctionType_RELU_N1_TO_1: return std::pair{-1.0f, 1.0f};
    case tfl::ActivationFunctionType_RELU6: return std::pair{0.0f, 6.0f};
    default:
      return make_error(ErrorCode::kUnimplemented,
                        fmt::format("fused activation {} is not supported", static_cast<int>(activation)));
  }
}

Status set_activation(Op& op, tfl::ActivationFunctionType activation) {
  auto range = activation_range(activation);
  DD_TRY(range);
  op.output_min = range->first;
  op.output_max = range->second;
  return ok_status();
}

// TF SAME padding along one axis: output ceil(in/stride), the excess split with the extra
// pixel at the end.
std::pair<int32_t, int32_t> same_padding(int32_t in, int32_t window, int32_t dilation, int32_t stride) {
  int64_t out = (int64_t{in} + stride - 1) / stride;
  int64_t effective = int64_t{window - 1} * dilation + 1;
  int64_t total = std::max<int64_t>((out - 1) * stride + effective - in, 0);
  return {static_cast<int32_t>(total / 2), static_cast<int32_t>(total - total / 2)};
}

bool valid_window(int32_t stride_h, int32_t stride_w, int32_t dil_h, int32_t dil_w, int32_t window_h,
                  int32_t window_w) {
  auto ok = [](int32_t v) { return v >= 1 && v <= 64; };
  return ok(stride_h) && ok(stride_w) && ok(dil_h) && ok(dil_w) && ok(window_h) && ok(window_w);
}

void apply_padding(Op& op, tfl::Padding padding, const std::vector<int32_t>& input_shape, int32_t window_h,
                   int32_t window_w) {
  if (padding != tfl::Padding_SAME) return;
  auto [top, bottom] = same_padding(input_shape[1], window_h, op.dilation_h, op.stride_h);
  auto [left, right] = same_padding(input_shape[2], window_w, op.dilation_w, op.stride_w);
  op.padding = {top, bottom, left, right};
}

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  Result<Graph> read() {
    if (bytes_.size() < 8 || !tfl::ModelBufferHasIdentifier(bytes_.data()))
      return invalid("not a TFLite model (missing the TFL3 file identifier)");
    if (bytes_.size() >= FLATBUFFERS_MAX_BUFFER_SIZE) return invalid("model file too large");
    flatbuffers::Verifier verifier(bytes_.data(), bytes_.size(), /*max_depth=*/64, /*max_tables=*/4000000);
    if (!tfl::VerifyModelBuffer(verifier))
      return make_error(ErrorCode::kDataLoss,
                        "TFLite flatbuffer failed verification (truncated or corrupt file)");
    model_ = tfl::GetModel(bytes_.data());
    if (model_->subgraphs() == nullptr || model_->subgraphs()->size() == 0)
      return invalid("model has no subgraph");
    const tfl::SubGraph* subgraph = model_->subgraphs()->Get(0);
    DD_TRY(read_tensors(*subgraph));
    DD_TRY(read_operators(*subgraph));
    auto inputs = read_index_list(subgraph->inputs(), "graph inputs");
    DD_TRY(inputs);
    auto outputs = read_index_list(subgraph->outputs(), "graph outputs");
    DD_TRY(outputs);
    graph_.inputs = *inputs;
    graph_.outputs = *outputs;
    DD_TRY(check_activation_types());
    DD_TRY(validate_graph(graph_));
    return std::move(graph_);
  }

 private:
  Result<std::vector<int32_t>> read_index_list(const flatbuffers::Vector<int32_t>* list, const char* what) {
    std::vector<int32_t> out;
    if (list == nullptr) return out;
    for (int32_t t : *list) {
      if (t < -1 || t >= static_cast<int32_t>(graph_.tensors.size()))
        return invalid(fmt::format("{}: tensor index {} out of range", what, t));
      out.push_back(t);
    }
    return out;
  }

  Status read_tensors(const tfl::SubGraph& subgraph) {
    if (subgraph.tensors() == nullptr) return invalid("subgraph has no tensors");
    const auto* buffers = model_->buffers();
    size_t activation_elements = 0;
    for (const tfl::Tensor* t : *subgraph.tensors()) {
      Tensor tensor;
      tensor.name = t->name() != nullptr ? t->name()->str() : std::string();
      if (t->shape() != nullptr) {
        if (t->shape()->size() > kMaxRank)
          return invalid(fmt::format("tensor '{}' has too many dimensions", tensor.name));
        size_t count = 1;
        for (int32_t dim : *t->shape()) {
          if (dim < 1) return invalid(fmt::format("tensor '{}' has a non-positive dimension", tensor.name));
          count *= static_cast<size_t>(dim);
          if (count > kMaxTensorElements)
            return invalid(fmt::format("tensor '{}' is too large", tensor.name));
        }
        tensor.shape.assign(t->shape()->begin(), t->shape()->end());
      }
      const size_t count = tensor.element_count();
      if (buffers == nullptr || t->buffer() >= buffers->size())
        return invalid(fmt::format("tensor '{}' refers to buffer {} out of range", tensor.name, t->buffer()));
      const auto* data = buffers->Get(t->buffer())->data();
      FileTensor info{t->type()};
      if (data != nullptr && data->size() > 0) {
        if (count > kMaxConstantElements)
          return invalid(fmt::format("constant '{}' is too large", tensor.name));
        tensor.is_constant = true;
        DD_TRY(decode_constant(*t, std::span<const uint8_t>(data->data(), data->size()), tensor));
      } else {
        activation_elements += count;
        if (activation_elements > kMaxActivationElements) return invalid("model activations are too large");
      }
      graph_.tensors.push_back(std::move(tensor));
      file_tensors_.push_back(info);
    }
    return ok_status();
  }

  Status decode_constant(const tfl::Tensor& t, std::span<const uint8_t> bytes, Tensor& tensor) {
    const size_t count = tensor.element_count();
    std::vector<float> values;
    switch (t.type()) {
      case tfl::TensorType_FLOAT32:
        values.resize(bytes.size() / 4);
        // An empty buffer has no data pointer, and memcpy's arguments must never be null.
        if (!values.empty()) std::memcpy(values.data(), bytes.data(), values.size() * 4);
        break;
      case tfl::TensorType_FLOAT16:
        values.resize(bytes.size() / 2);
        for (size_t i = 0; i < values.size(); ++i) {
          uint16_t h;
          std::memcpy(&h, bytes.data() + 2 * i, 2);
          values[i] = half_to_float(h);
        }
        break;
      case tfl::TensorType_INT32:
        if (t.sparsity() != nullptr)
          return make_error(ErrorCode::kUnimplemented, "sparse int32 tensors are not supported");
        if (bytes.size() < count * 4)
          return invalid(fmt::format("buffer of tensor '{}' is too small for its shape", tensor.name));
        tensor.ints.resize(count);
        if (count > 0) std::memcpy(tensor.ints.data(), bytes.data(), count * 4);
        return ok_status();
      default:
        return make_error(ErrorCode::kUnimplemented,
                          fmt::format("constant tensor '{}' has unsupported type {}", tensor.name,
                                      tfl::EnumNameTensorType(t.type())));
    }
    if (t.sparsity() != nullptr) {
      Densifier densifier(tensor.shape, values);
      auto dense = densifier.run(*t.sparsity());
      if (!dense) return invalid(fmt::format("sparse tensor '{}': {}", tensor.name, dense.error().message));
      tensor.data = std::move(*dense);
      return ok_status();
    }
    if (values.size() < count)
      return invalid(fmt::format("buffer of tensor '{}' is too small for its shape", tensor.name));
    values.resize(count);
    tensor.data = std::move(values);
    return ok_status();
  }

  Status read_operators(const tfl::SubGraph& subgraph) {
    if (subgraph.operators() == nullptr) return ok_status();
    const auto* codes = model_->operator_codes();
    size_t index = 0;
    for (const tfl::Operator* op : *subgraph.operators()) {
      if (codes == nullptr || op->opcode_index() >= codes->size())
        return invalid(fmt::format("operator {} has opcode index out of range", index));
      const tfl::OperatorCode* code = codes->Get(op->opcode_index());
      // Old files store the code in the deprecated byte field; new ones in both.
      int32_t builtin = std::max<int32_t>(code->deprecated_builtin_code(), code->builtin_code());
      if (code->custom_code() != nullptr && builtin == 32)
        return make_error(ErrorCode::kUnimplemented,
                          fmt::format("unsupported custom op '{}'", code->custom_code()->str()));
      auto inputs = read_index_list(op->inputs(), "operator inputs");
      DD_TRY(inputs);
      auto outputs = read_index_list(op->outputs(), "operator outputs");
      DD_TRY(outputs);
      if (outputs->size() != 1 || (*outputs)[0] < 0)
        return invalid(fmt::format("operator {} ({}) must have one output", index, builtin_name(builtin)));
      if (inputs->empty() || (*inputs)[0] < 0)
        return invalid(fmt::format("operator {} ({}) lacks its input", index, builtin_name(builtin)));
      auto status = read_operator(*op, builtin, *inputs, (*outputs)[0]);
      if (!status) {
        Error error = status.error();
        error.message = fmt::format("operator {} ({}): {}", index, builtin_name(builtin), error.message);
        return error;
      }
      ++index;
    }
    return ok_status();
  }

  Status fold_constant(int32_t input, int32_t output) {
    Tensor& in = graph_.tensors[input];
    Tensor& out = graph_.tensors[output];
    if (!in.is_constant || in.data.empty())
      return make_error(ErrorCode::kUnimplemented, "only constant inputs are supported");
    if (out.is_constant) return invalid("output is already a constant");
    if (in.element_count() != out.element_count()) return invalid("input and output sizes differ");
    out.is_constant = true;
    out.data = in.data;
    return ok_status();
  }

  Status read_operator(const tfl::Operator& fop, int32_t builtin, const std::vector<int32_t>& inputs,
                       int32_t output) {
    Op op;
    op.inputs = inputs;
    op.outputs = {output};
    const Tensor& input = graph_.tensors[inputs[0]];
    auto need_options = [](const void* options) -> Status {
      if (options == nullptr) return invalid("missing or mismatched builtin options");
      return ok_status();
    };
    // CONV_2D and DEPTHWISE_CONV_2D share their window fields and checks; only the depthwise
    // options carry a depth multiplier.
    auto read_convolution = [&](OpType type, const auto* o) -> Status {
      DD_TRY(need_options(o));
      if (inputs.size() < 2 || inputs.size() > 3 || inputs[1] < 0)
        return invalid("needs input, filter and bias");
      op.type = type;
      op.inputs.resize(3, -1);
      op.stride_h = o->stride_h();
      op.stride_w = o->stride_w();
      op.dilation_h = o->dilation_h_factor();
      op.dilation_w = o->dilation_w_factor();
      DD_TRY(set_activation(op, o->fused_activation_function()));
      const Tensor& filter = graph_.tensors[inputs[1]];
      if (input.shape.size() != 4 || filter.shape.size() != 4) return invalid("input and filter must be 4-D");
      if constexpr (requires { o->depth_multiplier(); }) {
        if (o->depth_multiplier() != 0 && filter.shape[3] != input.shape[3] * o->depth_multiplier())
          return invalid("depth multiplier does not match the filter");
      }
      if (!valid_window(op.stride_h, op.stride_w, op.dilation_h, op.dilation_w, filter.shape[1],
                        filter.shape[2]))
        return invalid("stride, dilation or filter size out of range");
      apply_padding(op, o->padding(), input.shape, filter.shape[1], filter.shape[2]);
      return ok_status();
    };
    switch (builtin) {
      case kDequantize:
      case kDensify: return fold_constant(inputs[0], output);
      case kConv2d: {
        DD_TRY(read_convolution(OpType::kConv2d, fop.builtin_options_as_Conv2DOptions()));
        break;
      }
      case kDepthwiseConv2d: {
        DD_TRY(read_convolution(OpType::kDepthwiseConv2d, fop.builtin_options_as_DepthwiseConv2DOptions()));
        break;
      }
      case kMaxPool2d: {
        const auto* o = fop.builtin_options_as_Pool2DOptions();
        DD_TRY(need_options(o));
        op.type = OpType::kMaxPool2d;
        op.stride_h = o->stride_h();
        op.stride_w = o->stride_w();
        op.filter_h = o->filter_height();
        op.filter_w = o->filter_width();
        DD_TRY(set_activation(op, o->fused_activation_function()));
        if (input.shape.size() != 4) return invalid("input must be 4-D");
        if (!valid_window(op.stride_h, op.stride_w, 1, 1, op.filter_h, op.filter_w))
          return invalid("stride or window out of range");
        apply_padding(op, o->padding(), input.shape, op.filter_h, op.filter_w);
        break;
      }
      case kAdd: {
        op.type = OpType::kAdd;
        if (const auto* o = fop.builtin_options_as_AddOptions())
          DD_TRY(set_activation(op, o->fused_activation_function()));
        break;
      }
      case kLogistic:
        op.type = OpType::kLogistic;
        op.inputs.resize(1);
        break;
      case kReshape:
        // The output tensor's shape is authoritative; the optional shape input is redundant.
        op.type = OpType::kReshape;
        op.inputs.resize(1);
        break;
      case kResizeBilinear: {
        op.type = OpType::kResizeBilinear;
        op.inputs.resize(1);
        const auto* o = fop.builtin_options_as_ResizeBilinearOptions();
        if (o == nullptr || o->align_corners() || !o->half_pixel_centers())
          return make_error(ErrorCode::kUnimplemented,
                            "only half_pixel_centers=true, align_corners=false is supported");
        break;
      }
      case kPad: {
        op.type = OpType::kPad;
        if (inputs.size() != 2 || inputs[1] < 0) return invalid("needs input and paddings");
        const Tensor& paddings = graph_.tensors[inputs[1]];
        if (!paddings.is_constant || paddings.ints.empty())
          return make_error(ErrorCode::kUnimplemented, "paddings must be a constant int32 tensor");
        if (paddings.shape != std::vector<int32_t>{static_cast<int32_t>(input.shape.size()), 2})
          return invalid("paddings must have shape [rank, 2]");
        for (size_t d = 0; d < input.shape.size(); ++d) {
          op.pad_before.push_back(paddings.ints[2 * d]);
          op.pad_after.push_back(paddings.ints[2 * d + 1]);
        }
        op.inputs.resize(1);
        break;
      }
      case kConcatenation: {
        const auto* o = fop.builtin_options_as_ConcatenationOptions();
        DD_TRY(need_options(o));
        op.type = OpType::kConcatenation;
        if (o->fused_activation_function() != tfl::ActivationFunctionType_NONE)
          return make_error(ErrorCode::kUnimplemented, "fused activation on CONCATENATION is not supported");
        const auto rank = static_cast<int32_t>(input.shape.size());
        op.axis = o->axis() < 0 ? o->axis() + rank : o->axis();
        break;
      }
      case kDepthToSpace: {
        const auto* o = fop.builtin_options_as_DepthToSpaceOptions();
        DD_TRY(need_options(o));
        op.type = OpType::kDepthToSpace;
        op.block_size = o->block_size();
        break;
      }
      default:
        return make_error(ErrorCode::kUnimplemented, fmt::format("unsupported op {}", builtin_name(builtin)));
    }
    graph_.ops.push_back(std::move(op));
    return ok_status();
  }

  // Every tensor the executors compute or receive must be float32.
  Status check_activation_types() const {
    auto check = [&](int32_t t) -> Status {
      if (t >= 0 && !graph_.tensors[t].is_constant && file_tensors_[t].type != tfl::TensorType_FLOAT32)
        return make_error(
            ErrorCode::kUnimplemented,
            fmt::format("tensor '{}' has type {}; only float32 activations are supported",
                        graph_.tensors[t].name, tfl::EnumNameTensorType(file_tensors_[t].type)));
      return ok_status();
    };
    for (const Op& op : graph_.ops) {
      for (int32_t t : op.inputs) DD_TRY(check(t));
      for (int32_t t : op.outputs) DD_TRY(check(t));
    }
    for (int32_t t : graph_.inputs) DD_TRY(check(t));
    for (int32_t t : graph_.outputs) DD_TRY(check(t));
    return ok_status();
  }

  std::span<const uint8_t> bytes_;
  const tfl::Model* model_ = nullptr;
  Graph graph_;
  std::vector<FileTensor> file_tensors_;
};

}  // namespace

float half_to_float(uint16_t half) {
  const uint32_t sign = static_cast<uint32_t>(half & 0x8000u) << 16;
  const uint32_t exponent = (half >> 10) & 0x1fu;
  const uint32_t mantissa = half & 0x3ffu;
  uint32_t bits = 0;
  if (exponent == 0) {
    // Zero or subnormal: value = mantissa * 2^-24.
    float value = std::ldexp(static_cast<float>(mantissa), -24);
    std::memcpy(&bits, &value, 4);
    bits |= sign;
  } else if (exponent == 0x1f) {
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  }
  float out;
  std::memcpy(&out, &bits, 4);
  return out;
}

Result<Graph> read_tflite(std::span<const uint8_t> bytes) {
  return Reader(bytes).read();
}

}  // namespace dd::nn::detail
