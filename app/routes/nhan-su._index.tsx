import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { searchId } from "~/lib/params.server";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { formatVnDate } from "../../server/rules/dates";
import { PARTY_STATUS_LABELS } from "../../server/organisations/labels";
import { ScrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction = () => [{ title: "Nhân sự — Bồi Dưỡng" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin", "committee", "organisation_board", "unit_secretary"]);
  const url = new URL(request.url);
  const unitId = searchId(url.searchParams, "don-vi");
  const search = url.searchParams.get("q")?.trim() || undefined;
  const people = await context.services.organisations.people(viewer, { unitId, search });
  return {
    search: search ?? "",
    people: people.map((p) => ({
      id: p.id,
      name: p.full_name,
      birth: formatVnDate(p.birth_date),
      unit: p.unit_name,
      status: PARTY_STATUS_LABELS[p.party_status],
    })),
  };
}

export default function People() {
  const { people, search } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Nhân sự</h1>
      <Form method="get" className="actions no-print" role="search">
        <div className="field" style={{ flex: "1 1 16rem" }}>
          <label htmlFor="q">Tìm theo họ tên</label>
          <input id="q" name="q" defaultValue={search} />
        </div>
        <button className="button" type="submit" style={{ alignSelf: "flex-end" }}>
          Tìm
        </button>
      </Form>
      <p className="muted">{people.length} người, sắp theo tên.</p>
      <ScrollRegion label="Danh sách nhân sự">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Họ và tên</th>
              <th scope="col">Ngày sinh</th>
              <th scope="col">Đơn vị</th>
              <th scope="col">Tình trạng</th>
            </tr>
          </thead>
          <tbody>
            {people.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link to={`/nhan-su/${p.id}`}>{p.name}</Link>
                </td>
                <td>{p.birth}</td>
                <td>{p.unit}</td>
                <td>{p.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}
