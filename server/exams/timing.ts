/**
 * When an attempt must end. The deadline lives on the server; clients show time from
 * a server offset. Pure.
 */
export interface TimingPolicy {
  durationMinutes: number;
  /** The exam window's end: no attempt runs past it (plus grace). */
  closesAt: Date;
  /** Seconds after the deadline during which answers are still accepted (network slack). */
  graceSeconds: number;
}

export interface Accommodation {
  extraMinutes: number;
  multiplier: number;
}

export const NO_ACCOMMODATION: Accommodation = { extraMinutes: 0, multiplier: 1 };

export function deadlineFor(startedAt: Date, policy: TimingPolicy, acc: Accommodation = NO_ACCOMMODATION, pausedSeconds = 0): Date {
  const minutes = policy.durationMinutes * acc.multiplier + acc.extraMinutes;
  const personal = startedAt.getTime() + minutes * 60_000 + pausedSeconds * 1000;
  // Extra time may run past the window's end: the accommodation is the trainee's right.
  const windowEnd =
    policy.closesAt.getTime() + (acc.extraMinutes + policy.durationMinutes * (acc.multiplier - 1)) * 60_000 + pausedSeconds * 1000;
  return new Date(Math.min(personal, windowEnd));
}

/** Whether an answer arriving at `now` still counts. */
export function acceptsAnswers(deadline: Date, now: Date, graceSeconds: number): boolean {
  return now.getTime() <= deadline.getTime() + graceSeconds * 1000;
}

export function secondsLeft(deadline: Date, now: Date): number {
  return Math.max(0, Math.floor((deadline.getTime() - now.getTime()) / 1000));
}
