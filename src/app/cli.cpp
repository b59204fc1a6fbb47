#include "app/cli.h"

#include <string>

#include "app/analyze_command.h"
#include "app/compare_command.h"
#include "app/export_command.h"
#include "app/models_command.h"
#include "app/pose_command.h"
#include "app/serve_command.h"
#include "app/worker_command.h"
#include "core/log.h"
#include "core/version.h"

namespace dd::app {

void add_cli(CLI::App& app, GlobalOptions& global, int* exit_code) {
  app.set_version_flag("--version", std::string("dancedynamics ") + kVersion);
  app.require_subcommand(1);
  app.add_option("--model-dir", global.model_dir, "Directory of the .tflite model files")
      ->envname("DD_MODEL_DIR")
      ->capture_default_str();
  app.add_option("--log-level", global.log_level, "Diagnostics level: trace|debug|info|warn|error|off")
      ->envname("DD_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  app.parse_complete_callback([&global] { set_log_level(global.log_level); });

  add_models_command(app, global, exit_code);
  add_pose_commands(app, global, exit_code);
  add_analyze_command(app, global, exit_code);
  add_export_command(app, global, exit_code);
  add_compare_command(app, global, exit_code);
  add_serve_command(app, global, exit_code);
  add_worker_command(app, global, exit_code);
}

}  // namespace dd::app
