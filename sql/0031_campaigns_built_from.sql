-- knockmap schema 31: what the campaigns were last found from.
--
-- `knockmap run` found the campaigns again every night, from the usernames
-- each address tried (rollup_address_users), with the members' attempts
-- and places: 0.15 s of a night with nothing new over 8 copies of
-- gen-authlog's 1M-line log, a third of it. campaigns_built_from holds,
-- as one string, what pipeline/campaign's Rebuild found them from (the
-- options, and sql/campaign/inputs.sql: the address-username rollup and
-- the places, hashed); Rebuild leaves the tables be when it is the same.
CREATE TABLE IF NOT EXISTS campaigns_built_from (
    inputs        VARCHAR NOT NULL
);
