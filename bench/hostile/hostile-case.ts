/**
 * One hostile input for `bench/hostile-input.bench.ts`: what an attacker
 * controls, the limit Baton holds it to, and the operation as Baton runs it.
 * The bench measures how long the event loop is blocked while `run` goes on.
 *
 * To add a class (markdown, for example): write `bench/hostile/<class>-cases.ts`
 * exporting `HostileCase[]`, and add it to `CASE_SETS` in `bench/hostile/all-cases.ts`.
 */
export interface HostileCase {
  /** The input class: "paths", "model globs", "model regexes", "config globs", "markdown"… */
  inputClass: string;
  /** The input, in a few words. */
  name: string;
  /** The limit this input is held to, as docs/security.md states it. */
  limit: string;
  /** Does the work the way Baton does it; may reject (a refusal or a time-out is the expected outcome). */
  run(): unknown;
}
