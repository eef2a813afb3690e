-- date_precision is the precision of start_date (year when there is none).
-- table: exercises
with batch as (select * from {batch})
select 'exercises' as table_name, x.exercise_id as record_id, 'date_precision' as field,
       'date_precision ' || x.date_precision || ' does not match start_date ' || coalesce(x.start_date, '(none)') as problem
from batch x
where x.date_precision <> case length(coalesce(x.start_date, '')) when 10 then 'day' when 7 then 'month' else 'year' end
