import { useSyncExternalStore } from "react";

/**
 * Whether the browser believes it is online. Links use it to turn off Remix's
 * prefetch while offline: prefetching imports the target route's module, and a
 * failed import makes Remix reload the whole page — which, offline, replaces an
 * exam in progress with the browser's "no internet" page (found by
 * tests/e2e/exam-offline.spec.ts).
 */
export function useOnline(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => navigator.onLine,
    () => true,
  );
}

function subscribe(onChange: () => void) {
  window.addEventListener("online", onChange);
  window.addEventListener("offline", onChange);
  return () => {
    window.removeEventListener("online", onChange);
    window.removeEventListener("offline", onChange);
  };
}

/** The prefetch mode for links: on intent while online, never while offline. */
export function usePrefetch(): "intent" | "none" {
  return useOnline() ? "intent" : "none";
}
