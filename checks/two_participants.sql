-- A joint exercise has at least two participating countries.
-- table: exercises
with batch as (select * from {batch})
select 'exercises' as table_name, x.exercise_id as record_id, 'participants' as field,
       (select count(*) from participants p where p.exercise_id = x.exercise_id) || ' participant(s)' as problem
from batch x
where (select count(*) from participants p where p.exercise_id = x.exercise_id) < 2
