#include "app/common_flags.h"

#include <map>
#include <vector>

#include "pose/model_files.h"

namespace dd::app {
namespace {

const std::vector<std::string>& model_names() {
  static const std::vector<std::string> names(pose::kLandmarkModelNames.begin(),
                                              pose::kLandmarkModelNames.end());
  return names;
}

std::string model_help(const std::string& lead) {
  return lead + ": " + pose::landmark_model_names_text() + " (lightest and fastest first)";
}

}  // namespace

CLI::Option* add_model_flag(CLI::App* command, std::string& model) {
  return command->add_option("--model", model, model_help("Landmark model"))
      ->envname("DD_MODEL")
      ->check(CLI::IsMember(model_names()))
      ->capture_default_str();
}

CLI::Option* add_default_model_flag(CLI::App* command, std::string& model) {
  std::map<std::string, std::string> complexity;
  for (size_t i = 0; i < model_names().size(); ++i) complexity[std::to_string(i)] = model_names()[i];
  return command->add_option("--model", model, model_help("Landmark model of a request that names none"))
      ->envname("MODEL_COMPLEXITY")
      ->transform(CLI::Transformer(complexity))
      ->check(CLI::IsMember(model_names()))
      ->capture_default_str();
}

CLI::Option* add_threads_flag(CLI::App* command, int& threads) {
  return command->add_option("--threads", threads, "Inference threads of a run (0 = all cores)")
      ->envname("DD_THREADS")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
}

CLI::Option* add_output_flag(CLI::App* command, std::string& output, const std::string& what,
                             const std::string& older_name) {
  const std::string names = older_name.empty() ? "-o,--output" : "-o,--output," + older_name;
  return command->add_option(names, output, what)->capture_default_str();
}

CLI::Option* add_export_filter_flag(CLI::App* command, std::string& filter) {
  return command
      ->add_option("--filter", filter,
                   "Trajectory filter of the motion exports: none | one-euro | butterworth[:HZ] (zero-lag, "
                   "cut-off in Hz)")
      ->envname("DD_EXPORT_FILTER")
      ->capture_default_str();
}

}  // namespace dd::app
