-- A value stated outright has no inference; a derived one, or one resting on outside knowledge, says how.
-- table: evidence
with batch as (select * from {batch})
select e.table_name, e.record_id, e.field,
       'basis ' || e.basis || case when e.inference is null then ' without an inference' else ' with an inference' end as problem
from batch e
where (e.basis = 'stated') <> (e.inference is null)
