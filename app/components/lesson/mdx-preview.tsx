import { Callout, Cite, KeyPoints } from "./mdx-components";
import { LessonContent, type LessonComponents } from "./lesson-content";

const components = {
  Callout,
  KeyPoints,
  Cite,
  SelfCheck: () => <p className="muted">[Phần tự kiểm tra: câu hỏi lấy từ ngân hàng khi học viên mở bài]</p>,
} satisfies LessonComponents;

/** Renders a compiled lesson tree (from the server's compile cache) for previews. */
export function MdxPreview({ code }: { code: string }) {
  return <LessonContent code={code} components={components} />;
}
