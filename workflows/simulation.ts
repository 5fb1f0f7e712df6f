/**
 * 试运行: one workflow per simulation the office asks for (workflow id `simulation-<id>`). It runs
 * the simulation as one long activity — which lives the campaign through on a time-skipping server
 * of its own, heartbeating its progress — and, should that fail for good, says so on the
 * simulation's row. The workflow is what the Temporal UI shows the operator: running, its attempts,
 * its failure.
 */
import { ActivityFailure, ApplicationFailure, CancellationScope, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

export interface SimulationWorkflowInput {
  simulationId: string;
}

export const simulationWorkflowId = (simulationId: string): string => `simulation-${simulationId}`;

const { runSimulationRequest } = proxyActivities<Activities>({
  // A hundred days of a thousand items take minutes; a province's plan longer. The heartbeat notices a lost worker.
  startToCloseTimeout: '3 hours',
  heartbeatTimeout: '2 minutes',
  retry: { maximumAttempts: 2, initialInterval: '10 seconds' },
});
const { failSimulation } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function simulationWorkflow(input: SimulationWorkflowInput): Promise<void> {
  try {
    await runSimulationRequest(input.simulationId);
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : err;
    const message = cause instanceof ApplicationFailure || cause instanceof Error ? cause.message : String(cause);
    // Also when the workflow is cancelled: the row must not stay 'running' for ever.
    await CancellationScope.nonCancellable(() => failSimulation({ simulationId: input.simulationId, message: isCancellation(err) ? '试运行已取消' : message }));
  }
}
