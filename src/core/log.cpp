#include "core/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <string>

namespace dd {

bool set_log_level(std::string_view level_name) {
  const auto level = spdlog::level::from_str(std::string(level_name));
  // from_str maps unknown names to "off"; only accept "off" when it was asked for.
  if (level == spdlog::level::off && level_name != "off") return false;
  static const bool stderr_installed = [] {
    auto logger = spdlog::stderr_color_mt("dd");
    logger->set_pattern("%^%L%$ %H:%M:%S.%e %v");
    spdlog::set_default_logger(logger);
    return true;
  }();
  (void)stderr_installed;
  spdlog::set_level(level);
  return true;
}

}  // namespace dd
