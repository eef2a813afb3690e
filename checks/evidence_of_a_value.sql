-- Every evidence row is about a field of a published row, and in_table marks exactly the published values.
-- table: evidence
with batch as (select * from {batch})
select e.table_name, e.record_id, e.field,
       case when not exists (select 1 from published_values v where v.table_name = e.table_name
                             and v.record_id = e.record_id and v.field = e.field)
            then 'evidence for a field with no published value: ' || quote(e.value)
            else 'in_table is ' || e.in_table || ' for ' || quote(e.value) end as problem
from batch e
where e.in_table <> exists (select 1 from published_values v where v.table_name = e.table_name
                            and v.record_id = e.record_id and v.field = e.field and v.value = e.value)
   or not exists (select 1 from published_values v where v.table_name = e.table_name
                  and v.record_id = e.record_id and v.field = e.field)
