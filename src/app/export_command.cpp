#include "app/export_command.h"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include "analysis/trajectory_filter.h"
#include "app/common_flags.h"
#include "app/exit_code.h"
#include "app/global_options.h"
#include "pose/landmarks_json.h"
#include "report/motion_exports.h"

namespace dd::app {
namespace {

namespace fs = std::filesystem;

struct ExportArgs {
  std::string result_dir;
  std::string formats = "trc,bvh,angles";
  std::string filter = "butterworth:6";
  std::string output_dir;  // empty: the result directory
};

Result<std::vector<fs::path>> run_export(const ExportArgs& args) {
  auto formats = report::parse_motion_exports(args.formats);
  if (!formats) return formats.error();
  auto filter = analysis::parse_trajectory_filter(args.filter);
  if (!filter) return filter.error();
  const fs::path landmarks = fs::path(args.result_dir) / "landmarks.json";
  auto document = pose::read_landmarks_json(landmarks);
  if (!document) return document.error();
  const fs::path output_dir = args.output_dir.empty() ? fs::path(args.result_dir) : fs::path(args.output_dir);
  std::error_code ec;
  fs::create_directories(output_dir, ec);
  if (ec)
    return make_error(ErrorCode::kUnavailable, "cannot create " + output_dir.string() + ": " + ec.message());
  return report::write_motion_exports(document->sequence, *formats, *filter, output_dir);
}

}  // namespace

void add_export_command(CLI::App& app, const GlobalOptions& /*global*/, int* exit_code) {
  auto args = std::make_shared<ExportArgs>();
  auto* command = app.add_subcommand(
      "export",
      "Write landmarks.trc (OpenSim), skeleton.bvh (Blender) and angles.csv from an analysed result "
      "directory's landmarks.json");
  command->add_option("dir", args->result_dir, "Result directory of `analyze` (holds landmarks.json)")
      ->required();
  command->add_option("--formats", args->formats, "Comma-separated exports: trc, bvh, angles")
      ->capture_default_str();
  add_export_filter_flag(command, args->filter);
  add_output_flag(command, args->output_dir, "Output directory (default: the result directory)");
  command->callback([exit_code, args] {
    auto written = run_export(*args);
    if (!written) {
      *exit_code = report_error(written.error());
      return;
    }
    for (const auto& path : *written) std::printf("export:    %s\n", path.string().c_str());
    *exit_code = kExitOk;
  });
}

}  // namespace dd::app
