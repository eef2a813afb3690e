-- Each source's seed file is named after its id.
-- table: sources
with batch as (select * from {batch})
select 'sources' as table_name, s.source_id as record_id, 'seed_file' as field,
       'seed_file is ' || s.seed_file as problem
from batch s
where s.seed_file <> s.source_id || '.txt'
