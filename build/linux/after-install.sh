#!/bin/bash
# The deb's postinst (electron-builder's deb.afterInstall; ${…} macros are filled in by electron-builder).
# It does what electron-builder's default after-install.tpl does, except that /usr/bin/${executable}
# is the CLI launcher (mytimer-cli, build/linux/mytimer.sh), not the tray app: `mytimer status` in a
# terminal. The tray app starts from its desktop entry, or as /opt/${sanitizedProductName}/${executable}.

APP_DIR='/opt/${sanitizedProductName}'
LAUNCHER="$APP_DIR/mytimer-cli"
LINK='/usr/bin/${executable}'

chmod 0755 "$LAUNCHER" || true
if type update-alternatives >/dev/null 2>&1; then
    # A plain link, or an earlier version's alternative pointing at the app binary, gives way.
    if [ -L "$LINK" ] && [ "$(readlink "$LINK")" != '/etc/alternatives/${executable}' ]; then
        rm -f "$LINK"
    fi
    update-alternatives --remove '${executable}' "$APP_DIR/${executable}" >/dev/null 2>&1 || true
    update-alternatives --install "$LINK" '${executable}' "$LAUNCHER" 100 || ln -sf "$LAUNCHER" "$LINK"
else
    ln -sf "$LAUNCHER" "$LINK"
fi

# Use SUID chrome-sandbox only on systems without working user namespaces (as electron-builder does).
if ! { [[ -L /proc/self/ns/user ]] && unshare --user true; }; then
    chmod 4755 "$APP_DIR/chrome-sandbox" || true
else
    chmod 0755 "$APP_DIR/chrome-sandbox" || true
fi

if hash update-mime-database 2>/dev/null; then
    update-mime-database /usr/share/mime || true
fi

if hash update-desktop-database 2>/dev/null; then
    update-desktop-database /usr/share/applications || true
fi

# electron-builder's AppArmor profile (Ubuntu 24+), installed only where this AppArmor accepts it.
if apparmor_status --enabled > /dev/null 2>&1; then
  APPARMOR_PROFILE_SOURCE="$APP_DIR/resources/apparmor-profile"
  APPARMOR_PROFILE_TARGET='/etc/apparmor.d/${executable}'
  if apparmor_parser --skip-kernel-load --debug "$APPARMOR_PROFILE_SOURCE" > /dev/null 2>&1; then
    cp -f "$APPARMOR_PROFILE_SOURCE" "$APPARMOR_PROFILE_TARGET"
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --replace --write-cache --skip-read-cache "$APPARMOR_PROFILE_TARGET"
    fi
  else
    echo "Skipping the installation of the AppArmor profile as this version of AppArmor does not seem to support the bundled profile"
  fi
fi
