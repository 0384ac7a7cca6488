-- knockmap schema 19: no rollup per client source port.
--
-- The client's source port is picked afresh for each connection, so a
-- day rarely sees a port twice: rollup_port_days (sql/0017_rollups.sql)
-- held 0.39 rows per failed attempt over gen-authlog's 1M lines and 0.9
-- at 10M, no smaller than the rows it summed, while it took a fifth of
-- what the rollups cost each ingest. The report counts ports from the
-- rows (sql/report/rollups.sql, port_days), as it always could.
DROP VIEW IF EXISTS rollup_port_sums;
DROP TABLE IF EXISTS rollup_port_days;
