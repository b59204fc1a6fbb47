#include "report/motion_exports.h"

#include <algorithm>
#include <fstream>
#include <random>

#include "report/angles_csv.h"
#include "report/bvh_export.h"
#include "report/motion_track.h"
#include "report/trc_export.h"

namespace dd::report {
namespace {

struct ExportName {
  MotionExport format;
  std::string_view option;  // in --export lists
  std::string_view stem;
  std::string_view extension;
};

constexpr std::array<ExportName, 3> kExportNames = {{
    {MotionExport::kTrc, "trc", "landmarks", ".trc"},
    {MotionExport::kBvh, "bvh", "skeleton", ".bvh"},
    {MotionExport::kAngles, "angles", "angles", ".csv"},
}};

const ExportName& name_of(MotionExport format) {
  for (const auto& name : kExportNames)
    if (name.format == format) return name;
  return kExportNames[0];
}

Status write_track_export(const MotionTrack& track, MotionExport format, std::string_view file_name,
                          std::ostream& out) {
  switch (format) {
    case MotionExport::kTrc: return write_trc(track, file_name, out);
    case MotionExport::kBvh: return write_bvh(track, out);
    case MotionExport::kAngles: return write_angles_csv(track, out);
  }
  return make_error(ErrorCode::kInternal, "export: unknown format");
}

std::string random_tag() {
  std::random_device device;
  std::uniform_int_distribution<unsigned> digit(0, 15);
  std::string tag;
  for (int i = 0; i < 12; ++i) tag += "0123456789abcdef"[digit(device)];
  return tag;
}

}  // namespace

Result<std::vector<MotionExport>> parse_motion_exports(std::string_view list) {
  std::vector<MotionExport> formats;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    const std::string_view entry = list.substr(start, comma - start);
    const auto found = std::find_if(kExportNames.begin(), kExportNames.end(),
                                    [entry](const ExportName& name) { return name.option == entry; });
    if (found == kExportNames.end()) {
      return make_error(ErrorCode::kInvalidArgument,
                        "unknown export '" + std::string(entry) + "': choose from trc, bvh, angles");
    }
    if (std::find(formats.begin(), formats.end(), found->format) == formats.end())
      formats.push_back(found->format);
    start = comma + 1;
  }
  return formats;
}

std::string motion_export_file_name(MotionExport format, std::string_view dancer_suffix) {
  const auto& name = name_of(format);
  std::string file(name.stem);
  if (!dancer_suffix.empty()) {
    file += '_';
    file += dancer_suffix;
  }
  file += name.extension;
  return file;
}

Result<MotionExport> motion_export_from_file_name(std::string_view file_name) {
  for (const auto& name : kExportNames)
    if (motion_export_file_name(name.format) == file_name) return name.format;
  return make_error(ErrorCode::kInvalidArgument, "unknown export: " + std::string(file_name) +
                                                     " (landmarks.trc, skeleton.bvh or angles.csv)");
}

Status write_motion_export(const pose::PoseSequence& dancer, MotionExport format,
                           const analysis::TrajectoryFilter& filter, std::string_view file_name,
                           std::ostream& out) {
  auto track = build_motion_track(dancer, filter);
  if (!track) return track.error();
  return write_track_export(*track, format, file_name, out);
}

Status write_motion_export_file(const pose::PoseSequence& dancer, MotionExport format,
                                const analysis::TrajectoryFilter& filter, const std::filesystem::path& path) {
  const std::string file_name = path.filename().string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return make_error(ErrorCode::kUnavailable, "export: cannot write " + file_name);
  DD_TRY(write_motion_export(dancer, format, filter, file_name, out));
  if (!out.flush()) return make_error(ErrorCode::kUnavailable, "export: write failed for " + file_name);
  return ok_status();
}

Result<std::vector<std::filesystem::path>> write_motion_exports(const pose::PoseSequence& dancer,
                                                                const std::vector<MotionExport>& formats,
                                                                const analysis::TrajectoryFilter& filter,
                                                                const std::filesystem::path& directory,
                                                                std::string_view dancer_suffix) {
  namespace fs = std::filesystem;
  auto track = build_motion_track(dancer, filter);
  if (!track) return track.error();
  const std::string tag = random_tag();
  std::vector<std::pair<fs::path, fs::path>> written;  // temporary, final
  const auto discard = [&written] {
    std::error_code ignored;
    for (const auto& [temporary, final_path] : written) fs::remove(temporary, ignored);
  };
  for (const auto format : formats) {
    const std::string file_name = motion_export_file_name(format, dancer_suffix);
    const fs::path temporary = directory / ("." + file_name + "." + tag + ".tmp");
    written.emplace_back(temporary, directory / file_name);
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) {
      discard();
      return make_error(ErrorCode::kUnavailable, "export: cannot write " + file_name);
    }
    auto status = write_track_export(*track, format, file_name, out);
    if (status && !out.flush())
      status = make_error(ErrorCode::kUnavailable, "export: write failed for " + file_name);
    if (!status) {
      discard();
      return status.error();
    }
  }
  std::vector<fs::path> paths;
  for (const auto& [temporary, final_path] : written) {
    std::error_code ec;
    fs::rename(temporary, final_path, ec);
    if (ec) {
      discard();
      return make_error(ErrorCode::kUnavailable, "export: cannot move " + final_path.filename().string() +
                                                     " into place: " + ec.message());
    }
    paths.push_back(final_path);
  }
  return paths;
}

}  // namespace dd::report
