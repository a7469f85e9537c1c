/**
 * Errors a user can act on carry an HTTP status and a Vietnamese message. Routes
 * recognise them by `status` (not instanceof: the Remix bundle has its own copy of
 * modules), see app/lib/guards.server.ts.
 */
export class AppError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
export class Forbidden extends AppError {
  constructor(message = "Bạn không có quyền thực hiện thao tác này.") {
    super(message, 403);
  }
}
export class NotFound extends AppError {
  constructor(message = "Không tìm thấy.") {
    super(message, 404);
  }
}
export class BadRequest extends AppError {
  constructor(message: string) {
    super(message, 400);
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof Error && typeof (e as AppError).status === "number";
}
