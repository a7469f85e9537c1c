import type { ComponentPropsWithoutRef, ReactNode } from "react";

/**
 * The answer to a form post (issue 17, item 4), in one markup so pages and the e2e
 * tests find it the same way: a success note read politely (role=status, class
 * notice-ok) or a refusal read at once (role=alert, class form-error).
 */
type NoticeProps = { tone?: "ok" | "error"; children: ReactNode } & Omit<ComponentPropsWithoutRef<"p">, "role" | "className" | "children">;

export function Notice({ tone = "ok", children, ...rest }: NoticeProps) {
  return tone === "ok" ? (
    <p className="notice-ok" role="status" {...rest}>
      {children}
    </p>
  ) : (
    <p className="form-error" role="alert" {...rest}>
      {children}
    </p>
  );
}

/** Several refusals from one post, a paragraph each; `spaced` keeps the paragraphs' default margins. */
export function ProblemList({ problems, spaced = false }: { problems: readonly string[]; spaced?: boolean }) {
  return (
    <div className="form-error" role="alert">
      {problems.map((p) => (
        <p key={p} style={spaced ? undefined : { margin: 0 }}>
          {p}
        </p>
      ))}
    </div>
  );
}

/** A post's `{ ok, message }`: the success note or the refusal; nothing before the post or without a message. */
export function ActionNotice({ result }: { result: { ok: boolean; message?: string | null } | null | undefined }) {
  if (!result?.message) return null;
  return <Notice tone={result.ok ? "ok" : "error"}>{result.message}</Notice>;
}
