-- knockmap schema: the connection notices of patched sshds (HP-UX's among
-- them), "SSH: Server;Ltype: Version|Kex|Authname;Remote: A-P;…", as
-- pipeline/sshd's KindLtypeNotice (same number). They name the client's
-- address and port for the connection's other lines, and are no failure.
INSERT INTO kinds VALUES (47, 'ltype_notice', false);
