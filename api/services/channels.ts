/**
 * How each unit is reached besides its in-app inbox (e-mail, a webhook, a WeCom / DingTalk /
 * Feishu group robot): the directory the delivery activity reads when a letter goes out. The
 * office replaces a unit's whole list at once, in one transaction, so a unit is never left
 * half-configured; a channel kept from the old list keeps its id and creation time.
 */
import type { TransactionSql } from 'postgres';
import type { Sql } from '../../infra/db';
import { notFound } from '../errors';
import type { ChannelDto, ChannelInput } from '../routes/channels/schemas';

export function createChannelService({ sql }: { sql: Sql }) {
  const select = (tx: Sql | TransactionSql, unitId: string) => tx<ChannelDto[]>`
    select id, channel, address, label, enabled, created_at from unit_channels
    where unit_id = ${unitId} order by created_at, channel, address`;

  async function unitExists(tx: Sql | TransactionSql, id: string) {
    const [u] = await tx`select 1 from units where id = ${id}`;
    if (!u) throw notFound('unit', id);
  }

  return {
    async list(unitId: string): Promise<ChannelDto[]> {
      await unitExists(sql, unitId);
      return [...(await select(sql, unitId))];
    },

    /** All or nothing: the unit's channels become exactly `channels`. */
    async replace(unitId: string, channels: ChannelInput[]): Promise<ChannelDto[]> {
      return sql.begin(async (tx) => {
        // Two edits of one unit at once would trip over each other's rows: take turns.
        await tx`select pg_advisory_xact_lock(hashtextextended(${`unit_channels:${unitId}`}, 0))`;
        await unitExists(tx, unitId);
        const keep = channels.map((c) => `${c.channel} ${c.address}`);
        await tx`delete from unit_channels where unit_id = ${unitId}
                 ${keep.length ? tx`and channel || ' ' || address not in ${tx(keep)}` : tx``}`;
        for (const c of channels) {
          await tx`
            insert into unit_channels (unit_id, channel, address, label, enabled)
            values (${unitId}, ${c.channel}, ${c.address}, ${c.label || null}, ${c.enabled})
            on conflict (unit_id, channel, address) do update set label = excluded.label, enabled = excluded.enabled`;
        }
        return [...(await select(tx, unitId))];
      }) as Promise<ChannelDto[]>;
    },
  };
}

export type ChannelService = ReturnType<typeof createChannelService>;
