// The per-session listener registry both store back-ends share: who is subscribed to which
// session, and delivery of an event to them outside the registry's lock.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/store.h"

namespace dd::store::detail {

// Thread-safe. Must outlive every Subscription it hands out (the store owns it).
class SessionListeners {
 public:
  // Registers `listener` for events of session `id` until the subscription is destroyed.
  Subscription subscribe(const std::string& id, SessionListener listener);

  // Calls every listener of the session on this thread; a listener may unsubscribe itself
  // or others meanwhile, since the calls happen without the lock held.
  void emit(SessionEventType type, const Session& session);

  // Ids of the sessions that have at least one listener.
  std::vector<std::string> subscribed_ids();

  bool has_subscribers(const std::string& id);

 private:
  std::mutex mutex_;
  std::map<std::string, std::map<uint64_t, std::shared_ptr<SessionListener>>> listeners_;
  uint64_t next_token_ = 1;
};

}  // namespace dd::store::detail
