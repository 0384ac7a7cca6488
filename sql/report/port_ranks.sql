-- The period's client source ports ranked by their attempts (most first,
-- then by the port as text), for top_ports.sql and page_cells.sql, which
-- read them as temp.report_port_ranks: pipeline/report makes that table
-- from this statement once a period, so that the rows, one an attempt,
-- are read for the ranks once instead of twice.
SELECT port, total, rank FROM port_ranks
