#!/bin/sh
#*****************************************************************************
#* stop.sh: CLUSTERPRO EXEC resource (e.g. exec_database) stop script.       *
#* pgsr stops PostgreSQL with pg_ctl -m fast, then -m immediate if fast does *
#* not finish within `fast-timeout`; already stopped is success. CLP_FACTOR  *
#* is logged. Exit 0 on success, non-zero on failure.                        *
#*                                                                           *
#* Installed by the pgsr package; copy it and change PGSR_CONFIG for another *
#* resource. Every other setting goes in PGSR_CONFIG.                         *
#* Recommended EXEC stop timeout: pgsr's `timeout` (default 300 s) + 60 s;   *
#* a clean (fast) stop needs `fast-timeout` (default 30 s) at most.          *
#*****************************************************************************
PGSR=/usr/bin/pgsr
PGSR_CONFIG=/etc/pgsr/exec_database.conf

exec "$PGSR" exec stop --format clusterpro --config "$PGSR_CONFIG"
