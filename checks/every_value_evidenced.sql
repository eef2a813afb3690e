-- Every published value has evidence: a quote from an article, marked in_table.
-- table: published_values
with batch as (select * from {batch})
select v.table_name, v.record_id, v.field, 'the value ' || quote(v.value) || ' has no published evidence' as problem
from batch v
where v.basis is null
