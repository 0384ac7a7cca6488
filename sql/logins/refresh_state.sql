-- What login_rows was computed from (sql/0021_login_rows.sql), recorded
-- by pipeline/logins' Refresh in the transaction that computed it: each
-- source's lines, each address's country and ASN (hashed, as in
-- sql/0025_login_rows_geo_fields.sql), and when, with conn_addr's rows then.
DELETE FROM login_rows_sources;
INSERT INTO login_rows_sources SELECT id, lines FROM sources;
DELETE FROM login_rows_geo;
INSERT INTO login_rows_geo SELECT ip, hash(g.country, g.asn) FROM ip_geo AS g;
DELETE FROM login_rows_at;
INSERT INTO login_rows_at (computed_at, conn_addrs) VALUES (now(), (SELECT count(*) FROM conn_addr));
