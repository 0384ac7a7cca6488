#!/usr/bin/env python3
"""The pipeline knockmap replaces, as `go tool -modfile=tools/go.mod task bench` times it.

The original analysis loaded failed logins the way many small scripts do:
grep the log for "Failed|Failure", take each line apart with four regular
expressions, and for each row ask an SQLite table (no index) whether it is
there already before inserting it. One transaction, committed at the end,
which is kinder to it than a commit per row.

    original_style.py LOG DB    prints the rows inserted
"""
import re
import sqlite3
import subprocess
import sys

log, dbpath = sys.argv[1], sys.argv[2]
db = sqlite3.connect(dbpath)
db.execute("CREATE TABLE IF NOT EXISTS failed (ts TEXT, username TEXT, ip TEXT, port INTEGER)")
stamp = re.compile(r"^(\w{3}\s+\d+ \d\d:\d\d:\d\d)")
user = re.compile(r"for (?:invalid user )?(.*) from \S+ port \d+")
addr = re.compile(r" from (\S+) port \d+")
port = re.compile(r" port (\d+)")
grep = subprocess.Popen(["grep", "-E", "Failed|Failure", log], stdout=subprocess.PIPE, text=True, errors="replace")
inserted = 0
for line in grep.stdout:
    ts, u, ip, p = stamp.search(line), user.search(line), addr.search(line), port.search(line)
    if not (ts and ip and p):
        continue
    row = (ts.group(1), u.group(1) if u else None, ip.group(1), int(p.group(1)))
    if db.execute("SELECT 1 FROM failed WHERE ts = ? AND username IS ? AND ip = ? AND port = ?", row).fetchone() is None:
        db.execute("INSERT INTO failed VALUES (?, ?, ?, ?)", row)
        inserted += 1
db.commit()
if grep.wait() not in (0, 1):
    sys.exit("grep failed")
print(inserted)
