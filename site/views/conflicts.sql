-- Every version of every field the articles state differently, real disagreements first. Its order is
-- total (evidence_id last), so paging through it loses no row.
CREATE VIEW conflicts AS
SELECT d.difference, e.exercise_id, e.table_name, e.record_id, e.field, e.value, e.in_table, e.basis,
       s.label AS source, e.source_id, e.quote, e.inference, d.because, e.evidence_id
FROM differences d
JOIN evidence e ON e.table_name = d.table_name AND e.record_id = d.record_id AND e.field = d.field
JOIN sources s ON s.source_id = e.source_id
ORDER BY CASE d.difference WHEN 'disagreement' THEN 0 WHEN 'change over time' THEN 1 WHEN 'precision' THEN 2 ELSE 3 END,
         e.record_id, e.field, e.in_table DESC, e.value, e.source_id, e.evidence_id
