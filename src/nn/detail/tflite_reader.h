// Reads a .tflite flatbuffer into dd::nn's Graph: verifies the file, folds the constant
// DEQUANTIZE (fp16 -> fp32) and DENSIFY (sparse -> dense) ops, and maps the rest to OpType.
#pragma once

#include <cstdint>
#include <span>

#include "core/result.h"
#include "nn/detail/graph.h"

namespace dd::nn::detail {

// The graph of the file's first subgraph, validated; InvalidArgument for a malformed or
// inconsistent file, DataLoss when the flatbuffer does not verify (truncated/corrupt),
// Unimplemented naming the op or type we do not support. The bytes must stay alive only
// during the call.
Result<Graph> read_tflite(std::span<const uint8_t> bytes);

// IEEE half -> float.
float half_to_float(uint16_t half);

}  // namespace dd::nn::detail
