/** Error-level lines of the app's JSON log (pino: level >= 50), and anything that is not JSON on stderr-like output. */
export function appErrors(output: string): string[] {
  const out: string[] = [];
  for (const line of output.split("\n")) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    try {
      const entry = JSON.parse(trimmed) as { level?: number | string; msg?: string; err?: { message?: string } | string };
      const level = typeof entry.level === "number" ? entry.level : { error: 50, fatal: 60 }[String(entry.level)] ?? 0;
      if (level >= 50) out.push(`${entry.msg ?? ""} ${typeof entry.err === "string" ? entry.err : (entry.err?.message ?? "")}`.trim());
    } catch {
      if (/error/i.test(trimmed)) out.push(trimmed.slice(0, 300));
    }
  }
  return out;
}
