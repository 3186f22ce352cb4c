/** The one way to make a router: typed with the app's bindings and variables, whatever it serves. */
import { Hono } from "hono";
import type { AppEnv } from "../env.js";

export const createRouter = () => new Hono<AppEnv>();
