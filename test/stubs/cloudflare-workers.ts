/**
 * What `cloudflare:workers` exports, for Node tests that import route
 * modules to build a document (never to run them): the base classes the
 * Worker's workflow and Durable Object extend.
 */
export class WorkflowEntrypoint {}
export class DurableObject {}
export const env = {};
