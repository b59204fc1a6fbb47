// Logging for every module: spdlog behind DD_LOG_* macros. The logger is the one
// documented global. Lines carry a module prefix ("pose: ..."); lines below the
// level are never formatted.
#pragma once

#include <spdlog/spdlog.h>

#include <string_view>

namespace dd {

// Sets the global level from a name (trace, debug, info, warn, error, off);
// returns false for an unknown name. Diagnostics go to stderr.
bool set_log_level(std::string_view level_name);

}  // namespace dd

#define DD_LOG_DEBUG(...) SPDLOG_LOGGER_CALL(spdlog::default_logger_raw(), spdlog::level::debug, __VA_ARGS__)
#define DD_LOG_INFO(...) SPDLOG_LOGGER_CALL(spdlog::default_logger_raw(), spdlog::level::info, __VA_ARGS__)
#define DD_LOG_WARN(...) SPDLOG_LOGGER_CALL(spdlog::default_logger_raw(), spdlog::level::warn, __VA_ARGS__)
#define DD_LOG_ERROR(...) SPDLOG_LOGGER_CALL(spdlog::default_logger_raw(), spdlog::level::err, __VA_ARGS__)
