import { useMemo } from "react";
import { mdxComponent } from "./mdx-runtime";
import { Callout, Cite, KeyPoints } from "./mdx-components";

const components = { Callout, KeyPoints, Cite, SelfCheck: () => <p className="muted">[Phần tự kiểm tra: câu hỏi lấy từ ngân hàng khi học viên mở bài]</p> };

/** Renders compiled lesson code (from the server's compile cache) for previews. */
export function MdxPreview({ code }: { code: string }) {
  const Content = useMemo(() => mdxComponent(code), [code]);
  return <Content components={components} />;
}

