-- A count is the whole exercise's (party all) or the contingent of one of its participants.
-- table: counts
with batch as (select * from {batch})
select 'counts' as table_name, c.exercise_id || '/' || c.party || '/' || c.unit as record_id, 'party' as field,
       c.party || ' is not a participant of ' || c.exercise_id as problem
from batch c
where c.party <> 'all'
  and not exists (select 1 from participants p where p.exercise_id = c.exercise_id and p.country_code = c.party)
