/** The engine's own ceiling: a workflow that does nothing (bench/campaign-import.ts). */
export async function noopWorkflow(): Promise<void> {}
