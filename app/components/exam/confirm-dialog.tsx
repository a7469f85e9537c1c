import { useEffect, useId, useRef, type ReactNode } from "react";

/**
 * A confirmation as a native modal <dialog> (issue #14): showModal() makes the rest of
 * the page inert, focus moves to the safe choice, Escape closes it, and focus returns
 * to whatever opened it. `role="alertdialog"`: it asks before something consequential.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel,
  onConfirm,
  onCancel,
  busy = false,
  testId,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** The confirmed action is running: its button says so and cannot be pressed twice. */
  busy?: boolean;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const safe = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const id = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      safe.current?.focus();
    } else if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className="exam-dialog"
      role="alertdialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      data-testid={testId}
      onClose={() => {
        // Escape, or our own close(): give focus back to the opener (not every browser does).
        if (opener.current?.isConnected) opener.current.focus();
        opener.current = null;
        if (open) onCancel();
      }}
    >
      {/* Drawn only while open: a closed dialog's words are not the page's (nor a test's) text. */}
      {open ? (
        <>
          <h2 id={`${id}-title`}>{title}</h2>
          <div id={`${id}-body`}>{children}</div>
          <div className="actions">
            <button type="button" className="button" onClick={onConfirm} disabled={busy}>
              {confirmLabel}
            </button>
            <button type="button" className="button button--secondary" ref={safe} onClick={onCancel}>
              {cancelLabel}
            </button>
          </div>
        </>
      ) : null}
    </dialog>
  );
}
