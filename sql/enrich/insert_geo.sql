-- Store the answers of one batch (registered as "geo_batch"): an address
-- answered again replaces its old answer.
INSERT INTO ip_geo
SELECT b.ip, b.scope, b.country_code, b.country, b.region, b.city,
       b.latitude, b.longitude, b.accuracy_km, b.asn, b.as_org,
       b.source, CAST(b.source_built AS DATE), b.asn_source, CAST(b.asn_built AS DATE),
       now()
FROM geo_batch AS b
