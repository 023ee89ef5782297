import { contextBodyText } from "../model/prompt-rendering.js";
import type { ContextCandidate } from "./context-candidate.js";
import { countTokens } from "./token-count.js";

/**
 * The manifest describes what was actually sent. So every candidate's text
 * is put in the form the model receives (contextBodyText: prose sanitised,
 * code kept with hidden characters visible, delimiter look-alikes escaped)
 * before it is counted and budgeted; rendering the prompt later changes
 * nothing more.
 */
export function asSent(candidate: ContextCandidate): ContextCandidate {
  const form = (text: string) => contextBodyText({ text, untrusted: !candidate.trusted, code: candidate.code === true });
  const fitTo = candidate.fitTo;
  return {
    ...candidate,
    text: form(candidate.text),
    ...(fitTo
      ? {
          fitTo: (tokens: number) => {
            let fitted = fitTo(tokens);
            let text = form(fitted.text);
            // Escaping can add a few characters: fit once more to what is really left.
            const over = countTokens(text) - tokens;
            if (over > 0) {
              fitted = fitTo(tokens - over);
              text = form(fitted.text);
            }
            return { ...fitted, text };
          },
        }
      : {}),
  };
}
