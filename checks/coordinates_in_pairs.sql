-- Latitude and longitude are given together or not at all.
-- table: exercises
with batch as (select * from {batch})
select 'exercises' as table_name, x.exercise_id as record_id, 'latitude' as field,
       'only one of latitude and longitude is given' as problem
from batch x
where (x.latitude is null) <> (x.longitude is null)
