/**
 * The environment of the Claude Code process, built from an allow-list:
 * what a toolchain needs (PATH, HOME, locale, proxies) and the Anthropic
 * credentials, never the rest of Baton's environment. A GitHub token (the
 * Action's `GITHUB_TOKEN`, `INPUT_GITHUB_TOKEN`), Actions runtime tokens and
 * other secrets of the host are not passed, so the repository's commands the
 * session runs cannot read them from their environment.
 */
const PASSED = [
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "LANG",
  "LC_ALL",
  "LC_CTYPE",
  "TZ",
  "TMPDIR",
  "TERM",
  "CI",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "NODE_EXTRA_CA_CERTS",
];

const ANTHROPIC = ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL"];

/** The environment for the Claude Code process; `configDir` keeps its state out of the user's ~/.claude. */
export function claudeSessionEnv(env: NodeJS.ProcessEnv, configDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...PASSED, ...ANTHROPIC]) {
    const value = env[name];
    if (value) out[name] = value;
  }
  return {
    ...out,
    CLAUDE_CONFIG_DIR: configDir,
    // No telemetry, error reporting, update checks or feedback surveys: the session talks to the model endpoint only.
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_AUTOUPDATER: "1",
    CLAUDE_AGENT_SDK_CLIENT_APP: "baton",
  };
}

/** The environment of the commands Baton runs itself (the final test run): the allow-list, without any credential. */
export function commandEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PASSED) {
    const value = env[name];
    if (value) out[name] = value;
  }
  return out;
}

/** The credential the session needs, or a message saying how to give it. */
export function missingCredential(env: NodeJS.ProcessEnv): string | null {
  return env.ANTHROPIC_API_KEY || env.ANTHROPIC_AUTH_TOKEN ? null : "the Claude Code session needs ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN): set it in the environment, or as the anthropic_api_key input of the Action";
}
