import QRCode from "qrcode";
import { dashedLine, formatDocumentNumber, formatPlaceDate, parsePartyDocument, type PartyDocument } from "../documents/model";
import { PARTY_LAYOUT as L } from "../documents/pdf";
import {
  centred,
  centredLines,
  finish,
  issuerBlock,
  lineHeight,
  newPdf,
  partyTitle,
  signatureBlock,
  type TextStyle,
} from "../documents/pdf-common";

/**
 * Call-up letters (giấy triệu tập), one A4 page per trainee, in the Party layout of
 * server/documents (same margins, sizes and header) plus what the shared renderer has no
 * block for: a box with the trainee's account, initial password and a QR code that opens
 * the login page with the username filled in. A wrapper, not an edit of server/documents
 * (decision 008): the library stays pure and tested as it is.
 */
export interface CallUpLetter {
  /** The letter as a Party document; its body holds paragraphs only. */
  doc: PartyDocument;
  account: { username: string; password: string | null; loginUrl: string };
}

export async function renderCallUpLettersPdf(letters: CallUpLetter[]): Promise<Uint8Array> {
  if (letters.length === 0) throw new RangeError("no letters to render");
  const first = parsePartyDocument(letters[0]!.doc);
  const pdf = newPdf({
    margins: L.margins,
    autoFirstPage: false,
    info: {
      Title: `${first.typeName} ${first.summary}`,
      Subject: formatDocumentNumber(first.number.seq, first.number.typeAbbr, first.number.issuerAbbr),
      Author: first.header.issuer,
      Creator: "Bồi Dưỡng",
    },
  });
  for (const letter of letters) {
    pdf.addPage({ size: "A4", margins: L.margins });
    await page(pdf, parsePartyDocument(letter.doc), letter.account);
  }
  return finish(pdf);
}

const BODY = 13;

async function page(pdf: PDFKit.PDFDocument, d: PartyDocument, account: CallUpLetter["account"]): Promise<void> {
  const m = pdf.page.margins;
  const x = m.left;
  const width = pdf.page.width - m.left - m.right;
  const leftW = width * L.issuerColumn;
  const rightX = x + leftW;
  const rightW = width - leftW;

  // Header: issuer left, party title right, number and place-date on one line.
  const belowStar = issuerBlock(pdf, d.header, x, m.top, leftW, L.headerSize);
  const belowTitle = partyTitle(pdf, rightX, m.top, rightW, L.partyTitleSize);
  const y0 = Math.max(belowStar, belowTitle + 6);
  const number = formatDocumentNumber(d.number.seq, d.number.typeAbbr, d.number.issuerAbbr);
  let y = Math.max(
    centred(pdf, { face: "regular", size: L.headerSize }, number, x, y0, leftW),
    centred(pdf, { face: "italic", size: L.headerSize }, formatPlaceDate(d.place, d.date), rightX, y0, rightW),
  );
  y = centred(pdf, { face: "bold", size: L.typeNameSize }, d.typeName.toLocaleUpperCase("vi"), x, y + 16, width);
  if (d.summary.trim()) y = centred(pdf, { face: "bold", size: L.summarySize }, d.summary, x + width * 0.08, y, width * 0.84);
  y = centredLines(pdf, { face: "regular", size: L.summarySize }, ["-----"], x, y, width) + 6;

  // Body paragraphs; "Label: value" lines print the label in bold, as typed letters do.
  pdf.x = x;
  pdf.y = y;
  for (const b of d.body) {
    if (b.kind !== "paragraph" && b.kind !== "heading") continue;
    const text = b.text;
    const colon = b.kind === "paragraph" ? text.indexOf(": ") : -1;
    pdf.fillColor("black").fontSize(BODY);
    if (b.kind === "heading") pdf.font("bold").text(text, x, pdf.y, { width, align: "left", lineGap: 1, paragraphGap: 4 });
    else if (colon > 0 && colon < 40) {
      pdf.font("bold").text(text.slice(0, colon + 2), x + L.firstLineIndent, pdf.y, { continued: true, lineGap: 1 });
      pdf.font("regular").text(text.slice(colon + 2), { width: width - L.firstLineIndent, lineGap: 1, paragraphGap: 4 });
    } else pdf.font("regular").text(text, x, pdf.y, { width, align: "justify", indent: L.firstLineIndent, lineGap: 1, paragraphGap: 4 });
  }

  // The account box: username, initial password, QR code to the login page.
  const qr = await QRCode.toBuffer(account.loginUrl, {
    errorCorrectionLevel: "M",
    margin: 0,
    scale: 4,
    type: "png",
    rendererOpts: { colorType: 0 },
  } as QRCode.QRCodeToBufferOptions);
  const boxTop = pdf.y + 6;
  const qrSize = 80;
  const boxH = qrSize + 24;
  pdf.lineWidth(0.8).strokeColor("black").rect(x, boxTop, width, boxH).stroke();
  pdf.image(qr, x + width - qrSize - 12, boxTop + 8, { width: qrSize, height: qrSize });
  const tx = x + 10;
  const tw = width - qrSize - 34;
  pdf
    .font("bold")
    .fontSize(BODY)
    .text("Tài khoản học tập, kiểm tra trực tuyến", tx, boxTop + 8, { width: tw });
  pdf
    .font("regular")
    .text("Tên đăng nhập: ", tx, pdf.y + 2, { continued: true })
    .font("bold")
    .text(account.username);
  pdf.font("regular").text("Mật khẩu ban đầu: ", tx, pdf.y + 2, { continued: true });
  if (account.password) pdf.font("bold").text(account.password);
  else pdf.font("italic").text("học viên đã tự đặt mật khẩu");
  pdf
    .font("italic")
    .fontSize(11)
    .text(`Quét mã QR hoặc mở ${account.loginUrl.replace(/\?.*$/, "")}; đổi mật khẩu ở lần đăng nhập đầu.`, tx, pdf.y + 2, { width: tw });
  pdf
    .font("italic")
    .fontSize(10)
    .text("Quét mã để đăng nhập", x + width - qrSize - 22, boxTop + 8 + qrSize + 2, { width: qrSize + 20, align: "center" });

  // Closing: "Nơi nhận" left, the signature right.
  const top = boxTop + boxH + 14;
  signatureBlock(pdf, d.signature, rightX, top, rightW, L.signatureSize, 60);
  if (d.recipients.length) {
    const hs: TextStyle = L.recipientsHeading;
    pdf
      .font(hs.face)
      .fontSize(hs.size)
      .fillColor("black")
      .text("Nơi nhận:", x, top + 2, { lineBreak: false });
    let ry = top + 2 + lineHeight(pdf, hs);
    pdf.font(L.recipientsLine.face).fontSize(L.recipientsLine.size);
    for (const l of d.recipients.map(dashedLine)) {
      pdf.text(l, x, ry, { width: leftW - 6 });
      ry = pdf.y;
    }
  }
}
