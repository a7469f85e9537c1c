import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import proctorStyles from "~/styles/proctor.css?url";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator, useSubmit } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { asResponse, requireViewer } from "~/lib/guards.server";
import { formatDateTime } from "~/lib/labels";
import { ExamRunner } from "~/components/exam/runner";
import { useWaitingRoom } from "~/components/exam/proctoring-client";
import { formatNumber } from "../../server/rules/numbers";

// The proctor's pause, lock and messages are drawn with the proctoring styles.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: proctorStyles }];

export const meta: MetaFunction = () => [{ title: "Làm bài kiểm tra — Bồi Dưỡng" }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  const examId = Number(params.examId);
  const exam = (await context.services.exams.examsForTrainee(viewer)).find((e) => e.id === examId);
  if (!exam) throw new Response("Không có bài kiểm tra này cho lớp của bạn.", { status: 404 });
  try {
    if (exam.state === "in_progress" && exam.attemptId) return { exam, paper: await context.services.exams.paper(viewer, exam.attemptId), result: null };
    if (exam.state === "submitted" && exam.attemptId) return { exam, paper: null, result: await context.services.exams.result(viewer, exam.attemptId) };
    return { exam, paper: null, result: null };
  } catch (e) {
    throw asResponse(e);
  }
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const viewer = requireViewer(context, request);
  const form = await request.formData();
  try {
    await context.services.exams.start(viewer, Number(params.examId), { deviceId: String(form.get("deviceId") || "web"), accessCode: String(form.get("accessCode") ?? "") || undefined });
    return redirect(`/thi/${params.examId}`);
  } catch (e) {
    const code = (e as { code?: string }).code ?? null;
    if (code === "device_conflict") {
      // A second device asks the proctor for the attempt (live proctoring).
      const ev = await context.services.proctoring.requestTakeover(viewer, Number(params.examId), String(form.get("deviceId") || "web")).catch(() => null);
      if (ev) {
        context.services.live.emit(`proctor:${params.examId}`, "proctor:event", { examId: Number(params.examId), event: ev });
        context.services.live.roster(Number(params.examId), [viewer.personId!]);
      }
    }
    const res = asResponse(e);
    // 200 so the page keeps its loader data; the waiting room retries by itself.
    const waiting = code === "waiting_for_proctor" || code === "waiting_for_admission" || code === "device_conflict" || code === "paused";
    return data({ error: await res.text(), code }, { status: waiting ? 200 : res.status });
  }
}

function deviceId(): string {
  let id = localStorage.getItem("exam-device-id");
  if (!id) {
    id = crypto.randomUUID();
    localStorage.setItem("exam-device-id", id);
  }
  return id;
}

export default function TakeExam() {
  const { exam, paper, result } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const revalidator = useRevalidator();
  const [device, setDevice] = useState("");
  useEffect(() => setDevice(deviceId()), []);
  const onFinished = useCallback(() => revalidator.revalidate(), [revalidator]);
  const startForm = useRef<HTMLFormElement>(null);
  const submitStart = useSubmit();
  // Before the start the trainee waits in the session's room: the proctor sees them
  // present, and the page starts by itself when the room starts or a takeover is approved.
  const waiting = !paper && !result && exam.state === "open";
  const room = useWaitingRoom(exam.id, waiting, () => {
    if (startForm.current && device) window.setTimeout(() => submitStart(startForm.current!), 300 + Math.random() * 1200);
  });

  if (paper) {
    return (
      <>
        <h1 className="sr-only">{exam.title}</h1>
        <ExamRunner paper={paper} onFinished={onFinished} deviceId={device || null} />
      </>
    );
  }
  return (
    <>
      <p className="lesson-meta">
        <Link to="/thi">Bài kiểm tra</Link>
      </p>
      <h1>{exam.title}</h1>
      <p className="lead">
        {exam.className}. Mở từ {formatDateTime(exam.opensAt)} đến {formatDateTime(exam.closesAt)}; thời gian làm bài {exam.durationMinutes} phút.
      </p>
      {result ? (
        <section className="card">
          <h2 style={{ marginTop: 0 }}>Đã nộp bài</h2>
          <p>
            Mã biên nhận: <strong className="receipt">{result.receipt}</strong>
          </p>
          {result.score !== null ? (
            <p data-testid="result-score">
              Điểm: <strong>{formatNumber(result.score)}</strong> · Xếp loại: <strong>{result.band}</strong> · {result.passed ? "Đạt yêu cầu" : "Chưa đạt"}
            </p>
          ) : null}
          {result.notice ? <p role="status">{result.notice}</p> : null}
          {result.reviewPolicy !== "none" && !result.awaitingGrading ? (
            <p>
              <Link to={`/thi/${exam.id}/xem-lai`}>{result.answersAvailable ? "Xem lại bài làm và đáp án" : "Xem kết quả"}</Link>
            </p>
          ) : null}
          <p>
            <Link to={`/bien-nhan?ma=${encodeURIComponent(result.receipt ?? "")}`}>Kiểm tra biên nhận</Link>
          </p>
        </section>
      ) : null}
      {(!result && exam.state === "open") || exam.canRetake ? (
        <Form method="post" className="card form" ref={startForm}>
          <input type="hidden" name="deviceId" value={device} />
          {a?.error ? (
            <p className={a.code === "waiting_for_proctor" || a.code === "waiting_for_admission" ? "notice-ok" : "form-error"} role="alert" data-testid="start-message">
              {a.code === "device_conflict" ? `${a.error} Đã báo giám thị; trang sẽ tự vào bài khi giám thị đồng ý.` : a.error}
            </p>
          ) : null}
          {room.present ? (
            <p className="muted" role="status" data-testid="waiting-room">
              Bạn đã có mặt trong phòng thi. Nếu giám thị cho bắt đầu chung, trang sẽ tự vào bài.
            </p>
          ) : null}
          <ul>
            <li>Mỗi câu trả lời được lưu ngay; dòng “✓ Đã lưu” cho biết máy chủ đã nhận.</li>
            <li>Mất mạng vẫn làm tiếp được: câu trả lời được giữ trên máy và tự gửi khi có mạng.</li>
            <li>Hết giờ, hệ thống tự nộp bài.</li>
          </ul>
          {exam.needsCode ? (
            <div className="field">
              <label htmlFor="accessCode">Mã vào phòng thi (giám thị cung cấp)</label>
              <input id="accessCode" name="accessCode" autoComplete="off" required />
            </div>
          ) : null}
          <button className="button" type="submit" disabled={busy || !device}>
            {result ? "Làm lại bài" : "Bắt đầu làm bài"}
          </button>
        </Form>
      ) : result ? null : (
        <p className="card">{exam.state === "upcoming" ? "Bài kiểm tra chưa mở." : "Bài kiểm tra đã đóng."}</p>
      )}
    </>
  );
}
