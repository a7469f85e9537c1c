/** Common MDX syntax mistakes, explained in Vietnamese with the fix; anything else keeps its original wording. */
export function explainMdxError(raw: string): string {
  const msg = raw
    .replace(/^Cannot process MDX file with esbuild:\s*/s, "")
    .replace(/^\s*\d+:\d+(-\d+:\d+)?:\s*/, "")
    .trim();
  let m: RegExpExecArray | null;
  if ((m = /Expected a closing tag for `<(\w+)>`/.exec(msg)))
    return `Thẻ <${m[1]}> chưa được đóng: thêm </${m[1]}> (để một dòng trống trước và sau nội dung bên trong).`;
  if ((m = /Unexpected closing tag `<\/(\w+)>`/.exec(msg))) return `Thẻ đóng </${m[1]}> không khớp với thẻ mở nào.`;
  if (/expected a corresponding closing brace for `\{`/.test(msg) || /Could not parse expression/.test(msg))
    return "Dấu { mở một biểu thức nhưng không được đóng. Nếu muốn viết dấu ngoặc nhọn trong văn bản, hãy dùng &#123; và &#125;.";
  if (/Could not parse import\/exports/.test(msg))
    return "Bài giảng không được có dòng import/export: bài giảng là nội dung, không phải mã. Xóa dòng này.";
  if (/Unexpected character .* before name/.test(msg) || /Unexpected character `[ \d=]`/.test(msg))
    return "Dấu < bắt đầu một thẻ. Nếu muốn viết dấu nhỏ hơn trong văn bản, hãy dùng &lt; hoặc viết “nhỏ hơn”.";
  if (/Unexpected end of file/.test(msg)) return `Tệp kết thúc khi một thẻ hoặc biểu thức còn dang dở (${msg}).`;
  return `Lỗi cú pháp MDX: ${msg}`;
}
