-- A row's label is its name (or title), or its id where it has none: links and facets never show "None".
-- table: exercises
with batch as (select * from {batch})
select 'exercises' as table_name, x.exercise_id as record_id, 'label' as field, 'label is ' || quote(x.label) as problem
from batch x
where x.label is not coalesce(x.name, x.exercise_id)
union all
select 'sources', s.source_id, 'label', 'label is ' || quote(s.label)
from sources s
where s.label is not coalesce(s.title, s.source_id)
