// Replays a fuzz target's seed corpus and every reproducer of a fixed finding through the
// target's own entry point, in the normal (and the ASan) build: the fuzz targets keep
// compiling and every input that once crashed stays a regression test. Linked with one
// fuzz/<target>.cpp; DD_FUZZ_INPUT_DIRS names the directories ('|'-separated).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> input_files() {
  std::vector<fs::path> files;
  std::stringstream dirs(DD_FUZZ_INPUT_DIRS);
  std::string dir;
  while (std::getline(dirs, dir, '|')) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(FuzzReplayTest, SeedsAndReproducers_RunCleanly) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(nullptr, nullptr);
  const auto files = input_files();
  ASSERT_FALSE(files.empty()) << "no inputs in " << DD_FUZZ_INPUT_DIRS;
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    std::ifstream in(file, std::ios::binary);
    const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(LLVMFuzzerTestOneInput(bytes.data(), bytes.size()), 0);
  }
}

}  // namespace
