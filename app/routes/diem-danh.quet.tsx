import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { searchId } from "~/lib/params.server";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireViewer } from "~/lib/guards.server";
import { Notice } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Điểm danh — Bồi Dưỡng" }];

/**
 * Where the class QR on the projector leads. A trainee not logged in goes through the
 * login page and comes back here (requireViewer keeps the address). Checking in is a
 * POST: a link preview or a prefetch must never mark anybody present.
 */
function codeFrom(url: URL) {
  // The session id must fit the int4 column; anything else is simply not a code.
  return { s: searchId(url.searchParams, "s") ?? NaN, t: Number(url.searchParams.get("t")), h: url.searchParams.get("h") ?? "" };
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireViewer(context, request);
  const c = codeFrom(new URL(request.url));
  return { valid: Number.isInteger(c.s) && Number.isInteger(c.t) && c.h.length > 0 };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const viewer = requireViewer(context, request);
  return context.services.classRecords.checkIn(viewer, codeFrom(new URL(request.url)));
}

export default function CheckIn() {
  const { valid } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <div className="login-wrap">
      <h1>Điểm danh buổi học</h1>
      {a?.ok ? (
        <div className="notice-ok" role="status">
          <p style={{ marginTop: 0 }}>
            <strong>{a.already ? "Bạn đã điểm danh buổi này rồi." : "Đã điểm danh: có mặt."}</strong>
          </p>
          <p style={{ marginBottom: 0 }}>
            {a.className} — {a.sessionTitle}
          </p>
        </div>
      ) : (
        <>
          {a && !a.ok ? <Notice tone="error">{a.message}</Notice> : null}
          {valid ? (
            <Form method="post">
              <button className="button" type="submit" disabled={busy} style={{ width: "100%" }}>
                Xác nhận có mặt
              </button>
            </Form>
          ) : (
            <Notice tone="error">Đường dẫn điểm danh không đầy đủ. Hãy quét lại mã QR đang chiếu trên màn hình.</Notice>
          )}
        </>
      )}
      <p>
        <Link to="/diem-danh">Mã điểm danh cá nhân của tôi</Link>
      </p>
    </div>
  );
}
