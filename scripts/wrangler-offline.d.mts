export function offlineWranglerEnv(root?: string): Record<string, string>;
