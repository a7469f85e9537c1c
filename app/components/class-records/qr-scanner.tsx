import { useEffect, useRef, useState } from "react";
import { Notice } from "~/components/action-notice";

/**
 * Reads QR codes from the phone's camera in the browser (getUserMedia + jsQR, no app to
 * install). Calls `onCode` once per code seen; the same code again only after a pause,
 * so a trainee holding a paper in front of the camera is not scanned twenty times.
 */
export function QrScanner({ onCode, paused }: { onCode: (text: string) => void; paused?: boolean }) {
  const video = useRef<HTMLVideoElement>(null);
  const [active, setActive] = useState(false);
  const [state, setState] = useState<"off" | "starting" | "on" | "error">("off");
  const [error, setError] = useState<string | null>(null);
  const last = useRef<{ text: string; at: number } | null>(null);
  const onCodeRef = useRef(onCode);
  onCodeRef.current = onCode;
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  useEffect(() => {
    if (!active) return;
    setState("starting");
    setError(null);
    let stream: MediaStream | null = null;
    let stopped = false;
    let timer: number | undefined;
    void (async () => {
      try {
        const jsQR = (await import("jsqr")).default;
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
        // Closed while the browser was still asking: the cleanup ran before the stream
        // existed, so stop it here or the camera stays on.
        if (stopped) {
          stream.getTracks().forEach((t) => t.stop());
          return;
        }
        const v = video.current!;
        v.srcObject = stream;
        await v.play();
        setState("on");
        const canvas = document.createElement("canvas");
        const ctx = canvas.getContext("2d", { willReadFrequently: true })!;
        const tick = () => {
          if (stopped) return;
          if (v.videoWidth && !pausedRef.current) {
            // Decode a downscaled frame: enough for a code that fills a fifth of the view, and cheap on old phones.
            const scale = Math.min(1, 640 / v.videoWidth);
            canvas.width = Math.round(v.videoWidth * scale);
            canvas.height = Math.round(v.videoHeight * scale);
            ctx.drawImage(v, 0, 0, canvas.width, canvas.height);
            const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
            const code = jsQR(img.data, img.width, img.height, { inversionAttempts: "dontInvert" });
            const now = Date.now();
            if (code?.data && !(last.current && last.current.text === code.data && now - last.current.at < 4000)) {
              last.current = { text: code.data, at: now };
              onCodeRef.current(code.data);
            }
          }
          timer = window.setTimeout(tick, 200);
        };
        tick();
      } catch (e) {
        setError(
          e instanceof Error && e.name === "NotAllowedError"
            ? "Bạn chưa cho phép dùng máy ảnh. Hãy cho phép trong cài đặt trình duyệt rồi thử lại."
            : "Không mở được máy ảnh của thiết bị này.",
        );
        setState("error");
        setActive(false);
      }
    })();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((t) => t.stop());
      setState("off");
    };
  }, [active]);

  return (
    <div>
      {!active ? (
        <button type="button" className="button" onClick={() => setActive(true)}>
          Bật máy ảnh để quét mã
        </button>
      ) : (
        <button type="button" className="button button--secondary" onClick={() => setActive(false)}>
          Tắt máy ảnh
        </button>
      )}
      {state === "starting" ? <p className="muted">Đang mở máy ảnh…</p> : null}
      {state === "on" ? <p className="muted">Đưa mã QR của học viên vào khung hình.</p> : null}
      {error ? <Notice tone="error">{error}</Notice> : null}
      <video
        ref={video}
        muted
        playsInline
        aria-label="Hình từ máy ảnh"
        data-testid="scanner-video"
        style={{
          display: active ? "block" : "none",
          width: "100%",
          maxWidth: "28rem",
          marginTop: ".75rem",
          borderRadius: 8,
          background: "#000",
        }}
      />
    </div>
  );
}
