// Runs the real dancedynamics binary and checks its output and exit codes.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "app/cli.h"
#include "app/exit_code.h"
#include "app/serve_command.h"
#include "command_runner.h"
#include "core/version.h"

namespace {

using dd::app::testing::RunResult;

RunResult run_cli(const std::string& args, const std::string& env = "") {
  return dd::app::testing::run_command(env + " " + DD_CLI_PATH + " " + args);
}

TEST(CliTest, VersionPrintsProjectVersion) {
  auto run = run_cli("--version");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.output.find(std::string("dancedynamics ") + dd::kVersion), std::string::npos) << run.output;
}

TEST(CliTest, HelpListsSubcommandsAndOptions) {
  auto run = run_cli("--help");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.output.find("models"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("--model-dir"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("DD_MODEL_DIR"), std::string::npos) << run.output;
}

TEST(CliTest, UnknownOptionIsAUsageError) {
  auto run = run_cli("models --no-such-flag");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.output.find("no-such-flag"), std::string::npos) << run.output;
}

TEST(CliTest, ModelsCommandVerifiesInstalledModels) {
  auto run = run_cli(std::string("--model-dir ") + DD_TEST_MODEL_DIR + " models");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("pose_landmark_heavy.tflite"), std::string::npos) << run.output;
}

TEST(CliTest, ModelDirFromEnvironmentAndFlagOverridesIt) {
  auto from_env = run_cli("models", "DD_MODEL_DIR=/nonexistent-dir");
  EXPECT_EQ(from_env.exit_code, dd::app::exit_code_for(dd::ErrorCode::kNotFound)) << from_env.output;
  EXPECT_NE(from_env.output.find("/nonexistent-dir/pose_detection.tflite"), std::string::npos);
  auto flag_wins =
      run_cli(std::string("--model-dir ") + DD_TEST_MODEL_DIR + " models", "DD_MODEL_DIR=/nonexistent-dir");
  EXPECT_EQ(flag_wins.exit_code, 0) << flag_wins.output;
}

TEST(CliTest, BadLogLevelIsRejected) {
  auto run = run_cli("--log-level loud models");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.output.find("loud"), std::string::npos) << run.output;
}

// Every option of the real command line, by command ("" for the global options).
struct DeclaredOption {
  std::string command;
  std::string name;
  std::string env;
  std::string description;
};

std::vector<DeclaredOption> declared_options() {
  CLI::App app;
  dd::app::GlobalOptions global;
  int exit_code = 0;
  dd::app::add_cli(app, global, &exit_code);
  std::vector<DeclaredOption> options;
  auto collect = [&options](const CLI::App& command, const std::string& name) {
    for (const CLI::Option* option : command.get_options()) {
      options.push_back({name, option->get_name(), option->get_envname(), option->get_description()});
    }
  };
  collect(app, "");
  for (const CLI::App* command : app.get_subcommands({})) collect(*command, command->get_name());
  return options;
}

TEST(CliDeclarationTest, EveryEnvironmentVariableIsDeclaredOnce) {
  std::map<std::string, DeclaredOption> first_by_env;
  std::set<std::pair<std::string, std::string>> command_env;
  for (const auto& option : declared_options()) {
    if (option.env.empty()) continue;
    EXPECT_TRUE(command_env.insert({option.command, option.env}).second)
        << option.env << " is read by two flags of `" << option.command << "`";
    auto [first, inserted] = first_by_env.emplace(option.env, option);
    if (inserted) continue;
    // Offered by several commands: one declaration, so the same flag and the same help.
    EXPECT_EQ(option.name, first->second.name) << option.env << " on `" << option.command << "`";
    EXPECT_EQ(option.description, first->second.description)
        << option.env << " on `" << option.command << "`";
  }
}

TEST(CliDeclarationTest, SharedFlagsReadOneVariable) {
  // A flag that several commands take comes from one declaration, so it reads one environment
  // variable everywhere; --model means two settings: a run's model (DD_MODEL) and a server's
  // default for requests that name none (MODEL_COMPLEXITY).
  std::map<std::string, std::set<std::string>> env_by_name;
  for (const auto& option : declared_options()) {
    if (option.name.rfind("--", 0) == 0) env_by_name[option.name].insert(option.env);
  }
  for (const auto& [name, envs] : env_by_name) {
    if (name == "--model") {
      EXPECT_EQ(envs, (std::set<std::string>{"DD_MODEL", "MODEL_COMPLEXITY"}));
    } else {
      EXPECT_EQ(envs.size(), 1u) << name;
    }
  }
  // Every command that writes results takes -o/--output.
  for (const auto& option : declared_options()) {
    if (option.command == "pose" || option.command == "analyze" || option.command == "compare") {
      if (option.description.find("Output") == 0) {
        EXPECT_EQ(option.name, "--output") << option.command;
      }
    }
  }
}

TEST(CliDeclarationTest, ReadmeTablesListExactlyTheVariablesTheProgramReads) {
  std::set<std::string> read;
  for (const auto& option : declared_options()) {
    if (!option.env.empty()) read.insert(option.env);
  }
  read.insert(dd::app::kApiTokenVariable);  // read from the environment only

  std::ifstream readme(DD_README_PATH);
  ASSERT_TRUE(readme) << "cannot read " << DD_README_PATH;
  const std::regex table_row(R"(^\| `([A-Z][A-Z0-9_]*)` \|)");
  std::set<std::string> documented;
  for (std::string line; std::getline(readme, line);) {
    std::smatch match;
    if (std::regex_search(line, match, table_row)) documented.insert(match[1]);
  }
  EXPECT_EQ(documented, read);
}

TEST(CliTest, PoseTakesOutputAndItsOlderSpelling) {
  auto help = run_cli("pose --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("-o,--output,--out"), std::string::npos) << help.output;
}

TEST(CliTest, ServeAndWorkerRefuseAnUnknownModel) {
  for (const char* command : {"serve", "worker"}) {
    auto run = run_cli(std::string(command) + " --model huge");
    EXPECT_NE(run.exit_code, 0) << command;
    EXPECT_NE(run.output.find("huge"), std::string::npos) << run.output;
  }
}

}  // namespace
