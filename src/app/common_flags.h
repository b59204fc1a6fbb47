// Flags that several commands take, each declared once here so its name, environment
// variable, check and help read the same on every command.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace dd::app {

// --model (env DD_MODEL): the landmark model of a run, one of pose::kLandmarkModelNames.
CLI::Option* add_model_flag(CLI::App* command, std::string& model);

// --model (env MODEL_COMPLEXITY) of `serve` and `worker`: the landmark model of a request that
// names none; MediaPipe's model_complexity numbers 0, 1, 2 are accepted too.
CLI::Option* add_default_model_flag(CLI::App* command, std::string& model);

}  // namespace dd::app
