#!/bin/sh
#*****************************************************************************
#* stop.sh: CLUSTERPRO EXEC resource (e.g. exec_database) stop script.       *
#* pgsr stops PostgreSQL with pg_ctl -m fast, then -m immediate if fast does *
#* not finish within `fast-timeout`; already stopped is success. CLP_FACTOR  *
#* is logged. Exit 0 on success, non-zero on failure.                        *
#*                                                                           *
#* Edit the three paths below; every other setting goes in PGSR_CONFIG.      *
#* Recommended EXEC stop timeout: pgsr's `timeout` (default 300 s) + 60 s;   *
#* a clean (fast) stop needs `fast-timeout` (default 30 s) at most.          *
#*****************************************************************************
PGSR_NODE=/usr/bin/node
PGSR_BUNDLE=/opt/pgsr/pgsr.cjs
PGSR_CONFIG=/etc/pgsr/exec_database.conf

exec "$PGSR_NODE" "$PGSR_BUNDLE" exec stop --format clusterpro --config "$PGSR_CONFIG"
