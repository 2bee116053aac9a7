#!/bin/bash
# The deb's postrm (electron-builder's deb.afterRemove; ${…} macros are filled in by electron-builder):
# removes the /usr/bin/${executable} link to the CLI launcher that after-install.sh made, and the
# AppArmor profile, as electron-builder's default after-remove.tpl does.

APP_DIR='/opt/${sanitizedProductName}'
if type update-alternatives >/dev/null 2>&1; then
    update-alternatives --remove '${executable}' "$APP_DIR/mytimer-cli" >/dev/null 2>&1 || true
fi
# Without update-alternatives (or if it left it), a link of ours that points nowhere now goes.
if [ -L '/usr/bin/${executable}' ] && [ ! -e '/usr/bin/${executable}' ]; then
    rm -f '/usr/bin/${executable}'
fi

APPARMOR_PROFILE_DEST='/etc/apparmor.d/${executable}'
if [ -f "$APPARMOR_PROFILE_DEST" ]; then
  if apparmor_status --enabled > /dev/null 2>&1; then
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --remove "$APPARMOR_PROFILE_DEST" || true
    fi
  fi
  rm -f "$APPARMOR_PROFILE_DEST"
fi
