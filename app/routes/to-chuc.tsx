import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";

export const meta: MetaFunction = () => [{ title: "Tổ chức — Bồi Dưỡng" }];

const KIND_LABELS: Record<string, string> = {
  province: "Tỉnh ủy / Thành ủy",
  commune: "Đảng ủy xã, phường, đặc khu",
  bloc: "Đảng ủy khối",
  grassroots: "Đảng bộ cơ sở",
  cell: "Chi bộ",
};

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin", "committee", "organisation_board", "unit_secretary"]);
  const [units, centres] = await Promise.all([
    context.services.organisations.visibleUnits(viewer),
    context.services.organisations.centres(viewer),
  ]);
  return {
    units: units.map((u) => ({
      id: u.id,
      parentId: u.parent_id,
      name: u.name,
      kind: KIND_LABELS[u.kind] ?? u.kind,
      abbreviation: u.abbreviation,
      term: u.term_label,
    })),
    centres: centres.map((c) => ({ id: c.id, name: c.name, unit: c.unit_name, director: c.director_name })),
  };
}

type UnitView = Awaited<ReturnType<typeof loader>>["units"][number];

function Branch({ unit, all }: { unit: UnitView; all: UnitView[] }) {
  const children = all.filter((u) => u.parentId === unit.id);
  return (
    <li>
      <Link to={`/nhan-su?don-vi=${unit.id}`}>{unit.name}</Link> <span className="muted">· {unit.kind}</span>
      {unit.term ? <span className="muted"> · nhiệm kỳ {unit.term}</span> : null}
      {children.length ? (
        <ul>
          {children.map((c) => (
            <Branch key={c.id} unit={c} all={all} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export default function Organisations() {
  const { units, centres } = useLoaderData<typeof loader>();
  const ids = new Set(units.map((u) => u.id));
  const roots = units.filter((u) => u.parentId === null || !ids.has(u.parentId));
  return (
    <>
      <h1>Tổ chức</h1>
      <p className="lead">Các tổ chức đảng trong phạm vi của bạn. Chọn một đơn vị để xem danh sách nhân sự.</p>
      <div className="card">
        <ul className="tree">
          {roots.map((r) => (
            <Branch key={r.id} unit={r} all={units} />
          ))}
        </ul>
      </div>
      <h2>Trung tâm chính trị</h2>
      {centres.length === 0 ? <p className="muted">Không có trung tâm nào trong phạm vi của bạn.</p> : null}
      <div className="cards">
        {centres.map((c) => (
          <div className="card" key={c.id}>
            <strong>{c.name}</strong>
            <p className="muted" style={{ margin: 0 }}>
              Trực thuộc {c.unit}
              {c.director ? ` · Giám đốc: ${c.director}` : ""}
            </p>
          </div>
        ))}
      </div>
    </>
  );
}
