import { describe, expect, it } from "vitest";
import { idParam, parseId, requiredSearchId, searchId, INT4_MAX } from "../../app/lib/params.server";
import { rowId } from "../../server/exams/protocol";

/** Route and socket ids (issue 13, item 11): a positive int4, or not found. */
describe("route ids", () => {
  it("accepts positive whole numbers up to the int4 maximum", () => {
    expect(parseId("1")).toBe(1);
    expect(parseId("42")).toBe(42);
    expect(parseId(String(INT4_MAX))).toBe(2_147_483_647);
  });

  it.each(["99999999999", "2147483648", "0", "-1", "1.5", "abc", "1e3", "01", " 1", "0x10", "", undefined])("refuses %j", (v) => {
    expect(parseId(v)).toBeNull();
  });

  it("throws the Vietnamese 404 page for a bad route parameter", async () => {
    expect(idParam({ id: "7" }, "id")).toBe(7);
    let thrown: unknown;
    try {
      idParam({ id: "99999999999" }, "id");
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(404);
    expect(await (thrown as Response).text()).toContain("không tồn tại");
  });

  it("bounds socket ids the same way", () => {
    expect(rowId.safeParse(INT4_MAX).success).toBe(true);
    for (const bad of [INT4_MAX + 1, 0, -1, 1.5, Number.MAX_SAFE_INTEGER]) expect(rowId.safeParse(bad).success).toBe(false);
  });
});

/** Query-string ids (?buoi=, ?don-vi=…): a filter ignores a bad value, a required one is the 404 page. */
describe("query-string ids", () => {
  it("reads a good id, and treats absent or bad ones as no filter", () => {
    expect(searchId(new URLSearchParams("don-vi=12"), "don-vi")).toBe(12);
    for (const bad of ["", "99999999999", "2147483648", "-1", "1.5", "abc", "0", "1e3"])
      expect(searchId(new URLSearchParams({ "don-vi": bad }), "don-vi")).toBeUndefined();
    expect(searchId(new URLSearchParams(""), "don-vi")).toBeUndefined();
  });

  it("throws the 404 page when a required one is absent or bad", () => {
    expect(requiredSearchId(new URLSearchParams("buoi=3"), "buoi")).toBe(3);
    for (const q of ["", "buoi=99999999999", "buoi=abc", "buoi=-1"]) {
      let thrown: unknown;
      try {
        requiredSearchId(new URLSearchParams(q), "buoi");
      } catch (e) {
        thrown = e;
      }
      expect((thrown as Response).status).toBe(404);
    }
  });
});
