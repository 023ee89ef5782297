/**
 * What GitHub would render from a piece of markdown, close enough to check
 * escaping: remark with GFM (tables, autolink literals, strikethrough) gives
 * the node tree, and the helpers below flatten it to what a reader sees.
 */
import type { Nodes, Root } from "mdast";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";

const parser = unified().use(remarkParse).use(remarkGfm);

export function parseMarkdown(markdown: string): Root {
  return parser.parse(markdown);
}

/** Every node type below `node` (itself excluded), depth first. */
export function nodeTypes(node: Nodes): string[] {
  if (!("children" in node)) return [];
  return node.children.flatMap((child) => [child.type, ...nodeTypes(child)]);
}

/** The characters a reader sees: text and code values, HTML nodes verbatim. */
export function visibleText(node: Nodes): string {
  if (node.type === "text" || node.type === "inlineCode" || node.type === "html") return node.value;
  if (!("children" in node)) return "";
  return node.children.map((child) => visibleText(child)).join("");
}

/**
 * `@name` in plain text, where GitHub would notify (its mention filter
 * skips code, links and pre). `name@host` is not a mention.
 */
export function liveMentions(node: Nodes): string[] {
  if (node.type === "text") return [...node.value.matchAll(/(?:^|[^A-Za-z0-9_`])@([A-Za-z0-9][A-Za-z0-9-]*)/g)].map((m) => m[1] as string);
  if (node.type === "inlineCode" || node.type === "code" || node.type === "link" || !("children" in node)) return [];
  return node.children.flatMap((child) => liveMentions(child));
}
