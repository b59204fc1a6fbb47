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

/**
 * Links two videos both ways; returns a function that unlinks them.
 *
 * Each event carries only its own kind of change: a 'pause' never copies the rate, a 'seeked'
 * never starts playback. Events are dispatched later than the change that caused them, so a
 * full-state copy would let a stale event undo what the user did in between (pause, then change
 * the rate, and the other video's late 'pause' event put the old rate back). The events a video
 * fires because this code changed it are echoes and are not sent back for the same reason.
 */
export function linkVideos(a, b) {
  const echoes = new Map([[a, new Set()], [b, new Set()]]);
  const act = (follower, type, change) => {
    echoes.get(follower).add(type);
    change();
  };
  const follow = {
    play: (leader, follower) => {
      if (planSync(leader, follower).play !== true) return;
      act(follower, 'play', () => {
        Promise.resolve(follower.play()).catch(() => echoes.get(follower).delete('play'));
      });
    },
    pause: (leader, follower) => {
      if (planSync(leader, follower).play === false) act(follower, 'pause', () => follower.pause());
    },
    seeked: (leader, follower) => {
      const { seekTo } = planSync(leader, follower);
      if (seekTo !== null) act(follower, 'seeked', () => { follower.currentTime = seekTo; });
    },
    ratechange: (leader, follower) => {
      const { rate } = planSync(leader, follower);
      if (rate !== null) act(follower, 'ratechange', () => { follower.playbackRate = rate; });
    },
  };
  const handlers = [];
  const listen = (target, type, handler) => {
    target.addEventListener(type, handler);
    handlers.push([target, type, handler]);
  };
  for (const [leader, follower] of [[a, b], [b, a]]) {
    for (const type of Object.keys(follow)) {
      listen(leader, type, () => {
        if (echoes.get(leader).delete(type)) return;
        follow[type](leader, follower);
      });
    }
  }
  // Drift correction while playing, driven by the first video.
  listen(a, 'timeupdate', () => {
    if (!a.paused && !a.seeking && !b.seeking) follow.seeked(a, b);
  });
  return () => handlers.forEach(([el, type, h]) => el.removeEventListener(type, h));
}
