/**
 * Is the Temporal server there? A cheap GetSystemInfo under a short deadline, shared by every
 * service of one client: actions and creates ask first, so that with Temporal down they answer
 * 503 TEMPORAL_UNAVAILABLE within a few seconds instead of waiting out the SDK's retries (and
 * commit nothing). A success is remembered briefly, so a busy API asks once every few seconds.
 */
import type { Client } from '@temporalio/client';
import { temporalUnavailable } from '../errors';

/** How long the probe waits for Temporal (TEMPORAL_PROBE_TIMEOUT_MS). */
export const PROBE_TIMEOUT_MS = Number(process.env.TEMPORAL_PROBE_TIMEOUT_MS) || 2_500;
/** How long a success is trusted. */
const OK_FOR_MS = 2_000;

export type ProbeResult = { ok: true; serverVersion: string } | { ok: false; detail: string };

export interface TemporalProbe {
  /** Asks now (health). */
  check(): Promise<ProbeResult>;
  /** Throws 503 TEMPORAL_UNAVAILABLE unless Temporal answered lately or answers now. */
  ensure(): Promise<void>;
}

const probes = new WeakMap<Client, TemporalProbe>();

export function temporalProbe(temporal: Client): TemporalProbe {
  const known = probes.get(temporal);
  if (known) return known;
  let okAt = 0;
  let inflight: Promise<ProbeResult> | undefined;
  const check = (): Promise<ProbeResult> =>
    (inflight ??= temporal.connection
      .withDeadline(Date.now() + PROBE_TIMEOUT_MS, () => temporal.workflowService.getSystemInfo({}))
      .then(
        (r): ProbeResult => {
          okAt = Date.now();
          return { ok: true, serverVersion: r.serverVersion || 'unknown version' };
        },
        (e: Error): ProbeResult => {
          okAt = 0;
          const msg = String(e?.message ?? e);
          return { ok: false, detail: /deadline/i.test(msg) ? `no answer within ${PROBE_TIMEOUT_MS} ms` : msg };
        },
      )
      .finally(() => (inflight = undefined)));
  const probe: TemporalProbe = {
    check,
    async ensure() {
      if (Date.now() - okAt < OK_FOR_MS) return;
      const r = await check();
      if (!r.ok) throw temporalUnavailable(r.detail);
    },
  };
  probes.set(temporal, probe);
  return probe;
}
