// Comparison sessions: a store Session whose options.kind is "comparison" and names
// two analysed sessions; shared by the API (validation) and the job queue (running the job).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "compare/compare.h"
#include "compare/compare_job.h"
#include "core/result.h"
#include "store/store.h"

namespace dd::jobs {

inline constexpr std::string_view kComparisonKind = "comparison";

// True when a session's stored options mark it as a comparison.
bool is_comparison(const nlohmann::json& options);

// "comparison" or "analysis": the session kind the API reports.
std::string session_kind(const nlohmann::json& options);

// The string stored under `key` ("reference_id", "student_id", "mirror"); empty when absent or not a string.
std::string comparison_field(const nlohmann::json& options, std::string_view key);

// The inputs a comparison reads from analysed session `id`: its uploaded video and its
// landmarks.json. NotFound when the session does not exist; InvalidArgument when it is itself a
// comparison; FailedPrecondition when it has not completed or its files are gone. `role`
// ("reference" or "student") starts every message.
Result<compare::CompareInput> comparison_source(store::Store& store, const std::string& id,
                                                std::string_view role);

// The compare options stored in a comparison session's options (mirror; defaults otherwise).
compare::CompareOptions comparison_options(const nlohmann::json& options);

}  // namespace dd::jobs
