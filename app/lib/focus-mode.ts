import { useMatches } from "@remix-run/react";

/**
 * A route that needs the whole screen for one task (a trainee's running exam) exports
 * `handle: FocusModeHandle`; while `focusMode(loaderData)` is true the root layout draws
 * no site header, menu, logout or footer (issue #14, decision 022).
 */
export interface FocusModeHandle {
  focusMode?: (data: unknown) => boolean;
}

export function useFocusMode(): boolean {
  return useMatches().some((m) => {
    const handle = m.handle as FocusModeHandle | undefined;
    return typeof handle?.focusMode === "function" && handle.focusMode(m.data);
  });
}
