/**
 * The title of an ADR: its first `#` heading as written (inline code keeps
 * its backticks), without the number or ID that tools put in front of it
 * (`1. `, `0009. `, `ADR001: `, `ODH-ADR-DR-0001: `) and without a bold wrapper.
 */
import type { Heading, Nodes, Root } from "mdast";
import { sourceOf, walk } from "./adr-markdown.js";
import { cleanTitle } from "./adr-title-text.js";

export { cleanTitle, titleFromFileName } from "./adr-title-text.js";

export function firstH1(root: Root): Heading | null {
  let found: Heading | null = null;
  walk(root, (node) => {
    if (found) return false;
    if (node.type === "heading") {
      if (node.depth === 1) found = node;
      return false;
    }
    return true;
  });
  return found;
}

function inlineTitle(node: Nodes, text: string): string {
  switch (node.type) {
    case "text":
      return node.value;
    case "break":
      return " ";
    case "image":
      return node.alt ?? "";
    case "html":
    case "footnoteReference":
      return "";
    case "link":
    case "linkReference":
      return node.children.map((c) => inlineTitle(c, text)).join("");
    case "inlineCode":
    case "emphasis":
    case "strong":
    case "delete": {
      const source = sourceOf(node, text);
      if (source !== "") return source;
      return "children" in node ? node.children.map((c) => inlineTitle(c, text)).join("") : node.value;
    }
    default:
      return "children" in node ? (node.children as Nodes[]).map((c) => inlineTitle(c, text)).join("") : "";
  }
}

/** A heading's text as titles keep it (inline code, emphasis as written; links as their text), before `cleanTitle`. */
export function headingText(heading: Heading, text: string): string {
  return heading.children.map((c) => inlineTitle(c, text)).join("");
}

export function titleOfHeading(heading: Heading, text: string): string {
  return cleanTitle(headingText(heading, text));
}

