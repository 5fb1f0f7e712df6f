/**
 * Is the Temporal server there? A cheap GetSystemInfo under a short deadline, shared by every
 * service of one client: actions and creates ask first, so that with Temporal down they answer
 * 503 TEMPORAL_UNAVAILABLE within a few seconds instead of waiting out the SDK's retries (and
 * commit nothing). A success is remembered briefly, so a busy API asks once every few seconds.
 */
import { isGrpcDeadlineError, type Client } from '@temporalio/client';
import { temporalUnavailable } from '../errors';

/** How long the probe waits for Temporal by default (TEMPORAL_PROBE_TIMEOUT_MS, infra/config.ts). */
export const DEFAULT_PROBE_TIMEOUT_MS = 2_500;
/** How long a success is trusted. */
const OK_FOR_MS = 2_000;

export type ProbeResult = { ok: true; serverVersion: string } | { ok: false; detail: string };

export interface TemporalProbe {
  /** Asks now (health). */
  check(): Promise<ProbeResult>;
  /** Throws 503 TEMPORAL_UNAVAILABLE unless Temporal answered lately or answers now. */
  ensure(): Promise<void>;
}

/** Per client and timeout: the services of one app share one probe (and its remembered success). */
const probes = new WeakMap<Client, Map<number, TemporalProbe>>();

/**
 * The probe of this client with this timeout: made once, then shared by every service using it
 * (the API's services plugin makes it with the configured TEMPORAL_PROBE_TIMEOUT_MS and hands it on).
 */
export function temporalProbe(temporal: Client, timeoutMs = DEFAULT_PROBE_TIMEOUT_MS): TemporalProbe {
  const byTimeout = probes.get(temporal) ?? new Map<number, TemporalProbe>();
  probes.set(temporal, byTimeout);
  const known = byTimeout.get(timeoutMs);
  if (known) return known;
  let okAt = 0;
  let inflight: Promise<ProbeResult> | undefined;
  const check = (): Promise<ProbeResult> =>
    (inflight ??= temporal.connection
      .withDeadline(Date.now() + timeoutMs, () => temporal.workflowService.getSystemInfo({}))
      .then(
        (r): ProbeResult => {
          okAt = Date.now();
          return { ok: true, serverVersion: r.serverVersion || 'unknown version' };
        },
        (e: Error): ProbeResult => {
          okAt = 0;
          const msg = String(e?.message ?? e);
          return { ok: false, detail: isGrpcDeadlineError(e) ? `no answer within ${timeoutMs} ms` : msg };
        },
      )
      .finally(() => (inflight = undefined)));
  const probe: TemporalProbe = {
    check,
    async ensure() {
      if (Date.now() - okAt < OK_FOR_MS) return;
      const r = await check();
      if (!r.ok) throw temporalUnavailable(new Error(r.detail));
    },
  };
  byTimeout.set(timeoutMs, probe);
  return probe;
}
