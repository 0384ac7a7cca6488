-- What the campaigns are found from, in short (schema 31): how many lines
-- each source has (rows are only added at a source's end or dropped with
-- it, so the members' attempts and first and last ones change only with
-- those), the rows of the address-username rollup (the usernames each
-- address tried) and where each address is (the members' ASNs and
-- countries), each hashed and summed; and the string Rebuild last stored.
SELECT (SELECT CAST(coalesce(sum(hash(id, lines)), 0) AS VARCHAR) FROM sources) || ' '
           || (SELECT count(*) FROM rollup_address_users) || ' '
           || (SELECT CAST(coalesce(sum(hash(ip_id, user_id, attempts)), 0) AS VARCHAR) FROM rollup_address_users) || ' '
           || (SELECT count(*) FROM ip_geo) || ' '
           || (SELECT CAST(coalesce(sum(hash(ip, asn, country_code)), 0) AS VARCHAR) FROM ip_geo) AS inputs,
       (SELECT max(inputs) FROM campaigns_built_from) AS built_from
