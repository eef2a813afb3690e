-- An exercise's year is the year of its start and end dates.
-- table: exercises
with batch as (select * from {batch})
select 'exercises' as table_name, x.exercise_id as record_id, 'year' as field,
       'year ' || x.year || ' is not the year of ' || coalesce(x.start_date, '') || ' ' || coalesce(x.end_date, '') as problem
from batch x
where (x.start_date is not null and cast(substr(x.start_date, 1, 4) as integer) <> x.year)
   or (x.end_date is not null and cast(substr(x.end_date, 1, 4) as integer) <> x.year)
