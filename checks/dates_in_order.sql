-- An exercise ends on or after the day it starts (compared at the precision both dates give).
-- table: exercises
with batch as (select * from {batch})
select 'exercises' as table_name, x.exercise_id as record_id, 'end_date' as field,
       'end_date ' || x.end_date || ' is before start_date ' || x.start_date as problem
from batch x
where x.start_date is not null and x.end_date is not null
  and substr(x.end_date, 1, min(length(x.start_date), length(x.end_date)))
      < substr(x.start_date, 1, min(length(x.start_date), length(x.end_date)))
