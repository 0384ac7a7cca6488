-- The owner's own addresses: an accepted login and never a failure.
SELECT DISTINCT ip FROM events WHERE kind = 'accepted' AND ip IS NOT NULL
EXCEPT
SELECT DISTINCT ip FROM failed_login_lines WHERE ip IS NOT NULL;
