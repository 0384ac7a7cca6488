-- The address each connection named first, from the Arrow record
-- registered as conn_addr_batch (pipeline/load's ConnAddrs): the ingest
-- finds it as it joins the lines, and no connection gets two.
INSERT INTO conn_addr SELECT conn, ip_id FROM conn_addr_batch
