#include "app/models_command.h"

#include <cstdio>
#include <string>

#include "app/exit_code.h"
#include "app/global_options.h"
#include "pose/model_files.h"

namespace dd::app {

void add_models_command(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  auto* command = app.add_subcommand("models", "Check the installed model files (presence and SHA-256)");
  command->callback([&global, exit_code] {
    int failures = 0;
    for (pose::ModelFile model : pose::kAllModelFiles) {
      auto path = pose::locate_model_file(global.model_dir, model, /*verify_checksum=*/true);
      if (path) {
        std::printf("ok       %-9s %s (%ju bytes)\n", std::string(pose::model_file_short_name(model)).c_str(),
                    path->c_str(), static_cast<uintmax_t>(std::filesystem::file_size(*path)));
      } else {
        std::printf("FAILED   %-9s %s\n", std::string(pose::model_file_short_name(model)).c_str(),
                    path.error().message.c_str());
        *exit_code = exit_code_for(path.error().code);
        ++failures;
      }
    }
    if (failures == 0) *exit_code = kExitOk;
  });
}

}  // namespace dd::app
