import { describe, expect, it } from "vitest";
import { batonConfigSchema } from "../../src/config/config-schema.js";
import { declareSteps } from "../../src/graph/default-steps.js";
import { resolveContext } from "../../src/graph/resolve-context.js";
import { exportLines } from "../../src/graph/selectors/outline-selector.js";
import { memorySnapshot } from "./memory-snapshot.js";

describe("source outline for the architecture review", () => {
  it("keeps the lines that declare what a file exports, in the common languages", () => {
    const ts = "import x from 'y';\nexport async function search(q: string) {\n  return 1;\n}\nconst hidden = 2;\nexport class Users {\nexport type Id = string;\n";
    expect(exportLines(ts)).toEqual(["export async function search(q: string)", "export class Users", "export type Id = string;"]);
    expect(exportLines("def load(path):\n    pass\nclass Store:\n    def _x(self): pass\n")).toEqual(["def load(path):", "class Store:"]);
    expect(exportLines("func Handle(w http.ResponseWriter) {\nfunc helper() {}\ntype Server struct {\n")).toEqual(["func Handle(w http.ResponseWriter)", "type Server struct"]);
    expect(exportLines("pub fn parse(s: &str) -> u8 {\nfn private() {}\npub(crate) struct S;\n")).toEqual(["pub fn parse(s: &str) -> u8", "pub(crate) struct S;"]);
  });

  it("is an input of the architecture review: the concerned modules' files and exports, pinned to the commit", async () => {
    const config = batonConfigSchema.parse({ modules: { api: ["src/api/**"], web: ["src/web/**"] } });
    const snapshot = memorySnapshot({
      "src/api/users.ts": "export function users() {\n  return [];\n}\n",
      "src/api/orders.ts": "export const orders = 1;\n",
      "src/web/app.tsx": "export const App = () => null;\n",
    });
    const step = declareSteps(config)["architecture-review"];
    expect(step.inputs).toContain("source:outline");
    const ctx = await resolveContext({ step, snapshot, config, trigger: { spec: { kind: "text", label: "spec", text: "Add paging to the api module." } } });
    const outline = ctx.blocks.filter((b) => b.selector === "source:outline");
    expect(outline.map((b) => b.identity)).toEqual([`outline:api@${snapshot.commit}`]);
    expect(outline[0]!.text).toBe('<source-outline module="api">\nsrc/api/orders.ts\n  export const orders = 1;\nsrc/api/users.ts\n  export function users()\n</source-outline>\n');
  });
});
