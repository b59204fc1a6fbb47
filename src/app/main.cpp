// dancedynamics: the command-line front door (serve, worker, analyze, export, compare, pose, models).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#include "app/cli.h"
#include "app/exit_code.h"
#include "app/global_options.h"
#include "core/version.h"

int main(int argc, char** argv) {
  using namespace dd::app;
  GlobalOptions global;
  global.model_dir = dd::kDefaultModelDir;
  int exit_code = kExitOk;

  CLI::App app{"DanceDynamics: dance movement analysis from video (33 BlazePose landmarks, movement, rhythm)",
               "dancedynamics"};
  add_cli(app, global, &exit_code);
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
