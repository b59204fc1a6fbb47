#include "app/compare_command.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/common_flags.h"
#include "app/console.h"
#include "app/exit_code.h"
#include "app/global_options.h"
#include "compare/compare_job.h"
#include "pose/landmarks_json.h"

namespace dd::app {
namespace {

namespace fs = std::filesystem;

struct CompareArgs {
  std::string reference;
  std::string student;
  std::string output_dir = "dancedynamics-comparison";
  std::string mirror = "auto";
  bool no_video = false;
  // How video inputs are analysed (the flags fill the pose options; no overlay video).
  pipeline::PipelineOptions pose_run = [] {
    pipeline::PipelineOptions options;
    options.write_video = false;
    return options;
  }();
};

// A scratch directory for the pose runs of video inputs, removed on every exit path.
class ScratchDir {
 public:
  ScratchDir()
      : path_(fs::temp_directory_path() / ("dd-compare-" + std::to_string(std::random_device{}()))) {}
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// A result directory of `analyze -o` stores only the video's file name: look for it inside
// the directory, beside it, and in the working directory.
fs::path find_original_video(const fs::path& result_dir, const std::string& name) {
  if (name.empty()) return {};
  std::error_code ec;
  for (const fs::path& candidate : {result_dir / name, result_dir.parent_path() / name, fs::path(name)})
    if (fs::is_regular_file(candidate, ec)) return candidate;
  return {};
}

// An input as the comparison needs it: a result directory is used as it is, a video is
// analysed first (pose and analysis only, no overlay video) into scratch/<role>.
Result<compare::CompareInput> prepare_input(const std::string& argument, const char* role,
                                            const fs::path& scratch, const GlobalOptions& global,
                                            const CompareArgs& args, ProgressPrinter& printer,
                                            std::stop_token stop) {
  const fs::path path(argument);
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    compare::CompareInput input;
    input.landmarks_json = path / "landmarks.json";
    if (!fs::is_regular_file(input.landmarks_json, ec))
      return make_error(ErrorCode::kNotFound, std::string(role) + ": " + path.string() +
                                                  " has no landmarks.json (expected a directory written by "
                                                  "`dancedynamics analyze -o`, or a video)");
    if (!args.no_video) {
      auto document = pose::read_landmarks_json(input.landmarks_json);
      if (!document) return document.error();
      input.video = find_original_video(path, document->video);
      if (input.video.empty())
        return make_error(ErrorCode::kNotFound,
                          std::string(role) + ": the original video '" + document->video + "' of " +
                              path.string() + " was not found; pass the video itself or use --no-video");
    }
    return input;
  }
  if (!fs::is_regular_file(path, ec))
    return make_error(ErrorCode::kNotFound, std::string(role) + " not found: " + argument);

  std::fprintf(stderr, "finding the %s's poses in %s\n", role, path.filename().c_str());
  pipeline::PipelineOptions options = args.pose_run;
  options.pose.model_dir = global.model_dir;
  auto outputs = pipeline::run(
      path, scratch / role, options, [&printer](const pipeline::Progress& p) { printer(p); }, stop);
  if (!outputs) return outputs.error();
  return compare::CompareInput{path, outputs->landmarks_json};
}

void print_summary(const fs::path& comparison_json, const compare::CompareOutputs& outputs) {
  std::ifstream in(comparison_json);
  const auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) return;
  auto number = [](const nlohmann::json& v) { return v.is_number() ? v.get<double>() : NAN; };
  std::printf("similarity: %.0f / 100%s\n", number(j["similarity"]),
              j["mirror"].get<bool>() ? " (compared mirrored)" : "");
  const double offset = number(j["offset_s"]);
  const double tempo = number(j["tempo_ratio"]);
  if (j.value("different_choreography", false)) {
    // Offset and tempo are null then: aligning two different dances measures nothing.
    std::printf("timing:     not comparable: %s\n",
                j.value("choreography_note", std::string("the two videos show different dances")).c_str());
  } else if (std::isfinite(offset) && std::isfinite(tempo)) {
    std::printf("timing:     student %.2f s %s the reference; tempo x%.2f (%s)\n", std::abs(offset),
                offset >= 0 ? "behind" : "ahead of", tempo,
                std::abs(tempo - 1) < 0.02 ? "same pace" : (tempo > 1 ? "student slower" : "student faster"));
  }
  std::printf("body parts:");
  for (const auto& [name, value] : j["body_parts"].items())
    std::printf(" %s %.0f", name.c_str(), number(value));
  std::printf("\n");
  if (!j["worst_moments"].empty()) std::printf("worst moments:\n");
  for (const auto& m : j["worst_moments"])
    std::printf("  %6.2f s (student %6.2f s)  %-9s off by %.0f deg\n", number(m["t_reference"]),
                number(m["t_student"]), m["body_part"].get<std::string>().c_str(),
                number(m["deviation_deg"]));
  std::printf("comparison: %s\n", outputs.comparison_json.c_str());
  if (!outputs.comparison_mp4.empty()) std::printf("video:      %s\n", outputs.comparison_mp4.c_str());
}

int run_compare(const GlobalOptions& global, const CompareArgs& args) {
  compare::CompareOptions options;
  const auto mirror = compare::parse_mirror_mode(args.mirror);
  if (!mirror)
    return report_error(make_error(ErrorCode::kInvalidArgument, "--mirror must be auto, on or off"));
  options.mirror = *mirror;

  std::stop_source stop;
  InterruptWatcher watcher(stop);
  ProgressPrinter printer;
  ScratchDir scratch;
  auto reference =
      prepare_input(args.reference, "reference", scratch.path(), global, args, printer, stop.get_token());
  if (!reference) return report_error(reference.error());
  auto student =
      prepare_input(args.student, "student", scratch.path(), global, args, printer, stop.get_token());
  if (!student) return report_error(student.error());

  auto outputs = compare::run_comparison(
      *reference, *student, args.output_dir, options, !args.no_video,
      [&printer](const pipeline::Progress& p) { printer(p); }, stop.get_token());
  if (!outputs) return report_error(outputs.error());
  print_summary(outputs->comparison_json, *outputs);
  return kExitOk;
}

}  // namespace

void add_compare_command(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  auto args = std::make_shared<CompareArgs>();
  auto* command = app.add_subcommand(
      "compare",
      "Compare a student's dance with a reference: comparison.json and a side-by-side comparison.mp4");
  command->add_option("reference", args->reference, "Reference video, or a result directory of `analyze -o`")
      ->required();
  command->add_option("student", args->student, "Student video, or a result directory of `analyze -o`")
      ->required();
  add_output_flag(command, args->output_dir, "Output directory (created if missing)");
  command
      ->add_option("--mirror", args->mirror,
                   "Compare the student mirrored: auto (try both, keep the better) | on | off")
      ->check(CLI::IsMember({"auto", "on", "off"}))
      ->capture_default_str();
  add_model_flag(command, args->pose_run.pose.model);
  command->add_flag("--no-video", args->no_video, "Write only comparison.json (no side-by-side video)");
  add_threads_flag(command, args->pose_run.pose.num_threads);
  command->callback([&global, exit_code, args] { *exit_code = run_compare(global, *args); });
}

}  // namespace dd::app
