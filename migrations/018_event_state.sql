-- 回溯 (views as of a past instant): every audit event carries the item's state right after it,
-- exactly as the workflow held it, written in the same insert as the event and append-only with
-- it. A view "as of T" reads each item's latest event at or before T (api/services/as-of.ts): the
-- audit trail itself, never a snapshot table kept beside it that could drift.
alter table item_events add column state jsonb;

-- Events recorded before this column: the latest one of each item gets the read model's row,
-- which is exactly the state after it (item_states.last_seq is that event's seq). Earlier ones
-- stay without: an as-of view of them answers from the event's to_status and says so.
alter table item_events disable trigger item_events_no_update;
update item_events e set state = jsonb_build_object(
    'itemId', st.item_id, 'seq', st.last_seq, 'status', st.status, 'progressPercent', st.progress_percent,
    'acknowledgedUnits', to_jsonb(st.acknowledged_units), 'lastReportAt', st.last_report_at,
    'deadlineDate', st.deadline_date, 'dueAt', st.due_at, 'deadlineVersion', st.deadline_version, 'light', st.light,
    'paused', case when st.paused_reason is null then null else jsonb_build_object('reason', st.paused_reason) end,
    'pendingExtension', st.pending_extension, 'missedReports', st.missed_reports, 'rejections', st.rejections,
    'lookBackAt', st.look_back_at, 'lookBackDue', st.look_back_due,
    'units', (select coalesce(jsonb_agg(jsonb_build_object('unitId', iu.unit_id, 'role', iu.role)), '[]') from item_units iu where iu.item_id = st.item_id))
  from item_states st
  where e.item_id = st.item_id and e.seq = st.last_seq;
alter table item_events enable trigger item_events_no_update;

