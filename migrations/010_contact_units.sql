-- 联系部门: the city department that looks after a township or county (seed 001: "对连续两次评为
-- ‘差’的乡镇实行挂牌督战，并对乡镇党委书记和联系部门主要负责人进行双约谈"). A listed unit's summons
-- then goes to both heads (双约谈), and its listing notice is copied to the contact department.
alter table units add column contact_unit_id uuid references units(id);
alter table units add constraint units_contact_not_self check (contact_unit_id <> id);
