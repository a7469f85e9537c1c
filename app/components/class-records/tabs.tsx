import { Link, NavLink } from "@remix-run/react";
import { usePrefetch } from "../../lib/online";

/**
 * The header of every page of a class: the way back to the class list and to the class's
 * home, then the class register's pages (sổ lớp). Every role that opens any page of a class
 * may open each of these (docs/class-records.md), so the row is the same for all.
 */
const TABS = [
  { to: "", label: "Tổng quan" },
  { to: "lich-hoc", label: "Lịch học" },
  { to: "diem-danh", label: "Điểm danh" },
  { to: "ket-qua-hoc-tap", label: "Kết quả" },
  { to: "chung-chi", label: "Giấy chứng nhận" },
  { to: "van-ban", label: "Thông báo, báo cáo" },
];

export function ClassRecordsTabs({ classId, className }: { classId: number; className: string }) {
  const prefetch = usePrefetch();
  return (
    <div className="no-print">
      <p className="lesson-meta">
        <Link to="/lop">Lớp học</Link> › <Link to={`/lop/${classId}`}>{className}</Link>
      </p>
      <nav aria-label="Sổ lớp" className="actions class-tabs">
        {TABS.map((t) => (
          <NavLink
            key={t.to}
            to={t.to ? `/lop/${classId}/${t.to}` : `/lop/${classId}`}
            end={!t.to}
            className={({ isActive }) => (isActive ? "button" : "button button--secondary")}
            prefetch={prefetch}
          >
            {t.label}
          </NavLink>
        ))}
      </nav>
    </div>
  );
}
