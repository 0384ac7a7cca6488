-- The period's attempts per bucket (b, $5 seconds), country ('' for none)
-- and ASN, each address put where ip_geo locates it now (place_days of
-- sql/report/rollups.sql), for the statements that read place_sums:
-- pipeline/report makes temp.report_place_sums from this statement once a
-- period and bucket, where daily_by_country and page_cells each joined
-- the address rollup's rows to their places.
SELECT b, coalesce(country_code, '') AS code, any_value(country) AS country,
       asn, any_value(as_org) AS as_org, CAST(sum(attempts) AS BIGINT) AS n
FROM place_days
GROUP BY b, country_code, asn
