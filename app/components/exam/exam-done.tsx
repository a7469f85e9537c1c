import { useEffect, useRef } from "react";

/** The receipt after handing in; its heading takes the focus the closed dialog had. */
export function ExamDone({ receipt, hasEssays }: { receipt: string; hasEssays: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [receipt]);
  return (
    <section className="card exam-done" aria-labelledby="done-title">
      <h2 id="done-title" ref={heading} tabIndex={-1}>
        Đã nộp bài
      </h2>
      <p>Mã biên nhận bài làm của bạn:</p>
      <p className="receipt" data-testid="receipt">
        {receipt}
      </p>
      <p>Hãy ghi lại mã này. Bất kỳ ai cũng có thể kiểm tra bài đã nộp tại trang Kiểm tra biên nhận.</p>
      {hasEssays ? <p>Bài có câu tự luận: điểm sẽ có sau khi giảng viên chấm xong.</p> : null}
      <p className="actions">
        <a className="button" href="/thi">
          Về danh sách bài kiểm tra
        </a>
        <a href={`/bien-nhan?ma=${encodeURIComponent(receipt)}`}>Kiểm tra biên nhận</a>
      </p>
    </section>
  );
}
