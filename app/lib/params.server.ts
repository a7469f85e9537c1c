import { z } from "zod";

/**
 * Numeric route parameters (issue 13, item 11). An id that is not a positive whole
 * number in the column's range is a page that does not exist: 404 with the app's
 * Vietnamese not-found page, never a database error (a 500). Row ids are PostgreSQL
 * `integer` (int4) columns; `bigint` columns (audit_log, exam_event) would need the
 * int8 bound, which no route exposes today.
 */
export const INT4_MAX = 2_147_483_647;

/** Decimal digits only (no sign, no point, no exponent, no leading zero), then the range. */
const int4Id = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/)
  .transform(Number)
  .pipe(z.number().int().min(1).max(INT4_MAX));

/** The id in `value`, or null when it is not one. */
export function parseId(value: string | undefined): number | null {
  const r = int4Id.safeParse(value);
  return r.success ? r.data : null;
}

export function notFound(message = "Địa chỉ này không tồn tại. Hãy kiểm tra lại đường dẫn hoặc quay về trang chủ."): Response {
  return new Response(message, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** The route parameter `name` as a row id; throws the 404 page when it is not one. */
export function idParam(params: Readonly<Record<string, string | undefined>>, name: string): number {
  const id = parseId(params[name]);
  if (id === null) throw notFound();
  return id;
}

/**
 * A numeric id in the query string (`?buoi=`, `?don-vi=`…) where it only narrows the page:
 * undefined when absent or not an id, so `?don-vi=99999999999` reads as no filter instead
 * of reaching the database as an out-of-range integer (a 500).
 */
export function searchId(query: URLSearchParams, name: string): number | undefined {
  return parseId(query.get(name) ?? undefined) ?? undefined;
}

/** A numeric id in the query string that the page cannot do without: the 404 page when it is not one. */
export function requiredSearchId(query: URLSearchParams, name: string): number {
  const id = parseId(query.get(name) ?? undefined);
  if (id === null) throw notFound();
  return id;
}
