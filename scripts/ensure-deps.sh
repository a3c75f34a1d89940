#!/usr/bin/env bash
# Runs before `npm test` (npm's pretest): installs the Debian packages the tests use when they
# are missing, so that on a fresh machine `npm test` does all its own set-up. Only as root (the
# tests need root anyway: PostgreSQL as the postgres user, network namespaces, Pacemaker);
# otherwise it lists what is missing and lets the tests say the rest.
set -euo pipefail

missing=()
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then missing+=(postgresql); fi
command -v pg_createcluster >/dev/null 2>&1 || missing+=(postgresql-common)  # Debian cluster test
command -v python3 >/dev/null 2>&1 || missing+=(python3)        # clpsim kit
command -v runuser >/dev/null 2>&1 || missing+=(util-linux)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)       # TLS test: a self-signed server certificate
# Pacemaker tests (a real two-node cluster, ocf-tester, the OCF DTD; iptables to cut one port), fault suite (tini, ip), Prometheus test (prometheus, promtool), Pgpool-II test (pgpool2: pgpool, pcp_*, pg_md5).
for pkg in pacemaker corosync pacemaker-cli-utils resource-agents resource-agents-paf crmsh tini iproute2 iptables libxml2-utils prometheus pgpool2; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
# Packaging (npm run package: strip, dpkg-deb, rpmbuild; lint: lintian, rpmlint) and the tests of
# what users install (Nagios 4 core, man; strace: what the OCF monitor starts). Without recommends: they would pull in a mail server.
lean=()
command -v strip >/dev/null 2>&1 || lean+=(binutils)
for pkg in nagios4-core rpm rpmlint lintian man-db strace; do
  dpkg -s "$pkg" >/dev/null 2>&1 || lean+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ] || [ ${#lean[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-deps: missing Debian packages: ${missing[*]} ${lean[*]} (run as root to install them)" >&2
    exit 0
  fi
  echo "ensure-deps: installing ${missing[*]} ${lean[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  if [ ${#missing[@]} -gt 0 ]; then apt-get install -y -qq "${missing[@]}" >/dev/null; fi
  if [ ${#lean[@]} -gt 0 ]; then apt-get install -y -qq --no-install-recommends "${lean[@]}" >/dev/null; fi
fi
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi
