#!/bin/sh
#*****************************************************************************
#* genw-watch.sh: pgsr as a CLUSTERPRO custom monitor (genw), monitor type   *
#* "asynchronous". The script starts `pgsr watch`, which keeps running and   *
#* checks every `interval` seconds on one kept connection; it exits (the     *
#* failure signal of an asynchronous monitor) after `fail-after` failed      *
#* checks in a row. Cheaper than a synchronous genw: Node starts once.       *
#*                                                                           *
#* Installed by the pgsr package; copy it and change PGSR_CONFIG for a second *
#* monitor. Every other setting goes in PGSR_CONFIG.                          *
#* (interval, heartbeat, fail-after, status-file and all check settings).    *
#*****************************************************************************
PGSR=/usr/bin/pgsr
PGSR_CONFIG=/etc/pgsr/genw_watchstandby.conf

# Nothing to edit below. One line per change of state and a heartbeat line go to
# the monitor's log output path; alerts (clplogcmd) on transitions only; SIGTERM
# from the cluster stops it cleanly (exit 0).
exec "$PGSR" watch --format clusterpro --config "$PGSR_CONFIG"
