/**
 * Bounds on globs that Baton matches on the main thread: those of
 * `.github/baton.yml` (module map, allow/deny/protected paths, review.ignore).
 * picomatch turns a glob into a backtracking regular expression, and some
 * shapes take seconds to minutes against a crafted path (`*a*a*a*a*b`, two
 * globstars with something between them, a segment with several stars next
 * to another one). A repository's committer writes both the globs and the
 * paths, so the shapes are limited when the configuration is read, where the
 * error can point at the line; what remains is benchmarked in
 * `bench/hostile-input.bench.ts`. Globs from a model are not held to these
 * shapes: they run off the main thread under a time limit
 * (`src/policy/bounded-match.ts`).
 */

export const CONFIG_GLOB_MAX_LENGTH = 200;
/** Alternatives of the one `{a,b}` group a glob may have. */
export const MAX_BRACE_ALTERNATIVES = 16;

export interface GlobProblem {
  message: string;
  fix: string;
}

const EXTGLOB = /(?:^|[^\\])[@!+*?]\(/;

/** The alternatives of a glob's single brace group (the glob itself when it has none), or a problem. */
function alternatives(glob: string): string[] | GlobProblem {
  const open = glob.indexOf("{");
  if (open < 0) return [glob];
  const close = glob.indexOf("}", open);
  if (close < 0) return [glob]; // An unclosed brace is a literal character to picomatch.
  const inner = glob.slice(open + 1, close);
  if (inner.includes("{") || glob.indexOf("{", close) >= 0) {
    return { message: "has more than one {…} group", fix: "use one {a,b} group per glob, or list the combinations as separate globs" };
  }
  const parts = inner.split(",");
  if (parts.length > MAX_BRACE_ALTERNATIVES) {
    return { message: `has ${parts.length} alternatives in {…}, more than ${MAX_BRACE_ALTERNATIVES}`, fix: "split the list into several globs" };
  }
  return parts.map((part) => glob.slice(0, open) + part + glob.slice(close + 1));
}

/**
 * Why a glob from the configuration is refused, or undefined. Allowed: up to
 * 200 characters; one `{a,b}` group of at most 16 alternatives; in each
 * alternative at most one `**` before the last segment, at most two `*` in a
 * segment and only one segment with two. No extglobs (`+(…)`, `@(…)`…) and no
 * `(a|b)` alternation.
 */
export function configGlobProblem(raw: string): GlobProblem | undefined {
  if (raw.length > CONFIG_GLOB_MAX_LENGTH) return { message: `is ${raw.length} characters long, more than ${CONFIG_GLOB_MAX_LENGTH}`, fix: "use a shorter glob, e.g. the folder followed by /**" };
  const glob = raw.startsWith("!") ? raw.slice(1) : raw;
  if (EXTGLOB.test(glob)) return { message: "uses an extglob such as +(…) or @(…)", fix: "use plain * and ** wildcards, or list the alternatives as separate globs" };
  if (/(?:^|[^\\])\|/.test(glob)) return { message: 'uses "|" alternation', fix: "use one {a,b} group, or list the alternatives as separate globs" };
  const alts = alternatives(glob);
  if (!Array.isArray(alts)) return alts;
  for (const alt of alts) {
    const segments = alt.split("/");
    const globstars = segments.slice(0, -1).filter((s) => s === "**").length;
    if (globstars > 1) return { message: "has more than one ** before its last segment", fix: "keep one ** (a trailing /** is free), e.g. src/**/__tests__/** instead of **/a/**/b" };
    const stars = segments.filter((s) => s !== "**").map((s) => s.replace(/\\./g, "").split("*").length - 1);
    if (stars.some((n) => n > 2)) return { message: "has more than two * in one folder or file name", fix: "use at most two *, e.g. *.test.*" };
    if (stars.filter((n) => n === 2).length > 1) return { message: "has more than one folder or file name with two *", fix: "keep two * in one name only" };
  }
  return undefined;
}

/** A literal path (a folder from the repository) as a glob that matches only itself. */
export function escapeGlob(literal: string): string {
  return literal.replace(/[*?[\]{}()!+@|\\]/g, "\\$&");
}
