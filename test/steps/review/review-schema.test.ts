import { describe, expect, it } from "vitest";
import { structuredTool } from "../../../src/model/structured-output.js";
import { MAX_FINDINGS, reviewAnswerSchema } from "../../../src/steps/review/review-schema.js";
import { REVIEW_SCHEMA_NAME } from "../../../src/steps/review/review-step.js";
import { cannedAnswer } from "./review-fixtures.js";

describe("reviewAnswerSchema", () => {
  it("becomes the forced tool, with the guidance texts the model reads", () => {
    const tool = structuredTool(reviewAnswerSchema, REVIEW_SCHEMA_NAME, "Submit the review.");
    const text = JSON.stringify(tool.input_schema);
    expect(tool.input_schema.type).toBe("object");
    expect(text).toContain("new side");
    expect(text).toContain("adr:<number>");
  });

  it("accepts a realistic answer and refuses what Baton cannot place or rank", () => {
    expect(reviewAnswerSchema.safeParse(cannedAnswer()).success).toBe(true);
    const finding = cannedAnswer().findings[0]!;
    expect(reviewAnswerSchema.safeParse(cannedAnswer({ findings: [{ ...finding, line: 0 }] })).success).toBe(false);
    expect(reviewAnswerSchema.safeParse(cannedAnswer({ findings: [{ ...finding, line: 4.5 }] })).success).toBe(false);
    expect(reviewAnswerSchema.safeParse({ ...cannedAnswer(), findings: [{ ...finding, severity: "blocker" }] }).success).toBe(false);
    expect(reviewAnswerSchema.safeParse(cannedAnswer({ findings: Array.from({ length: MAX_FINDINGS + 1 }, () => finding) })).success).toBe(false);
  });
});
