// nn::Model: a loaded .tflite model ready to run. Inputs and outputs are float32 buffers
// owned by the model; callers write inputs, call run(), and read outputs, with no
// per-call allocation. Not thread-safe: one thread owns a Model.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"

namespace dd::nn {

struct TensorInfo {
  std::string name;            // tensor name in the file, e.g. "input_1", "Identity_3"
  std::vector<int32_t> shape;  // e.g. {1, 256, 256, 3}
  size_t element_count() const;
};

enum class Backend {
  kXnnpack,    // XNNPACK graph (fast path)
  kReference,  // plain loops, for tests
};

// Inference worker threads that several models can share. Models that run one after the
// other (the pose detector, then the landmark model) should share one pool: each pool's idle
// workers spin for a while after a run, and two pools on two cores fight each other.
class ThreadPool {
 public:
  // num_threads: 0 = all cores. One thread makes a pool without workers (runs on the caller).
  static std::shared_ptr<ThreadPool> create(int num_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return size_; }
  void* native_handle() const { return handle_; }  // pthreadpool_t, or nullptr for one thread

  // Calls body(begin, end) for consecutive ranges of at most `tile` covering [0, count), on
  // the pool's workers and the caller, and returns when all are done. For the work around
  // the models (the crop into their input), which would otherwise leave the workers idle.
  void parallel_for(size_t count, size_t tile, const std::function<void(size_t, size_t)>& body) const;

 private:
  ThreadPool(void* handle, int size) : handle_(handle), size_(size) {}
  void* handle_;
  int size_;
};

struct ModelOptions {
  Backend backend = Backend::kXnnpack;
  int num_threads = 0;  // 0 = all cores; 1 = no thread pool. More threads: lower latency, more CPU.
  std::shared_ptr<ThreadPool> thread_pool;  // if set, used instead of a pool of num_threads
};

class Model {
 public:
  virtual ~Model() = default;

  // Loads and validates a .tflite file; InvalidArgument/DataLoss for malformed files,
  // Unimplemented naming the op for unsupported ones, NotFound for a missing file.
  // skipped_outputs: output names the caller will not read, e.g. "Identity_2" (the landmark
  // models' 256x256 segmentation head, about 2/3 of pose_landmark_lite's time); ops only they
  // need are not run and those outputs stay zero. An unknown name is InvalidArgument.
  static Result<std::unique_ptr<Model>> load(const std::filesystem::path& path,
                                             const ModelOptions& options = {},
                                             const std::vector<std::string>& skipped_outputs = {});
  // The same from bytes in memory (the bytes are copied).
  static Result<std::unique_ptr<Model>> load_from_buffer(
      std::span<const uint8_t> bytes, const ModelOptions& options = {},
      const std::vector<std::string>& skipped_outputs = {});

  virtual const std::vector<TensorInfo>& inputs() const = 0;
  virtual const std::vector<TensorInfo>& outputs() const = 0;
  virtual std::span<float> input(size_t index) = 0;
  virtual std::span<const float> output(size_t index) const = 0;
  // Runs inference on the current inputs; Internal if the backend fails.
  virtual Status run() = 0;
};

}  // namespace dd::nn
