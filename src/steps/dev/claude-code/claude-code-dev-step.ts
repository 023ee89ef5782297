import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { manifestToMarkdown } from "../../../graph/render-manifest.js";
import { checkPathOnDisk, stepPathPolicy, type PathPolicy } from "../../../policy/path-policy.js";
import { neutraliseModelText } from "../../../writer/neutralise-model-text.js";
import type { FileChange } from "../../../writer/intents.js";
import { devCostCapUsd } from "../dev-cost-cap.js";
import { devBranchName, devOutcome, type DevOutcome } from "../dev-pull-request.js";
import type { DevInput } from "../dev-step.js";
import { declaredCommands } from "./declared-commands.js";
import { collectFinalDiff, prepareCheckout, restoreCheckout, type FinalDiff } from "./dev-checkout.js";
import { runFinalTests } from "./final-test-run.js";
import { runClaudeSession } from "./run-claude-session.js";
import { reasonOnly } from "./tool-gate.js";
import { draftReasons, renderSessionAccount } from "./session-account.js";
import { sessionContextNote, sessionInstructions } from "./session-instructions.js";

/**
 * The dev step as a Claude Code session, in a checkout where untrusted code
 * may run (the user's machine, or the Actions runner; never the app's
 * server): the session gets the declared context as its instructions, reads
 * the code itself, edits it and runs the declared commands; Baton then
 * checks the final diff against the path policy, runs the tests itself on
 * what it will commit, and builds the same commit and pull request as the
 * built-in runner, with the session's account.
 */
export interface ClaudeCodeDevInput extends DevInput {
  /** The checkout: a git work tree that has the trusted commit. */
  root: string;
  /** Baton's environment; the session and the test run get allow-listed parts of it. */
  env: NodeJS.ProcessEnv;
  say?: (line: string) => void;
}

export async function runClaudeCodeDevStep(input: ClaudeCodeDevInput): Promise<DevOutcome> {
  const { context, config, root } = input;
  const commit = context.manifest.commit;
  const branch = devBranchName(input.work);
  const policy = stepPathPolicy(context.step);
  const rootFiles = (await input.snapshot.listFiles()).map((f) => f.path).filter((p) => !p.includes("/"));
  const packageJson = rootFiles.includes("package.json") ? ((await input.snapshot.readFiles(["package.json"])).get("package.json")?.text ?? null) : null;
  const { commands, source } = declaredCommands({ configured: config.dev.commands, packageJson, rootFiles });
  context.manifest.notes.push(sessionContextNote(context), `commands the session may run (${source}): ${Object.values(commands).join(" | ") || "none"}`);
  const costCapUsd = devCostCapUsd(context.step.model, context.step.budget);
  const { instructions, prompt } = sessionInstructions(input, { branch, commands, policy });
  // The PR carries the manifest with the notes just added (runner, commands).
  const withNotes: DevInput = { ...input, manifestMarkdown: manifestToMarkdown(context.manifest) };

  await prepareCheckout(root, commit, branch);
  try {
    const session = await runClaudeSession({
      root,
      model: context.step.model,
      instructions,
      prompt,
      maxTurns: config.dev.maxTurns,
      maxBudgetUsd: costCapUsd,
      gate: { root, policy, commands },
      env: input.env,
      say: input.say,
    });
    const diff = await collectFinalDiff(root, commit, policy, config.dev.maxFiles);
    // The tests run on exactly what will be committed: the allowed changes on the trusted commit.
    await restoreCheckout(root, commit);
    await writeChanges(root, diff, policy);
    input.say?.(commands.test ? `final test run: ${commands.test}` : "final test run: no test command declared");
    const tests = await runFinalTests(root, commands.test, input.env);
    const account = { session, maxTurns: config.dev.maxTurns, costCapUsd, committed: diff.files.map((f) => f.path), leftOut: diff.refused, tests };
    return devOutcome(withNotes, {
      files: diff.files,
      summary: neutraliseModelText(session.summary || "The session ended without a summary."),
      draftReasons: draftReasons(account),
      account: renderSessionAccount(account),
      usage: session.usage,
      model: session.model,
    });
  } finally {
    await restoreCheckout(root, commit);
  }
}

/** Writes the allowed changes on the restored checkout, asking the policy again: the disk is the trusted commit's now. */
async function writeChanges(root: string, diff: FinalDiff, policy: PathPolicy): Promise<void> {
  const kept: FileChange[] = [];
  for (const f of diff.files) {
    const decision = await checkPathOnDisk(root, f.path, policy);
    if (!decision.allowed) {
      diff.refused.push({ path: f.path, reason: reasonOnly(decision) });
      continue;
    }
    kept.push(f);
    const full = join(root, f.path);
    if (f.content === null) rmSync(full, { force: true });
    else {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, f.content);
    }
  }
  diff.files = kept;
}
