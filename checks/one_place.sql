-- The published location, its precision and its point describe one place: one article gives all three.
-- table: exercises
with batch as (select * from {batch})
select 'exercises' as table_name, x.exercise_id as record_id, 'location' as field,
       'no single article gives location ' || coalesce(quote(x.location), '(none)') || ', location_precision '
       || coalesce(x.location_precision, '(none)') || ' and ' || case when x.latitude is null then 'no point'
       else 'the point ' || x.latitude || ', ' || x.longitude end as problem
from batch x
where (x.location is not null or x.location_precision is not null or x.latitude is not null)
  and not exists (
    select 1 from (select distinct e0.source_id from evidence e0
                   where e0.exercise_id = x.exercise_id and e0.table_name = 'exercises') s
    where (x.location is null or exists (select 1 from evidence e where e.table_name = 'exercises'
            and e.record_id = x.exercise_id and e.field = 'location' and e.value = x.location and e.source_id = s.source_id))
      and (x.location_precision is null or exists (select 1 from evidence e where e.table_name = 'exercises'
            and e.record_id = x.exercise_id and e.field = 'location_precision' and e.value = x.location_precision
            and e.source_id = s.source_id))
      and (x.latitude is null or exists (select 1 from evidence e where e.table_name = 'exercises'
            and e.record_id = x.exercise_id and e.field = 'latitude' and cast(e.value as real) = x.latitude
            and e.source_id = s.source_id)))
