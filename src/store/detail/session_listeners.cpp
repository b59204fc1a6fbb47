#include "store/detail/session_listeners.h"

#include <utility>

namespace dd::store::detail {

Subscription SessionListeners::subscribe(const std::string& id, SessionListener listener) {
  std::lock_guard lock(mutex_);
  const uint64_t token = next_token_++;
  listeners_[id].emplace(token, std::make_shared<SessionListener>(std::move(listener)));
  return Subscription([this, id, token] {
    std::lock_guard unsubscribe_lock(mutex_);
    auto it = listeners_.find(id);
    if (it == listeners_.end()) return;
    it->second.erase(token);
    if (it->second.empty()) listeners_.erase(it);
  });
}

void SessionListeners::emit(SessionEventType type, const Session& session) {
  std::vector<std::shared_ptr<SessionListener>> targets;
  {
    std::lock_guard lock(mutex_);
    auto it = listeners_.find(session.id);
    if (it == listeners_.end()) return;
    for (const auto& [token, listener] : it->second) targets.push_back(listener);
  }
  const SessionEvent event{type, session};
  for (const auto& listener : targets) (*listener)(event);
}

std::vector<std::string> SessionListeners::subscribed_ids() {
  std::lock_guard lock(mutex_);
  std::vector<std::string> ids;
  for (const auto& [id, listeners] : listeners_) ids.push_back(id);
  return ids;
}

bool SessionListeners::has_subscribers(const std::string& id) {
  std::lock_guard lock(mutex_);
  return listeners_.contains(id);
}

}  // namespace dd::store::detail
