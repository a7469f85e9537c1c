import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { requireRole } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { idParam, requiredSearchId } from "~/lib/params.server";
import { PART_LABELS } from "../../server/classes/timetable";
import { formatVnDate } from "../../server/rules/dates";

export const meta: MetaFunction = () => [{ title: "Mã điểm danh của lớp — Bồi Dưỡng" }];

/**
 * For the projector: the class's rotating QR. Each code is signed for this session and
 * its 20-second window and is refused after about a minute, so a photo sent to someone
 * at home is useless by the time it arrives.
 */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin", "lecturer", "proctor"]);
  const buoi = requiredSearchId(new URL(request.url).searchParams, "buoi");
  return withAppErrors(async () => {
    const qr = await context.services.classRecords.classQr(viewer, buoi);
    return { ...qr, classId: idParam(params, "id"), dateLabel: `${PART_LABELS[qr.part]} ${formatVnDate(qr.onDate)}` };
  });
}

export default function Projector() {
  const d = useLoaderData<typeof loader>();
  const { revalidate } = useRevalidator();
  const [left, setLeft] = useState(d.refreshIn);
  useEffect(() => {
    setLeft(d.refreshIn);
    const started = Date.now();
    const timer = window.setInterval(() => {
      const l = d.refreshIn - Math.floor((Date.now() - started) / 1000);
      setLeft(Math.max(0, l));
      if (l <= 0) revalidate();
    }, 1000);
    return () => window.clearInterval(timer);
  }, [d.t, d.refreshIn, revalidate]);
  return (
    <div style={{ textAlign: "center" }}>
      <p className="lesson-meta">
        <Link to={`/lop/${d.classId}/diem-danh?buoi=${d.sessionId}`}>← Bảng điểm danh</Link>
      </p>
      <h1 style={{ marginBottom: ".25rem" }}>Quét mã để điểm danh</h1>
      <p className="lead" style={{ marginTop: 0 }}>
        {d.className} — {d.sessionTitle} ({d.dateLabel})
      </p>
      <img
        src={d.dataUrl}
        alt="Mã QR điểm danh của buổi học"
        data-testid="class-qr"
        data-url={d.url}
        style={{ width: "min(80vmin, 36rem)", height: "auto", imageRendering: "pixelated" }}
      />
      <p style={{ fontSize: "1.25rem" }}>
        Mở máy ảnh trên điện thoại, quét mã và đăng nhập tài khoản học viên của bạn. Mã đổi sau <strong aria-live="off">{left}</strong>{" "}
        giây.
      </p>
    </div>
  );
}
