import type { PersonWithUnit } from "../../server/organisations/service";
import { formatVnDate } from "../../server/rules/dates";
import { EDUCATION_LABELS, PARTY_STATUS_LABELS } from "../../server/organisations/labels";

/** What a person page shows; built on the server so only these fields reach the browser. */
export function personView(p: PersonWithUnit) {
  return {
    name: p.full_name,
    facts: [
      ["Ngày sinh", formatVnDate(p.birth_date)],
      ["Giới tính", p.gender === "nam" ? "Nam" : p.gender === "nu" ? "Nữ" : ""],
      ["Dân tộc", p.ethnicity ?? ""],
      ["Trình độ học vấn", p.education_level ? (EDUCATION_LABELS[p.education_level] ?? p.education_level) : ""],
      ["Đơn vị", p.unit_name],
      ["Tình trạng", PARTY_STATUS_LABELS[p.party_status]],
      ["Ngày vào Đảng", formatVnDate(p.admission_date)],
      ["Chức vụ", p.position ?? ""],
    ].filter(([, v]) => v) as [string, string][],
  };
}

export function PersonFacts({ person }: { person: ReturnType<typeof personView> }) {
  return (
    <>
      <h1>{person.name}</h1>
      <div className="card">
        <dl className="facts">
          {person.facts.map(([k, v]) => (
            <div key={k} style={{ display: "contents" }}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </div>
    </>
  );
}
