-- Before export's partitioned COPY: a few month files open at once, each
-- flushed every 16,384 rows, so that the memory the COPY holds does not
-- grow with the months the export spans (with DuckDB's 100 open files it
-- held a row group for each). A month may then be written as several
-- files (data_0.parquet, data_1.parquet …), read alike by a glob.
SET partitioned_write_max_open_files = 4;
SET partitioned_write_flush_threshold = 16384;
