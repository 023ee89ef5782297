/** Realistic diffs, as `git diff` / GitHub's .diff media type write them. */

export const MULTI_HUNK_MODIFIED = `diff --git a/src/billing/invoice.ts b/src/billing/invoice.ts
index 3b18e51..a9c0d2f 100644
--- a/src/billing/invoice.ts
+++ b/src/billing/invoice.ts
@@ -1,7 +1,8 @@
 import { Money } from "./money.js";
+import { roundHalfEven } from "./rounding.js";
 
 export interface Invoice {
   id: string;
   lines: InvoiceLine[];
   currency: string;
 }
@@ -40,8 +41,9 @@ export function total(invoice: Invoice): Money {
   let sum = 0;
   for (const line of invoice.lines) {
-    sum += line.quantity * line.unitPrice;
+    sum += roundHalfEven(line.quantity * line.unitPrice, 2);
   }
-  return new Money(sum, invoice.currency);
+  const tax = roundHalfEven(sum * TAX_RATE, 2);
+  return new Money(sum + tax, invoice.currency);
 }
 
 export function isEmpty(invoice: Invoice): boolean {
`;

export const RENAME_WITH_CHANGE = `diff --git a/src/util/strings.ts b/src/util/text.ts
similarity index 88%
rename from src/util/strings.ts
rename to src/util/text.ts
index 5d41402..7c4a8d0 100644
--- a/src/util/strings.ts
+++ b/src/util/text.ts
@@ -10,4 +10,4 @@ export function slugify(input: string): string {
     .toLowerCase()
     .replace(/[^a-z0-9]+/g, "-")
-    .replace(/^-|-$/g, "");
+    .replace(/^-+|-+$/g, "");
 }
`;

export const PURE_RENAME_WITH_SPACES = `diff --git a/docs/old name.md b/docs/new name.md
similarity index 100%
rename from docs/old name.md
rename to docs/new name.md
`;

export const BINARY_CHANGE = `diff --git a/assets/logo.png b/assets/logo.png
index 0f1c2a3..9e8d7c6 100644
Binary files a/assets/logo.png and b/assets/logo.png differ
`;

export const BINARY_NEW = `diff --git a/assets/icon 2x.png b/assets/icon 2x.png
new file mode 100644
index 0000000..1a2b3c4
Binary files /dev/null and b/assets/icon 2x.png differ
`;

export const NEW_FILE = `diff --git a/src/billing/rounding.ts b/src/billing/rounding.ts
new file mode 100644
index 0000000..e69de29
--- /dev/null
+++ b/src/billing/rounding.ts
@@ -0,0 +1,6 @@
+/** Banker's rounding: ties go to the even neighbour. */
+export function roundHalfEven(value: number, digits: number): number {
+  const factor = 10 ** digits;
+  const scaled = value * factor;
+  return (Math.abs(scaled % 1) === 0.5 ? 2 * Math.round(scaled / 2) : Math.round(scaled)) / factor;
+}
\\ No newline at end of file
`;

export const DELETED_FILE = `diff --git a/src/legacy/old-tax.ts b/src/legacy/old-tax.ts
deleted file mode 100644
index 83db48f..0000000
--- a/src/legacy/old-tax.ts
+++ /dev/null
@@ -1,3 +0,0 @@
-export function oldTax(amount: number): number {
-  return amount * 0.2;
-}
`;

export const QUOTED_PATH = `diff --git "a/docs/caf\\303\\251.md" "b/docs/caf\\303\\251.md"
index 1111111..2222222 100644
--- "a/docs/caf\\303\\251.md"
+++ "b/docs/caf\\303\\251.md"
@@ -1 +1 @@
-Bonjour
+Bonjour !
`;

export const LOCK_FILE = `diff --git a/package-lock.json b/package-lock.json
index aaaaaaa..bbbbbbb 100644
--- a/package-lock.json
+++ b/package-lock.json
@@ -100,5 +100,5 @@
     "node_modules/left-pad": {
-      "version": "1.3.0",
-      "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz",
+      "version": "1.3.1",
+      "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.1.tgz",
       "license": "WTFPL"
     },
`;

export const PLAIN_UNIFIED = `--- lib/a.py\t2024-05-01 10:00:00.000000000 +0200
+++ lib/a.py\t2024-05-02 11:00:00.000000000 +0200
@@ -1,3 +1,3 @@
 def f(x):
-    return x + 1
+    return x + 2
 
`;

export const FULL_PR_DIFF = [MULTI_HUNK_MODIFIED, RENAME_WITH_CHANGE, PURE_RENAME_WITH_SPACES, BINARY_CHANGE, BINARY_NEW, NEW_FILE, DELETED_FILE].join("");

/** GitHub "list pull request files" items, as the REST API returns them. */
export const GITHUB_FILES = [
  {
    sha: "a9c0d2f",
    filename: "src/billing/invoice.ts",
    status: "modified",
    additions: 4,
    deletions: 2,
    changes: 6,
    blob_url: "https://github.com/o/r/blob/h/src/billing/invoice.ts",
    raw_url: "https://github.com/o/r/raw/h/src/billing/invoice.ts",
    contents_url: "https://api.github.com/repos/o/r/contents/src/billing/invoice.ts?ref=h",
    patch: MULTI_HUNK_MODIFIED.slice(MULTI_HUNK_MODIFIED.indexOf("@@")).trimEnd(),
  },
  {
    sha: "7c4a8d0",
    filename: "src/util/text.ts",
    previous_filename: "src/util/strings.ts",
    status: "renamed",
    additions: 1,
    deletions: 1,
    changes: 2,
    patch: RENAME_WITH_CHANGE.slice(RENAME_WITH_CHANGE.indexOf("@@")).trimEnd(),
  },
  { sha: "9e8d7c6", filename: "assets/logo.png", status: "modified", additions: 0, deletions: 0, changes: 0 },
  { sha: "c0ffee0", filename: "data/fixtures.json", status: "modified", additions: 25000, deletions: 12000, changes: 37000 },
  { sha: "1234567", filename: "docs/new name.md", previous_filename: "docs/old name.md", status: "renamed", additions: 0, deletions: 0, changes: 0 },
  { sha: "0000000", filename: "src/legacy/old-tax.ts", status: "removed", additions: 0, deletions: 3, changes: 3, patch: "@@ -1,3 +0,0 @@\n-export function oldTax(amount: number): number {\n-  return amount * 0.2;\n-}" },
];
