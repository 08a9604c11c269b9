/**
 * Messages fanned out to every running process of every app (a fan-out exchange), over Redis
 * pub/sub. Delivery is at most once and only to processes connected at that moment: a process that was
 * away catches up by its own periodic rescan, so these messages speed convergence up, they do not carry
 * state that exists nowhere else.
 */
export type ControlMessage =
  /** Rescan the repository folder of one model (or all) and converge. */
  | { type: 'model.sync'; model?: string }
  /** Drop cached predictions of a model (all versions when none is given). */
  | { type: 'cache.invalidate'; model: string; version?: number }
  /** Re-read label files and reference statistics of a model. */
  | { type: 'model.refresh-reference'; model: string };

export type ControlMessageType = ControlMessage['type'];
