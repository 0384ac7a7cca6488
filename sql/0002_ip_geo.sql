-- knockmap schema 2: where the source addresses are.
--
-- One row per distinct address, written by `knockmap enrich` (and by
-- ingest, unless --no-enrich). Locations come from IP geolocation
-- databases: they name where an address's block is registered or used,
-- a nominal place, not where a person sits.

CREATE TABLE ip_geo (
    ip            VARCHAR NOT NULL,    -- as in events.ip
    scope         VARCHAR NOT NULL,    -- public, private, loopback, link-local, documentation, reserved, hostname
    country_code  VARCHAR,             -- ISO 3166-1 alpha-2
    country       VARCHAR,             -- English name
    region        VARCHAR,             -- first-level subdivision (state, province)
    city          VARCHAR,
    latitude      DOUBLE,
    longitude     DOUBLE,
    accuracy_km   INTEGER,             -- radius the database gives, where it gives one
    asn           UINTEGER,
    as_org        VARCHAR,
    source        VARCHAR,             -- database that located it, with its build date
    source_built  DATE,
    asn_source    VARCHAR,             -- database that gave the ASN
    asn_built     DATE,
    enriched_at   TIMESTAMPTZ NOT NULL
);

-- Every failed login with where its address is.
CREATE VIEW failed_logins_geo AS
SELECT f.*,
       g.scope,
       g.country_code,
       g.country,
       g.region,
       g.city,
       g.latitude,
       g.longitude,
       g.asn,
       g.as_org,
       g.source,
       g.asn_source
FROM failed_logins AS f
LEFT JOIN ip_geo AS g ON g.ip = f.ip;
