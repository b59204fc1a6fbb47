// Reconnect delays for the progress WebSocket: exponential with a cap and optional jitter.

/**
 * Returns the delay in ms before reconnect attempt `attempt` (0-based): base * 2^attempt capped at
 * maxMs, then spread by up to ±jitter (0..1) using random() so many clients do not retry in step.
 */
export function backoffDelayMs(attempt, { baseMs = 500, maxMs = 10000, jitter = 0.2, random = Math.random } = {}) {
  const n = Math.max(0, Math.floor(attempt));
  const raw = Math.min(maxMs, baseMs * 2 ** Math.min(n, 30));
  const spread = raw * jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(Math.min(maxMs, raw + spread)));
}
