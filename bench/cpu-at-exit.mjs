// Loaded with --import by bench/cli-commands.ts: reports the process's CPU time (all threads) when it exits.
process.on("exit", () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`\nbench-cpu-ms ${Math.round((user + system) / 1000)}\n`);
});
