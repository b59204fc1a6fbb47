#include "nn/detail/executor.h"

#include <fmt/format.h>
#include <pthreadpool.h>
#include <xnnpack.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/log.h"
#include "nn/detail/kernels.h"

namespace dd::nn::detail {

namespace {

// Owns the float buffers of the non-constant tensors a backend reads or writes.
class BufferSet {
 public:
  void allocate(const Graph& graph, int32_t tensor) {
    if (tensor < 0 || graph.tensors[tensor].is_constant || index_.contains(tensor)) return;
    index_[tensor] = buffers_.size();
    buffers_.emplace_back(graph.tensors[tensor].element_count(), 0.0f);
  }
  bool has(int32_t tensor) const { return index_.contains(tensor); }
  std::span<float> at(int32_t tensor) { return buffers_[index_.at(tensor)]; }
  std::span<const float> at(int32_t tensor) const { return buffers_[index_.at(tensor)]; }

 private:
  std::unordered_map<int32_t, size_t> index_;
  std::vector<std::vector<float>> buffers_;
};

std::span<const float> read_tensor(const Graph& graph, const BufferSet& buffers, int32_t tensor) {
  if (tensor < 0) return {};
  const Tensor& t = graph.tensors[tensor];
  if (t.is_constant) return t.data;
  return buffers.at(tensor);
}

// Inputs of a CONCATENATION resolved once, so running it allocates nothing.
struct ConcatPlan {
  std::vector<std::span<const float>> inputs;
  std::vector<int32_t> axis_sizes;
};

ConcatPlan plan_concat(const Graph& graph, const Op& op, const BufferSet& buffers) {
  ConcatPlan plan;
  for (int32_t t : op.inputs) {
    plan.inputs.push_back(read_tensor(graph, buffers, t));
    plan.axis_sizes.push_back(graph.tensors[t].shape[op.axis]);
  }
  return plan;
}

// Ops run on the host in order; buffers must already hold every output.
class HostSequence {
 public:
  void prepare(const Graph& graph, const std::vector<Op>& ops, const BufferSet& buffers) {
    ops_ = ops;
    plans_.clear();
    for (const Op& op : ops_)
      plans_.push_back(op.type == OpType::kConcatenation ? plan_concat(graph, op, buffers) : ConcatPlan{});
  }
  bool empty() const { return ops_.empty(); }
  void run(const Graph& graph, BufferSet& buffers) const {
    for (size_t i = 0; i < ops_.size(); ++i) run_op(graph, ops_[i], plans_[i], buffers);
  }

 private:
  static void run_op(const Graph& graph, const Op& op, const ConcatPlan& plan, BufferSet& buffers) {
    auto in = [&](size_t k) { return read_tensor(graph, buffers, op.inputs[k]); };
    auto shape = [&](size_t k) -> const Shape& { return graph.tensors[op.inputs[k]].shape; };
    std::span<float> out = buffers.at(op.outputs[0]);
    const Shape& out_shape = graph.tensors[op.outputs[0]].shape;
    switch (op.type) {
      case OpType::kConv2d:
      case OpType::kDepthwiseConv2d:
        conv2d(op, in(0), shape(0), in(1), shape(1), in(2), out, out_shape);
        break;
      case OpType::kAdd: add(op, in(0), in(1), out); break;
      case OpType::kMaxPool2d: max_pool2d(op, in(0), shape(0), out, out_shape); break;
      case OpType::kResizeBilinear: resize_bilinear(in(0), shape(0), out, out_shape); break;
      case OpType::kPad: pad(op, in(0), shape(0), out, out_shape); break;
      case OpType::kReshape: std::copy(in(0).begin(), in(0).end(), out.begin()); break;
      case OpType::kLogistic: logistic(in(0), out); break;
      case OpType::kDepthToSpace: depth_to_space(op, in(0), shape(0), out); break;
      case OpType::kConcatenation: concatenate(op, plan.inputs, plan.axis_sizes, out, out_shape); break;
    }
  }

  std::vector<Op> ops_;
  std::vector<ConcatPlan> plans_;
};

std::vector<TensorInfo> tensor_infos(const Graph& graph, const std::vector<int32_t>& tensors) {
  std::vector<TensorInfo> infos;
  for (int32_t t : tensors) infos.push_back({graph.tensors[t].name, graph.tensors[t].shape});
  return infos;
}

// Shared plumbing: the graph, its input/output descriptions and the buffers behind them.
class GraphModel : public Model {
 public:
  explicit GraphModel(Graph graph) : graph_(std::move(graph)) {
    inputs_ = tensor_infos(graph_, graph_.inputs);
    outputs_ = tensor_infos(graph_, graph_.outputs);
    for (int32_t t : graph_.inputs) buffers_.allocate(graph_, t);
    for (int32_t t : graph_.outputs) buffers_.allocate(graph_, t);
  }
  const std::vector<TensorInfo>& inputs() const override { return inputs_; }
  const std::vector<TensorInfo>& outputs() const override { return outputs_; }
  std::span<float> input(size_t index) override { return buffers_.at(graph_.inputs.at(index)); }
  std::span<const float> output(size_t index) const override { return buffers_.at(graph_.outputs.at(index)); }

 protected:
  Graph graph_;
  BufferSet buffers_;
  std::vector<TensorInfo> inputs_, outputs_;
};

class ReferenceModel final : public GraphModel {
 public:
  explicit ReferenceModel(Graph graph) : GraphModel(std::move(graph)) {
    for (const Op& op : graph_.ops) buffers_.allocate(graph_, op.outputs[0]);
    ops_.prepare(graph_, graph_.ops, buffers_);
  }
  Status run() override {
    ops_.run(graph_, buffers_);
    return ok_status();
  }

 private:
  HostSequence ops_;
};

Status xnn_check(xnn_status status, const std::string& what) {
  if (status == xnn_status_success) return ok_status();
  return make_error(ErrorCode::kInternal,
                    fmt::format("XNNPACK failed to {} (status {})", what, static_cast<int>(status)));
}

Status initialize_xnnpack() {
  static std::once_flag once;
  static xnn_status status = xnn_status_uninitialized;
  std::call_once(once, [] { status = xnn_initialize(nullptr); });
  return xnn_check(status, "initialize");
}

class XnnpackModel final : public GraphModel {
 public:
  explicit XnnpackModel(Graph graph) : GraphModel(std::move(graph)) {}
  ~XnnpackModel() override {
    if (runtime_ != nullptr) xnn_delete_runtime(runtime_);
  }

  Status build(std::shared_ptr<ThreadPool> thread_pool) {
    DD_TRY(initialize_xnnpack());
    partition();
    thread_pool_ = std::move(thread_pool);
    if (!xnn_ops_.empty()) DD_TRY(build_runtime());
    for (const Op& op : host_ops_) buffers_.allocate(graph_, op.outputs[0]);
    host_sequence_.prepare(graph_, host_ops_, buffers_);
    return ok_status();
  }

  Status run() override {
    if (runtime_ != nullptr) DD_TRY(xnn_check(xnn_invoke_runtime(runtime_), "run the graph"));
    host_sequence_.run(graph_, buffers_);
    return ok_status();
  }

 private:
  // XNNPACK (this version) has no concatenation: such ops and everything downstream of
  // them run on the host after the XNNPACK runtime. So do ops on constants only, which
  // XNNPACK does not expect.
  void partition() {
    std::vector<bool> host_tensor(graph_.tensors.size(), false);
    for (const Op& op : graph_.ops) {
      bool host = op.type == OpType::kConcatenation;
      for (int32_t t : op.inputs) host = host || (t >= 0 && host_tensor[t]);
      const size_t data_inputs = op.type == OpType::kAdd ? 2 : 1;
      bool all_constant = true;
      for (size_t k = 0; k < data_inputs; ++k)
        all_constant = all_constant && graph_.tensors[op.inputs[k]].is_constant;
      host = host || all_constant;
      if (host) {
        host_tensor[op.outputs[0]] = true;
        host_ops_.push_back(op);
      } else {
        xnn_ops_.push_back(op);
      }
    }
  }

  Status build_runtime() {
    const auto tensor_count = static_cast<uint32_t>(graph_.tensors.size());
    std::vector<bool> external(graph_.tensors.size(), false);
    for (int32_t t : graph_.inputs) external[t] = true;
    for (int32_t t : graph_.outputs) external[t] = true;
    for (const Op& op : host_ops_)
      for (int32_t t : op.inputs)
        if (t >= 0 && !graph_.tensors[t].is_constant) external[t] = true;

    xnn_subgraph_t subgraph = nullptr;
    DD_TRY(xnn_check(xnn_create_subgraph(tensor_count, 0, &subgraph), "create a subgraph"));
    std::unique_ptr<xnn_subgraph, decltype(&xnn_delete_subgraph)> subgraph_owner(subgraph,
                                                                                 &xnn_delete_subgraph);

    std::vector<uint32_t> ids(graph_.tensors.size(), XNN_INVALID_VALUE_ID);
    auto value = [&](int32_t t) -> Result<uint32_t> {
      if (t < 0) return XNN_INVALID_VALUE_ID;
      if (ids[t] != XNN_INVALID_VALUE_ID) return ids[t];
      const Tensor& tensor = graph_.tensors[t];
      std::vector<size_t> dims(tensor.shape.begin(), tensor.shape.end());
      uint32_t flags = 0;
      uint32_t external_id = XNN_INVALID_VALUE_ID;
      if (external[t]) {
        external_id = static_cast<uint32_t>(t);
        bool is_input = std::find(graph_.inputs.begin(), graph_.inputs.end(), t) != graph_.inputs.end();
        flags = is_input ? XNN_VALUE_FLAG_EXTERNAL_INPUT : XNN_VALUE_FLAG_EXTERNAL_OUTPUT;
        buffers_.allocate(graph_, t);
      }
      const void* data = tensor.is_constant ? tensor.data.data() : nullptr;
      DD_TRY(xnn_check(xnn_define_tensor_value(subgraph, xnn_datatype_fp32, dims.size(), dims.data(), data,
                                               external_id, flags, &ids[t]),
                       "define tensor '" + tensor.name + "'"));
      return ids[t];
    };

    for (const Op& op : xnn_ops_) {
      std::vector<uint32_t> in;
      for (int32_t t : op.inputs) {
        auto id = value(t);
        DD_TRY(id);
        in.push_back(*id);
      }
      auto out = value(op.outputs[0]);
      DD_TRY(out);
      DD_TRY(xnn_check(define_node(subgraph, op, in, *out), std::string("define ") + op_type_name(op.type)));
    }

    // Yielding after each run puts the workers to sleep instead of spinning, so they leave the
    // cores to the decoder and encoder threads between frames.
    DD_TRY(
        xnn_check(xnn_create_runtime_v2(subgraph, static_cast<pthreadpool_t>(thread_pool_->native_handle()),
                                        XNN_FLAG_YIELD_WORKERS, &runtime_),
                  "create the runtime"));
    std::vector<xnn_external_value> externals;
    for (size_t t = 0; t < graph_.tensors.size(); ++t) {
      if (external[t] && ids[t] != XNN_INVALID_VALUE_ID)
        externals.push_back({ids[t], buffers_.at(static_cast<int32_t>(t)).data()});
    }
    return xnn_check(xnn_setup_runtime(runtime_, externals.size(), externals.data()), "set up the runtime");
  }

  xnn_status define_node(xnn_subgraph_t subgraph, const Op& op, const std::vector<uint32_t>& in,
                         uint32_t out) {
    const Shape& in_shape = graph_.tensors[op.inputs[0]].shape;
    const Shape& out_shape = graph_.tensors[op.outputs[0]].shape;
    const Padding2d& p = op.padding;
    auto u = [](int32_t v) { return static_cast<uint32_t>(v); };
    switch (op.type) {
      case OpType::kConv2d: {
        const Shape& f = graph_.tensors[op.inputs[1]].shape;
        return xnn_define_convolution_2d(subgraph, u(p.top), u(p.right), u(p.bottom), u(p.left), u(f[1]),
                                         u(f[2]), u(op.stride_h), u(op.stride_w), u(op.dilation_h),
                                         u(op.dilation_w),
                                         /*groups=*/1, static_cast<size_t>(f[3]), static_cast<size_t>(f[0]),
                                         op.output_min, op.output_max, in[0], in[1], in[2], out, 0);
      }
      case OpType::kDepthwiseConv2d: {
        const Shape& f = graph_.tensors[op.inputs[1]].shape;
        return xnn_define_depthwise_convolution_2d(
            subgraph, u(p.top), u(p.right), u(p.bottom), u(p.left), u(f[1]), u(f[2]), u(op.stride_h),
            u(op.stride_w), u(op.dilation_h), u(op.dilation_w), u(f[3] / in_shape[3]),
            static_cast<size_t>(in_shape[3]), op.output_min, op.output_max, in[0], in[1], in[2], out, 0);
      }
      case OpType::kAdd: return xnn_define_add2(subgraph, op.output_min, op.output_max, in[0], in[1], out, 0);
      case OpType::kMaxPool2d:
        return xnn_define_max_pooling_2d(subgraph, u(p.top), u(p.right), u(p.bottom), u(p.left),
                                         u(op.filter_h), u(op.filter_w), u(op.stride_h), u(op.stride_w), 1, 1,
                                         op.output_min, op.output_max, in[0], out, 0);
      case OpType::kResizeBilinear:
        // No flag = half-pixel centres (XNN_FLAG_TENSORFLOW_LEGACY_MODE would drop the half-pixel offset).
        return xnn_define_static_resize_bilinear_2d(subgraph, static_cast<size_t>(out_shape[1]),
                                                    static_cast<size_t>(out_shape[2]), in[0], out, 0);
      case OpType::kPad: {
        std::vector<size_t> before(op.pad_before.begin(), op.pad_before.end());
        std::vector<size_t> after(op.pad_after.begin(), op.pad_after.end());
        return xnn_define_static_constant_pad(subgraph, before.data(), after.data(), 0.0f, in[0], out, 0);
      }
      case OpType::kReshape: {
        std::vector<size_t> dims(out_shape.begin(), out_shape.end());
        return xnn_define_static_reshape(subgraph, dims.size(), dims.data(), in[0], out, 0);
      }
      case OpType::kLogistic: return xnn_define_sigmoid(subgraph, in[0], out, 0);
      case OpType::kDepthToSpace: return xnn_define_depth_to_space(subgraph, in[0], out, u(op.block_size), 0);
      case OpType::kConcatenation: break;
    }
    return xnn_status_unsupported_parameter;
  }

  std::shared_ptr<ThreadPool> thread_pool_;
  xnn_runtime_t runtime_ = nullptr;
  std::vector<Op> xnn_ops_, host_ops_;
  HostSequence host_sequence_;
};

}  // namespace

Result<std::unique_ptr<Model>> create_model(Graph graph, const ModelOptions& options,
                                            const std::vector<std::string>& skipped_outputs) {
  DD_TRY(validate_graph(graph));
  std::vector<int32_t> skipped;
  for (const std::string& name : skipped_outputs) {
    auto it = std::find_if(graph.outputs.begin(), graph.outputs.end(),
                           [&](int32_t t) { return graph.tensors[t].name == name; });
    if (it == graph.outputs.end())
      return make_error(ErrorCode::kInvalidArgument,
                        "skipped output '" + name + "' is not an output of the model");
    skipped.push_back(*it);
  }
  // XNNPACK aborts on values nobody reads, so dead ops never reach it.
  const int dead = remove_dead_ops(graph, skipped);
  if (dead > 0) DD_LOG_DEBUG("nn: removed {} ops that no output depends on", dead);
  if (options.backend == Backend::kReference)
    return std::unique_ptr<Model>(new ReferenceModel(std::move(graph)));
  const int folded = fold_pads(graph);
  DD_LOG_DEBUG("nn: folded {} PAD ops into convolutions", folded);
  auto model = std::make_unique<XnnpackModel>(std::move(graph));
  DD_TRY(model->build(options.thread_pool ? options.thread_pool : ThreadPool::create(options.num_threads)));
  return std::unique_ptr<Model>(std::move(model));
}

}  // namespace dd::nn::detail
