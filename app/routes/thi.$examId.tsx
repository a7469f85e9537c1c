import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import proctorStyles from "~/styles/proctor.css?url";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator, useSubmit } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { requireViewer } from "~/lib/guards.server";
import { actionResult, withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";
import { formatDateTime, resultLabel } from "~/lib/labels";
import { ExamRunner } from "~/components/exam/runner";
import { useWaitingRoom } from "~/components/exam/proctoring-client";
import { deviceId, lateAnswers, readDeviceToken, saveDeviceToken } from "~/components/exam/device";
import type { FocusModeHandle } from "~/lib/focus-mode";
import { formatNumber } from "../../server/rules/numbers";

// The proctor's pause, lock and messages are drawn with the proctoring styles.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: proctorStyles }];

// While an attempt is open the exam takes the whole screen (decision 022).
export const handle: FocusModeHandle = { focusMode: (data) => Boolean((data as { paper?: unknown } | undefined)?.paper) };

export const meta: MetaFunction = () => [{ title: "Làm bài kiểm tra — Bồi Dưỡng" }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  const examId = idParam(params, "examId");
  const exam = (await context.services.exams.examsForTrainee(viewer)).find((e) => e.id === examId);
  if (!exam) throw new Response("Không có bài kiểm tra này cho lớp của bạn.", { status: 404 });
  return withAppErrors(async () => {
    if (exam.state === "in_progress" && exam.attemptId)
      return { exam, paper: await context.services.exams.paper(viewer, exam.attemptId), result: null };
    if (exam.state === "submitted" && exam.attemptId)
      return { exam, paper: null, result: await context.services.exams.result(viewer, exam.attemptId) };
    return { exam, paper: null, result: null };
  });
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const viewer = requireViewer(context, request);
  const form = await request.formData();
  return actionResult(
    async () => {
      const paper = await context.services.exams.start(viewer, idParam(params, "examId"), {
        deviceId: String(form.get("deviceId") || "web"),
        deviceToken: String(form.get("deviceToken") ?? "") || undefined,
        accessCode: String(form.get("accessCode") ?? "") || undefined,
      });
      // The device token goes to this browser only (decision 018); the loaders revalidate and show the paper.
      return { started: true as const, attemptId: paper.attemptId, deviceToken: paper.deviceToken, error: null, code: null };
    },
    async ({ status, message, error }) => {
      const code = error.code ?? null;
      if (code === "device_conflict") {
        // A second device asks the proctor for the attempt (live proctoring).
        const ev = await context.services.proctoring
          .requestTakeover(viewer, idParam(params, "examId"), String(form.get("deviceId") || "web"))
          .catch(() => null);
        if (ev) {
          context.services.live.emit(`proctor:${params.examId}`, "proctor:event", { examId: idParam(params, "examId"), event: ev });
          context.services.live.roster(idParam(params, "examId"), [viewer.personId!]);
        }
      }
      // 200 so the page keeps its loader data; the waiting room retries by itself.
      const waiting = code === "waiting_for_proctor" || code === "waiting_for_admission" || code === "device_conflict" || code === "paused";
      return data(
        { started: false as const, attemptId: null, deviceToken: null, error: message, code },
        { status: waiting ? 200 : status },
      );
    },
  );
}

export default function TakeExam() {
  const { exam, paper, result } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const revalidator = useRevalidator();
  const [device, setDevice] = useState("");
  useEffect(() => setDevice(deviceId()), []);
  // This browser's token for the running attempt: undefined until read (server render), null when it has none.
  const [token, setToken] = useState<string | null | undefined>(undefined);
  const attemptId = paper?.attemptId ?? null;
  useEffect(() => {
    if (a?.started && a.deviceToken) saveDeviceToken(a.attemptId, a.deviceToken);
    setToken(attemptId ? readDeviceToken(attemptId) : null);
  }, [a, attemptId]);
  const onFinished = useCallback(() => revalidator.revalidate(), [revalidator]);
  const startForm = useRef<HTMLFormElement>(null);
  const submitStart = useSubmit();
  // Before the start the trainee waits in the session's room: the proctor sees them
  // present, and the page starts by itself when the room starts or a takeover is approved.
  // A running attempt this browser holds no token for (another device holds it, or a
  // proctor just approved moving it here): it asks to resume, and waits for the proctor.
  const elsewhere = !!paper && token === null;
  const waiting = (!paper && !result && exam.state === "open") || elsewhere;
  const room = useWaitingRoom(exam.id, waiting, () => {
    if (startForm.current && device) window.setTimeout(() => submitStart(startForm.current!), 300 + Math.random() * 1200);
  });
  const asked = useRef(false);
  useEffect(() => {
    if (elsewhere && device && startForm.current && !asked.current) {
      asked.current = true;
      submitStart(startForm.current);
    }
  }, [elsewhere, device, submitStart]);
  const late = result ? lateAnswers(result.attemptId) : 0;

  if (paper && token) {
    return (
      <>
        <h1 className="sr-only">{exam.title}</h1>
        <ExamRunner paper={paper} onFinished={onFinished} deviceId={device || null} deviceToken={token} />
      </>
    );
  }
  if (paper && token === undefined) return <p className="card">Đang mở bài làm…</p>;
  return (
    <>
      <p className="lesson-meta">
        <Link to="/thi">Bài kiểm tra</Link>
      </p>
      <h1>{exam.title}</h1>
      <p className="lead">
        {exam.className}. Mở từ {formatDateTime(exam.opensAt)} đến {formatDateTime(exam.closesAt)}; thời gian làm bài {exam.durationMinutes}{" "}
        phút.
      </p>
      {result ? (
        <section className="card">
          <h2 style={{ marginTop: 0 }}>Đã nộp bài</h2>
          <p>
            Mã biên nhận:{" "}
            <strong className="receipt" data-testid="receipt">
              {result.receipt}
            </strong>
          </p>
          <p className="muted">Hãy ghi lại mã này. Bất kỳ ai cũng có thể kiểm tra bài đã nộp tại trang Kiểm tra biên nhận.</p>
          {result.score !== null ? (
            <p data-testid="result-score">
              Điểm: <strong>{formatNumber(result.score)}</strong> · <strong>{resultLabel(result.passed, result.band)}</strong>
            </p>
          ) : null}
          {result.notice ? <p role="status">{result.notice}</p> : null}
          {late > 0 ? (
            <p className="form-error" role="status" data-testid="late-answers">
              Đã hết giờ và hệ thống đã tự nộp bài với các câu trả lời đã lưu trước giờ nộp. {late} câu trả lời gửi sau giờ nộp không được
              tính.
            </p>
          ) : null}
          {result.reviewPolicy !== "none" && !result.awaitingGrading ? (
            <p>
              <Link className={result.answersAvailable ? "button" : undefined} to={`/thi/${exam.id}/xem-lai`}>
                {result.answersAvailable ? "Xem lại bài làm và đáp án" : "Xem kết quả"}
              </Link>
            </p>
          ) : null}
          <p>
            <Link to={`/bien-nhan?ma=${encodeURIComponent(result.receipt ?? "")}`}>Kiểm tra biên nhận</Link>
          </p>
        </section>
      ) : null}
      {(!result && exam.state === "open") || exam.canRetake || elsewhere ? (
        <Form method="post" className="card form" ref={startForm}>
          <input type="hidden" name="deviceId" value={device} />
          {elsewhere ? (
            <p className="muted" role="status" data-testid="device-check">
              Bài làm của bạn đang mở. Thiết bị này chưa giữ bài làm: hệ thống đang hỏi để làm tiếp trên thiết bị này.
            </p>
          ) : null}
          {a?.error ? (
            <p
              className={a.code === "waiting_for_proctor" || a.code === "waiting_for_admission" ? "notice-ok" : "form-error"}
              role="alert"
              data-testid="start-message"
            >
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
          {exam.needsCode && !elsewhere ? (
            <div className="field">
              <label htmlFor="accessCode">Mã vào phòng thi (giám thị cung cấp)</label>
              <input id="accessCode" name="accessCode" autoComplete="off" required />
            </div>
          ) : null}
          <button className="button" type="submit" disabled={busy || !device}>
            {elsewhere ? "Làm tiếp trên thiết bị này" : result ? "Làm lại bài" : "Bắt đầu làm bài"}
          </button>
        </Form>
      ) : result ? null : (
        <p className="card">{exam.state === "upcoming" ? "Bài kiểm tra chưa mở." : "Bài kiểm tra đã đóng."}</p>
      )}
    </>
  );
}
