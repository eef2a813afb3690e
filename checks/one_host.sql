-- An exercise with a host country has exactly one host participant, that country; one without has none.
-- table: exercises
with batch as (select * from {batch})
select 'exercises' as table_name, x.exercise_id as record_id, 'host_country' as field,
       'host_country is ' || coalesce(x.host_country, '(none)') || ' but the host participants are '
       || coalesce((select group_concat(p.country_code, ', ') from participants p
                    where p.exercise_id = x.exercise_id and p.role = 'host'), '(none)') as problem
from batch x
where coalesce(x.host_country, '') <> coalesce((select group_concat(p.country_code, ', ') from participants p
                                               where p.exercise_id = x.exercise_id and p.role = 'host'), '')
