/**
 * What the definition schema refuses, rule by rule, and how a timeline a deployment adds is read:
 * the branches the catalogue itself never takes (every shipped definition is valid), found by the
 * coverage report (docs/testing.md). Each refused definition is a valid one with one thing broken.
 */
import { afterEach, describe, expect, it } from "vitest";
import { quarterEnds } from "../../src/timelines/quarters.js";
import { ART_362_BIS } from "../../src/timelines/art-362-bis.js";
import { actionLabel, enabledBills, eventLabel, getTimeline, registerTimeline, unregisterTimeline } from "../../src/timelines/catalog.js";
import { LAPSE_EVENT } from "../../src/timelines/consequence.js";
import { type TimelineInput, actingRoles, involves } from "../../src/timelines/definition.js";
import { TURIN_PROTOCOL } from "../../src/timelines/networks.js";
import { loadTimeline } from "../../src/timelines/sources.js";
import { stageTerm } from "../../src/timelines/stage-term.js";
import { PROGRAMME_SUSPENDED_SENTENCE_V2 } from "../../src/timelines/suspended-sentence.js";

type StageInput = TimelineInput["stages"][number];
const [PM, GIP] = ART_362_BIS.stages as [StageInput, StageInput];
const with362 = (change: Partial<TimelineInput>): TimelineInput => ({ ...ART_362_BIS, ...change });

describe("the definition schema refuses", () => {
  it("a stage id used twice", () => {
    expect(() => loadTimeline(with362({ stages: [PM, { ...GIP, id: PM.id }] }))).toThrow(/stage pm-assessment repeated/);
  });

  it("a rung, a closing role, an ending role or a notice addressed to a role the timeline does not have", () => {
    expect(() => loadTimeline(with362({ stages: [{ ...PM, rungs: [{ ...ART_362_BIS.rungs![0]!, role: "questura" }] }, GIP] }))).toThrow(/role questura not in roles/);
    expect(() => loadTimeline(with362({ stages: [{ ...PM, closedBy: ["questura"] }, GIP] }))).toThrow(/role questura not in roles/);
    expect(() => loadTimeline(with362({ endedBy: { "measures.not-requested": ["questura"] } }))).toThrow(/role questura not in roles/);
    expect(() => loadTimeline(with362({ notices: [{ on: "measures.requested", to: "questura", text: "Avviso." }] }))).toThrow(/role questura not in roles/);
  });

  it("a timeline none of whose stages starts on its trigger", () => {
    expect(() => loadTimeline(with362({ stages: [{ ...PM, startsOn: "measures.requested" }, GIP] }))).toThrow(/no stage starts on the trigger/);
  });

  it("a term to act that no regime counts, and a period's end that is not the end of its period", () => {
    expect(() => loadTimeline(with362({ stages: [{ ...PM, term: { anniversary: "lapse", amount: 3, unit: "years" } }, GIP] })))
      .toThrow(/a term to act is counted by a regime or fixed by law/);
    const renewal = TURIN_PROTOCOL.stages[1]!;
    expect(() => loadTimeline({ ...TURIN_PROTOCOL, stages: [TURIN_PROTOCOL.stages[0]!, { ...renewal, term: { anniversary: "earliest", amount: 3, unit: "years" } }] }))
      .toThrow(/a period-end ends with its period/);
  });

  it("an earliest date not counted as one, a term with nothing to miss, and a lapse that does not say its effect", () => {
    expect(() => loadTimeline(with362({ stages: [{ ...PM, date: "earliest", informational: true, consequence: { kind: "not-a-term", citation: "art. 362-bis c.p.p.", text: "Nessuna." } }, GIP] })))
      .toThrow(/an earliest date is counted as one/);
    expect(() => loadTimeline(with362({ stages: [{ ...PM, consequence: { kind: "not-a-term", citation: "art. 362-bis c.p.p.", text: "Nessuna." } }, GIP] })))
      .toThrow(/only a length or an earliest date has nothing to miss/);
    expect(() => loadTimeline(with362({ stages: [{ ...PM, consequence: { kind: "lapse", citation: "art. 362-bis c.p.p.", text: "Decade." } }, GIP] })))
      .toThrow(/a lapse, and only a lapse, says its effect/);
  });
});

describe("who records an event, and what it does on a running timeline (art. 362-bis c.p.p.)", () => {
  const def = loadTimeline(ART_362_BIS);
  it("gives the trigger to the timeline's owner, a stage's act to its office, and nothing to an event the timeline does not know", () => {
    expect(actingRoles(def, "suspect.registered")).toEqual(["procura"]);
    expect(actingRoles(def, "measures.decided")).toEqual(["gip"]);
    expect(actingRoles(def, "evento.sconosciuto")).toEqual([]);
  });

  it("gives a stage's act to the roles its definition names instead, and an early end to those named for it", () => {
    const named = loadTimeline(with362({
      stages: [{ ...PM, closedBy: ["gip"] }, GIP],
      endsOn: { "procedure.archived": "procedimento archiviato" }, endedBy: { "procedure.archived": ["gip"] },
    }));
    expect(actingRoles(named, "measures.requested")).toEqual(["gip"]);
    expect(actingRoles(named, "procedure.archived")).toEqual(["gip"]);
  });

  it("gives a lapse to the offices whose stage can lapse (art. 384-bis co. 2-bis c.p.p.), and to none where no stage lapses", () => {
    expect(actingRoles(getTimeline("384-bis", 2)!, LAPSE_EVENT).sort()).toEqual(["gip", "procura"]);
    expect(actingRoles(def, LAPSE_EVENT)).toEqual([]);
  });

  it("says the request for measures acts on a running instance (it opens the GIP's 20 days) and the registration does not (it starts a new one)", () => {
    expect(involves(def, "measures.requested")).toBe(true);
    expect(involves(def, "suspect.registered")).toBe(false);
    expect(involves(def, "evento.sconosciuto")).toBe(false);
  });
});

describe("a timeline a deployment adds", () => {
  afterEach(() => {
    unregisterTimeline("rete-locale", 1);
    unregisterTimeline("rete-locale", 2);
  });

  // A local network's yearly report, with events of its own that nothing in the catalogue labels.
  const plenary = TURIN_PROTOCOL.stages[0]!;
  const LOCAL: TimelineInput = {
    ...TURIN_PROTOCOL, id: "rete-locale", version: 1, trigger: "rete.costituita", endsOn: {},
    stages: [{ ...plenary, startsOn: "rete.costituita", quota: { event: "rete.relazione-inviata", count: 1, met: "relazione inviata nell'anno", missed: "nessuna relazione nell'anno" } }],
  };

  it("is labelled from its own definition: the trigger by the stage it starts, the act by what it records", () => {
    registerTimeline(loadTimeline(LOCAL));
    expect(eventLabel("rete.costituita")).toBe(`Avvio: ${plenary.title}`);
    expect(eventLabel("rete.relazione-inviata")).toBe("Relazione inviata nell'anno");
    expect(actionLabel("rete.relazione-inviata")).toBe("Registra: relazione inviata nell'anno");
  });

  it("is registered once per version, and its latest version is the highest whatever the order of registration", () => {
    registerTimeline(loadTimeline({ ...LOCAL, version: 2 }));
    registerTimeline(loadTimeline(LOCAL));
    expect(() => registerTimeline(loadTimeline(LOCAL))).toThrow(/rete-locale v1 exists/);
    expect(getTimeline("rete-locale")!.version).toBe(2);
    unregisterTimeline("rete-locale", 2);
    unregisterTimeline("rete-locale", 2); // gone already: nothing to do
    expect(getTimeline("rete-locale")!.version).toBe(1);
  });
});

describe("labels of events no timeline's stage records", () => {
  it("names the amendments and the lapse in Italian, and shows an unknown type as it came", () => {
    expect(eventLabel("event.corrected")).toBe("Correzione della data di un evento");
    expect(eventLabel("event.cancelled")).toBe("Annullamento di un evento registrato per errore");
    expect(eventLabel(LAPSE_EVENT)).toBe("Termine scaduto: il provvedimento ha perso efficacia");
    expect(eventLabel("evento.sconosciuto")).toBe("evento.sconosciuto");
  });
});

describe("a deployment's settings, when unset", () => {
  it("enables no bill, and takes the calendar quarters for the compliance data (art. 127 co. 1-bis disp. att. c.p.p. fixes none)", () => {
    expect(enabledBills(undefined)("register-changes")).toBe(false);
    expect(quarterEnds(undefined)).toEqual(["03-31", "06-30", "09-30", "12-31"]);
    expect(quarterEnds("")).toEqual(["03-31", "06-30", "09-30", "12-31"]);
  });
});

describe("a programme's length the judgment sets (art. 165 co. 5 c.p.; Cass. sez. VI n. 40888/2024)", () => {
  const duration = loadTimeline(PROGRAMME_SUSPENDED_SENTENCE_V2).stages.find((s) => s.id === "programme-duration")!;
  it("is counted in whole months from the intake, and not counted at all without them", () => {
    const from = Date.parse("2026-12-02T10:00:00+01:00");
    const ok = stageTerm(duration, from, { months: 8 }, "IT");
    expect(ok.ok && ok.term.dueDate).toBe("2027-08-02");
    for (const months of [undefined, 0, 2.5]) expect(stageTerm(duration, from, { months }, "IT")).toEqual({ ok: false, failure: { reason: "missing-judged-length" } });
  });
});
