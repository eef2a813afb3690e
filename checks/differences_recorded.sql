-- Every field the articles state differently has a differences row, and every such row publishes the row's value.
-- table: differences
with batch as (select * from {batch})
select d.table_name, d.record_id, d.field, 'the published value is not ' || quote(d.value) as problem
from batch d
where not exists (select 1 from published_values v where v.table_name = d.table_name and v.record_id = d.record_id
                  and v.field = d.field and v.value = d.value)
union all
select e.table_name, e.record_id, e.field,
       'articles give ' || count(distinct e.value) || ' values but no differences row classifies them' as problem
from evidence e
where e.in_table = 0
  and not exists (select 1 from batch d where d.table_name = e.table_name and d.record_id = e.record_id and d.field = e.field)
group by e.table_name, e.record_id, e.field
