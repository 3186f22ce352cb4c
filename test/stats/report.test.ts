/**
 * The report's figures from a small known dataset, computed by hand:
 * sums, shares, medians from duration histograms, small counts shown as
 * "<5" and the counts hidden so that those cannot be worked back.
 */
import { describe, expect, it } from "vitest";
import { type Counter, buildReport, median, periodMonths } from "../../src/stats/report.js";

const offices = [
  { id: "cuav-a", name: "CUAV A", kind: "cuav", region: "Piemonte", jurisdiction: "TO" },
  { id: "cuav-b", name: "CUAV B", kind: "cuav", region: "Piemonte", jurisdiction: "TO" },
  { id: "cuav-c", name: "CUAV C", kind: "cuav", region: "Lombardia", jurisdiction: "MI" },
  { id: "procura-x", name: "Procura X", kind: "procura", region: "Piemonte", jurisdiction: "TO" },
  { id: "gip-x", name: "GIP X", kind: "gip", region: "Piemonte", jurisdiction: "TO" },
];
const P = "programme-ammonimento";
const c = (month: string, officeId: string, metric: string, value: number): Counter => ({ month, officeId, metric, value });
const counters: Counter[] = [
  c("2026-01", "cuav-a", `${P}:event:programme.started-ammonimento`, 5),
  c("2026-02", "cuav-a", `${P}:event:programme.started-ammonimento`, 2),
  c("2026-06", "cuav-a", `${P}:event:programme.ended:positive`, 5),
  c("2026-07", "cuav-a", `${P}:event:programme.ended:negative`, 2),
  c("2026-03", "cuav-a", `${P}:event:programme.attendance`, 60),
  c("2026-03", "cuav-a", `${P}:attendance:met`, 50),
  c("2026-04", "cuav-a", `${P}:attendance:late`, 6),
  c("2026-04", "cuav-a", `${P}:event:programme.anomaly`, 3),
  c("2026-05", "cuav-b", `${P}:event:programme.started-ammonimento`, 2),
  c("2026-05", "cuav-c", `${P}:event:programme.started-ammonimento`, 9),
  c("2026-03", "procura-x", "362-bis:pm-assessment:met", 8),
  c("2026-03", "procura-x", "362-bis:pm-assessment:late", 2),
  c("2026-03", "procura-x", "362-bis:pm-assessment:d10", 3),
  c("2026-03", "procura-x", "362-bis:pm-assessment:d20", 3),
  c("2026-03", "procura-x", "362-bis:pm-assessment:d29", 2),
  c("2026-03", "procura-x", "362-bis:pm-assessment:d35", 2),
  c("2026-03", "procura-x", "362-bis:pm-assessment:escalated", 6),
  c("2026-04", "gip-x", "362-bis:gip-decision:met", 3),
  c("2026-04", "gip-x", "362-bis:gip-decision:late", 1),
  // Another year: never counted in 2026.
  c("2025-12", "procura-x", "362-bis:pm-assessment:met", 40),
];
const SNAPSHOT = Date.parse("2027-01-15T10:00:00Z");

describe("the regional report", () => {
  const doc = buildReport("regional", "2026", "Piemonte", counters, offices, SNAPSHOT)!;
  const table = (id: string) => doc.tables.find((t) => t.id === id)!;

  it("counts programmes per centre of the region, small counts suppressed and what would give them away hidden", () => {
    expect(table("programmi").rows).toEqual([
      // Piedmont's row in the national report (9) less CUAV A's 7 would give CUAV B's 2: CUAV A's count is hidden too.
      { office: "CUAV A", started: "riservato", completed: 5, negative: "<5", early: 0, attested: 60, weeksMet: 50, weeksMissed: 6, anomalies: "<5" },
      { office: "CUAV B", started: "<5", completed: 0, negative: 0, early: 0, attested: 0, weeksMet: 0, weeksMissed: 0, anomalies: 0 },
    ]);
  });

  it("gives the share on time and the median only where every count they come from is published", () => {
    expect(table("362-bis").rows).toEqual([
      // 8 on time, 2 late: "80%" beside "8" would give the 2 away.
      { office: "Procura X", term: "Valutazione del PM (30 giorni)", met: 8, late: "<5", open: 0, onTime: "—", median: "—", unit: "giorni" },
      { office: "GIP X", term: "Decisione del GIP (20 giorni)", met: "<5", late: "<5", open: 0, onTime: "—", median: "—", unit: "giorni" },
    ]);
    expect(table("segnalazioni").rows).toEqual([{ office: "Procura X", escalations: 6 }]);
  });

  it("draws monthly volumes for the chart, protected as the tables are", () => {
    expect(doc.monthly[1]).toEqual({ month: "2026-02", programmes: "<5", deadlines: 0 });
    expect(doc.monthly[2]).toEqual({ month: "2026-03", programmes: 0, deadlines: 10 });
    // February's 2 is the year's 7 + 2 less January's 5 and May's: some count in that sum is hidden
    // (test/oracle/disclosure.test.ts proves, for whole data sets, that none can be worked back).
    expect([doc.monthly[0]!.programmes, ...table("programmi").rows.map((r) => r.started)]).toContain("riservato");
  });

  it("shows the share and the median from published counts", () => {
    const more = [...counters, c("2026-05", "procura-x", "362-bis:pm-assessment:late", 3)];
    const row = buildReport("regional", "2026", "Piemonte", more, offices, SNAPSHOT)!.tables.find((t) => t.id === "362-bis")!.rows[0]!;
    // 8 of 13 on time; durations 10,10,10,20,20,20,29,29,35,35 days (the last three without one): median 20.
    expect(row).toMatchObject({ met: 8, late: 5, onTime: "61,5%", median: 20 });
  });
});

describe("other reports", () => {
  it("groups the national report by region", () => {
    const doc = buildReport("national", "2026", "IT", counters, offices, SNAPSHOT)!;
    const rows = doc.tables.find((t) => t.id === "programmi")!.rows;
    expect(rows.map((r) => r.office)).toEqual(["Lombardia", "Piemonte"]);
    // Piedmont's 9 less CUAV A's 7 (published in the regional report) would give CUAV B's 2.
    expect(rows[1]!.started).toBe("riservato");
    expect(doc.tables.find((t) => t.id === "segnalazioni")!.title).toBe("Segnalazioni per regione");
  });

  it("reports an empty period with zeros, not an error", () => {
    const doc = buildReport("regional", "2024", "Piemonte", counters, offices, SNAPSHOT)!;
    expect(doc.tables.find((t) => t.id === "362-bis")!.rows[0]).toMatchObject({ met: 0, late: 0, onTime: "—", median: "—" });
    expect(doc.monthly.every((m) => m.programmes === 0 && m.deadlines === 0)).toBe(true);
  });

  it("knows the periods of each kind", () => {
    expect(periodMonths("compliance-quarterly", "2026-Q2")!.months).toEqual(["2026-04", "2026-05", "2026-06"]);
    expect(periodMonths("compliance-half-yearly", "2026-H2")!.label).toBe("2° semestre 2026");
    expect(periodMonths("regional", "2026-Q2")).toBeUndefined();
    expect(median(new Map([[3, 1], [9, 1]]))).toBe(3);
  });

  it("gives the compliance reports no monthly volumes: one office's months would be single cases", () => {
    expect(buildReport("compliance-quarterly", "2026-Q1", "procura-x", counters, offices, SNAPSHOT)!.monthly).toEqual([]);
    expect(buildReport("compliance-half-yearly", "2026-H1", "TO", counters, offices, SNAPSHOT)!.monthly).toEqual([]);
  });

  it("totals a district for the half-yearly report", () => {
    const doc = buildReport("compliance-half-yearly", "2026-H1", "TO", counters, offices, SNAPSHOT)!;
    expect(doc.tables.find((t) => t.id === "distretto")!.rows[0]).toMatchObject({ office: "TO", met: 8, late: "<5", onTime: "—" });
  });
});
