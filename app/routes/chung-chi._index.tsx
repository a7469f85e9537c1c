import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { formatVnDate } from "../../server/rules/dates";

export const meta: MetaFunction = () => [{ title: "Giấy chứng nhận của tôi — Bồi Dưỡng" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["trainee"]);
  return { certificates: await context.services.classRecords.myCertificates(viewer) };
}

export default function MyCertificates() {
  const { certificates } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Giấy chứng nhận của tôi</h1>
      {certificates.length === 0 ? <p>Bạn chưa có giấy chứng nhận nào. Giấy chứng nhận được cấp sau khi lớp học có kết quả.</p> : null}
      <div className="cards">
        {certificates.map((c) => (
          <div key={c.id} className="card">
            <strong>{c.programme_name}</strong>
            <p>
              {c.class_name}
              <br />
              Số vào sổ cấp: {c.number_label} · ngày cấp {formatVnDate(c.issued_on)}
              {c.classification ? ` · xếp loại ${c.classification}` : ""}
            </p>
            {c.surveyRequired ? (
              <p className="notice-warn" role="status">
                Lớp học yêu cầu gửi phiếu khảo sát trước khi tải giấy chứng nhận. Hãy gửi phiếu{" "}
                <Link to={`/khao-sat/${c.surveyRequired.id}`}>“{c.surveyRequired.title}”</Link>, sau đó quay lại trang này để tải.
              </p>
            ) : null}
            <p className="actions">
              {c.surveyRequired ? null : (
                <a className="button" href={`/chung-chi/${c.id}.pdf`}>
                  Tải giấy chứng nhận (PDF)
                </a>
              )}
              <a href={`/xac-minh/${c.verification_code}`}>Trang xác minh</a>
            </p>
          </div>
        ))}
      </div>
    </>
  );
}
