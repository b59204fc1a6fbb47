// Keeps two <video> elements in step (play, pause, seek, rate) whichever one the user drives.
// The decision is a pure function (planSync) so it can be unit-tested without a browser.

export const kSeekToleranceS = 0.25;

/** Returns the follower time for a leader time, clamped into the follower's duration when known. */
export function mapTime(leaderTimeS, followerDurationS) {
  if (!Number.isFinite(leaderTimeS) || leaderTimeS < 0) return 0;
  if (Number.isFinite(followerDurationS) && followerDurationS > 0) {
    return Math.min(leaderTimeS, Math.max(0, followerDurationS - 0.001));
  }
  return leaderTimeS;
}

/**
 * Returns what the follower must do to match the leader: {seekTo: number|null, play: bool|null,
 * rate: number|null}. Each field is null when the follower already matches, so applying a plan
 * to an element that echoes events back converges instead of ping-ponging.
 */
export function planSync(leader, follower, toleranceS = kSeekToleranceS) {
  const target = mapTime(leader.currentTime, follower.duration);
  const drift = Math.abs((follower.currentTime ?? 0) - target);
  return {
    seekTo: drift > toleranceS ? target : null,
    play: leader.paused === follower.paused ? null : !leader.paused,
    rate: leader.playbackRate === follower.playbackRate ? null : leader.playbackRate,
  };
}

function apply(plan, follower) {
  if (plan.rate !== null) follower.playbackRate = plan.rate;
  if (plan.seekTo !== null) follower.currentTime = plan.seekTo;
  if (plan.play === true) follower.play().catch(() => {});
  if (plan.play === false) follower.pause();
}

/** Links two videos both ways; returns a function that unlinks them. */
export function linkVideos(a, b) {
  const events = ['play', 'pause', 'seeked', 'ratechange'];
  const handlers = [];
  const follow = (leader, follower) => () => apply(planSync(leader, follower), follower);
  for (const [leader, follower] of [[a, b], [b, a]]) {
    const handler = follow(leader, follower);
    for (const type of events) {
      leader.addEventListener(type, handler);
      handlers.push([leader, type, handler]);
    }
  }
  // Drift correction while playing: only the seek part, driven by the first video.
  const drift = () => {
    if (a.paused || b.seeking || a.seeking) return;
    const plan = planSync(a, b);
    if (plan.seekTo !== null) b.currentTime = plan.seekTo;
  };
  a.addEventListener('timeupdate', drift);
  handlers.push([a, 'timeupdate', drift]);
  return () => handlers.forEach(([el, type, h]) => el.removeEventListener(type, h));
}
