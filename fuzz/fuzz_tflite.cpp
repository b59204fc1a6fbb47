// libFuzzer: the .tflite reader and graph builder (nn::Model::load_from_buffer) on arbitrary
// bytes; a model that loads with small inputs is also run once.
#include <cstddef>
#include <cstdint>
#include <span>

#include "nn/model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  dd::nn::ModelOptions options;
  options.num_threads = 1;
  auto model = dd::nn::Model::load_from_buffer(std::span<const uint8_t>(data, size), options);
  if (!model) return 0;
  size_t input_floats = 0;
  for (size_t i = 0; i < (*model)->inputs().size(); ++i) input_floats += (*model)->input(i).size();
  if (input_floats > 64 * 1024) return 0;
  for (size_t i = 0; i < (*model)->inputs().size(); ++i) {
    for (float& value : (*model)->input(i)) value = 0.5f;
  }
  (void)(*model)->run();
  return 0;
}
