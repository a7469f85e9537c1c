/**
 * The records whose birth date a document flags (blank or impossible), named on the page
 * that offers the document so they are fixed before signing (issue 14). One callout for
 * the decision and call-up letters, the notices and report, and the certificates.
 */
export function BirthDatesToFix({
  people,
  documents,
}: {
  people: { personId: number; fullName: string; unitName: string; problem: string }[];
  documents: string;
}) {
  if (!people.length) return null;
  return (
    <div className="callout callout--important" role="status" aria-labelledby="fix-birth-title">
      <p className="callout__title" id="fix-birth-title">
        Cần sửa ngày sinh của {people.length} học viên
      </p>
      <p style={{ margin: 0 }}>
        {documents} vẫn in được; ô ngày sinh của những người dưới đây được đánh dấu để bổ sung hoặc sửa trong hồ sơ nhân sự trước khi ký:
      </p>
      <ul style={{ margin: ".3rem 0 0" }}>
        {people.map((p) => (
          <li key={p.personId}>
            <strong>{p.fullName}</strong> ({p.unitName}): {p.problem}
          </li>
        ))}
      </ul>
    </div>
  );
}
