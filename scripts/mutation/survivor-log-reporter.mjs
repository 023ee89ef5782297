// A Stryker reporter that appends each surviving (or uncovered) mutant to
// reports/mutation/<report>.survivors.ndjson as soon as it is found, so tests
// can be written while a long run goes on (the JSON report comes only at the end).
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { commonTokens, declareClassPlugin, PluginKind } from "@stryker-mutator/api/plugin";

class SurvivorLogReporter {
  static inject = [commonTokens.options];
  constructor(options) {
    this.file = (options.jsonReporter?.fileName ?? "reports/mutation/mutation.json").replace(/\.json$/, ".survivors.ndjson");
    mkdirSync(dirname(this.file), { recursive: true });
  }
  onMutantTested(result) {
    if (result.status !== "Survived" && result.status !== "NoCoverage") return;
    const { fileName, location, mutatorName, replacement, status } = result;
    appendFileSync(this.file, `${JSON.stringify({ status, file: fileName, line: location.start.line, column: location.start.column, mutator: mutatorName, replacement })}\n`);
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, "survivor-log", SurvivorLogReporter)];
