/**
 * The one try/catch around service calls (issue 17, item 4). Services throw an
 * AppError (server/errors.ts: an HTTP status and a Vietnamese message the user can act
 * on); a route either answers it as its page (loaders, resource routes) or shows it in
 * place as the action's result (forms). Anything else — a redirect or a Response a guard
 * threw, a bug — passes through untouched, so the error boundary still sees real faults.
 */

/**
 * An AppError as a route sees it: the HTTP status, the message to show, and the error
 * itself for the few routes that read more of it (a `code`, import `issues`).
 */
export type AppFailure = { status: number; message: string; error: Error & { code?: string } };

/** The AppError's status and message; rethrows anything that is not one. */
export function appFailure(e: unknown): AppFailure {
  // Recognised by `status`, not instanceof: the Remix bundle has its own copy of the server modules.
  if (e instanceof Error && typeof (e as { status?: unknown }).status === "number") {
    return { status: (e as Error & { status: number }).status, message: e.message, error: e };
  }
  throw e;
}

/** The failure as a plain-text response: the message, under its status. */
export function failureResponse(f: AppFailure): Response {
  return new Response(f.message, { status: f.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** Runs a loader's (or a resource route's) service calls: an AppError becomes its 4xx page. */
export async function withAppErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw failureResponse(appFailure(e));
  }
}

/**
 * Runs an action's service calls: an AppError becomes `onError(failure)` — usually
 * `{ ok: false, message }` with status 200, so the form shows it in place and Remix
 * revalidates the page (it does not after a 4xx).
 */
export async function actionResult<T, F>(run: () => Promise<T>, onError: (failure: AppFailure) => F | Promise<F>): Promise<T | F> {
  try {
    return await run();
  } catch (e) {
    return await onError(appFailure(e));
  }
}
