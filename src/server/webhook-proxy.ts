/**
 * Development: a smee.io channel (WEBHOOK_PROXY_URL) relays GitHub's
 * deliveries to this server, so an app registered on a laptop receives
 * them. smee-client is optional; without it the URL is ignored with a hint.
 */
export async function startWebhookProxy(source: string, target: string, log: { info(obj: Record<string, unknown>, msg: string): void; warn(obj: Record<string, unknown>, msg: string): void }): Promise<{ close(): void } | undefined> {
  let SmeeClient: new (opts: { source: string; target: string; logger: Pick<Console, "info" | "error"> }) => { start(): Promise<{ close(): void }> | { close(): void } };
  try {
    // A variable specifier: smee-client is a development dependency.
    const specifier = "smee-client";
    ({ SmeeClient } = (await import(specifier)) as { SmeeClient: typeof SmeeClient });
  } catch {
    log.warn({ source }, "WEBHOOK_PROXY_URL is set but smee-client is not installed (npm install smee-client): deliveries sent to the channel will not reach this server");
    return undefined;
  }
  const client = new SmeeClient({ source, target, logger: { info: (...a: unknown[]) => log.info({}, a.join(" ")), error: (...a: unknown[]) => log.warn({}, a.join(" ")) } });
  try {
    const events = await client.start();
    log.info({ source, target }, "forwarding webhooks from the smee.io channel");
    return events;
  } catch (err) {
    // Development only: the server still answers webhooks sent to it directly.
    log.warn({ source, err: err instanceof Error ? err.message : String(err) }, "could not connect to the smee.io channel (WEBHOOK_PROXY_URL): deliveries sent there will not reach this server until it is restarted with the channel reachable");
    return undefined;
  }
}
