#!/bin/sh
#*****************************************************************************
#* start.sh: CLUSTERPRO EXEC resource (e.g. exec_database) start script.     *
#* pgsr reads CLP_EVENT / CLP_DISK / CLP_SERVER / CLP_GROUPNAME /            *
#* CLP_RESOURCENAME, refuses to run outside the cluster (no CLP_EVENT) or on *
#* a failed disk (CLP_DISK=FAILURE), starts PostgreSQL (as primary unless    *
#* the config says `as = standby`), logs what it decided and why, and exits  *
#* 0 on success, non-zero on failure.                                        *
#*                                                                           *
#* Installed by the pgsr package; copy it and change PGSR_CONFIG for another *
#* resource. Every other setting goes in PGSR_CONFIG.                         *
#* Recommended EXEC start timeout: pgsr's `timeout` (default 300 s) + 60 s.  *
#*****************************************************************************
PGSR=/usr/bin/pgsr
PGSR_CONFIG=/etc/pgsr/exec_database.conf

exec "$PGSR" exec start --format clusterpro --config "$PGSR_CONFIG"
