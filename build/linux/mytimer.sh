#!/bin/sh
# `mytimer` on PATH for the deb (installed as /opt/myTimer/mytimer-cli, linked from /usr/bin/mytimer by
# after-install.sh): runs the CLI inside the app binary beside this script, so no system Node is needed
# and the RunAsNode fuse stays off. The link is followed to find the folder.
here=$(dirname "$(readlink -f "$0")")
exec "$here/mytimer" --cli "$@"
