import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";

export const meta: MetaFunction = () => [{ title: "Mã điểm danh của tôi — Bồi Dưỡng" }];

/** The trainee's personal QR (the same as on the call-up letter), for staff to scan at the door. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["trainee"]);
  return { name: viewer.displayName, qr: await context.services.classRecords.myAttendanceQr(viewer) };
}

export default function MyAttendanceQr() {
  const { name, qr } = useLoaderData<typeof loader>();
  return (
    <div className="login-wrap" style={{ textAlign: "center" }}>
      <h1>Điểm danh</h1>
      <p>
        Có hai cách điểm danh: đưa mã dưới đây cho cán bộ trung tâm quét, hoặc dùng máy ảnh điện thoại quét <strong>mã của lớp</strong> đang
        chiếu trên màn hình.
      </p>
      {qr ? (
        <>
          <img
            src={qr.dataUrl}
            alt={`Mã QR điểm danh của ${name}`}
            data-testid="my-qr"
            style={{ width: "min(80vw, 20rem)", height: "auto", imageRendering: "pixelated" }}
          />
          <p>
            <strong>{name}</strong>
          </p>
        </>
      ) : (
        <p className="form-error">Tài khoản này không gắn với học viên nào.</p>
      )}
    </div>
  );
}
