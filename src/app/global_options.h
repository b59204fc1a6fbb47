// Options shared by every subcommand of the CLI.
#pragma once

#include <string>

namespace dd::app {

struct GlobalOptions {
  std::string model_dir;           // directory of the .tflite files (flag --model-dir, env DD_MODEL_DIR)
  std::string log_level = "info";  // trace|debug|info|warn|error|off (flag --log-level, env DD_LOG_LEVEL)
};

}  // namespace dd::app
