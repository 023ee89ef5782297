import { generateKeyPairSync } from "node:crypto";

/**
 * The GitHub App key every test, benchmark fleet and test cluster signs
 * with: one RSA pair per process, generated on first use (a 2048-bit
 * generation costs tens to hundreds of milliseconds of CPU; the fast tier
 * runs its files in a few processes, so it pays a handful, not one per
 * file). Never committed: a private key in the repository would be flagged
 * by secret scanners and copied by someone.
 */
export interface TestKeyPair {
  /** PKCS#1 PEM, as GitHub hands out an app's private key (PRIVATE_KEY). */
  privatePem: string;
  /** SPKI PEM, for the fakes that check the app's JWT. */
  publicPem: string;
}

let pair: TestKeyPair | undefined;

export function testKeyPair(): TestKeyPair {
  if (!pair) {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    pair = { privatePem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(), publicPem: publicKey.export({ type: "spki", format: "pem" }).toString() };
  }
  return pair;
}
