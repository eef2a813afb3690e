-- outside_knowledge lists exactly the fields of a row whose published value rests on outside knowledge only.
-- table: published_values
with batch as (select * from {batch})
select t.table_name, t.record_id, 'outside_knowledge' as field,
       'outside_knowledge is ' || coalesce(t.listed, '[]') || ' but the fields resting on outside knowledge are '
       || coalesce(t.actual, '[]') as problem
from (
  select r.table_name, r.record_id, r.listed,
         (select json_group_array(field) from (select distinct v.field from batch v where v.table_name = r.table_name
                 and v.record_id = r.record_id and v.basis = 'outside' order by v.field)) as actual
  from (select 'exercises' as table_name, exercise_id as record_id, outside_knowledge as listed from exercises
        union all
        select 'statements', statement_id, outside_knowledge from statements) r
) t
where coalesce(t.listed, '[]') <> t.actual
