-- The 整改工作提醒函 at assignment (交办): one letter per unit listing the items of a batch (one
-- create call, one import) — seed 000's "16个相关部门，分别印发了整改工作提醒函".
alter table letters drop constraint letters_type_check;
alter table letters add constraint letters_type_check
  check (type in ('reminder_letter', 'urging_letter', 'supervision_letter', 'bulletin', 'summons', 'listed_supervision', 'assignment_letter'));
alter table letter_templates drop constraint letter_templates_type_check;
alter table letter_templates add constraint letter_templates_type_check
  check (type in ('reminder_letter', 'urging_letter', 'supervision_letter', 'bulletin', 'summons', 'listed_supervision', 'assignment_letter'));

-- The batch an item was assigned in: its unit's assignment letter lists the items of that batch.
alter table items add column assign_batch uuid;
create index items_assign_batch on items (assign_batch) where assign_batch is not null;
