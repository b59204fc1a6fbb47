// dancedynamics: the command-line front door (serve, analyze, export, compare, pose, bench, models).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#include "app/analyze_command.h"
#include "app/compare_command.h"
#include "app/exit_code.h"
#include "app/export_command.h"
#include "app/global_options.h"
#include "app/models_command.h"
#include "app/pose_command.h"
#include "app/serve_command.h"
#include "app/worker_command.h"
#include "core/log.h"
#include "core/version.h"

int main(int argc, char** argv) {
  using namespace dd::app;
  GlobalOptions global;
  global.model_dir = dd::kDefaultModelDir;
  int exit_code = kExitOk;

  CLI::App app{"DanceDynamics: dance movement analysis from video (33 BlazePose landmarks, movement, rhythm)",
               "dancedynamics"};
  app.set_version_flag("--version", std::string("dancedynamics ") + dd::kVersion);
  app.require_subcommand(1);
  app.add_option("--model-dir", global.model_dir, "Directory of the .tflite model files")
      ->envname("DD_MODEL_DIR")
      ->capture_default_str();
  app.add_option("--log-level", global.log_level, "Diagnostics level: trace|debug|info|warn|error|off")
      ->envname("DD_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  app.parse_complete_callback([&global] { dd::set_log_level(global.log_level); });

  add_models_command(app, global, &exit_code);
  add_pose_commands(app, global, &exit_code);
  add_analyze_command(app, global, &exit_code);
  add_compare_command(app, global, &exit_code);
  add_export_command(app, global, &exit_code);
  add_serve_command(app, global, &exit_code);
  add_worker_command(app, global, &exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dancedynamics: unexpected error: %s\n", e.what());
    return exit_code_for(dd::ErrorCode::kInternal);
  }
  return exit_code;
}
