import { createApp } from "./app.js";
import type { Bindings } from "./env.js";
import { startScheduled } from "./workflows/schedule.js";
import { sweep } from "./workflows/sweep.js";

export { TimelineWorkflow } from "./workflows/timeline.js";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    // The cron's own time, so that a late or repeated run acts as of when it was due.
    ctx.waitUntil(Promise.all([sweep(env, controller.scheduledTime), startScheduled(env, controller.scheduledTime)]));
  },
} satisfies ExportedHandler<Bindings>;
