-- The SQL-only way to get failed logins out of an auth.log with DuckDB:
-- read every line with read_csv, keep the "Failed" ones and take the fields
-- apart with regexp_extract. BenchmarkDuckDBSQLBaseline times it beside
-- knockmap's ingest of the same file. $PATH is replaced by the log's path.
CREATE OR REPLACE TABLE failed AS
SELECT
    regexp_extract(line, '^(\w{3} +\d+ [\d:]+)', 1)                           AS stamp,
    regexp_extract(line, 'Failed (\S+) for ', 1)                              AS method,
    regexp_extract(line, 'Failed \S+ for (?:invalid user )?(.*) from \S+ port \d+', 1) AS username,
    regexp_extract(line, ' from (\S+) port \d+ ssh2$', 1)                     AS ip,
    TRY_CAST(regexp_extract(line, ' port (\d+) ssh2$', 1) AS INTEGER)             AS port
FROM read_csv('$PATH', columns = {'line': 'VARCHAR'}, header = false, delim = '\x01', quote = '', escape = '', auto_detect = false)
WHERE line LIKE '%Failed %';
