// Upload routes read their form through the one bounded reader (server/uploads/bounded.ts):
// the body is cut at the limit even without a Content-Length. A `.server` module, so
// none of it reaches the browser bundle.
export { readUploadForm, QUESTION_LIMITS, TABLE_LIMITS } from "../../server/uploads/bounded";
