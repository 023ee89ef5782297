/**
 * The markdown side of the ADR reader: unified processors built once for the
 * whole process (the reader parses thousands of files), and a way to turn inline
 * markdown into text that still knows where its links point, so that
 * "Superseded by [DNS](0015-dns.md)" can be read as a reference to ADR 15.
 */
import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkGfm from "remark-gfm";
import type { Nodes, Root } from "mdast";
import { linkToken, needsGfm } from "./adr-flat-text.js";

export { LINK_CLOSE, LINK_OPEN, LINK_SEP, flattenString, linkTarget, needsGfm, plainText } from "./adr-flat-text.js";

// Front matter never reaches the parser: both tiers cut it out the same way (splitFrontMatter).
const withGfm = unified().use(remarkParse).use(remarkGfm).freeze();
const withoutGfm = unified().use(remarkParse).freeze();

export function parseMarkdown(text: string): Root {
  return (needsGfm(text) ? withGfm : withoutGfm).parse(text);
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
