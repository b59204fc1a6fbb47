// Waiting on a condition with a deadline: a test polls what it asserts on instead of sleeping
// for a guessed time, so a busy machine makes it slower, never wrong.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace dd::test {

// Generous: the deadline only costs time when the condition never comes true.
inline constexpr std::chrono::milliseconds kWaitTimeout{30000};

// True as soon as `condition` holds (checked every `poll`); false if it still does not once
// `timeout` has passed.
inline bool wait_until(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = kWaitTimeout,
                       std::chrono::milliseconds poll = std::chrono::milliseconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(poll);
  }
  return true;
}

}  // namespace dd::test
