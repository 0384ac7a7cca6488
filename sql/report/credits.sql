-- The databases behind the locations shown, for their credits.
SELECT DISTINCT source AS name FROM addresses WHERE source IS NOT NULL
UNION
SELECT DISTINCT asn_source FROM addresses WHERE asn_source IS NOT NULL
ORDER BY 1
