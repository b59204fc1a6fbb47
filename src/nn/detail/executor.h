// Builds a runnable nn::Model from an in-memory Graph with either backend. Model::load
// uses it after reading a file; tests use it to run hand-built graphs.
#pragma once

#include <memory>

#include "nn/detail/graph.h"
#include "nn/model.h"

namespace dd::nn::detail {

// A model over a validated graph. kXnnpack folds PADs into convolutions and runs everything
// up to the first CONCATENATION in one XNNPACK runtime (the rest on the reference kernels);
// kReference runs the graph's ops as written. InvalidArgument if the graph does not validate,
// Internal if XNNPACK rejects it. Ops only skipped_outputs need are dropped (see Model::load).
Result<std::unique_ptr<Model>> create_model(Graph graph, const ModelOptions& options,
                                            const std::vector<std::string>& skipped_outputs = {});

}  // namespace dd::nn::detail
