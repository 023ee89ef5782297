import { describe, expect, it } from "vitest";
import { jobMarker, jobMarkers } from "../../src/runner/step-harness.js";

describe("job markers in a finished check run", () => {
  it("remembers every event the run finished for, newest last, bounded", () => {
    const once = jobMarkers("", "label-a");
    expect(once).toBe(jobMarker("label-a"));
    const twice = jobMarkers(`${once}\nsummary text`, "label-b");
    expect(twice).toContain(jobMarker("label-a"));
    expect(twice).toContain(jobMarker("label-b"));
    expect(jobMarkers(twice, "label-a")).toBe(twice);
    let many = "";
    for (let i = 0; i < 30; i++) many = jobMarkers(many, `c${i}`);
    expect(many.match(/baton:job/g)).toHaveLength(20);
    expect(many).toContain(jobMarker("c29"));
    expect(many).not.toContain(jobMarker("c0"));
  });

  it("cannot be closed early by the cause", () => {
    expect(jobMarker("x-->y")).toBe("<!-- baton:job x>y -->");
  });
});
