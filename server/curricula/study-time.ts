/**
 * The least time a trainee spends on a lesson before "Đánh dấu đã học xong" counts
 * (issue 14, item 9: it was accepted a second after opening). The number is programme
 * data — `minStudyMinutes` in content/curricula/<code>/programme.yaml — and a
 * **(default, unconfirmed)** value: no guideline sets it. Measured on the server from the
 * first time that trainee opened the lesson (lesson_progress.first_opened_at), so the
 * browser cannot shorten it.
 */
export const DEFAULT_MIN_STUDY_MINUTES = 10;

/** Seconds still to study before completing; 0 when enough time has passed. */
export function studySecondsRemaining(firstOpenedAt: Date | null, now: Date, minMinutes: number): number {
  if (minMinutes <= 0) return 0;
  if (!firstOpenedAt) return minMinutes * 60;
  return Math.max(0, Math.ceil(minMinutes * 60 - (now.getTime() - firstOpenedAt.getTime()) / 1000));
}

/** "Cần học ít nhất 10 phút … Còn khoảng 7 phút nữa." — null when completion is allowed. */
export function studyTimeMessage(firstOpenedAt: Date | null, now: Date, minMinutes: number): string | null {
  const left = studySecondsRemaining(firstOpenedAt, now, minMinutes);
  if (left === 0) return null;
  const remaining = left >= 60 ? `khoảng ${Math.ceil(left / 60)} phút` : `${left} giây`;
  return `Chưa thể đánh dấu đã học xong: mỗi bài cần học ít nhất ${minMinutes} phút kể từ lần đầu mở bài. Còn ${remaining} nữa.`;
}
