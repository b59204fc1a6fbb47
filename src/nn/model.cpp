#include "nn/model.h"

#include <pthreadpool.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <thread>

#include "nn/detail/executor.h"
#include "nn/detail/tflite_reader.h"

namespace dd::nn {

size_t TensorInfo::element_count() const {
  size_t count = 1;
  for (int32_t dim : shape) count *= static_cast<size_t>(dim);
  return count;
}

std::shared_ptr<ThreadPool> ThreadPool::create(int num_threads) {
  if (num_threads <= 0) num_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  pthreadpool_t handle = num_threads > 1 ? pthreadpool_create(static_cast<size_t>(num_threads)) : nullptr;
  // pthreadpool_create fails only without memory or threads; running on the caller still works.
  return std::shared_ptr<ThreadPool>(new ThreadPool(handle, handle != nullptr ? num_threads : 1));
}

ThreadPool::~ThreadPool() {
  if (handle_ != nullptr) pthreadpool_destroy(static_cast<pthreadpool_t>(handle_));
}

void ThreadPool::parallel_for(size_t count, size_t tile,
                              const std::function<void(size_t, size_t)>& body) const {
  tile = std::max<size_t>(1, tile);
  if (handle_ == nullptr || count <= tile) {
    for (size_t begin = 0; begin < count; begin += tile) body(begin, std::min(count, begin + tile));
    return;
  }
  using Body = std::function<void(size_t, size_t)>;
  auto task = [](void* context, size_t begin, size_t length) {
    (*static_cast<const Body*>(context))(begin, begin + length);
  };
  // No yield flag: a model runs right after, so the workers had better stay awake.
  pthreadpool_parallelize_1d_tile_1d(static_cast<pthreadpool_t>(handle_), task, const_cast<Body*>(&body),
                                     count, tile, 0);
}

Result<std::unique_ptr<Model>> Model::load(const std::filesystem::path& path, const ModelOptions& options,
                                           const std::vector<std::string>& skipped_outputs) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return make_error(ErrorCode::kNotFound, "model file not found: " + path.string());
  std::ifstream file(path, std::ios::binary);
  if (!file) return make_error(ErrorCode::kNotFound, "cannot open model file: " + path.string());
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (file.bad()) return make_error(ErrorCode::kUnavailable, "cannot read model file: " + path.string());
  auto model = load_from_buffer(bytes, options, skipped_outputs);
  if (!model) return make_error(model.error().code, path.filename().string() + ": " + model.error().message);
  return model;
}

Result<std::unique_ptr<Model>> Model::load_from_buffer(std::span<const uint8_t> bytes,
                                                       const ModelOptions& options,
                                                       const std::vector<std::string>& skipped_outputs) {
  // A fresh heap copy is aligned for the flatbuffer's scalar reads whatever the caller passed.
  std::vector<uint8_t> copy(bytes.begin(), bytes.end());
  auto graph = detail::read_tflite(copy);
  DD_TRY(graph);
  return detail::create_model(std::move(*graph), options, skipped_outputs);
}

}  // namespace dd::nn
