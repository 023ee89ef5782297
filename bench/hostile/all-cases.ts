import { baselineCases } from "./baseline-cases.js";
import { configGlobCases } from "./config-glob-cases.js";
import { markdownCases } from "./markdown-cases.js";
import type { HostileCase } from "./hostile-case.js";
import { modelMatchCases } from "./model-match-cases.js";
import { pathCases } from "./path-cases.js";

/** Every hostile input class the bench measures; add a set here (see hostile-case.ts). */
export const CASE_SETS: readonly (readonly HostileCase[])[] = [baselineCases, pathCases, modelMatchCases, configGlobCases, markdownCases];
