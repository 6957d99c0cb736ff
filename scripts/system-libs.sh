#!/usr/bin/env bash
# Debian libraries the product itself needs at run time, installed if missing:
# Pango (text layout for WeasyPrint's PDF exports) and a font with French glyphs.
# `make run` calls it; `make test` gets them through scripts/with-services.sh.
set -euo pipefail

missing=()
for package in libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; do
	dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$package")
done
((${#missing[@]} == 0)) && exit 0

echo "system-libs: installing ${missing[*]}" >&2
run() { if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
run env DEBIAN_FRONTEND=noninteractive apt-get update -y -q
run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
