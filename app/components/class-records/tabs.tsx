import { Link, NavLink } from "@remix-run/react";
import { usePrefetch } from "../../lib/online";

/** The class register's pages (sổ lớp), one row of links under the class name. */
const TABS = [
  { to: "lich-hoc", label: "Lịch học" },
  { to: "diem-danh", label: "Điểm danh" },
  { to: "ket-qua-hoc-tap", label: "Kết quả" },
  { to: "chung-chi", label: "Giấy chứng nhận" },
  { to: "van-ban", label: "Thông báo, báo cáo" },
];

export function ClassRecordsTabs({ classId, className }: { classId: number; className: string }) {
  const prefetch = usePrefetch();
  return (
    <>
      <p className="lesson-meta">
        <Link to="/so-lop">Sổ lớp</Link> › {className}
      </p>
      <nav aria-label="Sổ lớp" className="actions" style={{ marginBottom: "1rem" }}>
        {TABS.map((t) => (
          <NavLink
            key={t.to}
            to={`/lop/${classId}/${t.to}`}
            end={false}
            className={({ isActive }) => (isActive ? "button" : "button button--secondary")}
            prefetch={prefetch}
          >
            {t.label}
          </NavLink>
        ))}
      </nav>
    </>
  );
}
