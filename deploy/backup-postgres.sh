#!/usr/bin/env bash
# Nightly PostgreSQL dump of Cocon, run by cron on the compose host
# (docs/deployment.md, "Backups of PostgreSQL"):
#
#   15 2 * * * /srv/cocon/deploy/backup-postgres.sh >> /var/log/cocon-backup.log 2>&1
#
# Writes BACKUP_DIR/cocon-YYYYmmdd-HHMMSS.dump (pg_dump custom format: compressed,
# restorable table by table with pg_restore), checks that pg_restore can read it,
# deletes dumps older than KEEP_DAYS, and touches BACKUP_DIR/last-success for the
# monitoring. Any failure exits non-zero and leaves no partial dump behind.
set -euo pipefail

COMPOSE_DIR="${COMPOSE_DIR:-/srv/cocon}"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/cocon}"
# Dumps hold personal data: keep them no longer than needed (docs/privacy.md).
KEEP_DAYS="${KEEP_DAYS:-14}"
# How to reach pg_dump and pg_restore; the defaults run them inside the compose
# `postgres` service, so the host needs no PostgreSQL client.
PG_DUMP="${PG_DUMP:-docker compose --project-directory $COMPOSE_DIR exec -T postgres pg_dump -U cocon -d cocon}"
PG_RESTORE="${PG_RESTORE:-docker compose --project-directory $COMPOSE_DIR exec -T postgres pg_restore}"

mkdir -p "$BACKUP_DIR"
chmod 700 "$BACKUP_DIR"
umask 077
target="$BACKUP_DIR/cocon-$(date +%Y%m%d-%H%M%S).dump"
partial="$target.partial"
trap 'rm -f "$partial"' EXIT

$PG_DUMP --format=custom --compress=6 > "$partial"
# A dump that pg_restore cannot list is no backup.
$PG_RESTORE --list < "$partial" > /dev/null
mv "$partial" "$target"

find "$BACKUP_DIR" -maxdepth 1 -name 'cocon-*.dump' -mtime +"$KEEP_DAYS" -delete
touch "$BACKUP_DIR/last-success"
echo "$(date -Is) backup ok: $target ($(du -h "$target" | cut -f1))"
