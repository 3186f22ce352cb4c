import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    reporters: ["default", "./test/summary-reporter.ts"],
    projects: [
      {
        // Everything that runs the service: inside workerd.
        plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.jsonc" } })],
        test: { name: "workers", include: ["test/**/*.test.ts"], exclude: ["test/oracle/**"] },
      },
      {
        // Cross-checks of the pure engine against outside oracles (date-holidays,
        // Luxon): their CommonJS/UMD builds do not load in workerd.
        test: { name: "oracle", environment: "node", include: ["test/oracle/**/*.test.ts"] },
      },
    ],
  },
});
