/**
 * The markdown side of the ADR reader: unified processors built once for the
 * whole process (the reader parses thousands of files), and a way to turn inline
 * markdown into text that still knows where its links point, so that
 * "Superseded by [DNS](0015-dns.md)" can be read as a reference to ADR 15.
 */
import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import type { Nodes, Root } from "mdast";
import { numberFromAdrId } from "./adr-file-names.js";

const withGfm = unified().use(remarkParse).use(remarkFrontmatter, ["yaml", "toml"]).use(remarkGfm).freeze();
const withoutGfm = unified().use(remarkParse).use(remarkFrontmatter, ["yaml", "toml"]).freeze();

/**
 * A GFM table needs a delimiter row (`|---|:--:|`): a line of pipes, dashes,
 * colons and blanks with at least one pipe and one dash. Scanned line by line
 * without a regular expression over the whole text.
 */
function hasTableDelimiterRow(text: string): boolean {
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    let pipe = false;
    let dash = false;
    let other = false;
    for (let i = start; i < end && !other; i++) {
      const c = text.charCodeAt(i);
      if (c === 124) pipe = true;
      else if (c === 45) dash = true;
      else if (c !== 58 && c !== 32 && c !== 9 && c !== 13) other = true;
    }
    if (pipe && dash && !other) return true;
    start = end + 1;
  }
  return false;
}

/**
 * The GFM syntax the reader relies on (tables, strikethrough, task lists,
 * footnotes) cannot occur without these marks. GFM parsing costs two to three
 * times plain CommonMark, and most Nygard and MADR files use none of it. Bare
 * URLs, the other GFM addition, read the same either way: a URL is never an
 * ADR reference.
 */
function needsGfm(text: string): boolean {
  return (
    text.includes("~~") ||
    text.includes("[^") ||
    text.includes("[x]") ||
    text.includes("[X]") ||
    text.includes("[ ]") ||
    (text.includes("|") && hasTableDelimiterRow(text))
  );
}

export function parseMarkdown(text: string): Root {
  return (needsGfm(text) ? withGfm : withoutGfm).parse(text);
}

/**
 * A link in flattened text: OPEN target SEP text CLOSE, where target is
 * `#<n>` (a relative link to a file whose name carries ADR number n), `-` (a
 * relative link to anything else) or `@` (an absolute URL: never an ADR reference).
 */
export const LINK_OPEN = "\uE000";
export const LINK_SEP = "\uE001";
export const LINK_CLOSE = "\uE002";
const LINK_TOKEN = /\uE000([^\uE001]*)\uE001([^\uE002]*)\uE002/g;

export function linkTarget(url: string): string {
  const u = url.trim();
  if (u === "") return "-";
  if (/^[a-z][a-z0-9+.-]*:/i.test(u) || u.startsWith("//") || /^www\./i.test(u)) return "@";
  if (u.startsWith("#")) return "-";
  let path = u.split(/[?#]/)[0] ?? "";
  try {
    path = decodeURIComponent(path);
  } catch {
    // A malformed escape: read the path as written.
  }
  const base = path.split("/").filter((p) => p !== "").pop() ?? "";
  const n = numberFromAdrId(base);
  return n === null ? "-" : `#${n}`;
}

function linkToken(url: string, text: string): string {
  return `${LINK_OPEN}${linkTarget(url)}${LINK_SEP}${text.replace(/[\uE000-\uE002]/g, "")}${LINK_CLOSE}`;
}

/** Flattened text with links shown as their text. */
export function plainText(flat: string): string {
  return flat.replace(LINK_TOKEN, (_m, _target: string, text: string) => text);
}

/** `[id]: url` definitions, so that reference-style links resolve like inline ones. */
export function collectDefinitions(root: Root): Map<string, string> {
  const defs = new Map<string, string>();
  walk(root, (node) => {
    if (node.type === "definition" && !defs.has(node.identifier)) defs.set(node.identifier, node.url);
    return true;
  });
  return defs;
}

/**
 * Inline content as text, links as tokens. Struck-through text is left out:
 * `~~Proposed~~ Accepted` is accepted. Images and HTML are not text.
 */
export function flatten(node: Nodes, defs: ReadonlyMap<string, string>): string {
  switch (node.type) {
    case "text":
    case "inlineCode":
      return node.value;
    case "break":
      return "\n";
    case "delete":
    case "image":
    case "imageReference":
    case "html":
    case "footnoteReference":
    case "definition":
    case "code":
    case "yaml":
      return "";
    case "link":
      return linkToken(node.url, flattenChildren(node.children, defs));
    case "linkReference": {
      const text = flattenChildren(node.children, defs);
      const url = defs.get(node.identifier);
      return url === undefined ? `[${text}]` : linkToken(url, text);
    }
    default:
      return "children" in node ? flattenChildren(node.children as Nodes[], defs) : "";
  }
}

function flattenChildren(children: readonly Nodes[], defs: ReadonlyMap<string, string>): string {
  let out = "";
  for (const child of children) out += flatten(child, defs);
  return out;
}

/**
 * The same flattening for markdown held in a plain string (a front-matter
 * value), which was never parsed: links, autolinks and bare URLs become tokens.
 */
export function flattenString(text: string): string {
  const linked = text
    .replace(/[\uE000-\uE002]/g, "")
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+["'][^)]*["'])?\s*\)/g, (_m, t: string, u: string) => linkToken(u, t))
    .replace(/<((?:https?|mailto):[^>\s]+)>/gi, (_m, u: string) => linkToken(u, u));
  // Bare URLs only outside the tokens just made (a link's text may itself be a URL).
  return linked
    .split(/(\uE000[^\uE002]*\uE002)/)
    .map((part, i) =>
      i % 2 === 1 ? part : part.replace(/https?:\/\/\S+/gi, (u) => linkToken(u, u)).replace(/\*\*|__|`/g, ""),
    )
    .join("");
}

/** The source text of a node, as written. */
export function sourceOf(node: Nodes, text: string): string {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  return start === undefined || end === undefined ? "" : text.slice(start, end);
}

/** The source text spanned by a list of siblings (a heading's or a cell's content). */
export function sourceOfChildren(children: readonly Nodes[], text: string): string {
  const first = children[0];
  const last = children[children.length - 1];
  const start = first?.position?.start.offset;
  const end = last?.position?.end.offset;
  return start === undefined || end === undefined ? "" : text.slice(start, end);
}

/**
 * Depth-first, document order. The visitor returns false to skip a node's
 * children. Code blocks have no children, so nothing inside a fence is seen.
 */
export function walk(node: Nodes, visit: (node: Nodes) => boolean): void {
  if (!visit(node)) return;
  if ("children" in node) {
    for (const child of node.children as Nodes[]) walk(child, visit);
  }
}
