import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkGfm from "remark-gfm";
import remarkFrontmatter from "remark-frontmatter";
import { gfmTable } from "micromark-extension-gfm-table";
import { gfmTableFromMarkdown } from "mdast-util-gfm-table";
const root = "/work/shared/adr-corpus";
const texts = [];
for (const d of readdirSync(root).filter((d) => !d.includes("."))) for (const f of readdirSync(join(root, d)).filter((f) => f.endsWith(".md"))) texts.push(readFileSync(join(root, d, f), "utf8"));
function tableOnly() { const data = this.data(); (data.micromarkExtensions ??= []).push(gfmTable()); (data.fromMarkdownExtensions ??= []).push(gfmTableFromMarkdown()); }
const procs = { none: unified().use(remarkParse), fm: unified().use(remarkParse).use(remarkFrontmatter, ["yaml"]), gfm: unified().use(remarkParse).use(remarkGfm), all: unified().use(remarkParse).use(remarkFrontmatter, ["yaml", "toml"]).use(remarkGfm), table: unified().use(remarkParse).use(remarkFrontmatter, ["yaml"]).use(tableOnly) };
for (const round of [1, 2]) for (const [name, p] of Object.entries(procs)) { const t0 = performance.now(); for (const t of texts) p.parse(t); console.log(round, name, (performance.now() - t0).toFixed(0)); }
