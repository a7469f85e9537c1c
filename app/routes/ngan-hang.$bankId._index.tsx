import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, withAppErrors } from "~/lib/app-errors.server";
import { idParam, searchId } from "~/lib/params.server";
import { QUESTION_LEVEL, QUESTION_STATUS, QUESTION_TYPE, QUESTION_USE, questionTypeLabel } from "~/lib/labels";
import { hasRole } from "../../server/auth/scope";
import { ScrollRegion } from "~/components/scroll-region";
import { Notice } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Ngân hàng câu hỏi — Bồi Dưỡng" }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["lecturer", "committee"]);
  const url = new URL(request.url);
  const f = {
    lesson: searchId(url.searchParams, "bai"),
    level: url.searchParams.get("muc-do") || undefined,
    status: url.searchParams.get("trang-thai") || undefined,
    use: url.searchParams.get("su-dung") || undefined,
    type: url.searchParams.get("loai") || undefined,
    search: url.searchParams.get("q")?.trim() || undefined,
    page: Number(url.searchParams.get("trang")) || 1,
  };
  return withAppErrors(async () => {
    const bank = await context.services.banks.bank(viewer, idParam(params, "bankId"));
    // Server-side pages: a bank of 218 questions was one page (issue 14, item 9).
    const { questions, total, page, pages } = await context.services.banks.page(viewer, bank.id, f);
    return { bank, questions, total, page, pages, canWrite: hasRole(viewer, ["lecturer"]), canReview: hasRole(viewer, ["committee"]) };
  });
}

export async function action({ context, request }: ActionFunctionArgs) {
  const viewer = requireRole(context, request, ["lecturer", "committee"]);
  const form = await request.formData();
  const ids = form.getAll("id").map(Number).filter(Number.isInteger);
  if (!ids.length) return data({ error: "Chọn ít nhất một câu hỏi.", done: null }, { status: 400 });
  return actionResult(
    async () => {
      const intent = form.get("intent");
      if (intent === "submit") await context.services.banks.submit(viewer, ids);
      else if (intent === "approve") await context.services.banks.review(viewer, ids, { approve: true });
      else if (intent === "return")
        await context.services.banks.review(viewer, ids, { approve: false, comment: String(form.get("comment") ?? "") });
      else throw new Response("Thao tác không hợp lệ.", { status: 400 });
      return {
        error: null,
        done: `${ids.length} câu hỏi: ${intent === "submit" ? "đã gửi duyệt" : intent === "approve" ? "đã duyệt" : "đã trả lại"}.`,
      };
    },
    ({ message, status }) => data({ error: message, done: null }, { status: status }),
  );
}

export default function BankQuestions() {
  const { bank, questions, total, page, pages, canWrite, canReview } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const status = params.get("trang-thai") ?? "";
  return (
    <>
      <p className="lesson-meta">
        <Link to="/ngan-hang">Ngân hàng câu hỏi</Link> › {bank.name}
      </p>
      <h1>{bank.name}</h1>
      <div className="actions no-print">
        {canWrite ? (
          <>
            <Link className="button" to={`/ngan-hang/${bank.id}/cau-hoi/moi`}>
              Thêm câu hỏi
            </Link>
            <Link className="button button--secondary" to={`/ngan-hang/${bank.id}/nhap`}>
              Nhập từ tệp
            </Link>
          </>
        ) : null}
        <span>Xuất:</span>
        {(["xlsx", "gift", "aiken", "moodle-xml"] as const).map((f) => (
          <a key={f} href={`/ngan-hang/${bank.id}/xuat?dinh-dang=${f}`} download>
            {f === "moodle-xml" ? "Moodle XML" : f.toUpperCase()}
          </a>
        ))}
      </div>
      <Form method="get" className="actions" style={{ marginTop: "1rem", alignItems: "flex-end" }}>
        <div className="field">
          <label htmlFor="bai">Bài</label>
          <input id="bai" name="bai" type="number" min={1} max={20} defaultValue={params.get("bai") ?? ""} style={{ width: "6rem" }} />
        </div>
        <div className="field">
          <label htmlFor="muc-do">Mức độ</label>
          <select id="muc-do" name="muc-do" defaultValue={params.get("muc-do") ?? ""}>
            <option value="">Tất cả</option>
            {Object.entries(QUESTION_LEVEL).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="trang-thai">Trạng thái</label>
          <select id="trang-thai" name="trang-thai" defaultValue={status}>
            <option value="">Tất cả</option>
            {Object.entries(QUESTION_STATUS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="loai">Loại</label>
          <select id="loai" name="loai" defaultValue={params.get("loai") ?? ""}>
            <option value="">Tất cả</option>
            {Object.entries(QUESTION_TYPE).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="su-dung">Sử dụng</label>
          <select id="su-dung" name="su-dung" defaultValue={params.get("su-dung") ?? ""}>
            <option value="">Tất cả</option>
            {Object.entries(QUESTION_USE).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div className="field" style={{ flex: "1 1 12rem" }}>
          <label htmlFor="q">Tìm (nội dung, thẻ, nguồn)</label>
          <input id="q" name="q" type="search" defaultValue={params.get("q") ?? ""} />
        </div>
        <button className="button" type="submit">
          Lọc
        </button>
      </Form>
      {result?.error ? <Notice tone="error">{result.error}</Notice> : null}
      {result?.done ? <Notice>{result.done}</Notice> : null}
      <Form method="post">
        <p className="muted" role="status">
          {total} câu hỏi{pages > 1 ? ` · trang ${page}/${pages}` : ""}.
        </p>
        <ScrollRegion label="Danh sách câu hỏi">
          <table className="data" aria-label="Danh sách câu hỏi">
            <thead>
              <tr>
                <th scope="col">Chọn</th>
                <th scope="col">Bài</th>
                <th scope="col">Nội dung</th>
                <th scope="col">Loại</th>
                <th scope="col">Mức độ</th>
                <th scope="col">Sử dụng</th>
                <th scope="col">Trạng thái</th>
              </tr>
            </thead>
            <tbody>
              {questions.map((q) => (
                <tr key={q.id}>
                  <td>
                    <input type="checkbox" name="id" value={q.id} aria-label={`Chọn câu ${q.key}`} />
                  </td>
                  <td>{q.lesson_position ?? "—"}</td>
                  <td>
                    <Link to={`/ngan-hang/${bank.id}/cau-hoi/${q.id}`}>{q.stem.length > 160 ? `${q.stem.slice(0, 160)}…` : q.stem}</Link>
                    {q.hasHtml ? (
                      <span className="badge" title="Nội dung có định dạng hoặc hình ảnh; xem đầy đủ trong trang câu hỏi">
                        {" "}
                        có định dạng
                      </span>
                    ) : null}
                  </td>
                  <td>{questionTypeLabel(q.type)}</td>
                  <td>{q.level ? QUESTION_LEVEL[q.level] : ""}</td>
                  <td>{QUESTION_USE[q.use]}</td>
                  <td>
                    {QUESTION_STATUS[q.status]}
                    {q.approved_version_id && q.approved_version_id !== q.latest_version_id ? (
                      <span className="badge"> có bản sửa</span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
        <Pager page={page} pages={pages} params={params} />
        <div className="actions sticky-actions">
          {canWrite ? (
            <button className="button button--secondary" name="intent" value="submit">
              Gửi duyệt các câu đã chọn
            </button>
          ) : null}
          {canReview ? (
            <>
              <button className="button" name="intent" value="approve">
                Duyệt các câu đã chọn
              </button>
              <input name="comment" aria-label="Ý kiến khi trả lại" placeholder="Ý kiến khi trả lại" />
              <button className="button button--secondary" name="intent" value="return">
                Trả lại
              </button>
            </>
          ) : null}
        </div>
      </Form>
    </>
  );
}

/** Page links that keep the filters and the search (the query string) and change only "trang". */
function Pager({ page, pages, params }: { page: number; pages: number; params: URLSearchParams }) {
  if (pages <= 1) return null;
  const to = (n: number) => {
    const next = new URLSearchParams(params);
    if (n === 1) next.delete("trang");
    else next.set("trang", String(n));
    const qs = next.toString();
    return qs ? `?${qs}` : "?";
  };
  const near = [...new Set([1, page - 1, page, page + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  return (
    <nav className="pager actions" aria-label="Trang danh sách câu hỏi">
      {page > 1 ? (
        <Link className="button button--secondary" to={to(page - 1)} rel="prev">
          ‹ Trang trước
        </Link>
      ) : null}
      {near.map((n, i) => (
        <span key={n}>
          {i > 0 && n - near[i - 1]! > 1 ? <span aria-hidden="true">… </span> : null}
          {n === page ? (
            <strong aria-current="page">{n}</strong>
          ) : (
            <Link to={to(n)} aria-label={`Trang ${n}`}>
              {n}
            </Link>
          )}
        </span>
      ))}
      {page < pages ? (
        <Link className="button button--secondary" to={to(page + 1)} rel="next">
          Trang sau ›
        </Link>
      ) : null}
    </nav>
  );
}
