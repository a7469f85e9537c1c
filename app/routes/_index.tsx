import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireViewer } from "~/lib/guards.server";
import { navFor } from "~/lib/navigation";
import { usePrefetch } from "~/lib/online";
import { ROLE_LABELS } from "../../server/auth/scope";

export const meta: MetaFunction = () => [{ title: "Trang chủ — Bồi Dưỡng" }];

const ROLE_INTRO: Record<string, string> = {
  trainee: "Tự học bài giảng, điểm danh, làm bài kiểm tra và nhận giấy chứng nhận.",
  lecturer: "Soạn bài giảng, ngân hàng câu hỏi và chấm bài thu hoạch.",
  proctor: "Tổ chức ca thi: cho vào phòng, bắt đầu, theo dõi trực tiếp và lập biên bản.",
  centre_admin: "Lập kế hoạch, mở lớp, cấp tài khoản, điểm danh, kết quả và giấy chứng nhận.",
  organisation_board: "Thẩm định đối tượng được cử đi học và nhận kết quả học tập.",
  committee: "Theo dõi tỷ lệ đạt, xếp loại và ý kiến học viên của các trung tâm.",
  unit_secretary: "Cử người đi học, nhận kết quả và theo dõi kế hoạch phát triển đảng viên của chi bộ.",
  admin: "Quản lý tổ chức, tài khoản và cấu hình hệ thống.",
};

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  return {
    name: viewer.displayName,
    grants: viewer.roles.map((g) => ({
      role: g.role,
      label: ROLE_LABELS[g.role],
      unit: g.orgName,
      intro: ROLE_INTRO[g.role] ?? "",
      readOnly: g.readOnly,
    })),
    roles: [...new Set(viewer.roles.map((g) => g.role))],
  };
}

export default function Home() {
  const prefetch = usePrefetch();
  const { name, grants, roles } = useLoaderData<typeof loader>();
  const items = navFor(roles).filter((i) => i.to !== "/");
  return (
    <>
      <h1>Xin chào, {name}</h1>
      {grants.map((g) => (
        <div className="card" key={`${g.role}-${g.unit}`} data-role={g.role}>
          <strong>{g.label}</strong> — {g.unit}
          {g.readOnly ? <span className="badge"> chỉ xem</span> : null}
          <p className="muted" style={{ margin: ".25rem 0 0" }}>
            {g.intro}
          </p>
        </div>
      ))}
      <h2>Chức năng</h2>
      <div className="cards">
        {items.map((i) => (
          <Link key={i.to} to={i.to} className="card card-link" prefetch={prefetch}>
            <strong>{i.label}</strong>
            <p>{i.description}</p>
          </Link>
        ))}
      </div>
    </>
  );
}
