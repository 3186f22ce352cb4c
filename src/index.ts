import { createApp } from "./app.js";
import type { Bindings } from "./env.js";
import { startScheduled } from "./workflows/schedule.js";
import { sweep } from "./workflows/sweep.js";

export { TimelineWorkflow } from "./workflows/timeline.js";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    // The cron's own time, so that a late or repeated run acts as of when it was due. Each job
    // runs whatever the other does; a failure is logged, and the next run starts over from D1.
    const jobs = { sweep: sweep(env, controller.scheduledTime), schedule: startScheduled(env, controller.scheduledTime) };
    ctx.waitUntil(Promise.allSettled(Object.values(jobs)).then((results) => {
      results.forEach((r, i) => {
        if (r.status === "rejected") console.error(JSON.stringify({ level: "error", action: `cron.${Object.keys(jobs)[i]}`, error: (r.reason as Error)?.name ?? "unknown" }));
      });
    }));
  },
} satisfies ExportedHandler<Bindings>;
