-- After export's partitioned COPY: DuckDB's defaults again for whatever
-- else the connection runs.
RESET partitioned_write_max_open_files;
RESET partitioned_write_flush_threshold;
