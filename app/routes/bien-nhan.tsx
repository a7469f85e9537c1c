import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { formatDateTime } from "~/lib/labels";
import { Notice } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Kiểm tra biên nhận bài làm — Bồi Dưỡng" }];

/** Public (no login): confirms that a submission with this receipt exists, and nothing more. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const code = new URL(request.url).searchParams.get("ma")?.trim() ?? "";
  if (!code) return { code, found: null, checked: false };
  return { code, found: await context.services.exams.verifyReceipt(code), checked: true };
}

export default function Receipt() {
  const { code, found, checked } = useLoaderData<typeof loader>();
  return (
    <div className="login-wrap">
      <h1>Kiểm tra biên nhận bài làm</h1>
      <Form method="get" className="card form">
        <div className="field">
          <label htmlFor="ma">Mã biên nhận</label>
          <input id="ma" name="ma" defaultValue={code} placeholder="VD: 7K2M-QX4B-9TRE" autoCapitalize="characters" required />
        </div>
        <button className="button" type="submit">
          Kiểm tra
        </button>
      </Form>
      {checked ? (
        found ? (
          <div className="notice-ok" role="status">
            <p style={{ marginTop: 0 }}>
              <strong>Biên nhận hợp lệ.</strong>
            </p>
            <p>
              {found.exam} — {found.className}
            </p>
            <p style={{ marginBottom: 0 }}>
              Nộp lúc {formatDateTime(found.submittedAt)} (
              {found.submittedBy === "server"
                ? "hệ thống tự nộp khi hết giờ"
                : found.submittedBy === "proctor"
                  ? "giám thị thu bài"
                  : "học viên nộp"}
              ); {found.answered} câu có trả lời.
            </p>
          </div>
        ) : (
          <Notice tone="error">Không tìm thấy bài làm nào có mã biên nhận này. Kiểm tra lại mã (12 ký tự, dạng XXXX-XXXX-XXXX).</Notice>
        )
      ) : null}
    </div>
  );
}
