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

// --threads (env DD_THREADS): inference threads of a run or of each job; 0 = all cores.
CLI::Option* add_threads_flag(CLI::App* command, int& threads);

// --filter (env DD_EXPORT_FILTER): the motion exports' trajectory filter,
// none | one-euro | butterworth[:HZ]; checked when the command runs.
CLI::Option* add_export_filter_flag(CLI::App* command, std::string& filter);

// -o/--output: where a command writes its results (`what` says whether a file or a folder);
// `older_name` is a spelling the command accepted before, kept as a synonym.
CLI::Option* add_output_flag(CLI::App* command, std::string& output, const std::string& what,
                             const std::string& older_name = "");

}  // namespace dd::app
