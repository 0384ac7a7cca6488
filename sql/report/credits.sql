-- The databases behind the locations shown, for their credits.
SELECT DISTINCT source AS name FROM attempts WHERE source IS NOT NULL
UNION
SELECT DISTINCT asn_source FROM attempts WHERE asn_source IS NOT NULL
ORDER BY 1
