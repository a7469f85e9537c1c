import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatVnDate } from "../../server/rules/dates";
import { Notice } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Xác minh giấy chứng nhận — Bồi Dưỡng" }, { name: "robots", content: "noindex" }];

/**
 * Public (no login), opened from the QR on a certificate. Shows only what the paper
 * itself shows: name, programme, class, number, date, validity — nothing else about
 * the person (decision 009).
 */
export async function loader({ context, params }: LoaderFunctionArgs) {
  return { found: await context.services.classRecords.verify(params.code ?? "") };
}

const STATUS: Record<string, string> = { valid: "Có hiệu lực", revoked: "Đã bị thu hồi", superseded: "Đã được thay bằng giấy cấp lại" };

export default function Verify() {
  const { found } = useLoaderData<typeof loader>();
  return (
    <div className="login-wrap">
      <h1>Xác minh giấy chứng nhận</h1>
      {found ? (
        <div className={found.valid ? "notice-ok" : "form-error"} role="status">
          <p style={{ marginTop: 0 }}>
            <strong className={found.valid ? "verdict verdict--ok" : "verdict verdict--err"}>{STATUS[found.status]}</strong>
          </p>
          <dl style={{ margin: 0, color: "var(--ink, #222)" }}>
            <dt>Họ và tên</dt>
            <dd>
              <strong>{found.fullName}</strong>
            </dd>
            <dt>Chương trình</dt>
            <dd>{found.programmeName}</dd>
            <dt>Lớp</dt>
            <dd>
              {found.className} — {found.centreName}
            </dd>
            <dt>Số vào sổ cấp</dt>
            <dd>{found.number}</dd>
            <dt>Ngày cấp</dt>
            <dd>{formatVnDate(found.issuedOn)}</dd>
          </dl>
        </div>
      ) : (
        <Notice tone="error">
          Không tìm thấy giấy chứng nhận có mã xác minh này. Hãy quét lại mã QR trên giấy hoặc kiểm tra mã đã nhập.
        </Notice>
      )}
    </div>
  );
}
