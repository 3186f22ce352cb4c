import { createApp } from "./app.js";
import type { Bindings } from "./env.js";
import { startScheduled } from "./workflows/schedule.js";
import { sweep } from "./workflows/sweep.js";
import { RETENTION_CRON, retention } from "./workflows/retention.js";
import { misconfiguration } from "./deployment.js";
import { purgeSignIn } from "./web/signin.js";

export { TimelineWorkflow } from "./workflows/timeline.js";
export { PreviewRoom } from "./preview/room.js";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    // The cron's own time, so that a late or repeated run acts as of when it was due. Each job
    // runs whatever the other does; a failure is logged, and the next run starts over from D1.
    const why = misconfiguration(env);
    if (why !== null) {
      console.error(JSON.stringify({ level: "error", action: "deployment.misconfigured", reason: why }));
      return;
    }
    const at = controller.scheduledTime;
    const jobs: Record<string, Promise<unknown>> = controller.cron === RETENTION_CRON
      ? { retention: retention(env, at) }
      : { sweep: sweep(env, at), schedule: startScheduled(env, at), purge: purgeSignIn(env, at) };
    ctx.waitUntil(Promise.allSettled(Object.values(jobs)).then((results) => {
      results.forEach((r, i) => {
        if (r.status === "rejected") console.error(JSON.stringify({ level: "error", action: `cron.${Object.keys(jobs)[i]}`, error: (r.reason as Error)?.name ?? "unknown" }));
      });
    }));
  },
} satisfies ExportedHandler<Bindings>;
