/**
 * Fixed state keys for tests (made with `flowgate key generate`; never used anywhere else). The app signs with
 * STATE_PRIVATE_KEY; the Action beside it verifies with STATE_PUBLIC_KEY; OTHER_* is another installation's pair.
 */
export const STATE_PRIVATE_KEY = 'fgsk1_XYOkgVsyaIFYjEGF8eYIiWS2qRQhnN5jtyglzy8QDeM';
export const STATE_PUBLIC_KEY = 'fgpk1_eTnyJBJjbPxdrt32c3blXcvGjaWvpYLEIN32X-jhpO4';
export const OTHER_PRIVATE_KEY = 'fgsk1_bZAA7yDKZNGZfSaTOXUl4q8fcphdPhMlbk9kTuIZfJY';
export const OTHER_PUBLIC_KEY = 'fgpk1_E9cWNPmbqId48QcJMcYsJtipqTyzyp40URlsHKxTSrw';

/** The id of the test repository acme/widgets (payloads and GITHUB_REPOSITORY_ID carry it). */
export const REPO_ID = 1296269;
/** Where a status comment on issue `number` of acme/widgets lives, as the codec binds it. */
export const where = (number: number) => ({ id: REPO_ID, number });
