/**
 * This browser's identity in the exam (decision 018): a random device id, and per
 * attempt the device token `exam:start` handed out. The token goes with every answer
 * and the submission; without it the server refuses them (`device_conflict`), and once
 * a proctor moved the attempt to another device it stops working (`device_replaced`).
 * Kept in localStorage so a reload or a restarted browser resumes on the same device.
 */
export function deviceId(): string {
  let id = localStorage.getItem("exam-device-id");
  if (!id) {
    id = crypto.randomUUID();
    localStorage.setItem("exam-device-id", id);
  }
  return id;
}

const tokenKey = (attemptId: number) => `exam-device-token-${attemptId}`;

export function readDeviceToken(attemptId: number): string | null {
  try {
    return localStorage.getItem(tokenKey(attemptId));
  } catch {
    return null;
  }
}

export function saveDeviceToken(attemptId: number, token: string) {
  localStorage.setItem(tokenKey(attemptId), token);
}

/** Answers refused because the server had already submitted the attempt at the deadline, for the result page. */
export function noteLateAnswers(attemptId: number, count: number) {
  try {
    localStorage.setItem(`exam-late-${attemptId}`, String(count));
  } catch {
    // Only an explanation is lost.
  }
}

export function lateAnswers(attemptId: number): number {
  try {
    return Number(localStorage.getItem(`exam-late-${attemptId}`) ?? 0);
  } catch {
    return 0;
  }
}
