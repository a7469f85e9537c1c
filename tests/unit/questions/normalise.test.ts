import { describe, expect, it } from "vitest";
import {
  cleanText,
  findNearDuplicates,
  foldDiacritics,
  parseLesson,
  parseLevel,
  questionSimilarity,
  snapFraction,
  cleanCategory,
} from "../../../server/questions/formats/normalise";
import { htmlToText, isSafeImageSrc, sanitiseHtml } from "../../../server/questions/formats/html";

describe("text normalisation", () => {
  it("NFC-normalises decomposed Vietnamese and cleans whitespace", () => {
    const decomposed = "Đa\u0309ng Cô\u0323ng sa\u0309n".normalize("NFD");
    // NBSP → space, zero-width space removed, CRLF and blank lines folded, lines trimmed
    expect(cleanText(`  ${decomposed}\u00a0\u00a0Việt\u200bNam \r\n\r\n\r\n dòng hai\t `)).toBe("Đảng Cộng sản ViệtNam\ndòng hai");
    expect(cleanText(decomposed)).toBe("Đảng Cộng sản");
    expect(cleanText(decomposed).length).toBe("Đảng Cộng sản".length);
  });

  it("folds diacritics and reads level and lesson labels", () => {
    expect(foldDiacritics("Đảng Cộng sản Việt Nam")).toBe("Dang Cong san Viet Nam");
    expect(["Nhận biết", "nhan biet", "NB", "nhan_biet"].map(parseLevel)).toEqual(["nhan_biet", "nhan_biet", "nhan_biet", "nhan_biet"]);
    expect(["Thông hiểu", "Vận dụng", "vận dụng cao", "Mức độ: Thông hiểu", "khó"].map(parseLevel)).toEqual([
      "thong_hieu",
      "van_dung",
      "van_dung",
      "thong_hieu",
      undefined,
    ]);
    expect(["Bài 2", "bai 02", "Bài 3: Cương lĩnh", "4", 5, "Năm 2011", "HD61"].map(parseLesson)).toEqual([
      2,
      2,
      3,
      4,
      5,
      undefined,
      undefined,
    ]);
    expect(cleanCategory("$course$/top/HD61/Bài 2")).toBe("HD61/Bài 2");
    expect(cleanCategory("$system$/top")).toBeUndefined();
  });

  it("snaps Moodle's rounded percentages to exact fractions", () => {
    expect(snapFraction(0.3333333)).toBe(1 / 3);
    expect(snapFraction(0.1428571)).toBe(1 / 7);
    expect(snapFraction(0.123456)).toBe(0.123456);
  });
});

describe("near-duplicate search", () => {
  const base = {
    stem: "Đảng Cộng sản Việt Nam được thành lập vào ngày, tháng, năm nào?",
    options: [{ text: "03/02/1930" }, { text: "19/5/1930" }, { text: "02/9/1945" }, { text: "06/01/1930" }],
  };

  it("scores identical text 1.0 (case and spacing aside), unaccented text just below, other questions low", () => {
    expect(questionSimilarity(base, { ...base, stem: `  ${base.stem.toUpperCase()} ` })).toBe(1);
    const noAccents = { ...base, stem: foldDiacritics(base.stem) };
    const s = questionSimilarity(base, noAccents);
    expect(s).toBeGreaterThanOrEqual(0.9);
    expect(s).toBeLessThan(1);
    expect(
      questionSimilarity(base, {
        stem: "Cơ quan lãnh đạo cao nhất của Đảng là gì?",
        options: [{ text: "Đại hội" }, { text: "Bộ Chính trị" }],
      }),
    ).toBeLessThan(0.2);
  });

  it("finds pairs within the file and against the bank", () => {
    const candidates = [
      base,
      { stem: "Cơ quan lãnh đạo cao nhất của Đảng là gì?", options: [{ text: "Đại hội đại biểu toàn quốc" }, { text: "Bộ Chính trị" }] },
      { ...base, stem: "Dang Cong san Viet Nam duoc thanh lap vao ngay, thang, nam nao?" },
      {
        stem: "<p>Cơ quan lãnh đạo cao nhất của <b>Đảng</b> là gì?</p>",
        stemFormat: "html" as const,
        options: [{ text: "Bộ Chính trị" }, { text: "Đại hội đại biểu toàn quốc" }],
      },
    ];
    const bank = [
      { id: "q-42", ...base },
      { id: "q-43", stem: "Nhiệm kỳ Đại hội Đảng là mấy năm?", options: [{ text: "5" }] },
    ];
    const found = findNearDuplicates(candidates, bank);
    expect(found.map((d) => [d.candidate, d.in, d.other, d.otherId, d.similarity >= 0.9])).toEqual([
      [0, "bank", 0, "q-42", true],
      [2, "bank", 0, "q-42", true],
      [2, "file", 0, undefined, true],
      [3, "file", 1, undefined, true],
    ]);
    expect(found[0].similarity).toBe(1);
    expect(found[3].similarity).toBe(1); // option order and HTML do not matter
  });

  it("handles thousands of questions quickly", () => {
    const many = Array.from({ length: 3000 }, (_, i) => ({
      stem: `Câu hỏi số ${i} về nội dung ${i * 7} của Cương lĩnh ${i % 13} và Điều lệ ${i % 17}`,
      options: [{ text: `Phương án ${i}` }],
    }));
    const t = performance.now();
    findNearDuplicates(many, many.slice(0, 1000));
    expect(performance.now() - t).toBeLessThan(5000);
  });
});

describe("HTML sanitiser (sanitize-html, strict allow-list)", () => {
  it("keeps basic formatting, tables and imported images; drops scripts, styles, events, javascript:, data: and external images", () => {
    const dirty =
      '<p style="color:red" onclick="x()">Chủ nghĩa <strong>Mác</strong> - <em>Lênin</em> <span class="a" style="position:fixed">và</span> H<sub>2</sub>O<sup>2</sup></p>' +
      '<script>alert("x")</script><style>p{}</style><iframe src="https://evil"></iframe>' +
      '<ul><li>một<li>hai</ul><table><tr><td colspan="2" onmouseover="y()">ô</td></tr></table>' +
      '<img src="@@PLUGINFILE@@/anh.png" onerror="z()"><img src="data:image/png;base64,iVBORw0KGgo="><img src="https://evil/x.png"><img src="java\tscript:alert(1)">' +
      '<img src="data:image/svg+xml;base64,PHN2Zz4="><a href="javascript:alert(1)">liên kết</a><!-- ghi chú --><br/>';
    const { html, removed } = sanitiseHtml(dirty);
    expect(html).toBe(
      "<p>Chủ nghĩa <strong>Mác</strong> - <em>Lênin</em> <span>và</span> H<sub>2</sub>O<sup>2</sup></p>" +
        '<ul><li>một</li><li>hai</li></ul><table><tr><td colspan="2">ô</td></tr></table>' +
        '<img src="@@PLUGINFILE@@/anh.png" alt="">liên kết',
    );
    expect(removed).toEqual(
      expect.arrayContaining([
        "script",
        "style",
        "iframe",
        "attribute:on*",
        "attribute:style",
        "img:external",
        "img:data",
        "javascript-url",
      ]),
    );
    expect(sanitiseHtml(html).html).toBe(html); // idempotent
  });

  const hostile: [string, string][] = [
    ["<img src=x onerror=alert(1)>", ""],
    ['<img src="@@PLUGINFILE@@/a.png" onerror="alert(1)" onload="alert(2)">', '<img src="@@PLUGINFILE@@/a.png" alt="">'],
    ['<svg onload="alert(1)"><image href="x" /><script>alert(1)</script></svg>sau', "sau"],
    ["<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", ""],
    ["<scr<script>ipt>alert(1)</script>", "ipt&gt;alert(1)"],
    ['<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', ""],
    ["<textarea><img src=x onerror=alert(1)></textarea>", ""],
    ['<p style="background:url(javascript:alert(1))">a</p>', "<p>a</p>"],
    ['<a href="jav&#x09;ascript:alert(1)">b</a>', "b"],
    ['<img src="  JaVaScRiPt:alert(1)">c', "c"],
    ['<img src="//evil.example/x.png">d', "d"],
    ['<img src="@@PLUGINFILE@@/a.png&quot; onerror=&quot;alert(1)">e', "e"],
    ['<form action="/dang-xuat"><button>Gửi</button><input name="x"></form>f', "f"],
    ['<object data="x.swf"></object><embed src="x"><iframe srcdoc="<script>alert(1)</script>"></iframe>g', "g"],
    ["<div><div><div>sâu</div></div></div>", "<p><p><p>sâu</p></p></p>"],
    ['<td background="javascript:alert(1)" colspan="2x">h</td>', "<td>h</td>"],
    ["<!--<img src=x onerror=alert(1)>-->i", "i"],
    ['<base href="https://evil/"><meta http-equiv="refresh" content="0;url=https://evil">j', "j"],
  ];
  it.each(hostile)("hostile input %s", (input, expected) => {
    const { html } = sanitiseHtml(input);
    expect(html).toBe(expected);
    expect(html).not.toMatch(/on[a-z]+=|javascript:|<script|<svg|<style|<iframe|style=/i);
  });

  it("an image decision resolves references and drops the rest", () => {
    const r = sanitiseHtml('<p><img src="@@PLUGINFILE@@/a.png" alt="a.png"><img src="@@PLUGINFILE@@/b.png"></p>', {
      image: (src) => (src.endsWith("/a.png") ? { src: "/api/thi/1/anh/" + "f".repeat(64), alt: "Hình" } : null),
    });
    expect(r.html).toBe(`<p><img src="/api/thi/1/anh/${"f".repeat(64)}" alt="Hình"></p>`);
  });

  it("escapes text and decodes entities once", () => {
    expect(sanitiseHtml("a &lt;b&gt; &amp;amp; <b>c</b> < d").html).toBe("a &lt;b&gt; &amp;amp; <b>c</b> &lt; d");
    expect(htmlToText("<p>Dòng 1<br>Dòng&nbsp;2</p><p>Đoạn &quot;3&quot;</p>")).toBe('Dòng 1\nDòng 2\nĐoạn "3"');
    expect(isSafeImageSrc("@@PLUGINFILE@@/anh.png")).toBe(true);
    expect(isSafeImageSrc(" JaVaScRiPt:alert(1)")).toBe(false);
    expect(isSafeImageSrc("data:image/png;base64,iVBORw0KGgo=")).toBe(false);
  });
});
