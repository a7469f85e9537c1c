import { describe, expect, it } from "vitest";
import { actionResult, appFailure, withAppErrors } from "../../app/lib/app-errors.server";
import { asResponse } from "../../app/lib/guards.server";
import { BadRequest, NotFound } from "../../server/errors";

/** The one try/catch around service calls in routes (issue 17, item 4). */
describe("route error wrapper", () => {
  it("answers a loader's AppError as its page: the status and the Vietnamese message", async () => {
    const thrown = await withAppErrors(() => Promise.reject(new NotFound())).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(404);
    expect(await (thrown as Response).text()).toBe("Không tìm thấy.");
    expect((thrown as Response).headers.get("Content-Type")).toContain("text/plain");
  });

  it("passes values, redirects and real faults through untouched", async () => {
    expect(await withAppErrors(async () => ({ ok: true }))).toEqual({ ok: true });
    const redirect = new Response(null, { status: 302, headers: { Location: "/" } });
    expect(await withAppErrors(() => Promise.reject(redirect)).catch((e: unknown) => e)).toBe(redirect);
    const bug = new TypeError("x is undefined");
    expect(await withAppErrors(() => Promise.reject(bug)).catch((e: unknown) => e)).toBe(bug);
    expect(
      await actionResult(
        () => Promise.reject(bug),
        () => "shown",
      ).catch((e: unknown) => e),
    ).toBe(bug);
  });

  it("turns an action's AppError into the result the form shows", async () => {
    const ok = await actionResult(
      async () => ({ ok: true, message: "Đã lưu." }),
      ({ message }) => ({ ok: false, message }),
    );
    expect(ok).toEqual({ ok: true, message: "Đã lưu." });
    const refused = await actionResult(
      () => Promise.reject(new BadRequest("Ngày không hợp lệ.")),
      ({ status, message }) => ({ ok: false, message, status }),
    );
    expect(refused).toEqual({ ok: false, message: "Ngày không hợp lệ.", status: 400 });
    // An asynchronous handler (the exam start asks the proctor first) is awaited.
    expect(
      await actionResult(
        () => Promise.reject(new NotFound()),
        async ({ status }) => status,
      ),
    ).toBe(404);
  });

  it("recognises an AppError by its status, not its class (the Remix bundle has its own copy)", async () => {
    const foreign = Object.assign(new Error("Bạn không có quyền."), { status: 403, code: "scope" });
    expect(appFailure(foreign)).toMatchObject({ status: 403, message: "Bạn không có quyền.", error: { code: "scope" } });
    const res = asResponse(foreign);
    expect(res.status).toBe(403);
    expect(await res.text()).toBe("Bạn không có quyền.");
    expect(() => appFailure("boom")).toThrow();
  });
});
