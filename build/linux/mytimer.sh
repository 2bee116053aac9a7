#!/bin/sh
# `mytimer` on PATH for the deb (installed as /opt/myTimer/mytimer-cli, linked from /usr/bin/mytimer by
# after-install.sh): runs the CLI inside the app binary beside this script, so no system Node is needed
# and the RunAsNode fuse stays off. The link is followed to find the folder. Chromium's switches come
# before --cli: Ozone's headless platform, so no X11 or Wayland display is needed (a server, an ssh
# session), and no GPU process (app/cli/commands/service.ts HEADLESS_SWITCHES, the same for the unit).
here=$(dirname "$(readlink -f "$0")")
exec "$here/mytimer" --ozone-platform=headless --disable-gpu --cli "$@"
