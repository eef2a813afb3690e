-- A value stated outright has no rule and no inference; a derived one names its rule and says how; one resting on outside knowledge says which fact, and names no rule.
-- table: evidence
with batch as (select * from {batch})
select e.table_name, e.record_id, e.field,
       'basis ' || e.basis || case when e.rule is null then ' without a rule' else ' with the rule ' || e.rule end
       || case when e.inference is null then ' and no inference' else ' and an inference' end as problem
from batch e
where (e.basis = 'stated' and (e.rule is not null or e.inference is not null))
   or (e.basis = 'derived' and (e.rule is null or e.inference is null))
   or (e.basis = 'outside' and (e.rule is not null or e.inference is null))
