-- same_as names another article's rendering of the statement.
-- table: statements
with batch as (select * from {batch})
select 'statements' as table_name, s.statement_id as record_id, 'same_as' as field,
       'same_as ' || s.same_as || ' is a statement of the same article' as problem
from batch s join statements t on t.statement_id = s.same_as
where t.source_id = s.source_id
