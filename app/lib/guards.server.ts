import { redirect } from "@remix-run/node";
import type { AppLoadContext } from "@remix-run/node";
import type { Role } from "../../server/db/schema";
import type { Viewer } from "../../server/auth/scope";
import { hasRole } from "../../server/auth/scope";
import { appFailure, failureResponse } from "./app-errors.server";

/** Throwing guards for loaders and actions (design.md, convention 5). */
export function requireViewer(context: AppLoadContext, request: Request): Viewer {
  const viewer = context.viewer;
  const url = new URL(request.url);
  if (!viewer) {
    const next = url.pathname === "/" ? "" : `?next=${encodeURIComponent(url.pathname + url.search)}`;
    throw redirect(`/dang-nhap${next}`);
  }
  // An account issued with a generated password must choose its own first.
  if (viewer.mustChangePassword && url.pathname !== "/doi-mat-khau") throw redirect("/doi-mat-khau");
  return viewer;
}

export function requireRole(context: AppLoadContext, request: Request, roles: Role[]): Viewer {
  const viewer = requireViewer(context, request);
  if (!hasRole(viewer, roles)) throw forbidden("Trang này không dành cho vai trò của bạn.");
  return viewer;
}

export function forbidden(message: string): Response {
  return new Response(message, { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** Turns a service's AppError (status + Vietnamese message) into a Response; rethrows the rest. */
export function asResponse(e: unknown): Response {
  return failureResponse(appFailure(e));
}
