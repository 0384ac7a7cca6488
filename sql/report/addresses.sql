-- The period's addresses with their attempts and places (address_sums of
-- sql/report/rollups.sql), for the statements that read addresses:
-- pipeline/report makes temp.report_addresses from this statement once a
-- period, where each of ten statements summed the address rollup again
-- (about 25 ms each over the 1.18M address-days of a 1 GB log).
SELECT * FROM address_sums
