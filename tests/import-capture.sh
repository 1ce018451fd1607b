#!/bin/sh
# SPDX-License-Identifier: MIT
# Copy a recorded kernel tree (../shared/captures/<name>) into fixtures/<name>.
#
# The shared captures were stored by a tool that cannot hold symbolic links: each
# link became a small regular file whose content is the link target (always
# relative, starting with "../", no trailing newline; sysfs attributes always end
# with a newline, so the two cannot be confused). This script copies the tree
# byte for byte and turns exactly those files back into the links they were.
# Nothing else is changed.
set -eu
[ $# -eq 2 ] || { echo "usage: $0 CAPTURE_DIR FIXTURE_DIR" >&2; exit 2; }
src=$1 dst=$2
[ -d "$src" ] || { echo "$0: $src: not a directory" >&2; exit 1; }
[ ! -e "$dst" ] || { echo "$0: $dst exists; remove it first" >&2; exit 1; }
mkdir -p "$dst"
cp -R "$src"/. "$dst"/
chmod -R u+w "$dst"
n=0
find "$dst" -type f -size -4k ! -path "$dst/capture/*" > "$dst.links.tmp"
while IFS= read -r f; do
	first=$(head -c 3 "$f")
	[ "$first" = "../" ] || continue
	# a link target has exactly one line and no newline at all
	[ "$(wc -l < "$f")" -eq 0 ] || continue
	target=$(cat "$f")
	rm -f "$f"
	ln -s "$target" "$f"
	n=$((n + 1))
done < "$dst.links.tmp"
rm -f "$dst.links.tmp"
echo "$dst: restored $n symbolic links"
