-- knockmap schema: the sshd message families added to pipeline/sshd's Kind
-- (same numbers), and the failure flag of the DNS warning that is no
-- attempt.
--
-- Most of the first ones name no address: the connection's other lines,
-- of the same host and pid, say where they came from. session_opened,
-- session_closed, session_disconnect and session_end are a logged-in
-- session's lines; reverse_mapping and address_maps_to are warnings about
-- the client's DNS. None of those is a failure.
INSERT INTO kinds VALUES
    (26, 'pam_user_unknown',        true),
    (27, 'userauth_invalid_user',   true),
    (28, 'pam_requirement_not_met', true),
    (29, 'pam_max_retries',         true),
    (30, 'read_failed',             true),
    (31, 'write_failed',            true),
    (32, 'protocol_mismatch',       true),
    (33, 'key_type_refused',        true),
    (34, 'session_opened',          false),
    (35, 'session_closed',          false),
    (36, 'penalty_drop',            true),
    (37, 'maxstartups_drop',        true),
    (38, 'penalty',                 true),
    (39, 'refuse_connection',       true),
    (40, 'scanned',                 true),
    (41, 'probed',                  true),
    (42, 'signature_rejected',      true),
    (43, 'connection_timeout',      true),
    (44, 'session_disconnect',      false),
    (45, 'session_end',             false),
    (46, 'address_maps_to',         false);

UPDATE kinds SET failure = false WHERE name = 'reverse_mapping';
